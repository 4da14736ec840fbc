"""Human-readable findings (and the rule list) that fit the terminal, aligned by tabulate.

The width comes from the caller (`Report.width`; the CLI takes `COLUMNS`, then the terminal's size,
then 100). Every column but the last is kept whole, so a `file:line` stays clickable and severity
and rule never wrap; the last column (the message) is wrapped into what remains. When that would
leave the message too narrow to read, each row becomes a block: the whole cells on one line (a cell
that does not fit goes on a line of its own), the message wrapped below them, indented.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

from seslint.findings import Severity, Status
from seslint.reporters import Report
from seslint.reporters.text import one_line, summary_line
from seslint.rules.base import RuleMeta

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
GAP = "  "
INDENT = "    "
MIN_WRAPPED = 36  # narrower than this, a message reads better below its row than beside it
MIN_WIDTH = 40  # below this no layout helps; lines are wrapped as if the terminal were this wide
EXPLAIN_HINT = "Why and how to fix: seslint explain RULE, e.g. seslint explain {rule}"


def render(report: Report, *, color: bool = False) -> str:
    shown = report.shown
    if not shown:
        hidden = summary_line(report.findings, hidden_only=True)
        return f"No findings. ({hidden})\n" if hidden else "No findings.\n"
    rows = []
    styles = []
    for finding in shown:
        severity = finding.severity.value
        if finding.status is Status.UNKNOWN:
            severity += " (unknown)"
        rows.append(
            (
                severity,
                finding.rule,
                one_line(str(finding.location)),
                one_line(finding.resource),
                one_line(finding.message),
            )
        )
        styles.append(_COLOURS[finding.severity] if color else None)
    lines = layout(("severity", "rule", "location", "resource", "message"), rows, report.width, styles)
    hint = EXPLAIN_HINT.format(rule=shown[0].rule)
    return "\n".join([*lines, "", summary_line(report.findings), *wrap(hint, report.width)]) + "\n"


def rules_table(rules: Iterable[RuleMeta], width: int) -> str:
    """`seslint rules`: id, name, default severity, sources (T P A D) and the summary, wrapped."""
    letters = {"terraform": "T", "plan": "P", "aws": "A", "dns": "D"}
    rows = [
        (
            meta.id,
            meta.slug,
            meta.severity.value,
            " ".join(
                letter for source, letter in letters.items() if source in {s.value for s in meta.sources}
            ),
            meta.summary,
        )
        for meta in rules
    ]
    lines = layout(("id", "name", "default", "sources", "summary"), rows, width)
    notes = [
        "Sources: T Terraform, P plan, A live AWS, D DNS.",
        "A rule's documentation: seslint explain RULE",
    ]
    return "\n".join([*lines, "", *notes]) + "\n"


def layout(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    first_cell_styles: Sequence[str | None] = (),
) -> list[str]:
    """Rows as aligned columns within `width`, or as blocks when the last column would be too narrow.

    `first_cell_styles`: an escape sequence per row for its first cell (colour); widths are counted
    without it.
    """
    width = max(width, MIN_WIDTH)
    whole = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(len(headers) - 1)]
    offset = sum(whole) + len(GAP) * len(whole)
    styles = list(first_cell_styles) or [None] * len(rows)
    if width - offset >= MIN_WRAPPED:
        return _columns(headers, rows, whole, width - offset, styles)
    return [line for row, style in zip(rows, styles, strict=True) for line in _block(row, width, style)]


def _paint(text: str, style: str | None) -> str:
    return f"{style}{text}{_RESET}" if style else text


def _columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    whole: list[int],
    wrapped: int,
    styles: list[str | None],
) -> list[str]:
    """tabulate's plain layout; the message is wrapped here first (words kept whole, no hyphen
    breaks), so tabulate only aligns, and every other column stays on one line."""
    import tabulate

    cells = [
        [_paint(row[0], style), *row[1:-1], "\n".join(wrap(row[-1], wrapped)) or "-"]
        for row, style in zip(rows, styles, strict=True)
    ]
    # tabulate widens a column to its heading plus MIN_PADDING (2); `whole` was measured without that
    # padding, so it is off while this table is laid out (rendering is single-threaded).
    padding, tabulate.MIN_PADDING = tabulate.MIN_PADDING, 0
    try:
        table = tabulate.tabulate(cells, headers=list(headers), tablefmt="simple", disable_numparse=True)
    finally:
        tabulate.MIN_PADDING = padding
    return [line.rstrip() for line in table.splitlines()]


def _block(row: Sequence[str], width: int, style: str | None) -> list[str]:
    """The whole cells on as few lines as fit (never split), then the last cell wrapped and indented."""
    lines: list[str] = []
    current, visible = _paint(row[0], style), len(row[0])
    for cell in row[1:-1]:
        if visible + len(GAP) + len(cell) <= width:
            current, visible = current + GAP + cell, visible + len(GAP) + len(cell)
        else:
            lines.append(current)
            current, visible = INDENT + cell, len(INDENT) + len(cell)
    lines.append(current)
    lines.extend(INDENT + text for text in wrap(row[-1], width - len(INDENT)))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Words kept whole where they fit; a word longer than the line is cut (it fits nowhere)."""
    return textwrap.wrap(text, max(width, 1), break_on_hyphens=False)
