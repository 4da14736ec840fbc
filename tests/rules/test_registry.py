"""The registry: ids, slugs, metadata, docs that cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from seslint.permissions import iam_policy
from seslint.rules import ALL_RULES, RULE_IDS, RULES_BY_ID, get_rule
from seslint.rules.base import A
from seslint.rules.docs import render_markdown
from tests.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]


def test_ids_unique_pattern_and_catalogue() -> None:
    ids = [r.id for r in ALL_RULES]
    assert ids == sorted(set(ids))
    assert all(re.fullmatch(r"SES[0-9]{3}", i) for i in ids)
    assert ids == CATALOGUE
    assert set(CATALOGUE) == RULE_IDS
    assert get_rule("SES201") is RULES_BY_ID["SES201"]


def test_slugs_unique_kebab_case() -> None:
    slugs = [r.meta.slug for r in ALL_RULES]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_metadata_complete() -> None:
    for rule in ALL_RULES:
        meta = rule.meta
        for field in ("summary", "what", "why", "example", "fix"):
            assert getattr(meta, field).strip(), f"{rule.id} has no {field}"
        assert meta.sources, rule.id
        if A in meta.sources and rule.id not in ("SES000", "SES001", "SES002", "SES003"):
            assert meta.permissions, f"{rule.id} is judged live but lists no IAM permission"
        assert all(
            re.fullmatch(r"(ses|sns|cloudwatch):(Get|List|Describe)[A-Za-z]+", p) for p in meta.permissions
        )


def test_docs_are_generated_from_metadata() -> None:
    assert (ROOT / "docs" / "rules.md").read_text() == render_markdown(ALL_RULES), (
        "docs/rules.md is out of date: run `python -m seslint.rules.docs > docs/rules.md`"
    )


def test_iam_policy_is_exactly_the_rules_read_calls() -> None:
    assert iam_policy(ALL_RULES) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SeslintReadOnlyAudit",
                "Effect": "Allow",
                "Action": [
                    "cloudwatch:DescribeAlarms",
                    "ses:GetAccount",
                    "ses:GetConfigurationSet",
                    "ses:GetConfigurationSetEventDestinations",
                    "ses:GetEmailIdentity",
                    "ses:GetIdentityNotificationAttributes",
                    "ses:ListConfigurationSets",
                    "ses:ListEmailIdentities",
                    "sns:GetTopicAttributes",
                    "sns:ListSubscriptionsByTopic",
                    "sts:GetCallerIdentity",
                ],
                "Resource": "*",
            },
            {
                "Sid": "SeslintOrganizationAccounts",
                "Effect": "Allow",
                "Action": ["organizations:ListAccounts"],
                "Resource": "*",
            },
        ],
    }
