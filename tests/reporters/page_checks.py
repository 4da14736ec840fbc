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
  const row = [...table.tBodies[0].rows].find(
    r => r.cells[0].querySelector(".name").textContent === %s && r.cells[0].textContent.includes(%s));
  if (!row) { return null; }
  const cell = row.cells[columns.indexOf(%s)];
  const link = cell.querySelector("a");
  const target = link ? document.querySelector(link.getAttribute("href")) : null;
  return [cell.innerText.trim(), target ? target.innerText : null];
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
    found = page.evaluate(CELL % (json.dumps(label), json.dumps(where), json.dumps(column)))
    return None if found is None else (found[0], found[1])


def matrix_text(page: Page) -> list[str]:
    rows: list[str] = page.evaluate(MATRIX)
    return rows


def assert_shows(page: Page, document: dict[str, Any], path: Path) -> None:
    """Every identity and every failing rule of the JSON output is on screen; nothing was fetched."""
    assert page.requests == [path.resolve().as_uri()]
    text: str = page.evaluate("document.body.innerText")
    for finding in document["findings"]:
        if finding["identity"]:
            assert finding["identity"] in text, finding
        if finding["status"] == "fail":
            assert finding["rule"] in text and finding["message"] in text, finding
    assert page.evaluate("document.querySelectorAll('script').length") == 1
