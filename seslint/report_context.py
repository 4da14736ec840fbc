"""What the auditor's report (`--format html`) shows beyond the findings, worked out once per run:
the merged policy and its SHA-256, the run's facts, the posture matrix and each finding's evidence.

Built by the CLI from the postures, the policy and the engine's findings, and handed to the HTML
reporter as data, so the reporter stays a pure function of its input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from seslint import engine
from seslint.findings import Finding
from seslint.model import Posture
from seslint.policy.model import Policy
from seslint.posture_matrix import Matrix
from seslint.rules.base import Rule


@dataclass(frozen=True)
class ReportContext:
    generated_at: str  # ISO 8601, UTC
    exit_status: int
    policy_yaml: str  # the merged policy as `seslint policy show` prints it
    policy_sha256: str  # of policy_yaml, UTF-8: `seslint policy show NAME | sha256sum` gives the same
    facts: tuple[tuple[str, str], ...]  # source-specific run metadata (accounts, regions, snapshots...)
    matrix: Matrix
    evidence: tuple[tuple[str, ...], ...]  # per finding, in the report's order


def policy_text(ref: str | None, cwd: Path, known_rules: frozenset[str], checked: Path | None = None) -> str:
    from seslint.policy.loader import policy_yaml

    return policy_yaml(ref, cwd=cwd, known_rules=known_rules, checked=checked)


def build(
    postures: Sequence[Posture],
    policy: Policy,
    policy_yaml: str,
    rules: Sequence[Rule],
    findings: Sequence[Finding],
    origins: Mapping[engine.FindingKey, set[int]],
    *,
    exit_status: int,
    facts: Sequence[tuple[str, str]],
    generated_at: str,
) -> ReportContext:
    from seslint import evidence, posture_matrix

    return ReportContext(
        generated_at=generated_at,
        exit_status=exit_status,
        policy_yaml=policy_yaml,
        policy_sha256=hashlib.sha256(policy_yaml.encode("utf-8")).hexdigest(),
        facts=tuple(facts),
        matrix=posture_matrix.build(postures, policy, rules, findings, origins),
        evidence=evidence.for_findings(findings, postures, origins),
    )
