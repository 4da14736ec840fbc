"""Finding DNS records in a posture, declared (Terraform, plan) or observed (DNS), for the DNS rules."""

from __future__ import annotations

from dataclasses import dataclass

from seslint.model import DnsRecord, LookupStatus, Posture, Ref, Template, Unknown, dns_name

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


def at(posture: Posture, name: str, rtype: str) -> Lookup:
    """Records of `rtype` named `name` (known names only), with the reason absence is not provable."""
    wanted = norm(name)
    found = posture.records_named(wanted, rtype)
    reason: str | None = None
    answer = posture.lookup(wanted, rtype)
    if answer is not None and answer.status in UNANSWERED:
        reason = f"DNS {rtype} {wanted}: {answer.status.value}{': ' + answer.detail if answer.detail else ''}"
    elif not found:
        hidden = posture.unnamed_records.get(rtype, ())
        if hidden:
            reason = f"{hidden[0].address} has a name that is not known ({describe_name(hidden[0].name)})"
    return Lookup(found, reason)


def describe_name(value: object) -> str:
    if isinstance(value, Unknown):
        return value.reason
    return str(value)


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
