"""SES102-SES104: DKIM signing on, its DNS records wired, keys long enough."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.dnsrecords.names import could_end_with, could_point_to, text_could_end_with
from seslint.findings import Result, Severity
from seslint.model import (
    Dkim,
    DkimMode,
    DnsRecord,
    Identity,
    IdentityKind,
    Location,
    Posture,
    Ref,
    Template,
    Unknown,
    any_instance,
    sources,
)
from seslint.rules.base import A, Context, D, P, Rule, RuleMeta, T
from seslint.rules.common import enabled, fail, identities, if_present, name_of, unknown, why_unknown
from seslint.rules.records import Name, at, known_values, norm, parts, shown, value_reason, why_maybe

EASY_DKIM_TOKENS = 3  # SES always publishes three Easy DKIM tokens per identity
DEFAULT_HOSTED_ZONE = "dkim.amazonses.com"


def _signing(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "dkim", "signing"):
        return
    domains = {
        i.name.lower(): i.presence
        for i in posture.identities
        if i.kind is IdentityKind.DOMAIN and isinstance(i.name, str)
    }
    for identity in identities(posture.identities, ctx):
        dkim = identity.dkim
        if identity.kind is IdentityKind.EMAIL:
            # An email identity signs with DKIM only through a domain identity of its domain.
            domain = identity.domain
            presence = domains.get(domain.lower()) if isinstance(domain, str) else None
            if presence is not None:
                yield unknown(
                    identity, f"DKIM signing of {name_of(identity)} through {domain}", presence.reason
                )
            elif isinstance(domain, str) and domain.lower() not in domains:
                yield fail(
                    identity,
                    f"email identity {name_of(identity)} is not DKIM-signed: SES signs its mail only "
                    f"through a domain identity for {domain} with DKIM, and there is none",
                )
            continue
        if dkim is None or not dkim.declared:
            yield fail(
                identity, f"identity {name_of(identity)} has no DKIM set-up (no Easy DKIM, no BYODKIM)"
            )
            continue
        reason = why_unknown(dkim.signing_enabled)
        if reason is not None:
            yield unknown(identity, "DKIM signing", reason, dkim.location)
        elif dkim.signing_enabled is False:
            yield fail(identity, f"DKIM signing is disabled for {name_of(identity)}", dkim.location)
        elif dkim.status is not None:
            reason = why_unknown(dkim.status)
            if reason is not None:
                yield unknown(identity, "DKIM status", reason, dkim.location)
            elif dkim.status != "SUCCESS":
                yield fail(
                    identity,
                    f"DKIM status of {name_of(identity)} is {dkim.status}, not SUCCESS",
                    dkim.location,
                )


def _records(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not posture.judges_dns or not enabled(ctx, "dkim", "dns_records"):
        return
    for identity in identities(posture.identities, ctx, domains_only=True):
        dkim = identity.dkim
        if dkim is None or not dkim.declared or dkim.signing_enabled is False:
            continue  # SES102 reports it; records for DKIM that is off are not required
        # A DKIM resource that may not exist (signing not known) may need no records.
        signing = dkim.signing_enabled if isinstance(dkim.signing_enabled, Unknown) else None
        yield from (if_present(r, signing) for r in _judge_records(posture, identity, dkim))


def _judge_records(posture: Posture, identity: Identity, dkim: Dkim) -> Iterator[Result]:
    domain_reason = why_unknown(identity.name)
    if domain_reason is not None:
        if isinstance(identity.name, (Unknown, Template)) and isinstance(dkim.tokens, Ref):
            # `${token}._domainkey.${var.domain}` is this identity's record whatever the domain is.
            yield from _symbolic_tokens(posture, identity, dkim, identity.name, dkim.tokens)
        else:
            yield unknown(identity, "DKIM records", domain_reason)
        return
    assert isinstance(identity.name, str)
    if dkim.mode == DkimMode.BYODKIM:
        yield from _byodkim(posture, identity, dkim, identity.name)
    elif isinstance(dkim.tokens, tuple) and all(isinstance(t, str) for t in dkim.tokens):
        tokens = [t for t in dkim.tokens if isinstance(t, str)]
        yield from _known_tokens(posture, identity, dkim, identity.name, tokens)
    elif isinstance(dkim.tokens, Ref):
        yield from _symbolic_tokens(posture, identity, dkim, identity.name, dkim.tokens)
    else:
        yield unknown(identity, "DKIM records", why_unknown(dkim.tokens) or "tokens not known", dkim.location)


class RecordSet:
    """What is wrong or not known across one identity's DKIM records, judged as one finding: the
    identity's record set is the subject in every source (a baseline written from Terraform, where
    the tokens are symbolic, must hold for an audit that looks each token up)."""

    def __init__(self, identity: Identity, kind: str, kinds: str) -> None:
        self.identity, self.kind, self.kinds = identity, kind, kinds  # singular and plural
        self.problems: list[tuple[str, Location | None]] = []
        self.doubts: list[tuple[str, str, Location | None]] = []

    def wrong(self, what: str, location: Location | None = None) -> None:
        self.problems.append((what, location))

    def unsure(self, name: str, reason: str, location: Location | None = None) -> None:
        self.doubts.append((name, reason, location))

    def verdict(self) -> Iterator[Result]:
        where = next((loc for _, loc in self.problems if loc is not None), None)
        if self.problems:
            listed = [what for what, _ in self.problems]
            listed += [f"{name} could not be verified: {reason}" for name, reason, _ in self.doubts]
            if len(listed) == 1:
                message = f"{self.kind} {listed[0]}"
            else:
                message = f"{self.kinds} of {name_of(self.identity)}: {'; '.join(listed)}"
            yield fail(self.identity, message, where)
        elif self.doubts:
            _, reason, location = self.doubts[0]
            names = ", ".join(n for n, _, _ in self.doubts if n)
            yield unknown(self.identity, f"{self.kind} {names}".strip(), reason, location)


def _hosted_zone(dkim: Dkim) -> str:
    zone = dkim.signing_hosted_zone
    return norm(zone) if isinstance(zone, str) else DEFAULT_HOSTED_ZONE


def _known_tokens(
    posture: Posture, identity: Identity, dkim: Dkim, domain: str, tokens: list[str]
) -> Iterator[Result]:
    """One verdict for the identity's record set: every token's CNAME judged, what is wrong listed."""
    zone = _hosted_zone(dkim)
    if not tokens:
        yield unknown(identity, "DKIM records", "the identity has no DKIM tokens yet", dkim.location)
        return
    checks = RecordSet(identity, "DKIM CNAME", "DKIM CNAME records")
    for token in tokens:
        name = f"{token}._domainkey.{domain}"
        target = f"{token}.{zone}"
        found = at(posture, name, "CNAME")
        if not found.records:
            if found.unknown_reason:
                checks.unsure(norm(name), found.unknown_reason)
            else:
                checks.wrong(f"{norm(name)} -> {target} is missing")
            continue
        values = [known_values(r) for r in found.records]
        if any(v is None for v in values):
            record = found.records[values.index(None)]
            checks.unsure(norm(name), value_reason(record), record.location)
            continue
        got = {norm(v) for vs in values if vs for v in vs}
        if got != {norm(target)}:
            pointed = ", ".join(sorted(got)) or "nothing"
            checks.wrong(f"{norm(name)} points to {pointed}, not {target}", found.records[0].location)
    yield from checks.verdict()


def _symbolic_tokens(
    posture: Posture, identity: Identity, dkim: Dkim, domain: Name, tokens: Ref
) -> Iterator[Result]:
    """Tokens known only after apply: prove records are built from this identity's tokens.

    A record named after token i whose full name is proven (`${token}._domainkey.DOMAIN`) covers token
    i once its value points at the token's host. One whose name may be that once what is unknown is
    known (a plan keeps only what the name refers to, not the text around it; a zone whose name is
    not known) may cover it: the verdict is then unknown. A token no record is named after, when no
    record of unknown name could be its record either, is missing: fail."""
    suffix = parts(Template(("._domainkey.", *(domain.parts if isinstance(domain, Template) else (domain,)))))
    suffix_value = f".{_hosted_zone(dkim)}"
    proven: set[int] = set()
    possible: list[tuple[Ref, DnsRecord]] = []  # index None: one of the tokens, unknown which
    wrong_values: list[DnsRecord] = []
    unsure: list[DnsRecord] = []
    for record in posture.records_named_after(tokens):
        # A name written in full counts in a zone whose name is not known too: it is what it says.
        ref = _token_ref(parts(record.name), tokens, suffix)
        maybe = ref is None
        if ref is None:
            ref = _may_be_named(record, tokens, domain)
            if ref is None:
                continue  # named after a token, but not TOKEN._domainkey.DOMAIN
        if record.presence is not None or not isinstance(record.values, (tuple, Template)):
            unsure.append(record)  # it may not exist, or what it holds is not known
            continue
        pointing = _points_to_token(record, ref, tokens, suffix_value)
        if pointing is False:
            wrong_values.append(record)
        elif maybe or pointing is None:
            possible.append((ref, record))
        else:
            proven.update(range(EASY_DKIM_TOKENS) if ref.each or ref.index is None else {ref.index})
    missing = [i for i in range(EASY_DKIM_TOKENS) if i not in proven]
    if not missing:
        return
    if wrong_values:
        yield fail(
            identity,
            f"DKIM CNAME {wrong_values[0].address} is named after a token of {tokens} but does not "
            f"point to the token's {DEFAULT_HOSTED_ZONE} host",
            wrong_values[0].location,
        )
        return
    if unsure:
        yield unknown(identity, "DKIM records", value_reason(unsure[0]), unsure[0].location)
        return
    exact = {ref.index for ref, _ in possible if ref.index is not None and not ref.each}
    loose = [record for ref, record in possible if ref.index is None or ref.each]
    uncovered = [i for i in missing if i not in exact]
    hidden = _may_be_token_records(posture, domain, suffix_value)
    if hidden and uncovered:
        yield unknown(identity, "DKIM records", _why_hidden(hidden[0]), dkim.location)
        return
    if len(loose) < len(uncovered):
        # Each record is one name: fewer records than tokens left leaves a token without one.
        yield fail(
            identity, _missing_message(identity, dkim, domain, tokens, uncovered, loose), dkim.location
        )
        return
    record = (loose or [r for _, r in possible])[0]
    yield unknown(identity, "DKIM records", _why_possible(record), dkim.location)


def _missing_message(
    identity: Identity, dkim: Dkim, domain: Name, tokens: Ref, uncovered: list[int], loose: list[DnsRecord]
) -> str:
    shape = f"(TOKEN._domainkey.{shown(domain)} -> TOKEN.{_hosted_zone(dkim)})"
    if not loose:
        absent = ", ".join(f"{tokens.address}.{tokens.attribute}[{i}]" for i in uncovered)
        return f"no DKIM CNAME record is declared for token(s) {absent} of {name_of(identity)} {shape}"
    return (
        f"{len(uncovered)} DKIM token(s) of {name_of(identity)} are left to {len(loose)} record(s) named "
        f"after one of its tokens ({', '.join(r.address for r in loose)}): at least one token has no "
        f"CNAME record {shape}"
    )


def _may_be_named(record: DnsRecord, tokens: Ref, domain: Name) -> Ref | None:
    """The token a record may be named after, when its name may be TOKEN._domainkey.DOMAIN once what
    is not known is: it holds the token (or one of the tokens) with only unknown text before it, and
    could end with the domain's `._domainkey.` name."""
    items = parts(record.name)
    for position, part in enumerate(items):
        source = part.origin if isinstance(part, Unknown) and part.origin is not None else part
        if isinstance(source, Ref) and (
            source.same_source(tokens)
            or (source.attribute == "" and source.address in (tokens.address, any_instance(tokens.address)))
        ):
            if any(isinstance(p, str) for p in items[:position]):
                return None  # literal text before the token: not a token's name
            if not any(isinstance(p, Unknown) for p in items) and record.zone is None:
                return None  # fully written out, and not TOKEN._domainkey.DOMAIN
            if isinstance(domain, str) and not could_end_with(record, f"._domainkey.{domain.lower()}"):
                return None
            return source if source.attribute == tokens.attribute else Ref(tokens.address, tokens.attribute)
        if not isinstance(part, Unknown):
            return None
    return None


