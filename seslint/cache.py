"""A content-addressed cache of parsed files (HCL, policies) on disk (parse_ahead.py fills it on cold runs).

Keyed by the file's bytes, seslint's version and python-hcl2's version, so an entry can never be
stale; entries are written to a temporary file and renamed into place, so concurrent runs are safe;
the directory can be deleted at any time. Location: $SESLINT_CACHE_DIR, else $XDG_CACHE_HOME/seslint,
else ~/.cache/seslint. SESLINT_CACHE_DIR=off disables it.

It stays small by itself: every edit of a file adds an entry, so each run that writes entries also
removes, from the one shard (of 256) it first writes to, the entries nobody has read for 30 days and
temporary files left by killed runs. An entry read after 7 days is touched, so what is in use stays.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint import __version__


@lru_cache(maxsize=1)
def directory() -> Path | None:
    configured = os.environ.get("SESLINT_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seslint"


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """seslint's version and python-hcl2's, read from its version file without importing it (the
    warm path never loads the parser) nor importlib.metadata (slow to import)."""
    from importlib.util import find_spec

    spec = find_spec("hcl2")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    version_file = origin.with_name("version.py") if origin else None
    hcl2_version = version_file.read_text(encoding="utf-8") if version_file and version_file.exists() else "?"
    return f"seslint {__version__}\n{hcl2_version}\n".encode()


def key(text: str, kind: str = "hcl") -> str:
    return hashlib.sha256(_salt() + kind.encode() + b"\n" + text.encode("utf-8")).hexdigest()


MAX_AGE = 30 * 86400  # seconds an entry may go unread before a run removes it
TOUCH_AFTER = 7 * 86400  # an entry read this long after it was written or touched is touched again
LEFTOVER_AGE = 86400  # temporary files of a killed run


def get(text: str, kind: str = "hcl") -> Any | None:
    folder = directory()
    if folder is None:
        return None
    digest = key(text, kind)
    path = folder / digest[:2] / f"{digest}.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if time.time() - path.stat().st_mtime > TOUCH_AFTER:
            os.utime(path)
    except (OSError, ValueError):
        return None
    return document


def contains(text: str, kind: str = "hcl") -> bool:
    """Whether an entry exists, without reading it (a damaged one is found, and replaced, when read)."""
    folder = directory()
    if folder is None:
        return False
    digest = key(text, kind)
    return (folder / digest[:2] / f"{digest}.json").is_file()


_PRUNED: list[Path] = []  # the shard this process has pruned (one per process)


def prune(shard: Path, now: float | None = None) -> None:
    """Remove entries unread for MAX_AGE and leftovers of killed runs from one shard directory."""
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(shard))
    except OSError:
        return
    for entry in entries:
        try:
            age = now - entry.stat().st_mtime
            if (entry.name.endswith(".json") and age > MAX_AGE) or (
                entry.name.startswith((".tmp-", ".files-")) and age > LEFTOVER_AGE
            ):
                os.unlink(entry.path)
        except OSError:
            continue  # another run removed or replaced it


def put(text: str, document: Any, kind: str = "hcl") -> None:
    folder = directory()
    if folder is None:
        return
    import tempfile  # not before the fork of a cold run (parse_ahead): ~3 ms

    digest = key(text, kind)
    target = folder / digest[:2] / f"{digest}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, separators=(",", ":"))
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        return  # a cache that cannot be written only costs time
    if not _PRUNED:
        _PRUNED.append(target.parent)
        prune(target.parent)
        prune(folder)  # lists of files a killed run left for its parse-ahead child


class HclSyntaxError(Exception):
    """python-hcl2 could not parse a file: the first line of its message and the line it names."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def syntax_reason(exc: Exception) -> str:
    """What a parse error says, quoting at most a short excerpt of the file: lark's message quotes the
    whole rest of the file as one token when the file is not HCL at all (a linked credentials file)."""
    from seslint.untrusted import excerpt

    token = getattr(exc, "token", None)
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    where = f" at line {line}, column {column}" if isinstance(line, int) else ""
    if token is not None and hasattr(token, "type"):
        if token.type == "$END":
            return f"unexpected end of file{where}"
        return f"unexpected {token.type} '{excerpt(str(token), 30)}'{where}"
    char = getattr(exc, "char", None)
    if isinstance(char, str):
        return f"unexpected character '{excerpt(char)}'{where}"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return excerpt(first, 120)


_SYNTAX_ERROR = "__seslint_syntax_error__"  # a cached failure: a file that stays broken costs one parse


def parse_hcl(text: str) -> Any:
    """hcl2.loads through the cache; raises HclSyntaxError for bad syntax, fresh or cached."""
    cached = get(text)
    if isinstance(cached, dict) and _SYNTAX_ERROR in cached:
        failure = cached[_SYNTAX_ERROR]
        raise HclSyntaxError(str(failure.get("reason")), failure.get("line"))
    if cached is not None:
        return cached
    import hcl2

    try:
        document = hcl2.loads(text)
    except Exception as exc:  # python-hcl2 raises lark errors of many kinds for bad syntax
        line = getattr(exc, "line", None)
        failure = HclSyntaxError(syntax_reason(exc), line if isinstance(line, int) and line > 0 else None)
        if not isinstance(exc, (RecursionError, MemoryError)):  # those depend on this process's limits
            put(text, {_SYNTAX_ERROR: {"reason": failure.reason, "line": failure.line}})
        raise failure from exc
    put(text, document)
    return document
