"""DNS records declared in Terraform (Route53, Cloudflare v4 and v5) -> the model's DnsRecord.

A record's full name is built as its provider builds it (dns_names.py) from the record's `name` and
the name of its zone, found through `zone_id`: an `aws_route53_zone` or `cloudflare_zone` resource, or
a `data` source looked up by `name` (Cloudflare v5: `filter = { name = ... }`) or by a `zone_id` that
leads to one of those. When the zone's name cannot be known (a zone id from a variable, from remote
state, from a module seslint cannot read), the record keeps the name as written with `zone` set; what
the record carries may still tell the zone: a record named after an identity's own DKIM token
(`${token}._domainkey`) or its verification token (`_amazonses`) is that identity's, which makes its
zone the identity's domain, and the zone's other records are then named in that domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from seslint.dnsrecords.names import (
    could_be,
    could_end_with,
    could_point_to,
    label_prefixes,
    parts_of,
    why_named,
)
from seslint.model import (
    DkimMode,
    DnsRecord,
    Identity,
    IdentityKind,
    Ref,
    Template,
    Unknown,
    any_instance,
    dns_name,
    named_after,
    sources,
    written,
)
from seslint.sources.terraform.dns_names import join, name_parts, normal, qualify, relative_to
from seslint.sources.terraform.modules import Instance

ROUTE53_ZONES = ("aws_route53_zone", "data.aws_route53_zone")
CLOUDFLARE_ZONES = ("cloudflare_zone", "data.cloudflare_zone")
MAX_ZONE_HOPS = 8  # a data source's zone_id leading to another zone... (a cycle is not a zone)


@dataclass(frozen=True)
class Zone:
    """The zone a record is declared in: its name when (partly) known, and which zone it is."""

    name: str | Template | None
    key: str


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _block(values: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A nested object: `filter = { ... }` is a dict, a block written `filter { ... }` a list of one."""
    value = values.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else {}


class Zones:
    """Zone resources and data sources of one evaluation, by address."""

    def __init__(self, instances: Iterable[Instance]) -> None:
        self.by_address: dict[str, Instance] = {}
        self.by_id: dict[str, list[Instance]] = {}  # zones whose id is known (a plan read them)
        for i in instances:
            kind = ("data." if i.data else "") + i.type
            if kind in ROUTE53_ZONES or kind in CLOUDFLARE_ZONES:
                self.by_address[i.address] = i
                for key in ("zone_id", "id") if i.data else ("zone_id",):
                    known = i.values.get(key)
                    if isinstance(known, str) and known and i not in self.by_id.get(known, ()):
                        self.by_id.setdefault(known, []).append(i)

    def of(self, zone_id: Any, record: str, hops: int = 0) -> Zone:
        """The zone a `zone_id` value designates; `record` is the address of the record (for scoping).

        A zone whose name is not known is keyed by a phrase that says which zone it is and why its name
        is not known, read after "in" in messages (DnsRecord.zone)."""
        if isinstance(zone_id, Ref):
            zone = self.by_address.get(zone_id.address)
            if zone is None:
                return Zone(None, f"the zone of {zone_id}, whose name is not known")
            name = self._name(zone, hops)
            if isinstance(name, (str, Template)) and name != "":
                return Zone(name, zone.address)
            why = f" because {name.reason}" if isinstance(name, Unknown) else ""
            return Zone(None, f"zone {zone.address}, whose name is not known{why}")
        if isinstance(zone_id, str):
            # An id written out or known in a plan: the zone read with that id names it (when one does).
            names = {_text(n) for z in self.by_id.get(zone_id, ()) if (n := self._name(z, hops)) is not None}
            name = next(iter(names)) if len(names) == 1 else None
            if isinstance(name, (str, Template)) and name != "":
                return Zone(name, f"zone {zone_id}")
            return Zone(None, f"the zone with id {zone_id}, whose name is not known")
        if zone_id is None:
            return Zone(None, "a zone it does not name (it sets no zone_id)")
        # An id unknown for a reason local to a module instance (var.zone_id) differs per instance.
        reason = zone_id.reason if isinstance(zone_id, Unknown) else str(zone_id)
        if isinstance(zone_id, Unknown) and zone_id.cause:
            return Zone(None, f"the zone of {zone_id.cause}, whose name is not known because {reason}")
        module = _module_of(record)
        of = f" of {module.removesuffix('.')}" if module else ""
        return Zone(None, f"a zone{of} whose id is not known because {reason}")

    def _name(self, zone: Instance, hops: int) -> Any:
        values = zone.values
        if zone.type == "aws_route53_zone" and not zone.data:
            return _text(values.get("name"))
        if zone.type == "cloudflare_zone" and not zone.data:
            return _text(values.get("zone", values.get("name")))  # v4 `zone`, v5 `name`
        name = values.get("name")
        if zone.type == "cloudflare_zone" and name is None:
            name = _block(values, "filter").get("name")  # v5 data source
        if name is not None:
            return _text(name)
        if hops < MAX_ZONE_HOPS and "zone_id" in values:
            return self.of(values["zone_id"], zone.address, hops + 1).name
        return None


