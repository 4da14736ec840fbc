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


def summary_line(findings: tuple[Finding, ...] | list[Finding]) -> str:
    s = Summary.of(list(findings))
    parts = [f"{s.error} error{'s' * (s.error != 1)}", f"{s.warning} warning{'s' * (s.warning != 1)}"]
    if s.info:
        parts.append(f"{s.info} info")
    parts.append(f"{s.unknown} unknown")
    if s.waived:
        parts.append(f"{s.waived} waived")
    if s.baselined:
        parts.append(f"{s.baselined} in baseline")
    return ", ".join(parts)
