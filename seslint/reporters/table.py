"""Human-readable table (tabulate), with a summary line; colour only when the CLI says it is a terminal."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from seslint.findings import Severity, Status
from seslint.reporters import Report
from seslint.reporters.text import one_line, summary_line

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_RESET = "\x1b[0m"
MESSAGE_WIDTH = 72


def render(report: Report, *, color: bool = False) -> str:
    shown = report.shown
    if not shown:
        return f"No findings. ({summary_line(report.findings)})\n"
    rows = []
    for finding in shown:
        severity = finding.severity.value
        if finding.status is Status.UNKNOWN:
            severity += " (unknown)"
        if color:
            severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
        rows.append(
            (
                severity,
                finding.rule,
                one_line(finding.resource),
                one_line(str(finding.location)),
                "\n".join(textwrap.wrap(one_line(finding.message), MESSAGE_WIDTH)) or "-",
            )
        )
    table = tabulate(rows, headers=("severity", "rule", "resource", "location", "message"), tablefmt="simple")
    return f"{table}\n\n{summary_line(report.findings)}\n"
