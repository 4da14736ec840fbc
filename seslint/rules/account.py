"""SES300-SES302: production access, a HEALTHY account, account-level suppression."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import NOWHERE, Location, Posture, describe
from seslint.rules.base import A, Context, P, Rule, RuleMeta, T
from seslint.rules.common import ACCOUNT_SUPPRESSION, account_resource, enabled, unused_region, why_unknown
from seslint.rules.configuration_sets import required_reasons


def _production(posture: Posture, ctx: Context) -> Iterator[Result]:
    account = posture.account
    if account is None or not enabled(ctx, "account", "production_access") or unused_region(posture):
        return  # an unused region is in the sandbox by definition; nothing sends from it
    reason = why_unknown(account.production_access)
    if reason is not None:
        yield Result(
            Status.UNKNOWN,
            account_resource(posture),
            f"production access could not be verified: {reason}",
            account.location,
        )
    elif account.production_access is not True:
        yield Result(
            Status.FAIL,
            account_resource(posture),
            "the account is still in the SES sandbox: it can send only "
            "to verified addresses, at most 200 messages a day",
            account.location,
        )


def _healthy(posture: Posture, ctx: Context) -> Iterator[Result]:
    account = posture.account
    wanted = ctx.setting("account", "enforcement_status", "HEALTHY")
    if account is None or not wanted:
        return
    reason = why_unknown(account.enforcement_status)
    if reason is not None:
        yield Result(
            Status.UNKNOWN,
            account_resource(posture),
            f"enforcement status could not be verified: {reason}",
            account.location,
        )
    elif account.enforcement_status != wanted:
        meaning = {
            "PROBATION": " (under review: fix bounce and complaint rates before SES pauses sending)",
            "SHUTDOWN": " (sending is paused)",
        }.get(str(account.enforcement_status), "")
        yield Result(
            Status.FAIL,
            account_resource(posture),
            f"enforcement status is {account.enforcement_status}, not {wanted}{meaning}",
            account.location,
        )


def _suppression(posture: Posture, ctx: Context) -> Iterator[Result]:
    wanted = required_reasons(ctx, "account")
    if not wanted:
        return
    if posture.account is not None:
        value: object = posture.account.suppressed_reasons
        resource, location = account_resource(posture), posture.account.location
    elif posture.source.value in ("terraform", "plan"):
        value = posture.account_suppression
        location = posture.account_suppression_location
        resource = location.address or ACCOUNT_SUPPRESSION
        if value is None:
            if not posture.identities:
                return
            first = posture.identities[0]
            yield Result(
                Status.UNKNOWN,
                resource,
                "account-level suppression is not declared in this "
                "configuration; the live account's setting applies and could not be verified",
                first.location if location == NOWHERE else location,
            )
            return
    else:
        return
    reason = why_unknown(value)
    if reason is not None:
        yield Result(
            Status.UNKNOWN, resource, f"account-level suppression could not be verified: {reason}", location
        )
        return
    present = value if isinstance(value, tuple) else ()
    missing = [r.value for r in wanted if r not in present]
    if missing:
        yield Result(
            Status.FAIL,
            resource,
            f"account-level suppression list does not cover {' and '.join(missing)}"
            f" (it holds {describe(tuple(r.value for r in present)) if present else 'nothing'})",
            location if isinstance(location, Location) else NOWHERE,
        )


SES300 = Rule(
    RuleMeta(
        id="SES300",
        slug="sandbox",
        summary="Account still in the sandbox (production access not enabled)",
        severity=Severity.ERROR,
        sources=frozenset({A}),
        permissions=("ses:GetAccount",),
        what="Checks, live, that the account has production access in the region; a region the account "
        "does not use (no identity, no configuration set) is in the sandbox by definition and not judged.",
        why="In the sandbox SES sends only to verified addresses, 200 messages a day, one a second.",
        example="GetAccount -> ProductionAccessEnabled: false",
        fix="Request production access (AWS console or `aws sesv2 put-account-details`), with the posture "
        "this policy checks as the evidence AWS asks for.",
        family="account",
    ),
    _production,
)

SES301 = Rule(
    RuleMeta(
        id="SES301",
        slug="enforcement-status",
        summary="Enforcement status is not HEALTHY",
        severity=Severity.ERROR,
        sources=frozenset({A}),
        permissions=("ses:GetAccount",),
        what="Checks, live, that the account's enforcement status is HEALTHY.",
        why="PROBATION means the account is under review for its bounce or complaint rate; SHUTDOWN means "
        "SES has paused sending.",
        example="GetAccount -> EnforcementStatus: PROBATION",
        fix="Find the cause in the reputation dashboard, clean the lists, and answer the case AWS opened.",
        family="account",
    ),
    _healthy,
)

SES302 = Rule(
    RuleMeta(
        id="SES302",
        slug="account-suppression-weak",
        summary="Account-level suppression does not cover BOUNCE and COMPLAINT",
        severity=Severity.WARNING,
        sources=frozenset({T, P, A}),
        permissions=("ses:GetAccount",),
        what="Checks that the account-level suppression list covers BOUNCE and COMPLAINT (or what "
        "`require.account.suppression` lists): aws_sesv2_account_suppression_attributes in Terraform, "
        "GetAccount live.",
        why="The suppression list stops SES from mailing addresses that bounced or complained; without it "
        "every sender must keep its own list or the rates climb.",
        example='resource "aws_sesv2_account_suppression_attributes" "main" {\n'
        '  suppressed_reasons = ["BOUNCE"]\n}',
        fix='suppressed_reasons = ["BOUNCE", "COMPLAINT"]',
        family="account",
    ),
    _suppression,
)

RULES = (SES300, SES301, SES302)
