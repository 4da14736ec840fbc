"""Baseline files: accept today's findings, fail only on new ones.

A baseline stores each finding's fingerprint with how many times it occurred. Matching consumes
occurrences, so a second, new occurrence of an already-baselined fingerprint is still reported:
a baseline never absorbs a new violation.

Format 2 holds the fingerprints of fingerprint.py: no message, no file, the entity named as every
source names it, so a baseline written by `check` holds for `plan` and `audit`. Format 1 (seslint
0.1) hashed the message and the file too; such a file is still read and matched the old way (a
finding whose wording changed since then is new), with a note to write it again.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from seslint.bounded import input_json
from seslint.errors import InputError
from seslint.findings import Finding
from seslint.fingerprint import legacy_fingerprint

MAX_BYTES = 256 * 1024 * 1024
FORMAT = 2
LEGACY_FORMAT = 1


@dataclass(frozen=True)
class Baseline:
    counts: Counter[str]
    format: int = FORMAT

    @property
    def note(self) -> str | None:
        """What the user should know about this file, or None."""
        if self.format == LEGACY_FORMAT:
            return (
                "baseline of seslint 0.1 (format 1): matched by its old fingerprints, which include the "
                "message and the file, so findings reworded since are reported as new and it does not "
                "carry between check, plan and audit; write it again with --write-baseline"
            )
        return None


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


def read(path: str) -> Baseline:
    doc = input_json(path, MAX_BYTES, "baseline", " (create it with --write-baseline)")
    version = doc.get("seslint_baseline") if isinstance(doc, dict) else None
    if version not in (FORMAT, LEGACY_FORMAT) or isinstance(version, bool):
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
    return Baseline(counts, version)


def apply(findings: list[Finding], accepted: Baseline) -> list[Finding]:
    """Mark findings the baseline accepts, each accepted occurrence used at most once."""
    remaining = Counter(accepted.counts)
    out: list[Finding] = []
    for finding in findings:
        key = finding.fingerprint if accepted.format == FORMAT else legacy_fingerprint(finding)
        if not finding.waived and remaining[key] > 0:
            remaining[key] -= 1
            finding = replace(finding, baselined=True)
        out.append(finding)
    return out
