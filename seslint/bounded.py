"""Reading what a pull request controls, within bounds: files, and the JSON in them.

`read_bytes` reads only regular files (a FIFO would block forever, /dev/zero never ends, a device may
act on open: none is opened), checks the size with fstat before reading and stops at the limit (a
sparse 2 GB file costs nothing), and, given a Boundary, refuses a file whose real path lies outside it
(a `c.tf -> ~/.aws/credentials` link is one finding, its target never read). `load_json` refuses what
Python's json would accept but no JSON writer produces (NaN, Infinity, numbers beyond a double) and
documents nested deeper than any real one, before a consumer could recurse into a RecursionError.
Each refusal is an exception with a one-line reason that quotes nothing of the file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 4 * 1024 * 1024  # a Terraform file: larger ones are not hand-written, reported unparsed
MAX_JSON_DEPTH = 128  # a plan's deepest nesting (modules in modules, nested blocks) is far below this

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)


NO_SUCH_FILE = "no such file"


class Unreadable(Exception):
    """A file that is not read; `reason` says why, in words fit for a finding (no content)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def missing(self) -> bool:
        return self.reason == NO_SUCH_FILE


class Boundary:
    """The directories a run may read from: the repository holding each checked path (else the path).

    It also keeps what the run learned resolving paths: the real path of every directory and link it
    met (one lstat each, not one per component of every path read), so a tree of thousands of files
    costs a stat per file. The run takes the file system as it found it: a Boundary lives for one run.
    """

    def __init__(self, roots: Iterable[Path]) -> None:
        self._real: dict[str, str] = {}  # a path whose parent is real -> its real path
        self._directories: dict[str, str] = {}  # an absolute path as given -> its real path
        self.roots = tuple(dict.fromkeys(Path(os.path.realpath(r)) for r in roots))
        self._inside = tuple(str(r).rstrip(os.sep) + os.sep for r in self.roots)
        self._exact = frozenset(str(r) for r in self.roots)

    def holds(self, path: Path | str) -> bool:
        """Whether the real path (every link followed) lies inside one of the roots."""
        try:
            return self.holds_real(self.real(path))
        except (OSError, ValueError):
            return False

    def holds_real(self, real: str) -> bool:
        """Whether `real`, a path with every link already followed, lies inside one of the roots."""
        return real in self._exact or real.startswith(self._inside)

    def real(self, path: Path | str) -> str:
        """os.path.realpath(path), remembering the real path of every directory and link on the way."""
        text = os.fspath(path)
        if "\x00" in text:
            raise ValueError("embedded null byte")
        if os.name != "posix":  # pragma: no cover - drive letters and other separators
            return os.path.realpath(text)
        if not text.startswith(os.sep):
            text = os.path.join(os.getcwd(), text)
        head, _, name = text.rpartition(os.sep)
        try:
            if name in ("", ".", ".."):
                return self._follow(os.sep, text, 0)
            parent = self._directories.get(head)
            if parent is None:  # the files of one directory resolve it once
                parent = self._directories[head] = self._follow(os.sep, head, 0)
            candidate = parent + name if parent == os.sep else parent + os.sep + name
            known = self._real.get(candidate)
            return known if known is not None else self._component(candidate, parent, 0)
        except _Loop:
            return text  # as written: opening it fails at the loop (ELOOP), as realpath leaves it too

    def _follow(self, current: str, rest: str, depth: int) -> str:
        """`rest` resolved from `current` (a real directory), component by component."""
        for part in rest.split(os.sep):
            if not part or part == ".":
                continue
            if part == "..":
                current = os.path.dirname(current)  # the parent of a real path is real
                continue
            candidate = current + part if current == os.sep else current + os.sep + part
            known = self._real.get(candidate)
            current = known if known is not None else self._component(candidate, current, depth)
        return current

    def _component(self, candidate: str, parent: str, depth: int) -> str:
        """The real path of `candidate` (its parent real): itself unless it is a link, then its target's.
        What cannot be looked at (missing, not a directory) stays as written, as realpath leaves it;
        a loop of links raises _Loop."""
        try:
            mode = os.lstat(candidate).st_mode
        except OSError:
            return candidate
        if not stat.S_ISLNK(mode):
            self._real[candidate] = candidate
            return candidate
        if depth >= MAX_LINKS:
            raise _Loop
        try:
            target = os.readlink(candidate)
        except OSError:
            return candidate
        real = self._follow(os.sep if target.startswith(os.sep) else parent, target, depth + 1)
        self._real[candidate] = real
        return real

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Boundary) and other.roots == self.roots

    def __hash__(self) -> int:
        return hash(self.roots)

    def __repr__(self) -> str:
        return f"Boundary({', '.join(map(str, self.roots))})"


MAX_LINKS = 40  # links followed in one path before it is taken for a loop (Linux's own limit)


class _Loop(Exception):
    """A path through a loop of symbolic links."""


