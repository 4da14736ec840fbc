"""Could a declared DNS record, whose name is only partly known, be the record at a given name?

A declared name may hold symbolic parts (`${var.sub}.example.com`, a token known after apply), and a
record whose zone's name is not known has its name as written, which the provider qualifies by that
zone. Such a record cannot prove a name is present, and it must not let a rule call the name absent:
these helpers say where it might be, so verdicts there are `unknown` and everywhere else stay decided.

The zone of a record in an unknown zone is taken to be one of the wanted name's own parent domains
(`_dmarc` may be `_dmarc.example.com` in zone example.com), never a zone below the wanted name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from seslint.model import DnsRecord, Ref, Template, Unknown, spelled


def why_named(record: DnsRecord) -> str:
    """What of a record's name, or of its zone's, is not known, after the record's address: "is named
    '_dmarc' in the zone of var.zone_id, whose name is not known because ..."."""
    zone = f" in {record.zone}" if record.zone is not None else ""
    if isinstance(record.name, Unknown):
        return f"has a name that is not known because {record.name.reason}" + (
            f"; it is{zone}" if zone else ""
        )
    quoted, stands = spelled(record.name)
    if not stands:
        return f"is named {quoted}{zone}"
    # What the "…" stands for may end with what to do about it: the zone comes before, or after a ";".
    return f"is named {quoted}, where {stands}" + (f"; it is{zone}" if zone else "")


def parts_of(value: object) -> tuple[str | Ref | Unknown, ...]:
    """A name as lower-cased literal text and symbolic parts, without a trailing dot."""
    raw: tuple[object, ...] = value.parts if isinstance(value, Template) else (value,)
    out: list[str | Ref | Unknown] = []
    for part in raw:
        if isinstance(part, str):
            if out and isinstance(out[-1], str):
                out[-1] += part.lower()
            else:
                out.append(part.lower())
        elif isinstance(part, (Ref, Unknown)):
            out.append(part)
        else:
            out.append(Unknown("not a name"))
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(".")
    return tuple(out)


@lru_cache(maxsize=4096)
def _pattern(name: object) -> re.Pattern[str]:
    """A regular expression for the names a partly known name may take (symbolic parts match anything)."""
    text = "".join(re.escape(p) if isinstance(p, str) else ".*" for p in parts_of(name))
    return re.compile(text, re.DOTALL)


def label_prefixes(wanted: str) -> list[str]:
    """`a.b.example.com` -> a, a.b, a.b.example: the relative names that reach `wanted` from a parent zone."""
    labels = wanted.split(".")
    return [".".join(labels[:i]) for i in range(1, len(labels))]


def could_be(record: DnsRecord, wanted: str) -> bool:
    """Could the record, once its name is known, be named `wanted` (lower case, no trailing dot)?"""
    pattern = _pattern(record.name)
    if pattern.fullmatch(wanted):
        return True
    return record.zone is not None and any(pattern.fullmatch(p) for p in label_prefixes(wanted))


def _name_could_end_with(parts: tuple[str | Ref | Unknown, ...], suffix: str) -> bool:
    if all(isinstance(p, str) for p in parts):
        return "".join(p for p in parts if isinstance(p, str)).endswith(suffix)
    tail = ""
    for part in reversed(parts):
        if not isinstance(part, str):
            break
        tail = part + tail
    return tail.endswith(suffix) if len(tail) >= len(suffix) else suffix.endswith(tail)


def text_could_end_with(value: object, suffix: str) -> bool:
    """Could a partly known text (a record's value), once known, end with `suffix`?"""
    return _name_could_end_with(parts_of(value), suffix)


def could_end_with(record: DnsRecord, suffix: str) -> bool:
    """Could the record's name, once known, end with `suffix` (e.g. `._domainkey.example.com`)?"""
    parts = parts_of(record.name)
    if _name_could_end_with(parts, suffix):
        return True
    if record.zone is None:
        return False
    # Relative to an unknown zone Z: NAME.Z ends with the suffix when Z is a parent domain in it and
    # NAME ends with what comes before Z.
    labels = suffix.split(".")
    for cut in range(1, len(labels)):
        before = ".".join(labels[:cut])
        if before.strip(".") and _name_could_end_with(parts, before):
            return True
    return False


def could_point_to(record: DnsRecord, suffix: str) -> bool:
    """Could one of the record's values, once known, end with `suffix` (a CNAME target's domain)?"""
    if not isinstance(record.values, tuple) or not record.values:
        return True  # values not known (or not given): nothing says it points elsewhere
    return any(text_could_end_with(value, suffix) for value in record.values)