def _module_of(address: str) -> str:
    """'module.a["x"].aws_route53_record.r' -> 'module.a["x"].' (the module instance of an address)."""
    head, sep, _rest = address.rpartition("aws_route53_record.")
    if not sep:
        head, sep, _rest = address.rpartition("cloudflare_")
    return head if sep else ""


def _values(records: Any) -> Any:
    if isinstance(records, (Unknown, Ref, Template)):
        return records
    items = records if isinstance(records, list) else [records]
    out: list[Any] = []
    for value in items:
        value = _text(value)
        if isinstance(value, (list, dict, tuple)) or value is None:
            out.append(Unknown(f"expected a string, got {written(value)}"[:200]))
        else:
            # Route53 TXT values longer than 255 characters are written as "part1""part2": one record.
            out.append(value.replace('""', "") if isinstance(value, str) else value)
    return tuple(out)


def _type(value: Any) -> str:
    return value.upper() if isinstance(value, str) else "?"


@dataclass(frozen=True)
class _Declared:
    record: DnsRecord
    written: Any  # the name as written, for qualifying it once its zone is known
    labelwise: bool  # Cloudflare's rule for qualifying names


def _declare(instance: Instance, name: Any, values: Any, zone: Zone, labelwise: bool) -> _Declared:
    rtype = _type(_text(instance.values.get("type")))
    written = _text(name)
    presence = instance.presence
    if presence is not None:
        values = presence  # it may not exist: what it holds proves nothing
    if zone.name is not None:
        full = qualify(written, zone.name, labelwise=labelwise, what=instance.address)
        record = DnsRecord(
            full, rtype, values, instance.address, location=instance.location, presence=presence
        )
    else:
        parts = name_parts(written)
        shown = join(normal(parts)) if parts is not None else Unknown(f"{instance.address} has no name")
        if shown in ("", "@"):
            shown = Unknown(f"{instance.address} is the apex of {zone.key}")
        record = DnsRecord(
            shown,
            rtype,
            values,
            instance.address,
            location=instance.location,
            zone=zone.key,
            presence=presence,
        )
    return _Declared(record, written, labelwise)


def _route53(instance: Instance, zones: Zones) -> _Declared | None:
    values = instance.values
    alias = values.get("alias")
    if alias not in (None, [], {}):
        return None  # an alias answers with another resource's addresses: no SES record is one
    zone = zones.of(values.get("zone_id"), instance.address)
    return _declare(instance, values.get("name"), _values(values.get("records")), zone, labelwise=False)


def _cloudflare(instance: Instance, zones: Zones) -> _Declared:
    values = instance.values
    content = values.get("content")
    if content is None:
        content = values.get("value")  # v4 before `content`
    content = _text(content)
    priority = values.get("priority")
    if _type(_text(values.get("type"))) == "MX" and priority is not None:
        if isinstance(priority, (int, float)) and not isinstance(priority, bool):
            priority = str(int(priority))
        content = join([*_parts(priority), " ", *_parts(content)])
    zone = zones.of(values.get("zone_id"), instance.address)
    return _declare(instance, values.get("name"), _values([content]), zone, labelwise=True)


def _parts(value: Any) -> tuple[str | Ref | Unknown, ...]:
    if isinstance(value, Template):
        return value.parts
    if isinstance(value, (str, Ref, Unknown)):
        return (value,)
    return (Unknown(f"{written(value)} is not text"),)


def declared_records(instances: Sequence[Instance], identities: Sequence[Identity]) -> tuple[DnsRecord, ...]:
    """The DNS records of one evaluation, named as their providers name them."""
    zones = Zones(instances)
    declared: list[_Declared] = []
    for i in instances:
        if i.data:
            continue
        if i.type == "aws_route53_record":
            found = _route53(i, zones)
            if found is not None:
                declared.append(found)
        elif i.type in ("cloudflare_record", "cloudflare_dns_record"):
            declared.append(_cloudflare(i, zones))
    inferred = _infer_zones([d.record for d in declared], identities)
    out = []
    for d in declared:
        zone = inferred.get(d.record.zone) if d.record.zone is not None else None
        if zone is not None:
            name = qualify(d.written, zone, labelwise=d.labelwise, what=d.record.address)
            out.append(replace(d.record, name=name, zone=None))
        else:
            out.append(d.record)
    return tuple(out)


