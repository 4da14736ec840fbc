"""The idioms corpus: `seslint check` on each tree reports exactly the findings its expect.yaml states,
for the rules the tree is about (see tests/terraform/corpus.py for the format, idioms/README.md for the
table). Cases wrong today are xfail(strict) with the reason; a fix turns them into XPASS failures, and
the fixer deletes the `today` entry."""

from __future__ import annotations

from collections import Counter

import pytest

from seslint.rules import RULE_IDS
from tests.terraform.corpus import IDIOMS, ROOT, Tree, case, judged, run, trees

TREES = trees()
MIN_IDIOMS = 40  # issue 12 asks for 40


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("tree", [case(t, "check") for t in TREES])
def test_check(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    report = run(capsys, "check", tree.relative, "--policy", tree.policy_argument, *tree.var_arguments())
    assert judged(report, tree) == list(tree.findings)


def test_corpus_shape() -> None:
    """At least 40 idioms; each has a correct tree and at least one broken twin; expectations are sane."""
    idioms = Counter(t.path.parent.name for t in TREES)
    assert len(idioms) >= MIN_IDIOMS, f"only {len(idioms)} idioms"
    for name in sorted(idioms):
        variants = [t for t in TREES if t.path.parent.name == name]
        assert any(t.correct for t in variants), f"{name}: no ok/ tree"
        assert len(variants) >= 2, f"{name}: no broken twin"
    for tree in TREES:
        assert tree.rules <= RULE_IDS, f"{tree.name}: unknown rules {sorted(tree.rules - RULE_IDS)}"
        statuses = {f[1] for f in tree.findings}
        if tree.correct:
            assert "fail" not in statuses, f"{tree.name}: a correct tree expects a fail"
        else:
            assert "fail" in statuses, f"{tree.name}: a broken twin must fail"
        for rule, _status, _resource, file, line in tree.findings:
            assert file is not None and (tree.path / file).is_file(), f"{tree.name}: {rule} in no file {file}"
            assert isinstance(line, int) and line >= 1
        assert any(tree.path.rglob("*.tf")), f"{tree.name}: no Terraform"
    stray = [p for p in IDIOMS.glob("*/*") if p.is_dir() and not (p / "expect.yaml").is_file()]
    assert not stray, f"trees without expect.yaml: {stray}"


def test_today_reasons_name_their_issue_item() -> None:
    """An xfail says what is wrong and which part of the issue fixes it, so a fixer knows it is theirs."""
    for tree in TREES:
        for key, reason in tree.today.items():
            assert reason.startswith("issue "), f"{tree.name} today.{key}: {reason!r}"
