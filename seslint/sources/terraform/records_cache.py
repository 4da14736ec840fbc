"""The DNS records of the roots pre-commit reads only for their records, kept between runs.

Pre-commit judges the roots of the changed files and reads the repository's other roots for the DNS
records they declare (dns_view.py). On a repository of many roots, evaluating those roots, not the
judged ones, is most of a warm run. A root's records depend only on the text of the files it evaluates
(every module of its closure and its automatic variables files), on where it lies, on the directory
paths are shown from, and on seslint's code; the key (tree.py, `records_key`) is made of exactly those,
so a change to any of them is a new entry. A root the text scan cannot account for (a module from the
registry or git, a file that could not be read, modules `terraform init` installed) is evaluated on
every run, never cached.

Entries are JSON in the parse cache (cache.py, which makes sure the directory is the user's alone).
Only the model classes below are rebuilt from an entry, each from its own fields, so an entry can hold
nothing else; a wrong one is a miss, as every cache entry.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from seslint import cache
from seslint.model import DnsRecord, Location, Ref, Template, Unknown

KIND = cache.RECORDS
_CLASSES: dict[str, type[Any]] = {c.__name__: c for c in (DnsRecord, Location, Ref, Template, Unknown)}


class _NotStorable(TypeError):
    pass


def load(key: str) -> tuple[DnsRecord, ...] | None:
    """The records stored under `key`, or None (not stored, or not an entry this code can rebuild)."""
    stored = cache.get(key, KIND)
    if not isinstance(stored, list):
        return None
    try:
        records = tuple(_decode(item) for item in stored)
    except (KeyError, TypeError, ValueError, RecursionError):
        return None
    return records if all(type(r) is DnsRecord for r in records) else None


def store(key: str, records: tuple[DnsRecord, ...]) -> None:
    try:
        encoded = [_encode(r) for r in records]
    except _NotStorable:
        return  # a value this codec does not know: the root is evaluated again next time
    cache.put(key, encoded, KIND)


def _encode(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool):
        return value
    if type(value) is tuple:
        return [_encode(v) for v in value]
    if is_dataclass(value) and _CLASSES.get(type(value).__name__) is type(value):
        encoded = {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
        return {"$": type(value).__name__, **encoded}
    raise _NotStorable(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)  # the model holds tuples, never lists
    if isinstance(value, dict):
        cls = _CLASSES[value["$"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "$"})
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(type(value).__name__)
