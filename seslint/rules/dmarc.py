"""SES120-SES123: a DMARC record exists, is valid, is strict enough, and asks for reports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from seslint.dnsrecords import dmarc
from seslint.dnsrecords.orgdomain import organisational_domain
from seslint.findings import Result, Severity, Status
from seslint.model import DnsRecord, Identity, Location, Posture, Template, Unknown
from seslint.rules.base import Context, D, P, Rule, T, family
from seslint.rules.common import enabled, identities, label, why_unknown
from seslint.rules.records import at, declared_where, norm, parts, value_reason
from seslint.rules.records import shown as name_shown


@dataclass(frozen=True)
class Found:
    """The DMARC record(s) that govern one domain, where they were found, or why that is not known."""

    identity: Identity
    domain: str
    name: str  # the _dmarc name the records came from
    texts: tuple[str, ...]
    unknown_reason: str | None
    location: Location
    where: str  # "declared in this configuration" or "observed in DNS", for messages
    unsure: str | None = None  # why the record's validity is not known (its report addresses are not)


Domain = str | Unknown | Template  # a domain known, or known only as a value (var.root_domain)


def _domains(posture: Posture, ctx: Context) -> Iterator[tuple[Identity, Domain | None]]:
    seen: set[object] = set()
    for identity in identities(posture.identities, ctx):
        domain = identity.domain
        if isinstance(domain, str):
            domain = norm(domain)
        elif not isinstance(domain, (Unknown, Template)):
            yield identity, None
            continue
        if domain not in seen:
            seen.add(domain)
            yield identity, domain


def _lookup(posture: Posture, identity: Identity, domain: Domain) -> Found | None:
    if not isinstance(domain, str):
        return _lookup_symbolic(posture, identity, domain)
    name = f"_dmarc.{domain}"
    texts, reason, unsure, records = _texts_at(posture, name, domain)
    candidates = tuple(t for t in texts if dmarc.is_dmarc(t))
    location = records[0].location if records else identity.location
    where = declared_where(posture)
    if candidates or reason:
        return Found(identity, domain, name, candidates, reason, location, where, unsure)
    org = organisational_domain(domain)
    if org != domain:
        org_name = f"_dmarc.{org}"
        org_texts, org_reason, org_unsure, org_records = _texts_at(posture, org_name, org)
        org_candidates = tuple(t for t in org_texts if dmarc.is_dmarc(t))
        if org_candidates or org_reason:
            org_location = org_records[0].location if org_records else identity.location
            return Found(
                identity, domain, org_name, org_candidates, org_reason, org_location, where, org_unsure
            )
    return Found(identity, domain, name, (), None, location, where)


def _lookup_symbolic(posture: Posture, identity: Identity, domain: Unknown | Template) -> Found | None:
    """A domain known only as a value (`var.root_domain` without a value): its DMARC record is the one
    named `_dmarc.${var.root_domain}` from the same value. None when there is none: whether a record
    of another name is the domain's cannot be told."""
    wanted = parts(Template(("_dmarc.", *(domain.parts if isinstance(domain, Template) else (domain,)))))
    records = tuple(r for r in posture.unnamed_records.get("TXT", ()) if parts(r.name) == wanted)
    if not records:
        return None
    texts, reason, unsure = _texts(records, domain)
    shown = name_shown(domain)
    candidates = tuple(t for t in texts if dmarc.is_dmarc(t))
    where = declared_where(posture)
    return Found(identity, shown, f"_dmarc.{shown}", candidates, reason, records[0].location, where, unsure)


def _texts_at(
    posture: Posture, name: str, domain: Domain
) -> tuple[list[str], str | None, str | None, tuple[DnsRecord, ...]]:
    found = at(posture, name, "TXT")
    texts, reason, unsure = _texts(found.records, domain)
    return texts, found.unknown_reason or reason, unsure, found.records


def _texts(records: tuple[DnsRecord, ...], domain: Domain) -> tuple[list[str], str | None, str | None]:
    """The records' TXT texts, a reason when a text is not known, and a reason when a text is known but
    for a report address (`rua=mailto:${var.rua}`): p, sp and pct are judged, validity is not known.
    The identity's own domain inside a text (`rua=mailto:dmarc@${var.domain}`) is a domain."""
    texts: list[str] = []
    reason: str | None = None
    unsure: str | None = None
    for record in records:
        values = record.values if isinstance(record.values, tuple) else None
        for value in values if values is not None else (None,):
            text, doubt = _readable(value, domain)
            if text is None:
                reason = reason or value_reason(record)
                continue
            texts.append(text)
            unsure = unsure or doubt
    return texts, reason, unsure


