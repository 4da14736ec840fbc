"""What public DNS says about a set of sending identities: the questions every DNS rule needs.

Used by `seslint dns` and by `seslint audit --dns`: it takes identities (domain, DKIM tokens or
selectors, MAIL FROM domain) and returns the records observed, every question with its outcome, and a
read failure for each question that got no answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from seslint.dnsrecords import spf
from seslint.dnsrecords.orgdomain import organisational_domain
from seslint.model import DnsLookup, DnsRecord, Identity, ReadFailure
from seslint.sources.dns.lookup import Answer, Nameserver, ask_all, failure

MAX_SPF_FOLLOW = 40  # include/redirect targets fetched per run; the limit of 10 is judged by the rule


@dataclass(frozen=True)
class Observation:
    records: tuple[DnsRecord, ...]
    lookups: tuple[DnsLookup, ...]
    failures: tuple[ReadFailure, ...]


def questions(identity: Identity) -> list[tuple[str, str]]:
    domain = identity.domain
    if not isinstance(domain, str):
        return []
    asked = [(domain, "TXT"), (f"_dmarc.{domain}", "TXT")]
    org = organisational_domain(domain)
    if org != domain:
        asked.append((f"_dmarc.{org}", "TXT"))
    dkim = identity.dkim
    if dkim is not None:
        if isinstance(dkim.tokens, tuple):
            asked += [(f"{t}._domainkey.{domain}", "CNAME") for t in dkim.tokens if isinstance(t, str)]
        asked += [(f"{s}._domainkey.{domain}", "TXT") for s in dkim.selectors if isinstance(s, str)]
    mail_from = identity.mail_from
    if mail_from is not None and isinstance(mail_from.domain, str):
        asked += [(mail_from.domain, "MX"), (mail_from.domain, "TXT")]
    return asked


def observe(identities: Sequence[Identity], nameserver: Nameserver, timeout: float) -> Observation:
    answers = ask_all([q for i in identities for q in questions(i)], nameserver, timeout)
    answers += _spf_chains(answers, nameserver, timeout)
    records = tuple(r for a in answers for r in a.records)
    lookups = tuple(a.lookup for a in answers)
    failures = tuple(f for a in answers if (f := failure(a)) is not None)
    return Observation(records, lookups, failures)


def _spf_chains(first: list[Answer], nameserver: Nameserver, timeout: float) -> list[Answer]:
    """Fetch the TXT records of include/redirect targets, level by level, each domain once."""
    seen = {a.lookup.name for a in first if a.lookup.type == "TXT"}
    frontier = _targets(first)
    fetched: list[Answer] = []
    while frontier and len(seen) < MAX_SPF_FOLLOW + len(first):
        batch = [d for d in frontier if d not in seen][:MAX_SPF_FOLLOW]
        if not batch:
            break
        seen.update(batch)
        answers = ask_all([(d, "TXT") for d in batch], nameserver, timeout)
        fetched += answers
        frontier = _targets(answers)
    return fetched


def _targets(answers: list[Answer]) -> list[str]:
    out: list[str] = []
    for answer in answers:
        for record in answer.records:
            if record.type != "TXT" or not isinstance(record.values, tuple):
                continue
            for text in record.values:
                if isinstance(text, str) and spf.is_spf(text):
                    for term in spf.parse(text).terms:
                        if term.name in ("include", "redirect") and "%" not in term.value:
                            out.append(term.value.rstrip(".").lower())
    return out