def _points_to_token(record: DnsRecord, ref: Ref, tokens: Ref, suffix_value: str) -> bool | None:
    """True when a value is proven to be the token's host, None when one may be, else False."""
    values = (record.values,) if isinstance(record.values, Template) else record.values
    found: bool | None = False
    for value in values if isinstance(values, tuple) else ():
        value_parts = parts(value)
        exact = _token_ref(value_parts, tokens, (suffix_value,))
        if exact is not None and exact == ref:
            return True
        held = [r for r in sources(value) if r.same_source(tokens)]
        other_token = held and all(r.index is not None and not r.each and r.index != ref.index for r in held)
        if (
            any(isinstance(p, Unknown) for p in value_parts)
            and text_could_end_with(value, suffix_value)
            and not (other_token and ref.index is not None and not ref.each)
        ):
            found = None  # a host not known yet (a plan's gap, an input without a value)
    return found


def _why_possible(record: DnsRecord) -> str:
    gaps = [p for p in parts(record.name) if isinstance(p, Unknown)]
    if gaps:
        return f"{record.address} may be one of them: {gaps[0].reason}"
    return why_maybe(record)


def _may_be_token_records(posture: Posture, domain: Name, suffix_value: str) -> list[DnsRecord]:
    """CNAMEs that may be this identity's token records once what is unknown is known: a name with
    unknown parts or in a zone whose name is not known, or a token written out literally, pointing (or
    possibly pointing) at the SES DKIM host. For a domain known only as a value, any name may be it."""
    pointing = [r for r in posture.open_records.get("CNAME", ()) if could_point_to(r, suffix_value)]
    if not isinstance(domain, str):
        named = [r for r in posture.records("CNAME") if isinstance(r.name, str) and "._domainkey." in r.name]
        return pointing + [r for r in named if could_point_to(r, suffix_value)]
    suffix_name = f"._domainkey.{domain.lower()}"
    out = [r for r in pointing if could_end_with(r, suffix_name)]
    out += [r for r in posture.records_below(suffix_name[1:], "CNAME") if could_point_to(r, suffix_value)]
    return out


