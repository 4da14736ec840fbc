"""Record names as the DNS providers build them from a record's `name` and its zone.

- hashicorp/aws `aws_route53_record`: the name is lower-cased and its trailing dot dropped; unless it
  then ends with the zone's name (a plain string suffix, as the provider's expandRecordName tests it),
  `.ZONE` is appended; an empty name is the zone apex.
- cloudflare `cloudflare_record` (v4) and `cloudflare_dns_record` (v5): `@` is the apex; a name that is
  the zone's name or ends with `.ZONE` is kept; anything else is relative and the API appends `.ZONE`
  (v5 documents the full name, and its API qualifies a relative one the same way).

Names may be partly known (`${token}._domainkey`): they are handled as parts, literal text and
symbolic values (Ref, Unknown). Where a symbolic part decides whether the zone is appended, the result
keeps that doubt as an Unknown part before the zone's name (the name ends with the zone either way), so
it can still be matched as a pattern, never as a value.
"""

from __future__ import annotations

from typing import TypeAlias

from seslint.model import Ref, Template, Unknown

Name: TypeAlias = str | Template | Unknown | Ref
Part: TypeAlias = str | Ref | Unknown


def name_parts(value: object) -> tuple[Part, ...] | None:
    """A name value as parts; None for a value that is not a name (None, a list...)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Template):
        return value.parts
    if isinstance(value, (Ref, Unknown)):
        return (value,)
    return None


def join(parts: tuple[Part, ...] | list[Part]) -> Name:
    """Parts back into a value: a str when all are literal, a Template otherwise (text merged)."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += part
                continue
        merged.append(part)
    if all(isinstance(p, str) for p in merged):
        return "".join(p for p in merged if isinstance(p, str))
    if len(merged) == 1 and isinstance(merged[0], (Ref, Unknown)):
        return merged[0]
    return Template(tuple(merged))


def normal(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """DNS spelling: literal text lower-cased (DNS names compare case-blind), a trailing dot dropped."""
    out: list[Part] = [p.lower() if isinstance(p, str) else p for p in parts]
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(".")
    return tuple(out)


def literal(parts: tuple[Part, ...]) -> str | None:
    return "".join(p for p in parts if isinstance(p, str)) if all(isinstance(p, str) for p in parts) else None


def tail(parts: tuple[Part, ...]) -> str:
    """The literal text after the last symbolic part (all of it for a literal name)."""
    text = ""
    for part in reversed(parts):
        if not isinstance(part, str):
            break
        text = part + text
    return text


def ends_with(name: tuple[Part, ...], suffix: tuple[Part, ...]) -> bool | None:
    """Does the name end with the suffix? None when symbolic parts decide it."""
    whole_name, whole_suffix = literal(name), literal(suffix)
    if whole_name is not None and whole_suffix is not None:
        return whole_name.endswith(whole_suffix)
    name_tail, suffix_tail = tail(name), tail(suffix)
    shorter, longer = sorted((name_tail, suffix_tail), key=len)
    if not longer.endswith(shorter):
        return False  # the known ends already differ
    if whole_suffix is not None and len(name_tail) >= len(whole_suffix):
        return name_tail.endswith(whole_suffix)
    return None


def qualify(name: object, zone: object, *, labelwise: bool, what: str) -> Name:
    """The record's full name, from its `name` and its zone's name (both as the configuration gives them).

    `labelwise`: Cloudflare's rule (the zone is a whole-label suffix, `@` the apex) rather than Route53's
    string suffix. `what` names the record in the reason of an Unknown part.
    """
    zone_parts = name_parts(zone)
    parts = name_parts(name)
    if zone_parts is None:
        raise ValueError("qualify needs a zone name")
    zone_parts = normal(zone_parts)
    if parts is None:
        return Unknown(f"{what} has no name")
    parts = normal(parts)
    if labelwise and parts == ("@",):
        return join(zone_parts)
    if parts in ((), ("",)):
        return join(zone_parts)
    # Cloudflare: "x.example.com" keeps its name in zone example.com, "xexample.com" does not.
    decided = ends_with((".", *parts), (".", *zone_parts)) if labelwise else ends_with(parts, zone_parts)
    if decided is True:
        return join(parts)
    if decided is False:
        return join((*parts, ".", *zone_parts))
    doubt = Unknown(
        f"{what}: the provider appends the zone name {join(zone_parts)} unless the name already ends "
        "with it, and which is the case is not known"
    )
    # Either way the full name ends with the zone's name: NAME, or NAME.ZONE.
    return join((*parts, doubt, *zone_parts))


def relative_to(wanted: str, name: str) -> str | None:
    """The zone that turns the relative `name` into `wanted` (both lower case), or None if none does."""
    if wanted.startswith(name + ".") and len(wanted) > len(name) + 1:
        return wanted[len(name) + 1 :]
    return None
