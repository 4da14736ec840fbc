"""SES112, SES113: the MAIL FROM domain's MX points at SES feedback, its SPF authorises SES."""

from __future__ import annotations

import re
from collections.abc import Iterator

from seslint.dnsrecords import spf
from seslint.findings import Result, Severity
from seslint.model import Identity, Posture, Ref
from seslint.rules.base import Context, D, P, Rule, RuleMeta, T
from seslint.rules.common import enabled, fail, identities, unknown, why_unknown
from seslint.rules.records import (
    Name,
    about,
    at,
    declared_where,
    known_values,
    norm,
    parts,
    shown,
    value_reason,
)


def mail_from_domains(posture: Posture, ctx: Context) -> Iterator[tuple[Identity, Name | None]]:
    """(identity, its MAIL FROM domain) for identities that declare one: known, known only as a value
    (`mail.${var.domain}`: the records named from the same value are its records), or None."""
    for identity in identities(posture.identities, ctx):
        mail_from = identity.mail_from
        if mail_from is None or mail_from.domain is None:
            continue
        domain = mail_from.domain
        yield (
            identity,
            norm(domain) if isinstance(domain, str) else None if isinstance(domain, Ref) else domain,
        )


def txt_at(posture: Posture, name: Name) -> tuple[list[str], str | None]:
    """Known TXT texts at a name, and why more may exist unseen (None when the answer is complete)."""
    found = at(posture, name, "TXT")
    texts: list[str] = []
    reason = found.unknown_reason
    for record in found.records:
        values = known_values(record)
        if values is None:
            reason = reason or value_reason(record)
        else:
            texts.extend(values)
    return texts, reason


