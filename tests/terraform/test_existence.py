"""A posture resource whose count or for_each stays unknown is neither present nor absent (issue 12,
item 4): a fail about it is unknown (it may not exist), and a verdict that needs it is unknown (it may
not be there). Once the input has a value, the same tree is judged for what it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
from tests.terraform.trees import write

TREE = Path(__file__).parent / "existence"
RULES = {
    "SES101", "SES102", "SES103", "SES110", "SES111", "SES140", "SES141", "SES142",
    "SES143", "SES144", "SES200", "SES201", "SES202",
}  # fmt: skip


def judged(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    cli.main(["check", str(TREE), "--policy", "strict", "--format", "json", "--fail-on", "never", *argv])
    return [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] in RULES]


def test_what_may_not_exist_is_neither_a_fail_nor_a_pass(capsys: pytest.CaptureFixture[str]) -> None:
    got = sorted((f["rule"], f["status"], f["resource"], f["line"]) for f in judged(capsys))
    assert got == sorted(
        [
            # The identity that may not exist: every fail about it holds only if it exists.
            ("SES101", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            ("SES102", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            ("SES110", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            ("SES140", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            ("SES141", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            ("SES200", "unknown", "aws_ses_domain_identity.maybe[0]", 10),
            # A sure identity: no verification path at all is a fail; its DKIM and MAIL FROM
            # resources may not exist, so DKIM signing, its records and MAIL FROM are unknown.
            ("SES101", "fail", "aws_ses_domain_identity.sure", 16),
            ("SES200", "fail", "aws_ses_domain_identity.sure", 16),
            ("SES102", "unknown", "aws_ses_domain_identity.sure", 20),
            ("SES103", "unknown", "aws_ses_domain_identity.sure", 20),
            ("SES110", "unknown", "aws_ses_domain_identity.sure", 25),
            ("SES111", "unknown", "aws_ses_domain_identity.sure", 25),
            # Its notification topic may not exist (SES142), and what is wrong with it holds only if it does.
            ("SES142", "unknown", "aws_ses_domain_identity.sure", 37),
            ("SES142", "unknown", "aws_ses_domain_identity.sure", 37),
            ("SES143", "unknown", "aws_sns_topic.feedback[0]", 32),
            ("SES144", "unknown", "aws_sns_topic.feedback[0]", 32),
            # An e-mail identity signs with DKIM only through a domain identity that may not exist.
            ("SES102", "unknown", "aws_sesv2_email_identity.sender", 45),
            ("SES140", "fail", "aws_sesv2_email_identity.sender", 45),
            ("SES141", "fail", "aws_sesv2_email_identity.sender", 45),
            ("SES200", "fail", "aws_sesv2_email_identity.sender", 45),
            # The configuration set that may not exist: its own fails, and the sure identity's feedback
            # and default set through it, are unknown.
            ("SES201", "unknown", "aws_sesv2_configuration_set.maybe[0]", 50),
            ("SES202", "unknown", "aws_sesv2_configuration_set.maybe[0]", 50),
            ("SES101", "fail", "aws_sesv2_email_identity.v2", 55),
            ("SES103", "fail", "aws_sesv2_email_identity.v2", 55),
            ("SES110", "fail", "aws_sesv2_email_identity.v2", 55),
            ("SES140", "unknown", "aws_sesv2_email_identity.v2", 55),
            ("SES141", "unknown", "aws_sesv2_email_identity.v2", 55),
            ("SES200", "unknown", "aws_sesv2_email_identity.v2", 55),
            ("SES142", "unknown", "aws_sesv2_configuration_set_event_destination.sns", 60),
        ]
    )


def test_the_messages_say_why_and_what_holds_if_it_exists(capsys: pytest.CaptureFixture[str]) -> None:
    messages = {(f["rule"], f["resource"]): f["message"] for f in judged(capsys)}
    cause = "its count is not known because var.on has no value: pass it with --var or a tfvars file"
    assert messages["SES110", "aws_ses_domain_identity.maybe[0]"] == (
        f"whether aws_ses_domain_identity.maybe exists is not known: {cause}; if it does: maybe.example.com "
        "has no custom MAIL FROM domain: the envelope sender is amazonses.com, so SPF cannot align with the "
        "From domain for DMARC"
    )
    assert messages["SES140", "aws_sesv2_email_identity.v2"] == (
        "bounce feedback to SNS could not be verified: aws_sesv2_configuration_set_event_destination.sns may "
        f"send them, but whether aws_sesv2_configuration_set.maybe exists is not known: {cause}"
    )
    assert messages["SES142", "aws_sesv2_configuration_set_event_destination.sns"] == (
        "the topic used by event destination sns, feedback, may not exist: whether aws_sns_topic.feedback "
        f"exists is not known: {cause}"
    )


@pytest.mark.parametrize("on", ["true", "false"])
def test_with_a_value_each_is_judged_for_what_it_is(on: str, capsys: pytest.CaptureFixture[str]) -> None:
    got = judged(capsys, "--var", f"on={on}")
    unknowns = sorted((f["rule"], f["resource"]) for f in got if f["status"] == "unknown")
    # Off: the topic is not declared, and its ARN, written out, names a topic outside the configuration.
    assert unknowns == (
        []
        if on == "true"
        else [
            ("SES142", "arn:aws:sns:eu-west-1:123456789012:feedback"),
            ("SES142", "aws_ses_domain_identity.sure"),
            ("SES142", "aws_ses_domain_identity.sure"),
        ]
    )
    maybe = {f["resource"] for f in got if "maybe" in f["resource"] or f["resource"].startswith("aws_sns")}
    if on == "true":
        assert maybe == {
            "aws_ses_domain_identity.maybe[0]",
            "aws_sesv2_configuration_set.maybe[0]",
            "aws_sns_topic.feedback[0]",
        }
    else:
        assert maybe == set()


def test_an_identity_the_policy_names_that_may_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "on" {}\nresource "aws_ses_domain_identity" "x" {\n  count  = var.on ? 1 : 0\n'
            '  domain = "example.com"\n}\n',
            "policy.yaml": "version: 1\nname: scoped\nextends: baseline\nscope: {identities: [example.com]}\n",
        },
    )
    cli.main(["check", str(tmp_path), "--policy", str(tmp_path / "policy.yaml"), "--format", "json"])
    [finding] = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "SES100"]
    assert (finding["status"], finding["resource"], finding["line"]) == ("unknown", "example.com", 2)
    assert finding["message"].startswith(
        "identity example.com named in the policy scope may not be declared: whether aws_ses_domain_identity.x "
        "exists is not known"
    )
