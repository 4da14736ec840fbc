"""Real plans of the idiom trees (tests/plan/regenerate.py, terraform plan against moto): `seslint plan`
on each, with and without --source-dir, gives the verdicts `seslint check` gives on the tree (its
expect.yaml), for the tree's rules. Only `plan_findings` may differ, where the plan knows what the
source cannot (values read from AWS), and `plan_alone_findings` where a plan without its source cannot
know what the source says (an expression the plan keeps only as references), each saying why."""

from __future__ import annotations

import pytest

from tests.terraform.corpus import PLANS, ROOT, Tree, case, judged, run, trees, unlocated

PLANNED = [t for t in trees() if t.plan]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("tree", [case(t, "plan") for t in PLANNED])
def test_plan_with_source(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    report = run(
        capsys,
        "plan",
        str(tree.plan_file.relative_to(ROOT)),
        "--source-dir",
        tree.relative,
        "--policy",
        tree.policy_argument,
    )
    assert judged(report, tree) == list(tree.expected("plan"))


@pytest.mark.parametrize("tree", [case(t, "plan-alone") for t in PLANNED])
def test_plan_alone(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    report = run(capsys, "plan", str(tree.plan_file.relative_to(ROOT)), "--policy", tree.policy_argument)
    assert judged(report, tree, located=False) == unlocated(tree.expected("plan-alone"))


def test_planned_trees_and_plans_match() -> None:
    """At least ten trees planned, correct and broken; every plan committed, none left over."""
    assert len(PLANNED) >= 10
    assert any(t.correct for t in PLANNED) and any(not t.correct for t in PLANNED)
    assert [t.name for t in PLANNED if not t.plan_file.is_file()] == []
    committed = sorted(p.relative_to(PLANS).with_suffix("").as_posix() for p in PLANS.rglob("*.json"))
    assert committed == sorted(t.name for t in PLANNED)
