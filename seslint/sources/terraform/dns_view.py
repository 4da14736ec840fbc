"""One DNS view per run: the records of every root of the checked tree count for every root's identities.

A `dns/` stack beside a `ses/` stack is a common layout: the identity is declared in one root, its DKIM,
MAIL FROM and DMARC records in another. Each root stays a posture of its own (its findings name its
files); only its `dns_records` grow by the other roots' records, and its identities' verification paths
are judged again against them.

A reference in another root's record is to that root's resource, never to this root's resource of the
same address: a record named after a resource its root manages (a DKIM token, `_amazonses.${x.id}`)
is that root's own and is left out; any other reference (a data source, remote state) becomes Unknown
before it can be matched against this root's identities.

A record of another root is cited by its address and where it is declared (`aws_route53_record.dmarc
(dns/main.tf:12)`): a verdict it leaves unknown names a file the user may not be looking at, and in
pre-commit's file mode one that was not even passed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from seslint.model import DnsRecord, Posture, Ref, Template, Unknown, dns_name
from seslint.sources.terraform.dns_records import with_verification

_Key = tuple[str, str, int | None]
_DATA = re.compile(r"(?:^|\.)data\.")  # data.TYPE.NAME, at the root or in a module


def one_dns_view(postures: Sequence[Posture], elsewhere: Sequence[Posture] = ()) -> list[Posture]:
    """The postures, each with every other root's records; `elsewhere`: roots read only for their
    records (the repository's other roots when pre-commit checks the roots of the changed files)."""
    if len(postures) + len(elsewhere) < 2 or not postures:
        return list(postures)
    foreign: list[tuple[int, _Key, DnsRecord]] = []
    seen: set[tuple[object, ...]] = set()
    for n, posture in enumerate((*postures, *elsewhere)):
        root = posture.targets[0] if posture.targets else "another root"
        for record in posture.dns_records:
            # A module called by two roots declares the same record twice: it is one record.
            same = (record.address, record.location, record.type, record.name, record.values)
            if same not in seen and not _named_after_own_resource(record):
                seen.add(same)
                foreign.append((n, _block(record), _seen_from_elsewhere(record, root)))
    out = []
    for n, posture in enumerate(postures):
        own = {_block(r) for r in posture.dns_records}
        wanted = _names_judged(posture)
        added = tuple(
            r for m, key, r in foreign if m != n and key not in own and (wanted is None or _wanted(r, wanted))
        )
        if not added:
            out.append(posture)
            continue
        records = (*posture.dns_records, *added)
        identities = with_verification(posture.identities, records)
        out.append(replace(posture, dns_records=records, identities=identities))
    return out


def _block(record: DnsRecord) -> _Key:
    return record.address, str(record.location.file), record.location.line


class _Wanted(NamedTuple):
    domains: frozenset[str]  # identity and MAIL FROM domains: their whole subtrees are judged
    ancestors: frozenset[str]  # each of them and every parent: `_dmarc.` there (organisational domain)


def _names_judged(posture: Posture) -> _Wanted | None:
    """The DNS names the posture's rules may ask about, or None when they cannot be bounded (a domain
    not known). Rules ask only about names under an identity's domain or MAIL FROM domain (DKIM,
    verification, MX, SPF) and `_dmarc` at the domain or a parent of it, so another root's record at
    any other known name cannot change a verdict here; leaving it out keeps a tree of N roots from
    indexing every root's records N times."""
    domains: set[str] = set()
    for identity in posture.identities:
        names = [identity.domain]
        if identity.mail_from is not None and identity.mail_from.domain is not None:
            names.append(identity.mail_from.domain)
        for name in names:
            if not isinstance(name, str):
                return None
            domains.add(dns_name(name))
    ancestors = {d.split(".", i)[-1] for d in domains for i in range(d.count(".") + 1)}
    return _Wanted(frozenset(domains), frozenset(ancestors))


def _wanted(record: DnsRecord, wanted: _Wanted) -> bool:
    """Whether a record of another root may bear on the names the posture's rules judge: any record
    whose full name is not known may; one at a known name, when it is under a judged domain or is the
    `_dmarc` record of one of their parents."""
    if record.zone is not None or not isinstance(record.name, str):
        return True
    name = dns_name(record.name)
    labels = name.split(".")
    if any(".".join(labels[i:]) in wanted.domains for i in range(len(labels))):
        return True
    return labels[0] == "_dmarc" and ".".join(labels[1:]) in wanted.ancestors


def _named_after_own_resource(record: DnsRecord) -> bool:
    """A name built from an attribute of a resource its root manages (`_amazonses.${identity.id}`, a
    DKIM token) is that resource's record: it answers for no other root's identity. A data source's
    attribute (remote state) may be anything, so such a record stays, its name not known."""
    refs = (
        [record.name]
        if isinstance(record.name, Ref)
        else list(record.name.refs)
        if isinstance(record.name, Template)
        else []
    )
    return any(_DATA.search(ref.address) is None for ref in refs)


def _seen_from_elsewhere(record: DnsRecord, root: str) -> DnsRecord:
    where = root if record.location.file is None else str(record.location)
    name = _foreign(record.name, where)
    values = (
        tuple(_foreign(v, where) for v in record.values)
        if isinstance(record.values, tuple)
        else _foreign(record.values, where)
    )
    # Every message citing the record (rules/records.py, dns_records.py, dkim.py) says where it is.
    return replace(record, name=name, values=values, address=f"{record.address} ({where})")


def _foreign(value: Any, where: str) -> Any:
    if isinstance(value, Ref):
        return _unknown(value, where)
    if isinstance(value, Template) and value.refs:
        return Template(tuple(_unknown(p, where) if isinstance(p, Ref) else p for p in value.parts))
    return value


def _unknown(ref: Ref, where: str) -> Unknown:
    return Unknown(f"{ref} ({where}) is known only after apply")
