"""The shipped examples: the compliant one passes strict with no finding; the non-compliant one fails
every Terraform-judgeable rule where its comments say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli
from seslint.rules import ALL_RULES
from seslint.rules.base import T

ROOT = Path(__file__).resolve().parents[2]
NONCOMPLIANT = "terraform/examples/noncompliant"

EXPECTED = [
    ("SES103", "fail", "aws_sesv2_email_identity.main", "main.tf", 23),
    ("SES104", "fail", "aws_sesv2_email_identity.main", "main.tf", 23),
    ("SES140", "fail", "aws_sesv2_email_identity.main", "main.tf", 23),
    ("SES141", "fail", "aws_sesv2_email_identity.main", "main.tf", 23),
    ("SES111", "fail", "aws_sesv2_email_identity.main", "main.tf", 43),
    ("SES113", "fail", "aws_sesv2_email_identity.main", "main.tf", 43),
    ("SES112", "fail", "aws_sesv2_email_identity.main", "main.tf", 49),
    ("SES122", "fail", "aws_sesv2_email_identity.main", "main.tf", 68),
    ("SES123", "fail", "aws_sesv2_email_identity.main", "main.tf", 68),
    ("SES130", "fail", "aws_sesv2_email_identity.main", "main.tf", 77),
    ("SES203", "fail", "aws_sesv2_configuration_set.main", "main.tf", 86),
    ("SES204", "fail", "aws_sesv2_configuration_set_event_destination.main", "main.tf", 103),
    ("SES142", "fail", "aws_sns_topic.events", "main.tf", 117),
    ("SES110", "fail", "aws_sesv2_email_identity.shop", "main.tf", 148),
    ("SES141", "fail", "aws_sesv2_email_identity.shop", "main.tf", 148),
    ("SES200", "fail", "aws_sesv2_email_identity.shop", "main.tf", 148),
    ("SES121", "fail", "aws_sesv2_email_identity.shop", "main.tf", 166),
    ("SES143", "fail", "aws_sns_topic.shop", "main.tf", 182),
    ("SES144", "fail", "aws_sns_topic.shop", "main.tf", 182),
    ("SES101", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES102", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES110", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES120", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES140", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES141", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES200", "fail", "aws_ses_domain_identity.legacy", "main.tf", 195),
    ("SES311", "fail", "account", "main.tf", 195),
    ("SES201", "fail", "aws_ses_configuration_set.legacy", "main.tf", 200),
    ("SES202", "fail", "aws_ses_configuration_set.legacy", "main.tf", 200),
    ("SES302", "fail", "aws_sesv2_account_suppression_attributes.main", "main.tf", 213),
    ("SES312", "fail", "aws_cloudwatch_metric_alarm.bounce_rate", "main.tf", 220),
    ("SES313", "fail", "aws_cloudwatch_metric_alarm.bounce_rate", "main.tf", 220),
    ("SES314", "fail", "aws_cloudwatch_metric_alarm.bounce_rate", "main.tf", 220),
    ("SES314", "fail", "aws_cloudwatch_metric_alarm.complaints", "main.tf", 233),
    ("SES004", "unknown", "var.enable_transactional", "second-account/main.tf", 4),
    ("SES102", "fail", "aws_ses_email_identity.alerts", "second-account/main.tf", 16),
    ("SES120", "fail", "aws_ses_email_identity.alerts", "second-account/main.tf", 16),
    ("SES140", "fail", "aws_ses_email_identity.alerts", "second-account/main.tf", 16),
    ("SES141", "fail", "aws_ses_email_identity.alerts", "second-account/main.tf", 16),
    ("SES200", "fail", "aws_ses_email_identity.alerts", "second-account/main.tf", 16),
    ("SES310", "fail", "account", "second-account/main.tf", 16),
    ("SES202", "fail", "aws_ses_configuration_set.marketing", "second-account/main.tf", 37),
    ("SES001", "fail", "aws_ses_configuration_set.marketing", "second-account/main.tf", 38),
]


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = cli.main([*argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_compliant_example_passes_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = lint(capsys, "check", "terraform/examples/compliant", "--policy", "strict")
    assert (code, report["findings"]) == (0, [])


def test_noncompliant_example_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = lint(capsys, "check", NONCOMPLIANT, "--policy", "strict")
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    got = [
        (f["rule"], f["status"], f["resource"], f["file"].removeprefix(NONCOMPLIANT + "/"), f["line"])
        for f in findings
    ]
    assert got == EXPECTED


def test_noncompliant_example_fails_every_terraform_rule_but_scope_and_parse() -> None:
    judged = {r.id for r in ALL_RULES if T in r.meta.sources and r.check is not None}
    # SES000 (a file that does not parse) and SES100 (needs a policy scope) are tested on fixtures.
    assert judged - {"SES000", "SES100"} <= {e[0] for e in EXPECTED} | {"SES001"}


def test_each_mistake_is_commented_in_the_example() -> None:
    text = (ROOT / NONCOMPLIANT / "main.tf").read_text() + (
        ROOT / NONCOMPLIANT / "second-account/main.tf"
    ).read_text()
    for rule, *_ in EXPECTED:
        assert f"{rule}:" in text or f"{rule}," in text, (
            f"{rule} is reported but not commented in the example"
        )


def test_reference_module_alone_reports_unknowns_not_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = lint(capsys, "check", "terraform/modules/ses-sending-domain", "--policy", "strict")
    assert code == 1
    findings = report["findings"]
    assert isinstance(findings, list)
    # Whatever var.domain is, the module's records are named from it (`${token}._domainkey.${var.domain}`,
    # `mail.${var.domain}`, `_dmarc.${var.domain}`) and carry what SES needs: DKIM, MAIL FROM and DMARC
    # are proven. Only the DMARC record's rua comes from var.dmarc_rua, so its validity is unknown.
    assert [(f["rule"], f["status"], f["line"]) for f in findings] == [("SES121", "unknown", 64)]
    assert "var.dmarc_rua has no value" in findings[0]["message"]


def test_module_value_passed_with_var_resolves(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = lint(
        capsys,
        "check",
        "terraform/modules/ses-sending-domain",
        "--policy",
        "strict",
        "--var",
        "domain=example.com",
        "--var",
        "zone_id=Z1",
        "--var",
        "dmarc_rua=d@example.com",
        "--var",
        "feedback_endpoint=ops@example.com",
    )
    assert (code, report["findings"]) == (0, [])


def test_pre_commit_on_the_example_reports_what_the_directory_run_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """pre-commit passes main.tf alone: its root is judged with the same DNS view as the directory run
    (second-account's records count, not judged), once the repository's test, benchmark and fuzz
    trees, whose records would otherwise count too, are excluded."""
    _, tree = lint(capsys, "check", NONCOMPLIANT, "--policy", "strict")
    excluded = ("--exclude", "tests/**", "--exclude", "benchmarks/**", "--exclude", "fuzz/**")
    code, files = lint(capsys, "check", f"{NONCOMPLIANT}/main.tf", "--policy", "strict", *excluded)
    assert isinstance(tree["findings"], list)
    assert code == 1
    assert files["findings"] == [f for f in tree["findings"] if f["file"] == f"{NONCOMPLIANT}/main.tf"]
