"""`seslint audit --organization-role NAME`: the organisation's ACTIVE accounts, listed through AWS
Organizations (read only: ListAccounts), each entered by assuming role NAME in it.

The account the audit runs in is audited with the credentials it runs with (no role is needed to
enter it). An account that cannot be entered is that account's SES003; a listing that fails part way
is SES003 too, and the accounts listed before it are still audited. Suspended accounts, and accounts
being closed, are not audited and are reported as skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from seslint.errors import UsageError
from seslint.sources.aws.calls import guard

if TYPE_CHECKING:
    from seslint.sources.aws.audit import _Plan

LISTING = "organization"  # the "account" of the SES003 unit when the listing fails
ORGANIZATION_OPERATIONS = ("organizations:ListAccounts",)  # the IAM actions this module calls


def role_name(text: str) -> str:
    """NAME or PATH/NAME; an ARN is a mistake worth one clear line."""
    if not text or ":" in text or text.startswith("/") or text.endswith("/"):
        raise UsageError(
            f"--organization-role {text!r}: give the role's name (or path/name), such as "
            "OrganizationAccountAccessRole; seslint builds its ARN in each account"
        )
    return text


def enter(plan: _Plan, name: str, external_id: str | None, own: str) -> dict[str, Any]:
    """Add every ACTIVE account of the organisation to the plan; returns what the snapshot keeps."""
    accounts, failure = _list_accounts(plan.base, plan.config)
    roles = []
    for account in accounts:
        number, status = str(account.get("Id", "")), str(account.get("Status", ""))
        if status != "ACTIVE":
            plan.skipped.append(
                {"account": number, "region": "*", "skipped": f"account {status}, not audited"}
            )
        elif number == own:
            plan.session(plan.base, own)
        else:
            partition = str(account.get("Arn", "arn:aws:")).split(":")[1] or "aws"
            roles.append(f"arn:{partition}:iam::{number}:role/{name}")
    plan.roles(roles, external_id)
    if failure is not None:
        plan.unreadable(LISTING, failure)
    return {
        "role": name,
        "accounts": [
            {k: account[k] for k in ("Id", "Name", "Status") if k in account} for account in accounts
        ],
    }


def _list_accounts(session: Any, config: Any) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Every account page by page; on an error, the accounts so far and the failed call's record."""
    from seslint.sources.aws.audit import _failed_call

    client = guard(
        session.client("organizations", region_name=session.region_name or "us-east-1", config=config)
    )
    accounts: list[dict[str, Any]] = []
    params: dict[str, Any] = {}
    while True:
        try:
            page = client.list_accounts(**params)
        except Exception as exc:
            return accounts, _failed_call("ListAccounts", params, exc, service="organizations")
        accounts += [a for a in page.get("Accounts", []) if isinstance(a, dict)]
        token = page.get("NextToken")
        if not token:
            return accounts, None
        params = {"NextToken": token}
