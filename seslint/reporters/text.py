"""Text helpers of the reporters (what makes untrusted text safe to show is seslint.untrusted)."""

from __future__ import annotations

from seslint.findings import Finding, Summary
from seslint.untrusted import one_line

__all__ = ["location_text", "one_line", "summary_line"]


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