def _why_hidden(record: DnsRecord) -> str:
    if isinstance(record.name, str) and record.zone is None:
        return f"{record.address} is named {record.name}, which may be one of the tokens (known after apply)"
    return why_maybe(record)


def _token_ref(value: tuple[object, ...], tokens: Ref, suffix: tuple[object, ...]) -> Ref | None:
    """The token a name or value is built from: TOKEN followed by exactly `suffix`."""
    if isinstance(value[0], Ref) and value[1:] == suffix and value[0].same_source(tokens):
        return value[0]
    return None


def _byodkim(posture: Posture, identity: Identity, dkim: Dkim, domain: str) -> Iterator[Result]:
    if not dkim.selectors:
        yield unknown(identity, "BYODKIM records", "no selector is known", dkim.location)
        return
    checks = RecordSet(identity, "BYODKIM selector TXT record", "BYODKIM selector TXT records")
    for selector in dkim.selectors:
        if not isinstance(selector, str):
            checks.unsure("", why_unknown(selector) or "the selector is not known", dkim.location)
            continue
        name = f"{selector}._domainkey.{domain}"
        found = at(posture, name, "TXT")
        texts = [v for r in found.records for v in (known_values(r) or ())]
        if any("p=" in t.replace(" ", "") for t in texts):
            continue
        if found.unknown_reason or any(known_values(r) is None for r in found.records):
            checks.unsure(norm(name), found.unknown_reason or value_reason(found.records[0]))
        else:
            checks.wrong(f"{norm(name)} with a public key (p=) is missing")
    yield from checks.verdict()


