"""GitHub Actions workflow commands (::error file=...,line=...::message), escaped as the toolkit does."""

from __future__ import annotations

from seslint.findings import Severity
from seslint.reporters import Report
from seslint.reporters.text import summary_line
from seslint.untrusted import shown

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    # The Actions toolkit's escaping (% first), then no raw control character reaches the log.
    return shown(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, *, color: bool = False) -> str:
    lines = []
    for finding in report.shown:
        props = []
        if finding.location.file:
            props.append(f"file={_property(finding.location.file)}")
            if finding.location.line:
                props.append(f"line={finding.location.line}")
        props.append(f"title={_property(f'{finding.rule} {finding.resource}')}")
        status = " (could not be verified)" if finding.status.value == "unknown" else ""
        where = "" if finding.location.file else f" [{finding.location}]"
        message = f"{finding.message}{status}{where}"
        lines.append(f"::{_LEVEL[finding.severity]} {','.join(props)}::{_data(message)}")
    lines.append(f"seslint: {_data(summary_line(report.findings))}")
    return "\n".join(lines) + "\n"
