"""The engine's shortcuts change no finding: its output equals the plain meaning of a run, written out
here (every enabled rule of the posture's source on every posture as it is), on the shipped examples
and both benchmark shapes, under every shipped policy, down to the bytes of the JSON report."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from seslint import engine
from seslint import fingerprint as fingerprints
from seslint.findings import Finding
from seslint.model import Posture
from seslint.policy.loader import load_policy, shipped_policy_names
from seslint.policy.model import Policy
from seslint.reporters import Report, render
from seslint.rules import ALL_RULES, RULE_IDS
from seslint.rules.base import Context, Rule
from seslint.sources.terraform.source import read_tree

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 2)  # after the noncompliant example's inline waiver expired


def _benchmark(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reference(
    postures: list[Posture],
    policy: Policy,
    rules: tuple[Rule, ...],
    origins: dict[engine.FindingKey, set[int]],
) -> list[Finding]:
    context = Context(policy.require, policy.scope_identities, policy.scope_regions)
    made: list[Finding] = []
    for index, posture in enumerate(postures):
        seen = engine.within_regions(posture, policy.scope_regions)
        subjects = fingerprints.subjects(posture)
        for rule in rules:
            if rule.check is None or posture.source not in rule.meta.sources:
                continue
            if policy.rules.get(rule.id) != "off":
                for result in rule.check(seen, context):
                    made.append(
                        Finding(
                            rule.id,
                            engine._severity(rule.id, rule.meta.severity, result.status, policy),
                            result.status,
                            result.resource,
                            result.message,
                            result.location,
                            result.identity,
                            subject=subjects.get(result.resource, ""),
                            key=result.key,
                        )
                    )
                    origins.setdefault(engine.finding_key(made[-1]), set()).add(index)
    waivers = [engine._from_policy(w) for w in policy.waivers]
    waivers += [engine._from_inline(w) for p in postures for w in p.waivers]
    waived = engine._apply_waivers(made, waivers, policy, rules, TODAY)
    deduped = (replace(f, fingerprint=fingerprints.fingerprint(f)) for f in engine._dedupe(waived))
    return sorted(deduped, key=engine.sort_key)


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Posture]]:
    work = tmp_path_factory.mktemp("trees")
    _benchmark("generate_terraform").generate(work / "modules", 50)
    _benchmark("stack_shape").generate_stacks(work / "stacks", 30)
    paths = {
        "compliant": ROOT / "terraform" / "examples" / "compliant",
        "noncompliant": ROOT / "terraform" / "examples" / "noncompliant",
        "modules": work / "modules",
        "stacks": work / "stacks",
    }
    return {name: read_tree([str(path)], ROOT, [], []) for name, path in paths.items()}


@pytest.mark.parametrize("policy_name", shipped_policy_names())
@pytest.mark.parametrize("tree", ["compliant", "noncompliant", "modules", "stacks"])
def test_engine_output_is_the_plain_run(trees: dict[str, list[Posture]], tree: str, policy_name: str) -> None:
    postures = trees[tree]
    policy = load_policy(policy_name, cwd=ROOT, known_rules=RULE_IDS)
    expected_origins: dict[engine.FindingKey, set[int]] = {}
    expected = reference(postures, policy, ALL_RULES, expected_origins)
    origins: dict[engine.FindingKey, set[int]] = {}
    found = engine.run(postures, policy, ALL_RULES, today=TODAY, origins=origins)
    assert found == expected
    assert origins == expected_origins
    assert expected or tree == "compliant"

    def report(findings: list[Finding]) -> str:
        made = Report(
            findings=tuple(findings),
            rules={r.id: r.meta for r in ALL_RULES},
            tool_version="test",
            source_kind="terraform",
            targets=tuple(t for p in postures for t in p.targets),
            policy_name=policy.name,
            policy_files=policy.files,
            fail_on=None,
        )
        return render("json", made, color=False)

    assert report(found).encode() == report(expected).encode()


def test_the_trees_have_bare_postures(trees: dict[str, list[Posture]]) -> None:
    """The stacks shape has roots that hold nothing but the DNS records other roots declare: the
    engine judges them once."""
    kinds = [engine._bare_kind(p) for p in trees["stacks"]]
    assert len(trees["stacks"]) == 30
    assert sum(k is not None for k in kinds) == 27 and len(set(kinds) - {None}) == 1
