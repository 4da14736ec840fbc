"""What seslint says when it cannot judge is read by an auditor: each unknown reason is one plain
sentence saying what is not known and why (and how to fix it when the user can). The inventory
(tests/messages.py) runs seslint over every tree and plan of the repository; no message it collects
may hold the shapes below, and the commonest reasons read exactly as stated here."""

from __future__ import annotations

import re

import pytest

from seslint.model import Ref, Template, Unknown, spell
from tests.messages import Said, unknown_messages

# (pattern, why it is forbidden)
FORBIDDEN = [
    (re.escape("${unknown"), "a template fragment standing for a value not known"),
    (re.escape("${"), "Terraform interpolation syntax inside a sentence: name the value in words"),
    (re.escape("unknown ("), "Unknown.__str__ of old: the reason belongs after a colon or 'because'"),
    (r"\bNone\b", "a Python None leaked into a message"),
    (re.escape("Unknown("), "a Python repr of a model value"),
    (re.escape("Ref("), "a Python repr of a model value"),
    (re.escape("Template("), "a Python repr of a model value"),
    (r"could not be verified:[^;]*could not be verified", "the same verdict said twice in one sentence"),
]


def _nested_parentheses(message: str) -> bool:
    """A parenthesis inside another (an empty pair, a function's `()`, does not count)."""
    depth = 0
    for character in message.replace("()", ""):
        if character == "(":
            depth += 1
            if depth > 1:
                return True
        elif character == ")":
            depth = max(depth - 1, 0)
    return False


def slips(message: str) -> list[str]:
    found = [why for pattern, why in FORBIDDEN if re.search(pattern, message)]
    if _nested_parentheses(message):
        found.append("nested parentheses")
    # "…" only inside a quoted name the sentence goes on to explain (model.spell's form).
    if "…" in re.sub(r"'[^']*', where (?:…|the first …) is ", "", message):
        found.append("an ellipsis outside a quoted name the sentence explains")
    return found


@pytest.fixture(scope="module")
def inventory() -> list[Said]:
    return unknown_messages()


def test_the_checks_catch_the_slips_they_are_for() -> None:
    old = "configuration set unknown (var.domain has no value (pass it with --var or a tfvars file)) lets SES"
    assert set(slips(old)) == {FORBIDDEN[2][1], "nested parentheses"}
    assert slips("is named '…${aws_x.y.id}……example.com'") != []
    assert slips("DKIM could not be verified: x could not be verified") != []
    assert slips("its name is ……example.com") != []
    assert slips("replace() took longer than 1 s (a pattern that backtracks)") == []
    assert slips("is named '…._domainkey', where … is aws_x.tokens[0], known only after apply") == []


def test_no_unknown_message_slips(inventory: list[Said]) -> None:
    assert [(s.rule, s.message, slips(s.message), s.run) for s in inventory if slips(s.message)] == []


def test_the_inventory_covers_the_common_reasons(inventory: list[Said]) -> None:
    """The inventory must reach each shape the exact tests below state, or it checks too little."""
    said = "\n".join(s.message for s in inventory)
    for shape in (
        "has no value: pass it with --var or a tfvars file",
        "pass --source-dir to read it from the source",
        "is known only after apply",
        "run terraform init to have it checked",
        "whose name is not known",
        "was judged as one instance",
    ):
        assert shape in said, shape


def _one(inventory: list[Said], rule: str, resource: str, run: str) -> list[str]:
    return sorted({s.message for s in inventory if (s.rule, s.resource) == (rule, resource) and run in s.run})


VARIABLES = "tests/rules/unknown_trees/variables"
MODULE = "tests/rules/unknown_trees/module-unresolved"
AFTER_APPLY = "tests/rules/unknown_trees/after-apply"


def test_a_variable_without_a_value(inventory: list[Said]) -> None:
    assert _one(inventory, "SES004", "var.with_events", VARIABLES) == [
        "var.with_events has no value, so the count of aws_sns_topic.events was judged as one instance: pass "
        "it with --var or a tfvars file"
    ]


def test_a_name_built_from_a_variable_without_a_value(inventory: list[Said]) -> None:
    assert _one(inventory, "SES112", "aws_sesv2_email_identity.main", VARIABLES) == [
        "MAIL FROM MX record could not be verified: its name is 'bounce.…', where … is not known because "
        "var.domain has no value: pass it with --var or a tfvars file"
    ]


