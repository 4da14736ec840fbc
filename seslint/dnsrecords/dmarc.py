"""DMARC records: parse them as RFC 7489's grammar (section 6.4) reads, and say what is wrong.

The grammar, as it bears on a record:
- `dmarc-record = dmarc-version dmarc-sep [dmarc-request] [dmarc-sep dmarc-srequest] ...`: the
  version first, then `p` right after it; the other tags in any order. A record whose `p` comes
  later does not match the grammar: invalid.
- Tag names are ABNF quoted strings ("p", "rua"), which RFC 5234 makes case-insensitive: `V=DMARC1`
  and `P=reject` are valid; so are the quoted values (`p=Reject`, `adkim=S`, `rf=AFRF`).
- The version value is `%x44 %x4d %x41 %x52 %x43 %x31`: exactly `DMARC1`, case-sensitive.
- `dmarc-sep = *WSP ";" *WSP`, and `*WSP "=" *WSP` in every tag: whitespace around `;` and `=`
  is allowed; one `;` may end the record.
- `rf` is a colon-separated list of report formats: `afrf` (RFC 7489) or `iodef` (the other format
  receivers such as OpenDMARC know); anything else is invalid.
- Section 6.3: unknown tags MUST be ignored (a warning here, never an error); a tag that appears twice
  makes the record unusable.
Only TXT records starting with `v=DMARC1` are DMARC records at all (section 6.6.3); `is_dmarc` is
more lenient (case, spaces) so that a broken DMARC record is reported invalid, not overlooked.

Where DMARCbis (RFC 9989, which obsoletes RFC 7489) reads differently, and what seslint follows:
| point | RFC 7489 | RFC 9989 | seslint |
|---|---|---|---|
| `p` position | right after `v` | any order | RFC 7489 (SES121): receivers of the old grammar exist |
| `p` missing | record invalid | same as `p=none` | RFC 7489 (SES121 fails) |
| `pct` | 0-100, sampling rate | removed (`t=y` for testing) | RFC 7489: SES121 checks it, SES122 requires `require.dmarc.pct` |
| `rf`, `ri` | defined | removed, ignored | RFC 7489 (SES121 checks their values) |
| `np`, `psd`, `t` | unknown tags (`np`: RFC 9091) | defined | `np` checked as RFC 9091 defines it; `psd`, `t` accepted unchecked |
| `fo=0:1` | valid | 0 and 1 exclusive | RFC 7489 (valid) |
| policy discovery | organisational domain by Public Suffix List | DNS tree walk | RFC 7489 (SES120, rules/dmarc.py) |
A record valid under RFC 7489 is valid under RFC 9989 except `fo=0:1`; the converse does not hold,
so judging by RFC 7489 never passes a record a receiver of either kind would reject, bar that one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

POLICIES = ("none", "quarantine", "reject")
STRENGTH = {name: rank for rank, name in enumerate(POLICIES)}
# RFC 7489 tags, np (RFC 9091), and the DMARCbis tags psd and t (not checked: see the docstring).
KNOWN_TAGS = ("v", "p", "sp", "pct", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri", "np", "psd", "t")
REPORT_FORMATS = ("afrf", "iodef")
VERSION = "DMARC1"
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# DMARC URI (RFC 7489 6.2): a URI, optionally "!" size with a unit k, m, g or t.
_URI = re.compile(r"^(?P<uri>[A-Za-z][A-Za-z0-9+.-]*:[^!,\s]+)(?:!(?P<size>\d+)(?P<unit>[kmgt])?)?$")
_MAILTO = re.compile(r"^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Dmarc:
    """A parsed DMARC record: tags by lower-cased name with their values as written, what makes it
    invalid (errors) and what a receiver ignores (warnings)."""

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

    Lenient on purpose (case, spaces): a broken DMARC record is then reported by `parse`."""
    return "".join(text.split()).lower().startswith("v=dmarc1")


def parse(text: str) -> Dmarc:
    errors: list[str] = []
    warnings: list[str] = []
    tags: dict[str, str] = {}
    order: list[str] = []
    pieces = [p.strip() for p in text.strip().split(";")]
    if pieces and pieces[-1] == "":
        pieces.pop()  # one ";" may end the record
    if not pieces:
        return Dmarc(errors=(f'the record is empty; it must start with "v={VERSION}"',))
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
        key = name.lower()  # tag names are case-insensitive (RFC 5234 quoted strings)
        if key in tags:
            errors.append(f"tag {key} appears more than once")
            continue
        tags[key] = value
        order.append(key)
        if index == 0 and key != "v":
            errors.append(f'the record must start with "v={VERSION}"')
        elif index > 0 and key == "v":
            errors.append('"v" must be the first tag')
        elif key not in KNOWN_TAGS:
            warnings.append(f"unknown tag {key} (receivers ignore it)")
    if "p" in tags and order.index("p") != 1 and order[:1] == ["v"]:
        errors.append(
            f'tag p must come right after "v={VERSION}" (RFC 7489 6.4; DMARCbis, RFC 9989, allows any order)'
        )
    errors.extend(_check_values(tags))
    return Dmarc(tags=tags, errors=tuple(errors), warnings=tuple(warnings))


def _check_values(tags: dict[str, str]) -> list[str]:
    errors: list[str] = []
    if "v" in tags and tags["v"] != VERSION:
        errors.append(f"the version must be exactly {VERSION} (case matters), not {tags['v']!r}")
    if "p" not in tags:
        errors.append("required tag p (policy) is missing")
    elif tags["p"].lower() not in POLICIES:
        errors.append(f"p={tags['p']} is not one of none, quarantine, reject")
    for tag in ("sp", "np"):
        if tag in tags and tags[tag].lower() not in POLICIES:
            errors.append(f"{tag}={tags[tag]} is not one of none, quarantine, reject")
    if "pct" in tags and not (re.fullmatch(r"\d{1,3}", tags["pct"]) and int(tags["pct"]) <= 100):
        errors.append(f"pct={tags['pct']} is not an integer from 0 to 100")
    for tag in ("adkim", "aspf"):
        if tag in tags and tags[tag].lower() not in ("r", "s"):
            errors.append(f"{tag}={tags[tag]} is not r (relaxed) or s (strict)")
    if "ri" in tags and not tags["ri"].isdigit():
        errors.append(f"ri={tags['ri']} is not a number of seconds")
    if "fo" in tags and not all(o.strip().lower() in ("0", "1", "d", "s") for o in tags["fo"].split(":")):
        errors.append(f"fo={tags['fo']} must be a colon-separated list of 0, 1, d, s")
    if "rf" in tags and not all(f.strip().lower() in REPORT_FORMATS for f in tags["rf"].split(":")):
        errors.append(f"rf={tags['rf']} must be a colon-separated list of afrf, iodef")
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
