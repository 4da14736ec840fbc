"""The engine's shortcuts change no finding: its output equals the plain meaning of a run, written out
here (every enabled rule of the posture's source on every posture as it is), on the shipped examples
and both benchmark shapes, under every shipped policy, down to the bytes of the JSON report."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

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
from seslint.sources.terraform.discovery import Survey
from seslint.sources.terraform.source import read_tree
from tests import benchmark_shapes

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 2)  # after the noncompliant example's inline waiver expired


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
    benchmark_shapes.load("generate_terraform").generate(work / "modules", 50)
    benchmark_shapes.load("stack_shape").generate_stacks(work / "stacks", 30)
    paths = {
        "compliant": ROOT / "terraform" / "examples" / "compliant",
        "noncompliant": ROOT / "terraform" / "examples" / "noncompliant",
        "modules": work / "modules",
        "stacks": work / "stacks",
    }
    found = {name: read_tree([str(path)], ROOT, [], []) for name, path in paths.items()}
    with pytest.MonkeyPatch.context() as patch:  # every root judged, as before roots were pruned
        patch.setattr(Survey, "may_hold_posture", lambda self, root: True)
        found["stacks, every root"] = read_tree([str(work / "stacks")], ROOT, [], [])
    return found


@pytest.mark.parametrize("policy_name", shipped_policy_names())
@pytest.mark.parametrize("tree", ["compliant", "noncompliant", "modules", "stacks", "stacks, every root"])
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
    """Judged whole, the stacks shape has roots that hold nothing but the DNS records other roots
    declare: the engine judges them once. Pruned, only the three SES stacks are judged."""
    kinds = [engine._bare_kind(p) for p in trees["stacks, every root"]]
    assert len(trees["stacks, every root"]) == 30
    assert sum(k is not None for k in kinds) == 27 and len(set(kinds) - {None}) == 1
    assert [p.targets for p in trees["stacks"]] == [
        (str(Path(trees["stacks"][0].targets[0]).parent / f"s00{n}0"),) for n in range(3)
    ]
