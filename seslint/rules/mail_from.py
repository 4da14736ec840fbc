"""SES110, SES111: a custom MAIL FROM domain, and mail rejected rather than sent unaligned."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Severity
from seslint.model import MxFailure, Posture, Unknown
from seslint.rules.base import A, Context, P, Rule, RuleMeta, T
from seslint.rules.common import enabled, fail, identities, name_of, unknown, why_unknown


def _custom(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "mail_from", "enabled"):
        return
    for identity in identities(posture.identities, ctx, domains_only=True):
        mail_from = identity.mail_from
        if mail_from is None or mail_from.domain is None:
            yield fail(
                identity,
                f"{name_of(identity)} has no custom MAIL FROM domain: the envelope sender is "
                "amazonses.com, so SPF cannot align with the From domain for DMARC",
            )
            continue
        # A symbolic MAIL FROM domain (a reference) is still a declared one; an unresolved one is unknown.
        if isinstance(mail_from.domain, Unknown):
            yield unknown(identity, "MAIL FROM domain", mail_from.domain.reason, mail_from.location)


def _reject(posture: Posture, ctx: Context) -> Iterator[Result]:
    if ctx.setting("mail_from", "behavior_on_mx_failure", "reject") != "reject":
        return
    for identity in identities(posture.identities, ctx):
        mail_from = identity.mail_from
        if mail_from is None or mail_from.domain is None:
            continue  # SES110 reports the missing MAIL FROM
        behaviour = mail_from.behavior_on_mx_failure
        reason = why_unknown(behaviour)
        if reason is not None:
            yield unknown(identity, "MAIL FROM behaviour on MX failure", reason, mail_from.location)
        elif behaviour != MxFailure.REJECT_MESSAGE:
            yield fail(
                identity,
                f"MAIL FROM of {name_of(identity)} falls back to amazonses.com when its MX record "
                "fails (USE_DEFAULT_VALUE); the policy requires REJECT_MESSAGE",
                mail_from.location,
            )


SES110 = Rule(
    RuleMeta(
        id="SES110",
        slug="mail-from-missing",
        summary="No custom MAIL FROM domain (SPF cannot align for DMARC without one)",
        severity=Severity.WARNING,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Checks that every domain identity has a custom MAIL FROM domain (a subdomain such as "
        "bounce.example.com).",
        why="Without it the envelope sender is amazonses.com: SPF passes for amazonses.com, not for your "
        "domain, so SPF never aligns for DMARC (RFC 7489 section 3.1.2). Gmail and Yahoo require alignment "
        "of SPF or DKIM for bulk senders.",
        example='resource "aws_sesv2_email_identity" "main" {\n  email_identity = "example.com"\n}\n'
        "# no aws_sesv2_email_identity_mail_from_attributes",
        fix='resource "aws_sesv2_email_identity_mail_from_attributes" "main" {\n'
        "  email_identity         = aws_sesv2_email_identity.main.email_identity\n"
        '  mail_from_domain       = "bounce.example.com"\n  behavior_on_mx_failure = "REJECT_MESSAGE"\n}',
        family="identities",
    ),
    _custom,
)

SES111 = Rule(
    RuleMeta(
        id="SES111",
        slug="mail-from-mx-failure",
        summary='MAIL FROM behaviour on MX failure is not "reject"',
        severity=Severity.WARNING,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Checks that the MAIL FROM behaviour on MX failure is REJECT_MESSAGE (v1 RejectMessage).",
        why="With USE_DEFAULT_VALUE, SES silently sends with amazonses.com as MAIL FROM whenever your MX "
        "record cannot be found, and DMARC alignment on SPF quietly breaks.",
        example='behavior_on_mx_failure = "UseDefaultValue"',
        fix='behavior_on_mx_failure = "REJECT_MESSAGE"   # v1: "RejectMessage"',
        family="identities",
    ),
    _reject,
)

RULES = (SES110, SES111)
