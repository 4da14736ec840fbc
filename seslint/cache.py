"""A content-addressed cache of parsed files (HCL, policies) on disk, and parallel parsing for cold runs.

Keyed by the file's bytes, seslint's version and python-hcl2's version, so an entry can never be
stale; entries are written to a temporary file and renamed into place, so concurrent runs are safe;
the directory can be deleted at any time. Location: $SESLINT_CACHE_DIR, else $XDG_CACHE_HOME/seslint,
else ~/.cache/seslint. SESLINT_CACHE_DIR=off disables it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint import __version__

PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves


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


def get(text: str, kind: str = "hcl") -> Any | None:
    folder = directory()
    if folder is None:
        return None
    digest = key(text, kind)
    try:
        return json.loads((folder / digest[:2] / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(text: str, document: Any, kind: str = "hcl") -> None:
    folder = directory()
    if folder is None:
        return
    digest = key(text, kind)
    target = folder / digest[:2] / f"{digest}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, separators=(",", ":"))
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


class HclSyntaxError(Exception):
    """python-hcl2 could not parse a file: the first line of its message and the line it names."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


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
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        failure = HclSyntaxError(reason, line if isinstance(line, int) and line > 0 else None)
        if not isinstance(exc, (RecursionError, MemoryError)):  # those depend on this process's limits
            put(text, {_SYNTAX_ERROR: {"reason": failure.reason, "line": failure.line}})
        raise failure from exc
    put(text, document)
    return document


def _parse_one(path: str) -> None:
    with contextlib.suppress(Exception):  # the real read reports every problem with its file and line
        parse_hcl(Path(path).read_bytes().decode("utf-8-sig"))


def _missing(paths: list[Path], max_bytes: int) -> list[str]:
    """The files worth parsing ahead: not cached, and ones the real read will parse (not too large,
    UTF-8, no NUL byte)."""
    missing = []
    for path in paths:
        try:
            if path.stat().st_size > max_bytes:
                continue
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "\x00" not in text and get(text) is None:
            missing.append(str(path))
    return missing


def _parse_all(missing: list[str]) -> None:
    workers = os.cpu_count() or 1
    if len(missing) < PARALLEL_FROM or workers < 2:
        for path in missing:
            _parse_one(path)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs ~8 ms to import

    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_parse_one, missing, chunksize=16))


def warm(paths: list[Path], max_bytes: int) -> None:
    """Parse files not in the cache yet across all cores (cold runs on large trees)."""
    if directory() is None:
        return
    missing = _missing([p for p in paths if p.name.endswith(".tf")], max_bytes)
    if len(missing) >= PARALLEL_FROM:
        _parse_all(missing)


def _nothing() -> None:
    return None


def warm_in_background(paths: list[Path], max_bytes: int) -> Callable[[], None]:
    """Start parsing the .tf files that are not in the cache in a forked child, and return the
    function that waits for it.

    A cold run spends most of its time loading python-hcl2's parser and parsing; the parent spends
    about as long importing the rules and loading the policy. Forking lets the two overlap on a
    machine with two cores or more. Without fork (Windows), with one core, with threads running
    (fork would copy their locks) or with the cache off (the child could not hand its results back),
    this is `warm`, run when waited for.
    """
    wanted = [p for p in paths if p.name.endswith(".tf")]
    if directory() is None or not wanted:
        return _nothing
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return lambda: warm(wanted, max_bytes)
    missing = _missing(wanted, max_bytes)
    if not missing:
        return _nothing
    pid = os.fork()
    if pid == 0:  # the child: parse, fill the cache, leave without running the parent's exit code
        status = 0
        try:
            _parse_all(missing)
        except BaseException:  # Ctrl-C, or anything else: the parent parses what is missing
            status = 1
        os._exit(status)

    def wait() -> None:
        with contextlib.suppress(ChildProcessError):  # already reaped
            os.waitpid(pid, 0)

    return wait