def _key_length(posture: Posture, ctx: Context) -> Iterator[Result]:
    minimum = int(ctx.setting("dkim", "min_key_length", 2048))
    for identity in identities(posture.identities, ctx, domains_only=True):
        dkim = identity.dkim
        if dkim is None or not dkim.declared or dkim.signing_enabled is False:
            continue  # no key signs (SES102 reports it): its length does not matter yet
        length = dkim.key_length
        if length is None:
            yield unknown(identity, "DKIM key length", "the key length is not declared", dkim.location)
        elif isinstance(length, (Unknown, Ref, Template)):
            yield unknown(identity, "DKIM key length", why_unknown(length) or "unknown", dkim.location)
        elif length < minimum:
            yield fail(
                identity,
                f"DKIM key of {name_of(identity)} is {length} bits; the policy requires at least {minimum}",
                dkim.location,
            )


SES102 = Rule(
    RuleMeta(
        id="SES102",
        slug="dkim-signing-disabled",
        summary="DKIM signing not enabled / DKIM status not SUCCESS",
        severity=Severity.ERROR,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Checks that every identity signs with DKIM: Easy DKIM or BYODKIM is set up, signing is "
        "enabled, and (live) the DKIM status is SUCCESS.",
        why="Gmail and Yahoo require bulk senders to authenticate with DKIM since February 2024, and DKIM "
        "is what lets DMARC pass when forwarding breaks SPF.",
        example='resource "aws_ses_domain_identity" "main" {\n  domain = "example.com"\n}\n'
        "# no aws_ses_domain_dkim for it",
        fix='resource "aws_ses_domain_dkim" "main" {\n  domain = aws_ses_domain_identity.main.domain\n}',
        family="identities",
    ),
    _signing,
)