def _mx(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not posture.judges_dns or not enabled(ctx, "mail_from", "enabled"):
        return
    for identity, domain in mail_from_domains(posture, ctx):
        location = identity.mail_from.location if identity.mail_from else None
        if domain is None:
            reason = why_unknown(identity.mail_from.domain if identity.mail_from else None) or "not known"
            yield unknown(identity, "MAIL FROM MX record", reason, location)
            continue
        region = identity.region if isinstance(identity.region, str) else None
        host = f"feedback-smtp.{region}.amazonses.com" if region else "feedback-smtp.REGION.amazonses.com"
        found = at(posture, domain, "MX")
        values: list[str | None] = []  # None: the feedback host of the provider's own region
        for record in found.records:
            known: tuple[str | None, ...] | None = known_values(record)
            if known is None and _wired_to_provider_region(record.values):
                known = (None,)
            if known is None:
                yield unknown(
                    identity, about("MAIL FROM MX record", domain), value_reason(record), record.location
                )
                break
            values.extend(known)
        else:
            if not values:
                if found.unknown_reason:
                    yield unknown(
                        identity, about("MAIL FROM MX record", domain), found.unknown_reason, location
                    )
                else:
                    yield fail(
                        identity,
                        f"MAIL FROM domain {shown(domain)} has no MX record {declared_where(posture)}; "
                        f"it needs exactly one: 10 {host}",
                        location,
                    )
            elif len(values) > 1:
                yield fail(
                    identity,
                    f"MAIL FROM domain {shown(domain)} has {len(values)} MX records; it needs exactly "
                    f"one: 10 {host}",
                    found.records[0].location,
                )
            elif values[0] is not None and not _is_feedback_host(values[0], region):
                yield fail(
                    identity,
                    f"MAIL FROM MX of {shown(domain)} is {values[0]!r}, not {host}",
                    found.records[0].location,
                )


def _wired_to_provider_region(values: object) -> bool:
    """`10 feedback-smtp.${data.aws_region.current.name}.amazonses.com`: the MX follows the region of the
    provider that creates the identity, so it is the identity's own region."""
    if not isinstance(values, tuple) or len(values) != 1:
        return False
    shape = parts(values[0])
    return (
        len(shape) == 3
        and isinstance(shape[0], str)
        and re.fullmatch(r"\d+ feedback-smtp\.", shape[0]) is not None
        and isinstance(shape[1], Ref)
        and "data.aws_region." in shape[1].address
        and shape[1].attribute in ("name", "region", "id")
        and shape[2] == ".amazonses.com"
    )


# An AWS region name: us-east-1, eu-central-2, ap-southeast-5, us-gov-west-1, il-central-1...
REGION = r"[a-z]{2}(?:-[a-z]+)+-\d+"


def _is_feedback_host(value: str, region: str | None) -> bool:
    """`PREF feedback-smtp.REGION.amazonses.com`: for the identity's region when it is known; for some
    region when it is not (the provider's region may come from the environment), never another host."""
    fields = value.split()
    host = norm(fields[-1]) if fields else ""
    if len(fields) != 2 or not fields[0].isdigit():
        return False
    if region:
        return host == f"feedback-smtp.{region}.amazonses.com"
    return re.fullmatch(rf"feedback-smtp\.{REGION}\.amazonses\.com", host) is not None


def _spf(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not posture.judges_dns or not enabled(ctx, "mail_from", "enabled"):
        return
    include = str(ctx.setting("spf", "include", "amazonses.com"))
    for identity, domain in mail_from_domains(posture, ctx):
        location = identity.mail_from.location if identity.mail_from else None
        if domain is None:
            reason = why_unknown(identity.mail_from.domain if identity.mail_from else None) or "not known"
            yield unknown(identity, "MAIL FROM SPF record", reason, location)
            continue
        texts, hidden = txt_at(posture, domain)
        records = [spf.parse(t) for t in texts if spf.is_spf(t)]
        if any(r.includes(include) for r in records):
            continue
        if hidden:
            yield unknown(identity, about("MAIL FROM SPF record", domain), hidden, location)
        elif not records:
            yield fail(
                identity,
                f"MAIL FROM domain {shown(domain)} has no SPF record {declared_where(posture)}; it needs "
                f'"v=spf1 include:{include} -all"',
                location,
            )
        else:
            yield fail(
                identity,
                f"the SPF record of MAIL FROM domain {shown(domain)} does not include:{include}, so SES "
                "is not authorised to send for it",
                location,
            )


SES112 = Rule(
    RuleMeta(
        id="SES112",
        slug="mail-from-mx",
        summary="MAIL FROM MX missing or wrong",
        severity=Severity.ERROR,
        sources=frozenset({T, P, D}),
        permissions=(),
        what="Checks that the MAIL FROM domain has exactly one MX record, pointing at "
        "feedback-smtp.REGION.amazonses.com for the identity's region.",
        why="SES verifies the custom MAIL FROM domain through this MX record and receives bounces through "
        "it. Without it the MAIL FROM set-up fails and SES falls back to amazonses.com (or rejects mail).",
        example='resource "aws_route53_record" "mail_from_mx" {\n  name    = "bounce.example.com"\n'
        '  type    = "MX"\n  records = ["10 inbound-smtp.us-east-1.amazonaws.com"]\n}',
        fix='records = ["10 feedback-smtp.${data.aws_region.current.name}.amazonses.com"]',
        family="identities",
    ),
    _mx,
)

SES113 = Rule(
    RuleMeta(
        id="SES113",
        slug="mail-from-spf",
        summary="MAIL FROM SPF missing or does not include amazonses.com",
        severity=Severity.ERROR,
        sources=frozenset({T, P, D}),
        permissions=(),
        what="Checks that the MAIL FROM domain publishes an SPF record that includes amazonses.com (or the "
        "policy's `require.spf.include`).",
        why="Receivers check SPF against the MAIL FROM domain. Without include:amazonses.com, SES's servers "
        "are not authorised and SPF fails, and with it SPF alignment for DMARC.",
        example='resource "aws_route53_record" "mail_from_spf" {\n  name    = "bounce.example.com"\n'
        '  type    = "TXT"\n  records = ["v=spf1 mx -all"]\n}',
        fix='records = ["v=spf1 include:amazonses.com -all"]',
        family="identities",
    ),
    _spf,
)

RULES = (SES112, SES113)
