"""A content-addressed cache of parsed files (HCL, policies) on disk (parse_ahead.py fills it).

Keyed by the file's bytes, seslint's version, the parsers' versions and the entry layout, so an entry
can never be stale; entries are written to a temporary file and renamed into place, so concurrent runs
are safe; the directory can be deleted at any time. Location: $SESLINT_CACHE_DIR, else
$XDG_CACHE_HOME/seslint, else ~/.cache/seslint.

What a cache entry says is believed (a syntax error, "no resources"), so the cache must not be anyone
else's to write: the directory is created with mode 0700 and used only when it belongs to the user
running seslint and neither group nor others may write to it. Otherwise, or with SESLINT_CACHE_DIR=off,
the run uses a directory of its own, removed when it ends (the parse-ahead worker hands its results
back through it), and says why under --debug (NOTES). Every entry read is checked (its layout and its
own key; a wrong one is a miss: parsed again and written again).

It stays small by itself: every edit of a file adds an entry, so each run that writes entries also
removes, from the one shard (of 256) it first writes to, the entries nobody has read for 30 days and
temporary files left by killed runs, never following a link. An entry read after 7 days is touched,
so what is in use stays.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint import __version__

FORMAT = 2  # the layout of an entry: {"seslint_cache": FORMAT, "key": its own key, "value": ...}
NOTES: list[str] = []  # why the user's cache directory is not used, for --debug
RECORDS = "records"  # the kind of the entries records_cache.py keeps


@lru_cache(maxsize=1)
def directory() -> Path | None:
    """Where entries go: the user's cache directory when it is theirs alone, else a directory private
    to this run, else None (nowhere to write at all)."""
    configured = os.environ.get("SESLINT_CACHE_DIR")
    if configured != "off":
        if configured:
            folder = Path(configured)
        else:
            base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            folder = Path(base) / "seslint"
        problem = _unsafe(folder)
        if problem is None:
            return folder
        NOTES.append(f"cache {folder} not used: {problem}; this run uses a private one")
    return _private()


def _unsafe(folder: Path) -> str | None:
    """Why `folder` may not hold the cache (created 0700 when missing), or None."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = os.stat(folder)
    except OSError as exc:
        return f"it cannot be created ({exc.strerror or type(exc).__name__})"
    if not stat.S_ISDIR(status.st_mode):
        return "it is not a directory"
    owner = getattr(os, "geteuid", None)
    if owner is not None and status.st_uid != owner():
        return "it belongs to another user"
    if status.st_mode & 0o022:
        return "group or other users may write to it"
    return None


def _private() -> Path | None:
    """A directory of this run's own (mode 0700), removed at exit."""
    import atexit
    import shutil
    import tempfile

    try:
        folder = Path(tempfile.mkdtemp(prefix="seslint-cache-"))
    except OSError:
        return None
    pid = os.getpid()

    def remove() -> None:  # only by the process that made it (a forked worker leaves by os._exit)
        if os.getpid() == pid:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """seslint's version, python-hcl2's (read from its version file without importing it: the warm
    path never loads the parser, nor importlib.metadata, slow to import) and tree-sitter's HCL
    grammar's (the size and time of its compiled library: it has no version file)."""
    from importlib.util import find_spec

    spec = find_spec("hcl2")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    version_file = origin.with_name("version.py") if origin else None
    hcl2_version = version_file.read_text(encoding="utf-8") if version_file and version_file.exists() else "?"
    return f"seslint {__version__}\ncache {FORMAT}\n{hcl2_version}\n{_grammar_stamp()}\n".encode()


def _grammar_stamp() -> str:
    from importlib.util import find_spec

    spec = find_spec("tree_sitter_hcl")
    if spec is None or not spec.origin:
        return "tree-sitter-hcl ?"
    try:
        found = sorted(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns)
            for p in Path(spec.origin).parent.glob("_binding*")
        )
    except OSError:
        return "tree-sitter-hcl ?"
    return f"tree-sitter-hcl {found}"