def _token_owners(identities: Sequence[Identity]) -> dict[tuple[str, str], str]:
    """(address, attribute) of each identity's DKIM and verification tokens -> the identity's domain."""
    owners: dict[tuple[str, str], str] = {}
    for identity in identities:
        if identity.kind is not IdentityKind.DOMAIN or not isinstance(identity.name, str):
            continue
        domain = dns_name(identity.name)
        tokens = identity.dkim.tokens if identity.dkim else None
        if isinstance(tokens, Ref):
            owners[(tokens.address, tokens.attribute)] = domain
        for address in (identity.address, *identity.aliases):
            owners[(address, "verification_token")] = domain
    return owners


def _infer_zones(records: Sequence[DnsRecord], identities: Sequence[Identity]) -> dict[str, str]:
    """Zones (by key) whose name the records in them tell: the identity's domain their tokens belong to."""
    owners = _token_owners(identities)
    if not owners:
        return {}
    seen: dict[str, set[str]] = {}
    for record in records:
        if record.zone is None:
            continue
        zone = _zone_told(record, owners)
        if zone is not None:
            seen.setdefault(record.zone, set()).add(zone)
    # Records of two identities that tell two different names leave the zone unknown.
    return {key: next(iter(names)) for key, names in seen.items() if len(names) == 1}


def _zone_told(record: DnsRecord, owners: dict[tuple[str, str], str]) -> str | None:
    parts = parts_of(record.name)
    if record.type == "CNAME" and len(parts) == 2 and isinstance(parts[0], Ref) and isinstance(parts[1], str):
        domain = owners.get((parts[0].address, parts[0].attribute))
        if domain is not None and not parts[0].attribute.endswith("verification_token"):
            return relative_to(f"_domainkey.{domain}", parts[1].lstrip("."))
    if record.type == "TXT" and isinstance(record.name, str) and isinstance(record.values, tuple):
        for value in record.values:
            for ref in value.refs if isinstance(value, Template) else (value,):
                if isinstance(ref, Ref) and ref.attribute == "verification_token":
                    domain = owners.get((ref.address, ref.attribute))
                    if domain is not None:
                        return relative_to(f"_amazonses.{domain}", dns_name(record.name))
    return None


# -- verification paths ----------------------------------------------------------------------------


class _Wiring:
    """What the records of a posture prove or leave open about identity verification, indexed once."""

    def __init__(self, records: Sequence[DnsRecord]) -> None:
        # Records carrying an address's attributes: TXT values (verification tokens), CNAME names (DKIM tokens).
        self.txt_refs: dict[str, list[DnsRecord]] = {}
        self.cname_refs: dict[str, list[DnsRecord]] = {}
        self.txt_names: set[str] = set()
        self.txt_named: dict[str, list[DnsRecord]] = {}
        self.relative_txt: dict[str, list[DnsRecord]] = {}
        self.open_txt: list[DnsRecord] = []  # TXT records whose name is not known
        self.cnames: list[DnsRecord] = []
        self.maybe: list[DnsRecord] = []
        for r in records:
            if r.presence is not None:
                self.maybe.append(r)  # may not exist: proves nothing, may verify
                continue
            if r.type == "TXT":
                for value in _values_of(r):
                    for address in _addresses(value, "verification_token"):
                        self.txt_refs.setdefault(address, []).append(r)
                if not isinstance(r.name, str):
                    self.open_txt.append(r)
                else:
                    self.txt_names.add(dns_name(r.name))
                    self.txt_named.setdefault(dns_name(r.name), []).append(r)
                    if r.zone is not None:
                        self.relative_txt.setdefault(dns_name(r.name), []).append(r)
            elif r.type == "CNAME":
                for address in _addresses(r.name):
                    self.cname_refs.setdefault(address, []).append(r)
                self.cnames.append(r)

    def verified(self, identity: Identity) -> Any:
        owned = {identity.address, *identity.aliases}
        # A record named after some instance of the identity's blocks (which one a plan does not
        # say) may be its record: a candidate, never proof.
        maybe_owned = owned | {any_instance(a) for a in owned}
        if self._carried(identity, owned):
            return True  # the _amazonses TXT carries its token, or DKIM records carry its tokens
        if not isinstance(identity.name, str):
            if (
                self.open_txt
                or self.cnames
                or self.maybe
                or any(n.startswith("_amazonses") for n in self.txt_names)
            ):
                return Unknown("the identity's name is not known, so which records verify it is not known")
            return False
        domain = dns_name(identity.name)
        wanted = f"_amazonses.{domain}"
        if wanted in self.txt_names:
            return True
        keys = _byodkim_names(identity, domain)
        named = [r for name in keys for r in self.txt_named.get(name, ())]
        if any(_holds_key(r) is True for r in named):
            return True  # BYODKIM: SES verifies the domain by its selector's public key record
        unsure = [r for r in named if _holds_key(r) is None]
        if unsure:
            return Unknown(f"{unsure[0].address} may verify it: whether it holds a public key is not known")
        candidates = [r for p in label_prefixes(wanted) for r in self.relative_txt.get(p, ())]
        candidates += [r for r in self.open_txt if could_be(r, wanted) and _may_hold_token(r)]
        for name in keys:
            maybe = [r for p in label_prefixes(name) for r in self.relative_txt.get(p, ())]
            maybe += [r for r in self.open_txt if could_be(r, name)]
            candidates += [r for r in maybe if _holds_key(r) is not False]
        candidates += [
            r
            for r in self.cnames
            if _not_anothers_token(r, maybe_owned)
            and could_end_with(r, f"._domainkey.{domain}")
            and could_point_to(r, ".amazonses.com")
        ]
        candidates += [r for r in self.maybe if _may_verify(r, identity, maybe_owned, domain)]
        if candidates:
            record = candidates[0]
            if record.presence is not None:
                return Unknown(
                    f"{record.address} may verify it: {record.presence.reason}", cause=record.presence.cause
                )
            return Unknown(f"{record.address} may verify it: it {why_named(record)}")
        return False

    def _carried(self, identity: Identity, owned: set[str]) -> bool:
        """Does a record carrying the identity's tokens sit where it verifies it (or may, by its name)?"""
        domain = dns_name(identity.name) if isinstance(identity.name, str) else None
        for address in owned:
            for r in self.txt_refs.get(address, ()):
                if domain is None or could_be(r, f"_amazonses.{domain}"):
                    return True
            for r in self.cname_refs.get(address, ()):
                if domain is None or could_end_with(r, f"._domainkey.{domain}"):
                    return True
        return False


