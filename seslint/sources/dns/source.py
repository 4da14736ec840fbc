"""Build a DNS posture: one domain identity per DOMAIN, with what DNS says about it."""

from __future__ import annotations

from dataclasses import replace

from seslint.dnsrecords.dkimkey import key_bits
from seslint.errors import UsageError
from seslint.model import (
    Dkim,
    DkimMode,
    Identity,
    IdentityKind,
    Location,
    MailFrom,
    Posture,
    SourceKind,
    Unknown,
)
from seslint.sources.dns.lookup import Nameserver, valid_name
from seslint.sources.dns.observe import observe


def read_dns(
    domains: list[str],
    nameserver: str | None,
    region: str | None,
    tokens: list[str],
    selectors: list[str],
    mail_from: str | None,
    timeout: float,
) -> Posture:
    try:
        server = Nameserver.parse(nameserver)
    except ValueError:
        raise UsageError(f"--nameserver {nameserver!r}: expected IP or IP:PORT") from None
    identities = []
    for raw in domains:
        domain = raw.rstrip(".").lower()
        if not valid_name(domain):
            raise UsageError(f"{raw!r} is not a domain name")
        identities.append(_identity(domain, region, tokens, selectors, mail_from))
    seen = observe(identities, server, timeout)
    posture = Posture(
        source=SourceKind.DNS,
        targets=tuple(domains),
        identities=tuple(identities),
        dns_records=seen.records,
        dns_lookups=seen.lookups,
        failures=seen.failures,
        regions=(region,) if region else (),
    )
    return replace(posture, identities=tuple(_key_length(i, posture) for i in identities))


def _identity(
    domain: str, region: str | None, tokens: list[str], selectors: list[str], mail_from: str | None
) -> Identity:
    location = Location(name=domain)
    dkim = None
    if tokens:
        dkim = Dkim(mode=DkimMode.EASY, signing_enabled=True, tokens=tuple(tokens), location=location)
    elif selectors:
        dkim = Dkim(
            mode=DkimMode.BYODKIM, signing_enabled=True, selectors=tuple(selectors), location=location
        )
    mail = None
    if mail_from:
        name = mail_from.rstrip(".").lower()
        mail = MailFrom(domain=name if "." in name else f"{name}.{domain}", location=location)
    return Identity(
        name=domain,
        kind=IdentityKind.DOMAIN,
        address=domain,
        dkim=dkim,
        mail_from=mail,
        region=region,
        location=location,
    )


def _key_length(identity: Identity, posture: Posture) -> Identity:
    """BYODKIM: the key length is read from the selector's public key in DNS."""
    dkim = identity.dkim
    if dkim is None or dkim.mode != DkimMode.BYODKIM or not isinstance(identity.name, str):
        return identity
    lengths = []
    for selector in dkim.selectors:
        name = f"{selector}._domainkey.{identity.name}"
        texts = [
            v
            for r in posture.records("TXT")
            if r.name == name and isinstance(r.values, tuple)
            for v in r.values
            if isinstance(v, str)
        ]
        bits = [b for t in texts if (b := key_bits(t)) is not None]
        lengths.append(min(bits) if bits else None)
    known = [b for b in lengths if b is not None]
    length: int | Unknown = (
        min(known)
        if known and len(known) == len(lengths)
        else Unknown("no parsable DKIM public key (p=) was found for every selector")
    )
    return replace(identity, dkim=replace(dkim, key_length=length))