def test_a_zone_whose_name_is_not_known(inventory: list[Said]) -> None:
    assert _one(inventory, "SES103", "aws_sesv2_email_identity.main", VARIABLES) == [
        "DKIM records could not be verified: aws_route53_record.dkim[0] is named '…._domainkey', where … is "
        "aws_sesv2_email_identity.main.dkim_signing_attributes.tokens[0], known only after apply; it is in the "
        "zone of var.zone_id, whose name is not known because var.zone_id has no value: pass it with --var or a "
        "tfvars file"
    ]
    assert _one(
        inventory, "SES120", "aws_ses_domain_identity.main", "route53-zone-id-variable/dmarc-p-none.json"
    ) == [
        "DMARC record of example.com could not be verified: aws_route53_record.dmarc is named '_dmarc' in the "
        "zone with id Z0123456789ABCDEFGHIJ, whose name is not known"
    ]


def test_a_module_that_was_not_installed(inventory: list[Said]) -> None:
    init = (
        "module ses comes from 'cloudposse/ses/aws', which terraform init downloads, and there is no "
        ".terraform/modules/modules.json: run terraform init to have it checked"
    )
    assert _one(inventory, "SES004", "module.ses", MODULE) == [init]
    assert _one(inventory, "SES200", "aws_sesv2_email_identity.alerts", MODULE) == [
        f"default configuration set could not be verified: {init}"
    ]
    assert _one(inventory, "SES140", "aws_sesv2_email_identity.alerts", MODULE) == [
        f"bounce feedback to SNS could not be verified: its default configuration set is not known because {init}"
    ]


def test_a_value_known_only_after_apply(inventory: list[Said]) -> None:
    assert _one(inventory, "SES120", "aws_sesv2_email_identity.main", AFTER_APPLY) == [
        "DMARC record could not be verified: data.aws_route53_zone.main.name is known only after apply"
    ]
    assert _one(inventory, "SES004", "aws_route53_record.dmarc", AFTER_APPLY) == [
        "the count of aws_route53_record.dmarc is not known because data.aws_route53_zone.main.zone_id is "
        "known only after apply, so it was judged as one instance"
    ]


# A plan read without its source keeps only what an expression refers to: a value, or a name built
# from a reference and text the plan does not hold.
PLAN_ALONE = [
    (
        "idioms/alarm-metric-query/ok.json --policy",
        "SES313",
        "aws_cloudwatch_metric_alarm.bounce_rate",
        "actions of alarm ses-bounce-rate could not be verified: the plan keeps only what "
        "aws_cloudwatch_metric_alarm.bounce_rate.alarm_actions refers to, not its text: pass --source-dir to "
        "read it from the source",
    ),
    (
        "idioms/aws-docs-domain-identity-verification/domain-not-token.json --policy",
        "SES120",
        "aws_ses_domain_identity.example",
        "DMARC record of example.com could not be verified: aws_route53_record.example_amazonses_verification_"
        "record is named '…example.com', where … is built from aws_ses_domain_identity.example.id, not known "
        "because the plan keeps only what aws_route53_record.example_amazonses_verification_record.name refers "
        "to, not its text: pass --source-dir to read it from the source",
    ),
]


@pytest.mark.parametrize(("plan", "rule", "resource", "message"), PLAN_ALONE)
def test_a_plan_read_without_its_source(
    inventory: list[Said], plan: str, rule: str, resource: str, message: str
) -> None:
    assert _one(inventory, rule, resource, plan) == [message]


def test_spell_names_what_each_gap_stands_for() -> None:
    token = Ref("aws_ses_domain_dkim.x", "dkim_tokens", index=0)
    domain = Unknown("var.domain has no value: pass it with --var or a tfvars file", cause="var.domain")
    assert spell(Template((token, "._domainkey.example.com"))) == (
        "'…._domainkey.example.com', where … is aws_ses_domain_dkim.x.dkim_tokens[0], known only after apply"
    )
    assert spell(Template(("_dmarc.", domain))) == (
        "'_dmarc.…', where … is not known because var.domain has no value: pass it with --var or a tfvars file"
    )
    assert spell(Template((token, "._domainkey.", domain))) == (
        "'…._domainkey.…', where the first … is aws_ses_domain_dkim.x.dkim_tokens[0], known only after apply; "
        "the second … is not known because var.domain has no value: pass it with --var or a tfvars file"
    )
    assert spell("example.com") == "'example.com'"
