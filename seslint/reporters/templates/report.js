// Conveniences only: the report is whole without this script. It adds a filter over the posture
// matrix and the findings (by text, and by the worst verdict of a row), and makes a finding's rule
// id a link to the rule's fix.
(function () {
  "use strict";
  var table = document.getElementById("matrix-table");
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  document.addEventListener("click", function (event) {
    var cell = event.target;
    if (cell.tagName === "TD" && cell.cellIndex === 0 && cell.closest("section.group")) {
      var rule = document.getElementById("rule-" + cell.textContent.trim());
      if (rule) { rule.scrollIntoView(); }
    }
  });
  if (!table && !groups.length) { return; }
  var rows = table ? Array.prototype.slice.call(table.querySelectorAll("tbody tr:not(.where)")) : [];
  var bar = document.createElement("div");
  bar.className = "filters";
  var text = document.createElement("input");
  text.type = "search";
  text.placeholder = "Filter by identity, account or resource";
  text.setAttribute("aria-label", "Filter by identity, account or resource");
  var worst = document.createElement("select");
  worst.setAttribute("aria-label", "Rows to show");
  [["all", "all rows"], ["fail", "rows with a failure"], ["unknown", "rows with a failure or an unknown"]].forEach(function (o) {
    var option = document.createElement("option");
    option.value = o[0];
    option.textContent = o[1];
    worst.appendChild(option);
  });
  var shown = document.createElement("span");
  bar.appendChild(text);
  bar.appendChild(worst);
  bar.appendChild(shown);
  var anchor = table ? table.parentNode : groups[0];
  anchor.parentNode.insertBefore(bar, anchor);
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var level = worst.value;
    var count = 0;
    rows.forEach(function (row) {
      var ok = !needle || row.cells[0].textContent.toLowerCase().indexOf(needle) >= 0;
      if (ok && level !== "all") {
        ok = row.querySelector(level === "fail" ? "td.fail" : "td.fail, td.unknown") !== null;
      }
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    Array.prototype.forEach.call(table ? table.tBodies : [], function (body) {
      var head = body.querySelector("tr.where");
      if (head) { head.hidden = !body.querySelector("tr:not(.where):not([hidden])"); }
    });
    groups.forEach(function (group) {
      group.hidden = Boolean(needle) && group.querySelector("h4").textContent.toLowerCase().indexOf(needle) < 0;
    });
    shown.textContent = table ? count + " of " + rows.length + " rows" : "";
  }
  text.addEventListener("input", apply);
  worst.addEventListener("change", apply);
  shown.textContent = table ? rows.length + " rows" : "";
}());