REPORT_TAGS = ("rua", "ruf")
_DOMAIN = "unknown.invalid"  # a reserved name (RFC 2606) standing for the identity's domain
_REPORTS = f"mailto:dmarc@{_DOMAIN}"  # stands for report addresses that are not known


def _readable(value: object, domain: Domain) -> tuple[str | None, str | None]:
    """(text, why its report addresses are not known) of a TXT value; text None when tags other than
    the report addresses hold values not known."""
    if isinstance(value, str):
        return value, None
    if not isinstance(value, Template):
        return None, None
    own = (
        set(domain.parts if isinstance(domain, Template) else (domain,))
        if not isinstance(domain, str)
        else set()
    )
    marker = "\x00"
    unknowns = [p for p in value.parts if not isinstance(p, str) and p not in own]
    text = "".join(p if isinstance(p, str) else (_DOMAIN if p in own else marker) for p in value.parts)
    pieces = text.split(";")
    for n, piece in enumerate(pieces):
        if marker in piece:
            tag = piece.split("=", 1)[0].strip().lower()
            if tag not in REPORT_TAGS:
                return None, None
            pieces[n] = f" {tag}={_REPORTS}"
    doubt = why_unknown(unknowns[0]) if unknowns else None
    return ";".join(pieces), (f"its report addresses are not known: {doubt}" if doubt else None)


def _each(
    check: Callable[[Found, Context], Iterator[Result]], *, needs_valid: bool
) -> Callable[[Posture, Context], Iterator[Result]]:
    def run(posture: Posture, ctx: Context) -> Iterator[Result]:
        if not posture.judges_dns or not enabled(ctx, "dmarc", "required"):
            return
        for identity, domain in _domains(posture, ctx):
            if domain is None:
                if not needs_valid:
                    yield _unknown(
                        identity,
                        identity.location,
                        "DMARC record",
                        why_unknown(identity.name) or "the domain is not known",
                    )
                continue
            found = _lookup(posture, identity, domain)
            if found is None:
                if not needs_valid:
                    reason = why_unknown(identity.name) or "the domain is not known"
                    yield _unknown(identity, identity.location, "DMARC record", reason)
                continue
            if needs_valid and not _judgeable(found):
                continue  # SES120/SES121 report these
            yield from check(found, ctx)

    return run


def _judgeable(found: Found) -> bool:
    """One known, valid record: the only state the policy-strength rules can judge."""
    return not found.unknown_reason and len(found.texts) == 1 and dmarc.parse(found.texts[0]).valid


def _unknown(identity: Identity, location: Location, what: str, reason: str) -> Result:
    return Result(
        Status.UNKNOWN, identity.address, f"{what} could not be verified: {reason}", location, label(identity)
    )


def _fail(found: Found, message: str) -> Result:
    return Result(Status.FAIL, found.identity.address, message, found.location, label(found.identity))


def _present(found: Found, ctx: Context) -> Iterator[Result]:
    if found.texts:
        return
    if found.unknown_reason:
        yield _unknown(
            found.identity, found.location, f"DMARC record of {found.domain}", found.unknown_reason
        )
        return
    org = organisational_domain(found.domain)
    also = f" nor at _dmarc.{org}" if org != found.domain else ""
    yield _fail(
        found,
        f"no DMARC record at _dmarc.{found.domain}{also} {found.where}; Gmail and Yahoo require "
        "bulk senders to publish one",
    )


def _valid(found: Found, ctx: Context) -> Iterator[Result]:
    if found.unknown_reason or not found.texts:
        return
    if len(found.texts) > 1:
        yield _fail(
            found,
            f"{found.name} has {len(found.texts)} DMARC records; receivers then apply no DMARC "
            "policy at all (RFC 7489 6.6.3)",
        )
        return
    parsed = dmarc.parse(found.texts[0])
    if parsed.errors:
        yield _fail(found, f"DMARC record at {found.name} is invalid: " + "; ".join(parsed.errors))
    elif found.unsure:
        yield _unknown(found.identity, found.location, f"DMARC record at {found.name}", found.unsure)


