"""DNS questions with dnspython: bounded concurrency, a timeout per question, TCP on truncation.

NXDOMAIN and NODATA are answers (the record is absent); a timeout, SERVFAIL or refusal is no answer,
and what the record would have said stays unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.resolver

from seslint.model import DnsLookup, DnsRecord, Location, LookupStatus, ReadFailure

MAX_WORKERS = 16


@dataclass(frozen=True)
class Nameserver:
    host: str | None  # None: the system's resolvers
    port: int = 53

    @classmethod
    def parse(cls, text: str | None) -> Nameserver:
        if not text:
            return cls(None)
        if text.startswith("["):  # [::1]:5353
            host, _, port = text[1:].partition("]")
            return cls(host, int(port.lstrip(":") or 53))
        if text.count(":") == 1:
            host, port = text.split(":")
            return cls(host, int(port))
        return cls(text)


@dataclass(frozen=True)
class Answer:
    lookup: DnsLookup
    records: tuple[DnsRecord, ...]


def _resolver(nameserver: Nameserver, timeout: float) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=nameserver.host is None)
    if nameserver.host is not None:
        resolver.nameservers = [nameserver.host]
        resolver.port = nameserver.port
    resolver.timeout = timeout
    resolver.lifetime = timeout
    resolver.cache = None
    return resolver


def _text(rdata: object, rtype: str) -> str:
    if rtype == "TXT":
        # RFC 7208 3.3: the strings of one TXT record are joined with nothing in between.
        strings = getattr(rdata, "strings", ())
        return b"".join(strings).decode("utf-8", errors="replace")
    if rtype == "MX":
        exchange = getattr(rdata, "exchange")  # noqa: B009 - dnspython's rdata classes are untyped
        return f"{getattr(rdata, 'preference')} {exchange.to_text(omit_final_dot=True)}"  # noqa: B009
    if rtype == "CNAME":
        return str(getattr(rdata, "target").to_text(omit_final_dot=True))  # noqa: B009
    return str(rdata)


def ask(resolver: dns.resolver.Resolver, name: str, rtype: str) -> Answer:
    name = name.rstrip(".").lower()
    try:
        result = resolver.resolve(name, rtype, raise_on_no_answer=False, search=False)
    except dns.resolver.NXDOMAIN:
        return Answer(DnsLookup(name, rtype, LookupStatus.NXDOMAIN), ())
    except dns.resolver.LifetimeTimeout:
        return Answer(DnsLookup(name, rtype, LookupStatus.TIMEOUT, "no answer in time"), ())
    except dns.resolver.NoNameservers as exc:
        return Answer(DnsLookup(name, rtype, LookupStatus.SERVFAIL, str(exc).split(";")[0]), ())
    except (dns.exception.DNSException, OSError) as exc:
        return Answer(DnsLookup(name, rtype, LookupStatus.ERROR, str(exc) or type(exc).__name__), ())
    if result.rrset is None:
        return Answer(DnsLookup(name, rtype, LookupStatus.NODATA), ())
    values = tuple(_text(r, rtype) for r in result.rrset)
    if rtype == "TXT":
        records = tuple(
            DnsRecord(
                name=name, type=rtype, values=(v,), address=name, observed=True, location=Location(name=name)
            )
            for v in values
        )
    else:
        records = (
            DnsRecord(
                name=name,
                type=rtype,
                values=values,
                address=name,
                observed=True,
                location=Location(name=name),
            ),
        )
    return Answer(DnsLookup(name, rtype, LookupStatus.ANSWER), records)


def ask_all(questions: Iterable[tuple[str, str]], nameserver: Nameserver, timeout: float) -> list[Answer]:
    """Every (name, type) question, asked concurrently; answers in the order asked, duplicates once."""
    unique = list(dict.fromkeys((n.rstrip(".").lower(), t) for n, t in questions))
    if not unique:
        return []
    resolver = _resolver(nameserver, timeout)
    with ThreadPoolExecutor(max_workers=min(MAX_WORKERS, len(unique))) as pool:
        return list(pool.map(lambda q: ask(resolver, q[0], q[1]), unique))


def failure(answer: Answer) -> ReadFailure | None:
    lookup = answer.lookup
    if lookup.status in (LookupStatus.TIMEOUT, LookupStatus.SERVFAIL, LookupStatus.ERROR):
        detail = f": {lookup.detail}" if lookup.detail else ""
        return ReadFailure(
            what=f"DNS {lookup.type} {lookup.name}",
            reason=f"{lookup.status.value}{detail}",
            location=Location(name=lookup.name),
            resource=lookup.name,
        )
    return None


def valid_name(name: str) -> bool:
    try:
        dns.name.from_text(name)
    except dns.exception.DNSException:
        return False
    labels = name.rstrip(".").split(".")
    return len(labels) >= 2 and all(labels)