def _addresses(value: object, attribute: str | None = None) -> set[str]:
    """Addresses of the resources a value is built from (only through `attribute` when given)."""
    return {r.address for r in sources(value) if attribute is None or r.attribute == attribute}


VERIFICATION_TOKEN = re.compile(r"[A-Za-z0-9+/=]{20,}")  # SES tokens are base64 text


def _may_hold_token(record: DnsRecord) -> bool:
    """Can this TXT record hold a verification token? Not when its values are known and are no token
    (an _amazonses record holding the domain name verifies nothing)."""
    values = record.values if isinstance(record.values, tuple) else None
    if values is None:
        return True
    return any(not isinstance(v, str) or VERIFICATION_TOKEN.fullmatch(v) for v in values)


def _may_verify(record: DnsRecord, identity: Identity, owned: set[str], domain: str) -> bool:
    """A record that may not exist may still be the one that verifies the identity."""
    if owned & (_addresses(record.name) | {a for v in _values_of(record) for a in _addresses(v)}):
        return True
    wanted = f"_amazonses.{domain}"
    if record.type == "TXT":
        return could_be(record, wanted) or any(could_be(record, n) for n in _byodkim_names(identity, domain))
    return record.type == "CNAME" and could_end_with(record, f"._domainkey.{domain}")


def _byodkim_names(identity: Identity, domain: str) -> list[str]:
    """The selector TXT names of a BYODKIM identity: SES verifies a domain set up with BYODKIM when it
    finds the selector's public key there (SES Developer Guide, creating and verifying identities)."""
    dkim = identity.dkim
    if dkim is None or dkim.mode != DkimMode.BYODKIM:
        return []
    return [f"{dns_name(s)}._domainkey.{domain}" for s in dkim.selectors if isinstance(s, str)]


def _holds_key(record: DnsRecord) -> bool | None:
    """Does this TXT record carry a DKIM public key (p=)? None when what it holds is not known."""
    values = record.values if isinstance(record.values, tuple) else None
    if values is None:
        return None
    if any(isinstance(v, str) and "p=" in v.replace(" ", "") for v in values):
        return True
    return None if any(not isinstance(v, str) for v in values) else False


def _values_of(record: DnsRecord) -> tuple[Any, ...]:
    """The record's values; a plan that knows only what the whole list refers to gives one Template."""
    if isinstance(record.values, Template):
        return (record.values,)
    return record.values if isinstance(record.values, tuple) else ()


def _not_anothers_token(record: DnsRecord, owned: set[str]) -> bool:
    """A CNAME named after another resource's token attribute is that resource's, not a candidate."""
    first = named_after(record.name)
    return not (
        first is not None
        and first.address not in owned
        and ("token" in first.attribute or first.attribute == "")
    )


def with_verification(identities: Sequence[Identity], records: Sequence[DnsRecord]) -> tuple[Identity, ...]:
    """Domain identities with `verified` set from the records (Terraform declares no live status)."""
    wiring = _Wiring(records)
    return tuple(
        replace(i, verified=wiring.verified(i)) if i.kind is IdentityKind.DOMAIN else i for i in identities
    )
