"""The least-privilege, read-only IAM policy `seslint audit` needs, built from the rules' metadata."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from seslint.rules.base import Rule
from seslint.sources.aws.organization import ORGANIZATION_OPERATIONS

# Calls the audit makes whatever rules are enabled: who am I (the account id in findings and snapshots).
ALWAYS = ("sts:GetCallerIdentity",)


def actions(rules: Iterable[Rule]) -> list[str]:
    wanted = set(ALWAYS)
    for rule in rules:
        wanted.update(rule.meta.permissions)
    return sorted(wanted)


def iam_policy(rules: Iterable[Rule]) -> dict[str, Any]:
    """An IAM policy document allowing exactly the read calls the rules need."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SeslintReadOnlyAudit",
                "Effect": "Allow",
                "Action": actions(rules),
                "Resource": "*",
            },
            # `--organization-role` lists the organisation's accounts, from the account the audit runs
            # in (the management account or a delegated administrator); the roles it assumes in the
            # accounts need only the first statement.
            {
                "Sid": "SeslintOrganizationAccounts",
                "Effect": "Allow",
                "Action": list(ORGANIZATION_OPERATIONS),
                "Resource": "*",
            },
        ],
    }
