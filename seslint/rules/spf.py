"""SES130: SPF records are valid: one per name, correct syntax, no +all/?all, at most 10 lookups."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.dnsrecords import spf
from seslint.findings import Result, Severity, Status
from seslint.model import Identity, Posture, SourceKind
from seslint.rules.base import Context, D, P, Rule, RuleMeta, T
from seslint.rules.common import identities, label
from seslint.rules.mail_from_dns import mail_from_domains, txt_at
from seslint.rules.records import at, norm


def _names(posture: Posture, ctx: Context) -> Iterator[tuple[Identity, str]]:
    """Every name that should carry a valid SPF record: identity domains and MAIL FROM domains."""
    seen: set[str] = set()
    for identity in identities(posture.identities, ctx):
        if isinstance(identity.domain, str) and norm(identity.domain) not in seen:
            seen.add(norm(identity.domain))
            yield identity, norm(identity.domain)
    for identity, domain in mail_from_domains(posture, ctx):
        if isinstance(domain, str) and domain not in seen:
            seen.add(domain)
            yield identity, domain


def _valid(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not posture.judges_dns:
        return
    limit = int(ctx.setting("spf", "max_dns_lookups", spf.LOOKUP_LIMIT))
    allow_softfail = bool(ctx.setting("spf", "allow_softfail", True))
    for identity, name in _names(posture, ctx):
        texts, _reason = txt_at(posture, name)
        records = [t for t in texts if spf.is_spf(t)]
        if not records:
            continue  # no SPF here: SES113 requires one on the MAIL FROM domain
        found = at(posture, name, "TXT").records
        location = found[0].location if found else identity.location

        def result(status: Status, message: str) -> Result:
            return Result(status, identity.address, message, location, label(identity))  # noqa: B023

        if len(records) > 1:
            yield result(
                Status.FAIL,
                f"{name} has {len(records)} SPF records; receivers treat that as a "
                "permanent error (RFC 7208 4.5)",
            )
            continue
        parsed = spf.parse(records[0])
        problems = list(parsed.errors)
        qualifier = parsed.all_qualifier
        if qualifier in ("+", "?"):
            problems.append(
                f"{qualifier}all lets any server on the internet pass SPF for {name}"
                if qualifier == "+"
                else "?all gives no verdict for servers not listed"
            )
        elif qualifier == "~" and not allow_softfail:
            problems.append("~all only soft-fails unlisted servers; the policy requires -all")
        count = spf.count_lookups(parsed, _resolver(posture), origin=name)
        problems.extend(count.errors)
        if count.lookups > limit:
            problems.append(f"{count.lookups} DNS lookups, more than the limit of {limit} (RFC 7208 4.6.4)")
        if count.voids > spf.VOID_LIMIT:
            problems.append(f"{count.voids} void lookups, more than the limit of {spf.VOID_LIMIT}")
        if problems:
            yield result(Status.FAIL, f"SPF record of {name} is invalid: " + "; ".join(problems))
        elif count.unknown and posture.source is SourceKind.DNS:
            yield result(
                Status.UNKNOWN,
                f"the SPF lookup count of {name} could not be verified: "
                f"{', '.join(count.unknown)} could not be resolved",
            )


def _resolver(posture: Posture) -> spf.Resolver:
    """TXT records of included domains, from the posture (DNS mode fetched them; Terraform may declare them)."""

    def resolve(domain: str) -> list[str] | None:
        texts, reason = txt_at(posture, domain)
        if reason is not None:
            return None
        if texts:
            return texts
        lookup = posture.lookup(domain, "TXT")
        if lookup is not None:
            return []  # an answer: NXDOMAIN or NODATA
        return None  # not in this posture: offline sources cannot follow it

    return resolve


SES130 = Rule(
    RuleMeta(
        id="SES130",
        slug="spf-invalid",
        summary="SPF record invalid: several records, bad syntax, +all, more than 10 DNS lookups",
        severity=Severity.ERROR,
        sources=frozenset({T, P, D}),
        permissions=(),
        what="Parses the SPF records of every identity domain and MAIL FROM domain to RFC 7208: one record "
        "per name, valid mechanisms, modifiers and macros, no +all or ?all, at most 10 DNS-querying terms "
        "counted through include and redirect chains, at most 2 void lookups. Include chains are followed "
        "in DNS mode; offline (Terraform, plans) each include counts as one lookup and nested lookups are "
        "counted only where the included domain's record is declared too.",
        why="A receiver that meets two SPF records, a syntax error or more than 10 lookups returns a permanent "
        "error: SPF fails for every message. +all authorises the whole internet.",
        example='records = ["v=spf1 include:amazonses.com +all"]',
        fix='records = ["v=spf1 include:amazonses.com -all"]',
        family="spf",
    ),
    _valid,
)

RULES = (SES130,)
