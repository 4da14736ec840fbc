"""DMARC records (RFC 7489, section 6.3 and 6.4): parse and explain what is wrong.

Only records whose first tag is `v=DMARC1` are DMARC records at all (RFC 7489 6.6.3: others are
discarded). Errors make a record invalid; warnings (unknown tags, which receivers must ignore) do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

POLICIES = ("none", "quarantine", "reject")
STRENGTH = {name: rank for rank, name in enumerate(POLICIES)}
KNOWN_TAGS = ("v", "p", "sp", "pct", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri", "np", "psd", "t")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# DMARC URI (RFC 7489 6.2): a URI, optionally "!" size with a unit k, m, g or t.
_URI = re.compile(r"^(?P<uri>[A-Za-z][A-Za-z0-9+.-]*:[^!,\s]+)(?:!(?P<size>\d+)(?P<unit>[kmgt])?)?$")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Dmarc:
    """A parsed DMARC record: tags as written (lower-cased names), and what is wrong with it."""

    tags: dict[str, str] = field(default_factory=dict)
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def policy(self) -> str | None:
        value = self.tags.get("p", "").lower()
        return value if value in POLICIES else None

    @property
    def subdomain_policy(self) -> str | None:
        value = self.tags.get("sp", "").lower()
        return value if value in POLICIES else self.policy

    @property
    def pct(self) -> int:
        value = self.tags.get("pct", "100")
        return int(value) if value.isdigit() else 100

    @property
    def rua(self) -> tuple[str, ...]:
        return tuple(u.strip() for u in self.tags.get("rua", "").split(",") if u.strip())


def is_dmarc(text: str) -> bool:
    """Does this TXT record claim to be DMARC (starts with v=DMARC1)? Other TXT records are ignored.

    The test is lenient (case, spaces) so that a broken DMARC record is reported as invalid rather
    than overlooked; `parse` then says what is wrong with it.
    """
    return "".join(text.split()).lower().startswith("v=dmarc1")


def parse(text: str) -> Dmarc:
    errors: list[str] = []
    warnings: list[str] = []
    tags: dict[str, str] = {}
    pieces = [p.strip() for p in text.strip().split(";")]
    if pieces and pieces[-1] == "":
        pieces.pop()  # a trailing ";" is allowed
    for index, piece in enumerate(pieces):
        if not piece:
            errors.append(f"empty tag at position {index + 1}")
            continue
        if "=" not in piece:
            errors.append(f"{piece!r} is not a tag=value pair")
            continue
        name, value = (s.strip() for s in piece.split("=", 1))
        if not _TAG.match(name):
            errors.append(f"{name!r} is not a valid tag name")
            continue
        key = name.lower()
        if key in tags:
            errors.append(f"tag {key} appears more than once")
            continue
        tags[key] = value
        if index == 0 and not (name == "v" and value == "DMARC1"):
            errors.append('the record must start with "v=DMARC1"')
        elif index > 0 and key == "v":
            errors.append('"v" must be the first tag')
        elif key not in KNOWN_TAGS:
            warnings.append(f"unknown tag {key} (receivers ignore it)")
    if not pieces:
        errors.append('the record is empty; it must start with "v=DMARC1"')
    errors.extend(_check_values(tags))
    if "p" in tags and _index(pieces, "p") != 1:
        # RFC 7489's grammar puts p right after v; receivers accept other orders, so only warn.
        warnings.append('tag "p" should come right after "v=DMARC1"')
    return Dmarc(tags=tags, errors=tuple(errors), warnings=tuple(warnings))


def _index(pieces: list[str], tag: str) -> int | None:
    for index, piece in enumerate(pieces):
        if piece.split("=", 1)[0].strip().lower() == tag:
            return index
    return None


def _check_values(tags: dict[str, str]) -> list[str]:
    errors: list[str] = []
    if "v" in tags and tags["v"] != "DMARC1" and tags["v"].upper() == "DMARC1":
        errors.append(f'version must be written "DMARC1", not {tags["v"]!r}')
    if "p" not in tags:
        errors.append("required tag p (policy) is missing")
    elif tags["p"].lower() not in POLICIES:
        errors.append(f"p={tags['p']} is not one of none, quarantine, reject")
    for tag in ("sp", "np"):
        if tag in tags and tags[tag].lower() not in POLICIES:
            errors.append(f"{tag}={tags[tag]} is not one of none, quarantine, reject")
    if "pct" in tags and not (tags["pct"].isdigit() and 0 <= int(tags["pct"]) <= 100):
        errors.append(f"pct={tags['pct']} is not an integer from 0 to 100")
    for tag in ("adkim", "aspf"):
        if tag in tags and tags[tag].lower() not in ("r", "s"):
            errors.append(f"{tag}={tags[tag]} is not r (relaxed) or s (strict)")
    if "ri" in tags and not tags["ri"].isdigit():
        errors.append(f"ri={tags['ri']} is not a number of seconds")
    if "fo" in tags and not all(o.strip() in ("0", "1", "d", "s") for o in tags["fo"].split(":")):
        errors.append(f"fo={tags['fo']} must be a colon-separated list of 0, 1, d, s")
    for tag in ("rua", "ruf"):
        if tag in tags:
            errors.extend(_check_uris(tag, tags[tag]))
    return errors


def _check_uris(tag: str, value: str) -> list[str]:
    errors = []
    uris = [u.strip() for u in value.split(",")]
    if not any(uris):
        return [f"{tag} is empty"]
    for uri in uris:
        match = _URI.match(uri)
        if not match:
            errors.append(f"{tag}: {uri!r} is not a URI")
        elif match.group("uri").lower().startswith("mailto:") and not _MAILTO.match(match.group("uri")):
            errors.append(f"{tag}: {uri!r} is not a valid mailto: address")
    return errors


def weaker(actual: str | None, required: str) -> bool:
    """Is policy `actual` weaker than `required` (none < quarantine < reject)?"""
    return actual is None or STRENGTH[actual] < STRENGTH[required]
