"""SES100, SES101: the identities the policy names exist and are verified."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import NOWHERE, DkimMode, Identity, IdentityKind, Posture
from seslint.rules.base import A, Context, P, Rule, RuleMeta, T
from seslint.rules.common import enabled, fail, identities, label, name_of, why_unknown

_GLOB = set("*?[")


def _declared(posture: Posture, ctx: Context) -> Iterator[Result]:
    names = {i.name.lower() for i in posture.identities if isinstance(i.name, str)}
    unresolved = [i for i in posture.identities if not isinstance(i.name, str)]
    where = posture.identities[0].location if posture.identities else NOWHERE
    for wanted in ctx.scope_identities:
        if _GLOB & set(wanted) or wanted.lower() in names:
            continue
        if unresolved:
            reason = why_unknown(unresolved[0].name) or "its name is not known"
            yield Result(
                Status.UNKNOWN,
                wanted,
                f"identity {wanted} named in the policy scope may be {unresolved[0].address}, whose name "
                f"could not be resolved: {reason}",
                unresolved[0].location,
                wanted,
            )
        else:
            yield Result(
                Status.FAIL,
                wanted,
                f"identity {wanted} named in the policy scope is not declared",
                where,
                wanted,
            )


def _verified(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "identity", "verified"):
        return
    for identity in identities(posture.identities, ctx):
        yield from _judge_verified(identity)


def _judge_verified(identity: Identity) -> Iterator[Result]:
    verified = identity.verified
    if verified is None:
        return  # email identities in Terraform: verified by a link in a mail, not judgeable
    reason = why_unknown(verified)
    if reason is not None:
        yield Result(
            Status.UNKNOWN,
            identity.address,
            f"whether identity {name_of(identity)} is verified is not known: {reason}",
            identity.location,
            label(identity),
        )
    elif verified is False:
        status = identity.verification_status
        if status == "SUCCESS":
            # SES's two fields disagree; VerifiedForSendingStatus is the one that decides sending.
            yield fail(
                identity,
                f"SES does not let identity {name_of(identity)} send (VerifiedForSendingStatus false), "
                "although its verification status is SUCCESS",
            )
        elif isinstance(status, str):
            yield fail(
                identity, f"identity {name_of(identity)} is not verified (verification status {status})"
            )
        elif identity.kind is IdentityKind.DOMAIN:
            byodkim = identity.dkim is not None and identity.dkim.mode == DkimMode.BYODKIM
            records = "BYODKIM selector TXT record (p=)" if byodkim else "DKIM CNAME records"
            yield fail(
                identity,
                f"domain identity {name_of(identity)} has no verification path: neither the _amazonses TXT "
                f"record nor its {records} are declared",
            )
        else:
            yield fail(identity, f"identity {name_of(identity)} is not verified")


SES100 = Rule(
    RuleMeta(
        id="SES100",
        slug="identity-missing",
        summary="An identity the policy's scope names is not declared / does not exist",
        severity=Severity.ERROR,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities",),
        what="Checks that every literal identity name in the policy's `scope.identities` (entries without "
        "wildcards) is declared in Terraform or exists in the account.",
        why="A policy that names example.com expects it to be managed; if it is missing, nothing about it "
        "was checked and mail from it cannot be sent through SES.",
        example="scope: {identities: [example.com]}   # but the tree declares only example.org",
        fix="Declare the identity (aws_sesv2_email_identity) or remove it from the policy's scope.",
        family="identities",
    ),
    _declared,
)

SES101 = Rule(
    RuleMeta(
        id="SES101",
        slug="identity-not-verified",
        summary="Domain identity not verified (in Terraform: no verification path declared)",
        severity=Severity.ERROR,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Live: the identity's VerifiedForSendingStatus is true. Terraform and plans: a domain identity "
        "has a way to verify, either the `_amazonses.DOMAIN` TXT record with the identity's verification "
        "token, its Easy DKIM CNAME records, or for BYODKIM its selector's TXT record with the public key "
        "(SES verifies a domain by its DKIM records).",
        why="SES sends only from verified identities; an identity that cannot verify fails every send, and "
        "AWS asks for a verified domain before granting production access.",
        example='resource "aws_ses_domain_identity" "main" {\n  domain = "example.com"\n}\n'
        "# no _amazonses TXT record, no aws_ses_domain_dkim records",
        fix='resource "aws_route53_record" "verification" {\n  zone_id = aws_route53_zone.main.zone_id\n'
        '  name    = "_amazonses.example.com"\n  type    = "TXT"\n  ttl     = 600\n'
        "  records = [aws_ses_domain_identity.main.verification_token]\n}",
        family="identities",
    ),
    _verified,
)

RULES = (SES100, SES101)
