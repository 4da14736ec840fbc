"""The organisational domain of a name (RFC 7489 3.2), from the Public Suffix List.

The list is the publicsuffixlist package's (refreshed with its releases); nothing is downloaded at
run time. The package parses its whole list when built, IDNA-encoding every rule (about 0.1 s), so:

- a name of one label, or with an empty label, is its own organisational domain whatever the rules
  say (the package answers None for it), and is answered without the list;
- otherwise the list is built once per seslint cache directory: the parsed object's state is kept
  there as JSON (data only: a damaged or foreign entry is rebuilt, never executed), keyed by the
  package's version and the hash of its list file, and later runs restore it (a few milliseconds).
  A package version whose state is not plain data (sets of strings, numbers, booleans) is simply
  built every run.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

_FORMAT = "publicsuffixlist state 1"  # the key of the compiled form; change it when _state changes
_SET = "__set__"
_FROZENSET = "__frozenset__"


def organisational_domain(name: str) -> str:
    """example.co.uk for mail.example.co.uk; the name itself when it is a public suffix or unknown."""
    name = name.strip().rstrip(".").lower()
    labels = name.split(".")
    if len(labels) < 2 or "" in labels:
        return name  # what the list answers for these, whatever its rules: see _countpublic
    found = suffix_list().privatesuffix(name)
    return str(found) if found else name


@lru_cache(maxsize=1)
def suffix_list() -> Any:
    """The package's PublicSuffixList: restored from its compiled form, or built (and compiled)."""
    import publicsuffixlist

    key = _key(publicsuffixlist)
    if key is None:
        return publicsuffixlist.PublicSuffixList()
    from seslint import cache

    restored = _restore(publicsuffixlist.PublicSuffixList, cache.get(key, "psl"))
    if restored is not None:
        return restored
    built = publicsuffixlist.PublicSuffixList()
    state = _state(built)
    if state is not None:
        cache.put(key, state, "psl")
    return built


def _key(package: Any) -> str | None:
    """The package's version and its list file's hash: a compiled form is never stale."""
    try:
        with open(package.PSLFILE, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except (AttributeError, OSError, TypeError):
        return None
    return f"{_FORMAT}\n{getattr(package, '__version__', '?')}\n{digest}"


def _state(psl: Any) -> dict[str, Any] | None:
    """The object's attributes as JSON data, or None when one is not plain data."""
    try:
        attributes = vars(psl)
    except TypeError:
        return None
    state: dict[str, Any] = {}
    for name, value in attributes.items():
        if value is None or isinstance(value, (bool, int, str)):
            state[name] = value
        elif isinstance(value, (set, frozenset)) and all(isinstance(v, str) for v in value):
            state[name] = {_FROZENSET if isinstance(value, frozenset) else _SET: sorted(value)}
        else:
            return None
    return state


def _restore(cls: Any, state: Any) -> Any | None:
    """An object of `cls` with `state` as its attributes, or None when `state` is not a valid one."""
    if not isinstance(state, dict) or not state:
        return None
    attributes: dict[str, Any] = {}
    for name, value in state.items():
        if value is None or isinstance(value, (bool, int, str)):
            attributes[name] = value
            continue
        if not (isinstance(value, dict) and len(value) == 1):
            return None
        [(kind, items)] = value.items()
        if kind not in (_SET, _FROZENSET) or not isinstance(items, list):
            return None
        if not set(map(type, items)) <= {str}:
            return None
        attributes[name] = frozenset(items) if kind == _FROZENSET else set(items)
    obj = cls.__new__(cls)
    vars(obj).update(attributes)
    return obj
