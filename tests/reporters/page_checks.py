"""What every browser test asserts about a report, and the runs that make one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from seslint import cli
from tests.reporters.browser import Page

CELL = """(() => {
  const table = document.getElementById("matrix-table");
  const columns = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
  for (const body of table.tBodies) {
    const head = body.querySelector("tr.where");
    if (!(head ? head.textContent : "").includes(%s)) { continue; }
    const row = [...body.rows].find(r => !r.classList.contains("where")
      && r.cells[0].querySelector("b").textContent === %s);
    if (!row) { continue; }
    const cell = row.cells[columns.indexOf(%s)];
    const link = cell.querySelector("a");
    const target = link ? document.querySelector(link.getAttribute("href")) : null;
    // The finding's cells by their text: it may lie beyond the part of the page laid out so far.
    return [cell.innerText.trim(), target ? [...target.cells].map(c => c.textContent).join("\\t") : null];
  }
  return null;
})()"""

MATRIX = """[...document.querySelectorAll("#matrix-table tr")].map(
  r => [...r.cells].map(c => c.innerText.trim()).join(" | "))"""


def lint(tmp_path: Path, name: str, *argv: str) -> tuple[int, dict[str, Any], Path]:
    """The same run twice: JSON (what other tools read) and HTML; both exit statuses must agree."""
    report, page = tmp_path / f"{name}.json", tmp_path / f"{name}.html"
    code = cli.main([*argv, "--format", "json", "--output", str(report)])
    assert cli.main([*argv, "--format", "html", "--output", str(page)]) == code
    return code, json.loads(report.read_text()), page


def cell(page: Page, label: str, where: str, column: str) -> tuple[str, str | None] | None:
    """The text of the matrix cell of `label` (in the rows judged in `where`) and `column`, and the
    text of the finding it links to."""
    found = page.evaluate(CELL % (json.dumps(where), json.dumps(label), json.dumps(column)))
    return None if found is None else (found[0], found[1])


def matrix_text(page: Page) -> list[str]:
    rows: list[str] = page.evaluate(MATRIX)
    return rows


# The text a reader can see, on screen or by scrolling: text nodes whose element is not hidden
# (display, visibility, opacity, the hidden attribute). Findings far down the page are laid out only
# when scrolled near (content-visibility: auto), so innerText would leave them out.
SHOWN_TEXT = """(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Map();
  const out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!seen.has(element)) {
      seen.set(element, element.checkVisibility({visibilityProperty: true, opacityProperty: true}));
    }
    if (seen.get(element)) { out.push(node.data); }
  }
  return out.join("\\n");
})()"""


def shown_text(page: Page) -> str:
    text: str = page.evaluate(SHOWN_TEXT)
    return text


def assert_shows(page: Page, document: dict[str, Any], path: Path) -> None:
    """Every identity and every failing rule of the JSON output is on screen; nothing was fetched."""
    assert page.requests == [path.resolve().as_uri()]
    text = shown_text(page)
    for finding in document["findings"]:
        if finding["identity"]:
            assert finding["identity"] in text, finding
        if finding["status"] == "fail":
            assert finding["rule"] in text and finding["message"] in text, finding
    assert page.evaluate("document.querySelectorAll('script').length") == 1
