"""Real plans of the shipped examples (tests/plan/regenerate.py: terraform plan against moto): `seslint
plan` gives the verdicts `seslint check` gives on the same root (tests/terraform/test_examples.py), with
and without --source-dir. Where a plan without its source cannot know a value, the expectation says so."""

from __future__ import annotations

from typing import Any

import pytest

from tests.terraform.corpus import ROOT, run
from tests.terraform.test_examples import EXPECTED, NONCOMPLIANT

FIXTURES = "tests/plan/fixtures"
SECOND = "second-account/"

# The root main.tf of the non-compliant example: every check finding outside second-account/.
MAIN = [row for row in EXPECTED if not row[3].startswith(SECOND)]
# second-account/ planned with enable_transactional=true: the plan knows the variable check reports
# (SES004); the expired inline waiver (SES001) is a comment only the source holds.
SECOND_ACCOUNT = [
    (rule, status, resource, file.removeprefix(SECOND), line)
    for rule, status, resource, file, line in EXPECTED
    if file.startswith(SECOND) and rule != "SES004"
]
# What only apply knows, so a plan without its source cannot judge (tests/terraform/idioms/README.md):
# policies written as jsonencode() of the topic's ARN, and alarm actions naming the topic's ARN, are
# "known after apply", and the plan keeps only the expressions' references; the DKIM records' names
# "${token}._domainkey..." are known after apply too, and the plan keeps only that they are built from
# token i of the identity, not the text around it: SES103 is unknown for that identity (and only it).
NOT_IN_A_PLAN_ALONE = {
    "noncompliant": [
        ("SES103", "unknown", "aws_sesv2_email_identity.shop"),
        ("SES143", "unknown", "aws_sns_topic.events"),
    ],
    "compliant": [
        ("SES103", "unknown", "module.ses.aws_sesv2_email_identity.this"),
        ("SES143", "unknown", "module.ses.aws_sns_topic.feedback"),
        ("SES313", "unknown", "module.ses.aws_cloudwatch_metric_alarm.bounce_rate"),
        ("SES313", "unknown", "module.ses.aws_cloudwatch_metric_alarm.complaint_rate"),
    ],
}


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def findings(report: dict[str, Any], prefix: str = "") -> list[tuple[str, str, str, str | None, int | None]]:
    return sorted(
        (f["rule"], f["status"], f["resource"], f["file"] and f["file"].removeprefix(prefix), f["line"])
        for f in report["findings"]
    )


def unlocated(rows: list[tuple[str, str, str, str, int]]) -> list[tuple[str, str, str, None, None]]:
    return sorted((rule, status, resource, None, None) for rule, status, resource, _, _ in rows)


def test_noncompliant_plan_with_source_is_check(capsys: pytest.CaptureFixture[str]) -> None:
    report = run(
        capsys,
        "plan",
        f"{FIXTURES}/noncompliant-plan.json",
        "--source-dir",
        NONCOMPLIANT,
        "--policy",
        "strict",
    )
    assert findings(report, NONCOMPLIANT + "/") == sorted(MAIN)


def test_noncompliant_second_account_plan_is_check(capsys: pytest.CaptureFixture[str]) -> None:
    source = f"{NONCOMPLIANT}/second-account"
    plan = f"{FIXTURES}/noncompliant-second-account-plan.json"
    report = run(capsys, "plan", plan, "--source-dir", source, "--policy", "strict")
    assert findings(report, source + "/") == sorted(SECOND_ACCOUNT)
    report = run(capsys, "plan", plan, "--policy", "strict")
    assert findings(report) == unlocated([row for row in SECOND_ACCOUNT if row[0] != "SES001"])


def test_compliant_plan_with_source_passes_strict(capsys: pytest.CaptureFixture[str]) -> None:
    plan = f"{FIXTURES}/compliant-plan.json"
    report = run(capsys, "plan", plan, "--source-dir", "terraform/examples/compliant", "--policy", "strict")
    assert report["findings"] == []


PLAN_ALONE = [
    pytest.param("noncompliant", unlocated(MAIN), id="noncompliant"),
    pytest.param("compliant", [], id="compliant"),
]


@pytest.mark.parametrize(("example", "judged_by_check"), PLAN_ALONE)
def test_plan_alone_is_check_but_for_what_only_apply_knows(
    example: str, judged_by_check: list[tuple[str, str, str, None, None]], capsys: pytest.CaptureFixture[str]
) -> None:
    report = run(capsys, "plan", f"{FIXTURES}/{example}-plan.json", "--policy", "strict")
    expected = judged_by_check + [(*row, None, None) for row in NOT_IN_A_PLAN_ALONE[example]]
    assert findings(report) == sorted(expected)
