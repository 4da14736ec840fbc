"""The evidence behind each finding, as lines of text for the auditor's report: file:line for
Terraform source and plans, the API call and response field for a live audit, the DNS name and the
answer it got for anything read from DNS.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from seslint import engine
from seslint.findings import Finding
from seslint.model import LookupStatus, Posture, SourceKind, describe, dns_name
from seslint.sources.aws.evidence import api_evidence

_WORD = re.compile(r"[^\s,;()'\"]+")
_UNANSWERED = {
    LookupStatus.NXDOMAIN: "NXDOMAIN (no such name)",
    LookupStatus.NODATA: "no record of this type (NODATA)",
}


def for_findings(
    findings: Sequence[Finding], postures: Sequence[Posture], origins: Mapping[engine.FindingKey, set[int]]
) -> tuple[tuple[str, ...], ...]:
    """One tuple of evidence lines per finding, in the findings' order."""
    answers = _Answers(postures)
    out = []
    for finding in findings:
        indexes = sorted(origins.get(engine.finding_key(finding), ()))
        posture = postures[indexes[0]] if indexes else None
        out.append(_lines(finding, posture, answers.of(indexes[0]) if indexes else {}))
    return tuple(out)


def _lines(finding: Finding, posture: Posture | None, asked: Mapping[str, list[str]]) -> tuple[str, ...]:
    lines: list[str] = []
    if posture is not None and posture.source is SourceKind.AWS:
        lines += api_evidence(finding)
    elif finding.location.file or finding.location.address:
        lines.append(str(finding.location))
    names = [finding.location.name or "", *_WORD.findall(finding.message)]
    seen: set[str] = set()
    for name in names:
        key = dns_name(name) if name else ""
        if key and key in asked and key not in seen:
            seen.add(key)
            lines += asked[key]
    if not lines and str(finding.location) != "-":
        lines.append(str(finding.location))
    return tuple(lines)


class _Answers:
    """For each posture, the DNS questions it asked, by name: `NAME TYPE: answer`."""

    def __init__(self, postures: Sequence[Posture]) -> None:
        self.postures = postures
        self.cache: dict[int, dict[str, list[str]]] = {}

    def of(self, index: int) -> dict[str, list[str]]:
        if index not in self.cache:
            self.cache[index] = _answers(self.postures[index])
        return self.cache[index]


def _answers(posture: Posture) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lookup in posture.dns_lookups:
        name = dns_name(lookup.name)
        if lookup.status is LookupStatus.ANSWER:
            values = [
                describe(v)
                for r in posture.records_named(name, lookup.type)
                if r.observed
                for v in _values(r.values)
            ]
            answer = " | ".join(values) if values else "answered"
        else:
            answer = _UNANSWERED.get(lookup.status, lookup.status.value)
            if lookup.detail:
                answer += f" ({lookup.detail})"
        out.setdefault(name, []).append(f"{name} {lookup.type}: {answer}")
    return out


def _values(values: object) -> tuple[object, ...]:
    return values if isinstance(values, tuple) else (values,)
