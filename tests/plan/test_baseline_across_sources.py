"""One verdict, one fingerprint: a baseline written by `check` gates the real `terraform plan` of the
same configuration with nothing new, and a baseline written by `plan` gates `check` the same way.

The plans are the shipped non-compliant example's, made by a real `terraform plan` against the moto
server (tests/plan/regenerate.py): its main root, and its second root with enable_transactional=true.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = "terraform/examples/noncompliant"
FIXTURES = "tests/plan/fixtures"
# (plan, the Terraform root it was made from); check judges both roots of the example at once.
ROOTS = [
    (f"{FIXTURES}/noncompliant-plan.json", EXAMPLE),
    (f"{FIXTURES}/noncompliant-second-account-plan.json", f"{EXAMPLE}/second-account"),
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = cli.main([*argv, "--policy", "strict", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def planned_vars(plan: str) -> list[str]:
    """--var NAME=VALUE for each variable the plan was made with: the same inputs, the same posture."""
    variables = json.loads((ROOT / plan).read_text()).get("variables", {})
    return [arg for name, v in sorted(variables.items()) for arg in ("--var", f"{name}={v['value']}")]


def new_findings(report: dict[str, object]) -> list[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [(f["rule"], f["resource"]) for f in findings if not f["baselined"] and not f["waived"]]


def inputs() -> list[str]:
    return [arg for plan, _ in ROOTS for arg in planned_vars(plan)]


def test_baseline_written_by_check_gates_the_plans(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    baseline = str(tmp_path / "from-check.json")
    assert cli.main(["check", EXAMPLE, *inputs(), "--policy", "strict", "--write-baseline", baseline]) == 0
    capsys.readouterr()
    accepted: list[tuple[str, str]] = []
    for plan, source in ROOTS:
        code, report = run(capsys, "plan", plan, "--source-dir", source, "--baseline", baseline)
        assert (code, new_findings(report)) == (0, []), plan
        findings = report["findings"]
        assert isinstance(findings, list)
        accepted += [(f["rule"], f["resource"]) for f in findings if f["baselined"]]
    # Among them the identity-level DKIM verdict (one per identity in every source).
    assert ("SES103", "aws_sesv2_email_identity.main") in accepted
    assert ("SES101", "aws_ses_domain_identity.legacy") in accepted


def test_baselines_written_by_the_plans_gate_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each plan gate writes its baseline; together (the file format adds up) they gate check."""
    merged: dict[str, int] = {}
    for index, (plan, source) in enumerate(ROOTS):
        path = tmp_path / f"plan-{index}.json"
        assert (
            cli.main(
                ["plan", plan, "--source-dir", source, "--policy", "strict", "--write-baseline", str(path)]
            )
            == 0
        )
        for entry in json.loads(path.read_text())["findings"]:
            merged[entry["fingerprint"]] = merged.get(entry["fingerprint"], 0) + entry["count"]
    capsys.readouterr()
    baseline = tmp_path / "from-plans.json"
    entries = [{"fingerprint": k, "count": v} for k, v in sorted(merged.items())]
    baseline.write_text(json.dumps({"seslint_baseline": 2, "tool_version": "test", "findings": entries}))
    code, report = run(capsys, "check", EXAMPLE, *inputs(), "--baseline", str(baseline))
    assert (code, new_findings(report)) == (0, [])


def seen(report: dict[str, object], keys: tuple[str, ...]) -> list[tuple[object, ...]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return sorted(tuple(f[k] for k in keys) for f in findings)


def judged(capsys: pytest.CaptureFixture[str], keys: tuple[str, ...]) -> tuple[list[object], list[object]]:
    """What check says of the example's two roots, and what the two plan gates say together."""
    _, checked = run(capsys, "check", EXAMPLE, *inputs())
    planned: list[object] = []
    for plan, source in ROOTS:
        _, report = run(capsys, "plan", plan, "--source-dir", source)
        planned += seen(report, keys)
    return seen(checked, keys), sorted(planned)  # type: ignore[type-var]


def test_check_and_plan_give_the_same_findings_in_the_same_words(capsys: pytest.CaptureFixture[str]) -> None:
    """Not only fingerprints that match: the same rule, resource, file, line, status and message."""
    keys = ("rule", "resource", "file", "line", "status", "message", "fingerprint")
    checked, planned = judged(capsys, keys)
    assert checked == planned
