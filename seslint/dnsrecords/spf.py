"""SPF records (RFC 7208): parse, explain syntax problems, count DNS lookups through includes.

`parse` judges one record's syntax (section 4.6, 5, 6, 7 for macros). `count_lookups` follows
include and redirect through a resolver callback, counting the terms that cost a DNS lookup
(include, a, mx, ptr, exists, redirect: section 4.6.4, limit 10) and the void lookups (limit 2).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
LOOKUP_TERMS = ("include", "a", "mx", "ptr", "exists", "redirect")
LOOKUP_LIMIT = 10
VOID_LIMIT = 2
_QUALIFIERS = "+-~?"
_MODIFIER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
# A macro (RFC 7208 7.1): %{ letter [digits] [r] [delimiters] }, or %%, %_, %-.
_MACRO = re.compile(r"%(?:\{(?P<letter>[A-Za-z])(?P<digits>\d*)(?P<r>[rR]?)(?P<delims>[.\-+,/_=]*)\}|[%_-])")
_MACRO_LETTERS = set("slodiphcrtvSLODIPHCRTV")
_EXP_ONLY = set("crtCRT")


@dataclass(frozen=True)
class Term:
    qualifier: str  # "+", "-", "~", "?" ("" for modifiers)
    name: str  # mechanism or modifier name, lower-cased
    value: str  # domain-spec, network, or modifier value ("" if none)
    modifier: bool = False


@dataclass(frozen=True)
class Spf:
    terms: tuple[Term, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors

    def modifier(self, name: str) -> str | None:
        return next((t.value for t in self.terms if t.modifier and t.name == name), None)

    @property
    def all_qualifier(self) -> str | None:
        return next((t.qualifier for t in self.terms if t.name == "all" and not t.modifier), None)

    def includes(self, domain: str) -> bool:
        wanted = domain.lower().rstrip(".")
        return any(t.name == "include" and t.value.lower().rstrip(".") == wanted for t in self.terms)


def is_spf(text: str) -> bool:
    """Is this TXT record an SPF record (version section 4.5: 'v=spf1' then a space or the end)?"""
    lowered = text.strip().lower()
    return lowered == "v=spf1" or lowered.startswith("v=spf1 ")


def parse(text: str) -> Spf:
    # RFC 7208 3.1 / 4.6.1: records are 7-bit ASCII and terms are separated by spaces only.
    odd = next((c for c in text if not (c == " " or 33 <= ord(c) <= 126)), None)
    if odd is not None:
        return Spf(errors=(f"the record holds {odd!r}: SPF records are 7-bit ASCII separated by spaces",))
    words = text.strip().split(" ")
    words = [w for w in words if w]
    if not words or words[0].lower() != "v=spf1":
        return Spf(errors=('the record must start with "v=spf1"',))
    terms: list[Term] = []
    errors: list[str] = []
    for word in words[1:]:
        term, problem = _term(word)
        if problem:
            errors.append(problem)
        elif term is not None:
            terms.append(term)
    for name in ("redirect", "exp"):
        if sum(t.modifier and t.name == name for t in terms) > 1:
            errors.append(f"modifier {name} appears more than once")
    return Spf(terms=tuple(terms), errors=tuple(errors))


def _term(word: str) -> tuple[Term | None, str | None]:
    match = re.match(r"^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$", word)
    if match:
        name, value = match.group(1).lower(), match.group(2)
        if name in MECHANISMS:
            return None, f"{word!r}: {name} is a mechanism, written {name}:VALUE, not {name}=VALUE"
        problem = _macro_string(value, allow_exp=(name == "exp"), what=word)
        if name in ("redirect", "exp") and not problem:
            problem = _domain_spec(value, word)
        return Term("", name, value, modifier=True), problem
    qualifier = "+"
    if word[0] in _QUALIFIERS:
        qualifier, word = word[0], word[1:]
    match = re.match(r"^([A-Za-z][A-Za-z0-9]*)(.*)$", word)
    if not match or match.group(1).lower() not in MECHANISMS:
        return None, f"{qualifier if qualifier != '+' else ''}{word!r} is not a mechanism or modifier"
    name, rest = match.group(1).lower(), match.group(2)
    return _mechanism(qualifier, name, rest, word)


def _mechanism(qualifier: str, name: str, rest: str, word: str) -> tuple[Term | None, str | None]:
    if name == "all":
        return Term(qualifier, name, ""), (f"{word!r}: all takes no value" if rest else None)
    if name in ("ip4", "ip6"):
        if not rest.startswith(":"):
            return None, f"{word!r}: {name} needs an address ({name}:ADDRESS[/PREFIX])"
        return Term(qualifier, name, rest[1:]), _network(name, rest[1:], word)
    if name in ("include", "exists"):
        if not rest.startswith(":") or len(rest) == 1:
            return None, f"{word!r}: {name} needs a domain ({name}:DOMAIN)"
        return Term(qualifier, name, rest[1:]), _domain_spec(rest[1:], word)
    # a, mx, ptr: optional ":domain", then optional dual CIDR ("/24", "//64", "/24//64"); ptr takes no CIDR.
    domain, cidr = rest, ""
    cut = re.search(r"(/\d*(?://\d*)?|//\d*)$", rest)
    if cut and name != "ptr":
        domain, cidr = rest[: cut.start()], cut.group(1)
    if domain and not domain.startswith(":"):
        return None, f"{word!r} is not a valid {name} mechanism"
    if cidr and not re.fullmatch(r"(/(\d|[12]\d|3[0-2]))?(//(\d{1,2}|1[01]\d|12[0-8]))?", cidr):
        return None, f"{word!r}: bad CIDR length {cidr!r}"
    value = domain[1:] if domain else ""
    if domain and not value:
        return None, f"{word!r}: empty domain after ':'"
    return Term(qualifier, name, value), _domain_spec(value, word) if value else None


def _network(name: str, value: str, word: str) -> str | None:
    address, _, prefix = value.partition("/")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"{word!r}: {address!r} is not an IP address"
    if (name == "ip4") != (parsed.version == 4):
        return f"{word!r}: {address} is not an IPv{4 if name == 'ip4' else 6} address"
    limit = 32 if name == "ip4" else 128
    if prefix and not (prefix.isdigit() and 0 <= int(prefix) <= limit and prefix == str(int(prefix))):
        return f"{word!r}: prefix /{prefix} is not between 0 and {limit}"
    return None


def _macro_string(value: str, allow_exp: bool, what: str) -> str | None:
    position = 0
    while True:
        percent = value.find("%", position)
        if percent < 0:
            return None
        match = _MACRO.match(value, percent)
        if not match:
            return f"{what!r}: bad macro at {value[percent : percent + 4]!r}"
        letter = match.group("letter")
        if letter:
            if letter not in _MACRO_LETTERS:
                return f"{what!r}: unknown macro letter {letter!r}"
            if letter in _EXP_ONLY and not allow_exp:
                return f"{what!r}: macro letter {letter!r} is allowed only in exp"
            if match.group("digits") and int(match.group("digits")) == 0:
                return f"{what!r}: macro transformer digits must not be 0"
        position = match.end()


def _domain_spec(value: str, word: str) -> str | None:
    problem = _macro_string(value, allow_exp=False, what=word)
    if problem:
        return problem
    if "%" in value:
        return None  # expanded at evaluation time; its shape cannot be judged now
    labels = value.rstrip(".").split(".")
    if len(labels) < 2 or any(not label for label in labels):
        return f"{word!r}: {value!r} is not a fully qualified domain"
    if not re.fullmatch(r"[A-Za-z0-9-]+|\*", labels[-1]) or labels[-1].isdigit():
        return f"{word!r}: {value!r} does not end in a valid top-level label"
    return None


@dataclass
class LookupCount:
    """How many DNS lookups an SPF check would make, and what could not be followed."""

    lookups: int = 0
    voids: int = 0
    unknown: list[str] = field(default_factory=list)  # includes that could not be resolved
    errors: list[str] = field(default_factory=list)  # problems found in included records


Resolver = Callable[[str], "list[str] | None"]
"""domain -> the TXT strings there ([] for NXDOMAIN/NODATA), or None when it cannot be known."""


def count_lookups(record: Spf, resolve: Resolver, *, origin: str = "") -> LookupCount:
    """Count lookups through include and redirect chains (each domain followed once: loops end)."""
    count = LookupCount()
    _walk(record, resolve, count, seen={origin.lower()} if origin else set(), depth=0)
    return count


def _walk(record: Spf, resolve: Resolver, count: LookupCount, seen: set[str], depth: int) -> None:
    if depth > LOOKUP_LIMIT:
        return  # deeper than the limit allows: the count is already over
    targets = [t for t in record.terms if t.name in LOOKUP_TERMS]
    for term in targets:
        count.lookups += 1
        if term.name not in ("include", "redirect") or "%" in term.value:
            continue
        domain = term.value.lower().rstrip(".")
        if domain in seen:
            count.errors.append(f"{term.name}:{domain} loops back to a record already included")
            continue
        seen.add(domain)
        texts = resolve(domain)
        if texts is None:
            count.unknown.append(domain)
            continue
        spf = [t for t in texts if is_spf(t)]
        if not spf:
            count.voids += 1
            count.errors.append(f"{term.name}:{domain} has no SPF record (a permanent error when evaluated)")
            continue
        if len(spf) > 1:
            count.errors.append(f"{term.name}:{domain} has {len(spf)} SPF records")
            continue
        _walk(parse(spf[0]), resolve, count, seen, depth + 1)
