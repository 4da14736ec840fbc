"""Text helpers of the reporters (what makes untrusted text safe to show is seslint.untrusted)."""

from __future__ import annotations

from seslint.findings import Finding, Summary
from seslint.untrusted import one_line

__all__ = ["location_text", "one_line", "summary_line"]


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