def _strong(found: Found, ctx: Context) -> Iterator[Result]:
    parsed = dmarc.parse(found.texts[0])
    required = str(ctx.setting("dmarc", "min_policy", "none"))
    sub_required = str(ctx.setting("dmarc", "min_subdomain_policy", required))
    problems = []
    if dmarc.weaker(parsed.policy, required):
        problems.append(f"p={parsed.policy} is weaker than the required {required}")
    # sp defaults to p; it is judged when written, or when the policy asks more of subdomains than of p.
    sp_judged = sub_required != required or "sp" in parsed.tags
    if sp_judged and dmarc.weaker(parsed.subdomain_policy, sub_required):
        problems.append(f"sp={parsed.subdomain_policy} is weaker than the required {sub_required}")
    minimum_pct = int(ctx.setting("dmarc", "pct", 100))
    if parsed.policy != "none" and parsed.pct < minimum_pct:
        problems.append(
            f"pct={parsed.pct} applies the policy to only {parsed.pct}% of failing mail "
            f"(required: {minimum_pct})"
        )
    if problems:
        yield _fail(found, f"DMARC policy at {found.name} is too weak: " + "; ".join(problems))


def _reports(found: Found, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "dmarc", "rua"):
        return
    if not dmarc.parse(found.texts[0]).rua:
        yield _fail(
            found,
            f"DMARC record at {found.name} has no rua= address: nobody receives the aggregate "
            "reports that show who sends as the domain",
        )


_meta = family("dmarc", frozenset({T, P, D}), permissions=())


_DMARC_FIX = (
    'resource "aws_route53_record" "dmarc" {\n  zone_id = aws_route53_zone.main.zone_id\n'
    '  name    = "_dmarc.example.com"\n  type    = "TXT"\n  ttl     = 3600\n'
    '  records = ["v=DMARC1; p=reject; sp=reject; pct=100; rua=mailto:dmarc@example.com"]\n}'
)

SES120 = Rule(
    _meta(
        "SES120",
        "dmarc-missing",
        "No DMARC record for the identity's domain (nor its organisational domain)",
        Severity.ERROR,
        "Looks for a DMARC record at _dmarc.DOMAIN and, failing that, at the organisational domain's _dmarc "
        "name (RFC 7489 6.6.3; organisational domains from the Public Suffix List). In Terraform, the record "
        "must be declared in the configuration.",
        "Since February 2024 Gmail and Yahoo require a DMARC record (at least p=none) of anyone sending more "
        "than 5,000 messages a day; without one, spoofed mail in your name is not rejected either.",
        "# aws_sesv2_email_identity for example.com, and no TXT record at _dmarc.example.com",
        _DMARC_FIX,
    ),
    _each(_present, needs_valid=False),
)

SES121 = Rule(
    _meta(
        "SES121",
        "dmarc-invalid",
        "DMARC record invalid (RFC 7489 syntax, several records, unknown p)",
        Severity.ERROR,
        "Parses the DMARC record by RFC 7489's grammar (section 6.4): v=DMARC1 first, p right after it, a "
        "known p, valid sp, np, pct, adkim, aspf, fo, rf (afrf, iodef), ri, rua and ruf values, no duplicate "
        "tags, and a single record. Tag names and values are case-insensitive (not the version, DMARC1), "
        "spaces around = and ; are allowed, unknown tags are ignored. DMARCbis (RFC 9989) allows p anywhere, "
        "takes a missing p for p=none and drops pct, rf and ri; seslint follows RFC 7489, which receivers of "
        "both kinds accept.",
        "A receiver that cannot parse the record, or finds two, applies no DMARC policy at all.",
        'records = ["v=DMARC1; p=maybe"]',
        'records = ["v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"]',
    ),
    _each(_valid, needs_valid=False),
)

SES122 = Rule(
    _meta(
        "SES122",
        "dmarc-weak",
        "DMARC policy weaker than required (p, sp, pct)",
        Severity.ERROR,
        "Compares p (and sp, and pct) with `require.dmarc.min_policy`, `min_subdomain_policy` and `pct`.",
        "p=none only monitors: spoofed mail is still delivered. Strict postures ask for quarantine or reject, "
        "applied to all failing mail (pct=100).",
        'records = ["v=DMARC1; p=none; rua=mailto:dmarc@example.com"]',
        'records = ["v=DMARC1; p=reject; sp=reject; pct=100; rua=mailto:dmarc@example.com"]',
    ),
    _each(_strong, needs_valid=True),
)

SES123 = Rule(
    _meta(
        "SES123",
        "dmarc-no-reports",
        "DMARC has no aggregate report address (rua)",
        Severity.WARNING,
        "Checks that the DMARC record has an rua= address for aggregate reports.",
        "Aggregate reports are how you learn that a sender (or SES itself, misaligned) fails DMARC before "
        "tightening the policy. Gmail's bulk sender guidelines recommend them.",
        'records = ["v=DMARC1; p=quarantine"]',
        'records = ["v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"]',
    ),
    _each(_reports, needs_valid=True),
)

RULES = (SES120, SES121, SES122, SES123)