def key(text: str, kind: str = "hcl") -> str:
    return hashlib.sha256(_salt() + kind.encode() + b"\n" + text.encode("utf-8", "surrogatepass")).hexdigest()


MAX_AGE = 30 * 86400  # seconds an entry may go unread before a run removes it
TOUCH_AFTER = 7 * 86400  # an entry read this long after it was written or touched is touched again
LEFTOVER_AGE = 86400  # temporary files of a killed run


def get(text: str, kind: str = "hcl") -> Any | None:
    """The value stored for `text`, or None: missing, damaged, or not an entry of this layout."""
    folder = directory()
    if folder is None:
        return None
    digest = key(text, kind)
    path = folder / digest[:2] / f"{digest}.json"
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        if time.time() - path.stat().st_mtime > TOUCH_AFTER:
            os.utime(path)
    except (OSError, ValueError, RecursionError):
        return None
    if not (
        isinstance(entry, dict)
        and entry.get("seslint_cache") == FORMAT
        and entry.get("key") == digest
        and "value" in entry
    ):
        return None
    return entry["value"]


def contains(text: str, kind: str = "hcl") -> bool:
    """Whether an entry exists, without reading it (a damaged one is found, and replaced, when read)."""
    folder = directory()
    if folder is None:
        return False
    digest = key(text, kind)
    return (folder / digest[:2] / f"{digest}.json").is_file()


_PRUNED: list[Path] = []  # the shard this process has pruned (one per process)


def _stale(name: str, age: float) -> bool:
    return (name.endswith(".json") and age > MAX_AGE) or (
        name.startswith((".tmp-", ".files-")) and age > LEFTOVER_AGE
    )


def prune(shard: Path, now: float | None = None) -> None:
    """Remove entries unread for MAX_AGE and leftovers of killed runs from one shard directory.

    Never through a link: the shard is opened without following one, and only regular files in it
    are removed (a shard replaced by a link to elsewhere is left alone)."""
    now = time.time() if now is None else now
    no_follow = getattr(os, "O_NOFOLLOW", None)
    if no_follow is None or os.scandir not in os.supports_fd:  # pragma: no cover - not on Linux
        if os.path.islink(shard):
            return
        _prune_listing(os.fspath(shard), None, now)
        return
    try:
        handle = os.open(shard, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | no_follow)
    except OSError:
        return
    try:
        _prune_listing(handle, handle, now)
    finally:
        os.close(handle)


def _prune_listing(where: int | str, handle: int | None, now: float) -> None:
    try:
        with os.scandir(where) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        try:
            status = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(status.st_mode) and _stale(entry.name, now - status.st_mtime):
                if handle is None:
                    os.unlink(entry.path)
                else:
                    os.unlink(entry.name, dir_fd=handle)
        except OSError:
            continue  # another run removed or replaced it


def put(text: str, value: Any, kind: str = "hcl") -> None:
    folder = directory()
    if folder is None:
        return
    import tempfile  # not before the fork of a cold run (parse_ahead): ~3 ms

    digest = key(text, kind)
    target = folder / digest[:2] / f"{digest}.json"
    try:
        target.parent.mkdir(mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(
                    {"seslint_cache": FORMAT, "key": digest, "value": value}, out, separators=(",", ":")
                )
            os.replace(temporary, target)
        except BaseException:
            # A failed write (a full disk, a value JSON cannot hold) leaves no temporary file behind.
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, TypeError, ValueError, RecursionError):
        return  # a cache that cannot be written only costs time
    if not _PRUNED:
        _PRUNED.append(target.parent)
        prune(target.parent)
        prune(folder)  # lists of files a killed run left for its parse-ahead child


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The names, sizes and modification times of seslint's own modules: part of the key of an entry
    that holds what seslint's code computed (records_cache.py), not only what a parser returned, so an
    upgrade, or an edit of a checkout installed for development, is a miss rather than a stale answer."""
    package = Path(__file__).resolve().parent
    lines = []
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                try:
                    status = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                lines.append(
                    f"{os.path.relpath(os.path.join(folder, name), package)} {status.st_size} {status.st_mtime_ns}"
                )
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()