SES103 = Rule(
    RuleMeta(
        id="SES103",
        slug="dkim-records",
        summary="DKIM DNS records missing or wrong",
        severity=Severity.ERROR,
        sources=frozenset({T, P, A, D}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Each Easy DKIM token needs `TOKEN._domainkey.DOMAIN CNAME TOKEN.dkim.amazonses.com` (or the "
        "region's signing hosted zone); BYODKIM needs its selector TXT record with the public key. In "
        "Terraform, records built from the identity's token attribute prove the wiring before the tokens "
        "exist. Live, with --dns, the records are looked up. One finding per identity, listing each record "
        "that is missing, wrong or could not be seen, whichever source judged it.",
        why="Without the three CNAMEs SES cannot verify DKIM: signing never starts, the identity stays "
        "unverified (SESv2), and receivers see unauthenticated mail.",
        example='resource "aws_route53_record" "dkim" {\n  count   = 2   # only two of three tokens\n'
        '  name    = "${aws_ses_domain_dkim.main.dkim_tokens[count.index]}._domainkey.example.com"\n'
        '  type    = "CNAME"\n  records = ["${aws_ses_domain_dkim.main.dkim_tokens[count.index]}'
        '.dkim.amazonses.com"]\n}',
        fix="Declare one CNAME per token: `count = 3` over `dkim_tokens` (v1) or "
        "`dkim_signing_attributes[0].tokens` (v2), each pointing at `TOKEN.dkim.amazonses.com`.",
        family="identities",
    ),
    _records,
)

SES104 = Rule(
    RuleMeta(
        id="SES104",
        slug="dkim-key-short",
        summary="DKIM key shorter than the policy's minimum (2048 by default)",
        severity=Severity.WARNING,
        sources=frozenset({T, P, A}),
        permissions=("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        what="Checks the DKIM key length (Easy DKIM `next_signing_key_length` / live "
        "CurrentSigningKeyLength, else NextSigningKeyLength before the first key exists; BYODKIM key in "
        "DNS) against `require.dkim.min_key_length`, for identities whose DKIM signs (SES102 reports the "
        "others).",
        why="1024-bit RSA keys are considered weak; RFC 8301 requires verifiers to accept 2048-bit keys "
        "and signers to use at least 1024, and large receivers recommend 2048.",
        example='resource "aws_sesv2_email_identity" "main" {\n  email_identity = "example.com"\n'
        '  dkim_signing_attributes {\n    next_signing_key_length = "RSA_1024_BIT"\n  }\n}',
        fix='Set `next_signing_key_length = "RSA_2048_BIT"` (SES rotates to the new key).',
        family="identities",
    ),
    _key_length,
)

RULES = (SES102, SES103, SES104)
