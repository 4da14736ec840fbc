"""Baseline files: accept today's findings, fail only on new ones.

A baseline stores each finding's fingerprint with how many times it occurred. Matching consumes
occurrences, so a second, new occurrence of an already-baselined fingerprint is still reported:
a baseline never absorbs a new violation.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from seslint.errors import InputError
from seslint.findings import Finding

FORMAT = 1


def write(path: str, findings: Iterable[Finding], tool_version: str) -> int:
    """Write the baseline of every unwaived finding; returns how many entries it holds."""
    counts = Counter(f.fingerprint for f in findings if not f.waived)
    entries = [{"fingerprint": fp, "count": n} for fp, n in sorted(counts.items())]
    doc = {"seslint_baseline": FORMAT, "tool_version": tool_version, "findings": entries}
    try:
        Path(path).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return sum(counts.values())


def read(path: str) -> Counter[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read baseline: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not a seslint baseline: {exc.msg}") from None
    if not isinstance(doc, dict) or doc.get("seslint_baseline") != FORMAT:
        raise InputError(f'{path}: not a seslint baseline (no "seslint_baseline": {FORMAT})')
    entries = doc.get("findings")
    if not isinstance(entries, list):
        raise InputError(f'{path}: "findings" must be a list')
    counts: Counter[str] = Counter()
    for index, entry in enumerate(entries):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("fingerprint"), str)
            and isinstance(entry.get("count", 1), int)
            and not isinstance(entry.get("count", 1), bool)
            and entry.get("count", 1) > 0
        ):
            raise InputError(f"{path}: findings[{index}]: needs a string fingerprint and a positive count")
        counts[entry["fingerprint"]] += entry.get("count", 1)
    return counts


def apply(findings: list[Finding], accepted: Counter[str]) -> list[Finding]:
    """Mark findings the baseline accepts, each accepted occurrence used at most once."""
    remaining = Counter(accepted)
    out: list[Finding] = []
    for finding in findings:
        if not finding.waived and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            finding = replace(finding, baselined=True)
        out.append(finding)
    return out
