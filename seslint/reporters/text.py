"""Making untrusted text safe to print: resource names and messages come from user files and APIs."""

from __future__ import annotations

import re

from seslint.findings import Finding, Summary

# C0 and C1 control characters (ESC, BEL, CSI...) except tab and newline are never printed raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Control characters shown as \\xNN escapes, so nothing can drive the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    return printable(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def location_text(finding: Finding) -> str:
    return str(finding.location)


def summary_line(findings: tuple[Finding, ...] | list[Finding], *, hidden_only: bool = False) -> str:
    """'error: 41 failed, 1 unknown; warning: 3 failed, 0 unknown; 2 waived': fails and unknowns
    apart at each severity, so an unknown is never read as one more (or one fewer) failure.
    `hidden_only`: just the waived and baselined counts ('' when there are none)."""
    s = Summary.of(list(findings))
    parts = (
        []
        if hidden_only
        else [
            f"{severity}: {s.failed[severity]} failed, {s.unknowns[severity]} unknown"
            for severity in ("error", "warning", "info")
            if severity != "info" or s.failed[severity] or s.unknowns[severity]
        ]
    )
    if s.waived:
        parts.append(f"{s.waived} waived")
    if s.baselined:
        parts.append(f"{s.baselined} in baseline")
    return "; ".join(parts)
