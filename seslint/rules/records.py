"""Finding DNS records in a posture, declared (Terraform, plan) or observed (DNS), for the DNS rules."""

from __future__ import annotations

from dataclasses import dataclass

from seslint.dnsrecords.names import could_be, label_prefixes, why_named
from seslint.model import DnsRecord, LookupStatus, Posture, Ref, Template, Unknown, dns_name, spell

UNANSWERED = (LookupStatus.TIMEOUT, LookupStatus.SERVFAIL, LookupStatus.ERROR)

Part = str | Ref | Unknown


norm = dns_name  # the rules' short name for it


def parts(value: object) -> tuple[Part, ...]:
    """A value as text and reference parts, adjacent text merged and lower-cased (DNS is case-blind)."""
    raw: tuple[object, ...]
    if isinstance(value, Template):
        raw = value.parts
    elif isinstance(value, (str, Ref, Unknown)):
        raw = (value,)
    else:
        raw = (str(value),)
    merged: list[Part] = []
    for part in raw:
        if isinstance(part, str):
            if merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part.lower()
            else:
                merged.append(part.lower())
        elif isinstance(part, (Ref, Unknown)):
            merged.append(part)
    if merged and isinstance(merged[-1], str):
        merged[-1] = merged[-1].rstrip(".")
    return tuple(merged)


@dataclass(frozen=True)
class Lookup:
    """Records found at a name, and whether the answer is complete enough to judge their absence."""

    records: tuple[DnsRecord, ...]
    unknown_reason: str | None  # set when records at the name may exist but could not be seen


Name = str | Template | Unknown  # a name known, or known only as a value (`mail.${var.domain}`)


def shown(value: object) -> str:
    """A name for messages: `mail.${var.domain}` where a part is not known and its cause is."""
    items = value.parts if isinstance(value, Template) else (value,)
    return "".join(
        p
        if isinstance(p, str)
        else "${"
        + (p.cause if isinstance(p, Unknown) and p.cause else str(p) if isinstance(p, Ref) else "...")
        + "}"
        for p in items
    )


def about(what: str, name: Name) -> str:
    """What an unknown verdict is about: "MAIL FROM MX record of bounce.example.com"; a name not fully
    known is left to the reason, which says which part is not known and why."""
    return f"{what} of {name}" if isinstance(name, str) else what


def at(posture: Posture, name: Name, rtype: str) -> Lookup:
    """Records of `rtype` named `name`, with the reason absence is not provable. A name known only as a
    value finds the records named from the same value; that no other record is at it cannot be told."""
    if not isinstance(name, str):
        wanted_parts = parts(name)
        same = tuple(r for r in posture.unnamed_records.get(rtype, ()) if parts(r.name) == wanted_parts)
        why = None if same else _name_not_known(name)
        return Lookup(same, why)
    wanted = norm(name)
    found = posture.records_named(wanted, rtype)
    reason: str | None = None
    answer = posture.lookup(wanted, rtype)
    if answer is not None and answer.status in UNANSWERED:
        reason = f"DNS {rtype} {wanted}: {answer.status.value}{': ' + answer.detail if answer.detail else ''}"
    elif not found:
        maybe = maybe_at(posture, wanted, rtype)
        if maybe:
            reason = why_maybe(maybe[0])
    return Lookup(found, reason)


def maybe_at(posture: Posture, wanted: str, rtype: str) -> list[DnsRecord]:
    """Records that may be named `wanted` once what is not known is: a name relative to a zone whose
    name is not known, or a name with unknown parts that could spell it."""
    out = [r for prefix in label_prefixes(wanted) for r in posture.relative_records(prefix, rtype)]
    out += [r for r in posture.unnamed_records.get(rtype, ()) if could_be(r, wanted)]
    return out


def why_maybe(record: DnsRecord) -> str:
    """Why a record may be the one looked for: what of its name, or of its zone's, is not known."""
    return f"{record.address} {why_named(record)}"


def _name_not_known(name: Name) -> str:
    if isinstance(name, Unknown):
        return f"its name is not known because {name.reason}"
    return f"its name is {spell(name)}"


def known_values(record: DnsRecord) -> tuple[str, ...] | None:
    """The record's values when all are known strings, else None."""
    if not isinstance(record.values, tuple):
        return None
    if all(isinstance(v, str) for v in record.values):
        return tuple(v for v in record.values if isinstance(v, str))
    return None


def value_reason(record: DnsRecord) -> str:
    values = record.values
    if isinstance(values, Unknown):
        return values.reason
    if isinstance(values, tuple):
        for v in values:
            if isinstance(v, Unknown):
                return v.reason
            if isinstance(v, Template) and v.unknowns:
                return v.unknowns[0].reason
    return f"the values of {record.address} are known only after apply"


def declared_where(posture: Posture) -> str:
    return "observed in DNS" if posture.source.value in ("dns", "aws") else "declared in this configuration"