OUTSIDE = "a symbolic link to a file outside the checked tree; not read"

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def too_large(size: int, limit: int) -> str:
    return f"{size_text(size)} is larger than the {size_text(limit)} seslint reads; not checked"


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the file is."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bytes(path: Path | str, limit: int, boundary: Boundary | None = None) -> bytes:
    """The file's bytes, or Unreadable: outside the boundary, not a regular file, over `limit` bytes."""
    try:
        real = boundary.real(path) if boundary is not None else os.path.realpath(path)
        if boundary is not None and not boundary.holds_real(real):
            raise Unreadable(OUTSIDE)
        kind = _kind(os.stat(real).st_mode)  # before opening: a device is never opened
        if kind is not None:
            raise Unreadable(f"{kind}, not a regular file; not read")
        handle = os.open(real, _OPEN_FLAGS | _NO_FOLLOW)
    except FileNotFoundError:
        raise Unreadable(NO_SUCH_FILE) from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or type(exc).__name__}") from None
    except ValueError:  # a NUL byte in the name
        raise Unreadable("cannot read: not a valid file name") from None
    try:
        status = os.fstat(handle)  # the file opened is the one checked (not swapped in between)
        kind = _kind(status.st_mode)
        if kind is not None:
            raise Unreadable(f"{kind}, not a regular file; not read")
        if status.st_size > limit:
            raise Unreadable(too_large(status.st_size, limit))
        chunks = []
        remaining = limit + 1  # one byte more tells a file that grew past the limit
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or type(exc).__name__}") from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > limit:
        raise Unreadable(too_large(len(data), limit))
    return data


def read_text(path: Path | str, limit: int, boundary: Boundary | None = None) -> str:
    """`read_bytes` decoded as UTF-8 (a BOM allowed), or Unreadable naming the first bad byte."""
    raw = read_bytes(path, limit, boundary)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start})") from None


class JsonError(Exception):
    """JSON that is not usable, quoting none of it: `detail` ("Expecting value", "NaN is not a number
    JSON allows"), `reason` (the same, "invalid JSON: " before a syntax error), the line and column
    when known, and whether the text just stops (a truncated file)."""

    def __init__(
        self,
        detail: str,
        line: int | None = None,
        *,
        column: int | None = None,
        syntax: bool = False,
        truncated: bool = False,
    ) -> None:
        self.detail = detail
        self.reason = f"invalid JSON: {detail}" if syntax else detail
        super().__init__(f"{self.reason} (line {line})" if line else self.reason)
        self.line = line
        self.column = column
        self.truncated = truncated


def _constant(name: str) -> Any:
    raise JsonError(f"{name} is not a number JSON allows")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonError(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large")
    return value


_LONG_NUMBER = re.compile(r"\d{4000,}")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(NaN|-?Infinity)')


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def load_json(text: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """json.loads for input from outside: JsonError for bad syntax, NaN/Infinity, numbers that do not
    fit, nesting deeper than `max_depth`; strings may hold lone surrogates (outputs escape them)."""
    try:
        document = json.loads(text, parse_constant=_constant, parse_float=_float)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text.rstrip()) - 1
        raise JsonError(exc.msg, exc.lineno, column=exc.colno, syntax=True, truncated=truncated) from None
    except JsonError as exc:
        found = next((m for m in _TOKEN.finditer(text) if m.group(1)), None)
        raise JsonError(exc.detail, _line(text, found.start()) if found else None) from None
    except RecursionError:
        raise JsonError(f"nested deeper than {max_depth} levels") from None
    except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
        found = _LONG_NUMBER.search(text)
        raise JsonError(
            "a number with thousands of digits", _line(text, found.start()) if found else None
        ) from None
    if not depth_within(document, max_depth):
        raise JsonError(f"nested deeper than {max_depth} levels")
    return document


def depth_within(document: Any, limit: int) -> bool:
    """Whether lists and objects nest at most `limit` deep; level by level, without recursion."""
    level = [document] if type(document) is dict or type(document) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return False
        below: list[Any] = []
        for node in level:
            values = node.values() if type(node) is dict else node
            below.extend([v for v in values if type(v) is dict or type(v) is list])
        level = below
    return True


def input_json(path: str, limit: int, what: str, missing: str = "") -> Any:
    """A JSON file the user names (a baseline, a snapshot: it may come with a pull request, so it is
    bounded like the rest); any problem is an InputError of one line naming the file."""
    from seslint.errors import InputError

    try:
        return load_json(read_text(path, limit))
    except Unreadable as exc:
        if exc.missing:
            raise InputError(f"{path}: no such {what} file{missing}") from None
        raise InputError(f"{path}: cannot read {what}: {exc.reason}") from None
    except JsonError as exc:
        where = f":{exc.line}" if exc.line else ""
        raise InputError(f"{path}{where}: not a seslint {what}: {exc.detail}") from None
