// Conveniences only: the report is whole without this script. It adds a filter over the posture
// matrix and the findings (by text, and by the worst verdict of a row).
(function () {
  "use strict";
  var table = document.getElementById("matrix-table");
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  if (!table && !groups.length) { return; }
  var rows = table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
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
      var label = row.cells[0].textContent.toLowerCase();
      var state = row.getAttribute("data-worst");
      var ok = (!needle || label.indexOf(needle) >= 0) &&
        (level === "all" || state === "fail" || (level === "unknown" && state === "unknown"));
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    groups.forEach(function (group) {
      var title = group.querySelector("h3").textContent.toLowerCase();
      group.hidden = Boolean(needle) && title.indexOf(needle) < 0;
    });
    shown.textContent = table ? count + " of " + rows.length + " rows" : "";
  }
  text.addEventListener("input", apply);
  worst.addEventListener("change", apply);
  apply();
}());
