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

MAX_SPF_FOLLOW = 40  # include/redirect targets followed per SPF record; the rule judges the 10


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
    """Fetch the TXT records of include/redirect targets, level by level, each domain once.

    The bound is per SPF record asked (MAX_SPF_FOLLOW targets each), not per run: a run over thousands
    of domains follows every domain's chain, and one hostile chain cannot use up the others' share.
    """
    known = {a.lookup.name: a for a in first if a.lookup.type == "TXT"}
    followed: dict[str, set[str]] = {}  # origin -> targets followed for it
    children: dict[str, list[str]] = {}  # name -> the targets its SPF record names, parsed once

    def targets_of(name: str) -> list[str]:
        if name not in children:
            children[name] = _targets([known[name]])
        return children[name]

    frontier = [(origin, target) for origin in known for target in targets_of(origin)]
    fetched: list[Answer] = []
    while frontier:
        expand: list[tuple[str, str]] = []
        for origin, target in frontier:
            mine = followed.setdefault(origin, set())
            if target == origin or target in mine or len(mine) >= MAX_SPF_FOLLOW:
                continue
            mine.add(target)
            expand.append((origin, target))
        wanted = [t for t in dict.fromkeys(t for _, t in expand) if t not in known]
        answers = ask_all([(t, "TXT") for t in wanted], nameserver, timeout)
        known.update((a.lookup.name, a) for a in answers)
        fetched += answers
        frontier = [(origin, t) for origin, target in expand for t in targets_of(target)]
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
