"""Markdown for a pull-request comment: counts, a table of findings, waived ones folded away."""

from __future__ import annotations

import re

from seslint.findings import Finding, Status
from seslint.reporters import Report
from seslint.reporters.text import one_line, summary_line

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")
# What GitHub (and GitLab) turn into pings and links in a comment: @mentions (and e-mail addresses),
# URLs and www. names, #123 references. A zero-width space after the trigger keeps the text as it reads
# and makes it inert; it is written as an entity, so no invisible character is in the report itself.
_TRIGGER = re.compile(r"(@|(?<![A-Za-z0-9])(?:https?|ftp|mailto|www)(?=:|\\?\.)|\\#(?=\d))", re.IGNORECASE)
_INERT = "&#8203;"


def escape(text: str) -> str:
    """Text safe in a table cell: markdown specials backslashed, HTML specials as entities, mentions,
    autolinks and issue references made inert."""
    text = one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text).replace("\\&gt;", "&gt;")
    return _TRIGGER.sub(lambda m: m.group() + _INERT, text)


def _rows(findings: list[Finding]) -> list[str]:
    rows = ["| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
    for f in findings:
        severity = f.severity.value + (" (unknown)" if f.status is Status.UNKNOWN else "")
        rows.append(
            f"| {severity} | {f.rule} | {escape(f.resource)} | {escape(str(f.location))} | {escape(f.message)} |"
        )
    return rows


def render(report: Report, *, color: bool = False) -> str:
    shown = list(report.shown)
    hidden = [f for f in report.findings if not f.counts]
    lines = [
        "## seslint",
        "",
        f"Policy **{escape(report.policy_name)}** on {report.source_kind}: {summary_line(report.findings)}.",
        "",
    ]
    if shown:
        lines += _rows(shown)
    else:
        lines.append("No findings.")
    if hidden:
        lines += ["", f"<details><summary>{len(hidden)} waived or baselined</summary>", ""]
        lines += _rows(hidden)
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
