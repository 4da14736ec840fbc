"""`exclude`: gitignore-style patterns naming paths a run neither judges nor reads.

A pattern is anchored at a directory: the directory of the configuration file that declares it (the
repository root for .seslint.yaml and pyproject.toml), the working directory for `--exclude`. As in
.gitignore: `/` separates directories; `*` and `?` match within one name, `[abc]` one character of a
set; `**` matches any number of directories (`tests/**`, `**/fixtures/**`, `a/**/b`); a pattern with
no `/` but a trailing one matches a name at any depth (`fixtures` is `**/fixtures`); a leading `/`
only anchors; a trailing `/` matches directories only. A path is excluded when it or a directory
above it matches, so a matched directory is not walked at all. Negation (`!pattern`) is not
supported: a pattern that cannot be honoured is refused, never ignored.

Patterns are compiled once; the walk asks about each directory and Terraform file it meets, by its
real path (links resolved), as text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def problem(pattern: str) -> str | None:
    """Why a pattern cannot be used, or None."""
    if not pattern.strip("/"):
        return "an empty pattern"
    if pattern.startswith("!"):
        return "negation (!) is not supported; list only what to exclude"
    if "\x00" in pattern:
        return "a NUL character"
    if ".." in pattern.split("/"):
        return "'..' would leave the directory the pattern is anchored at"
    return None


@dataclass(frozen=True)
class Pattern:
    text: str
    origin: str  # where it was written, for messages: ".seslint.yaml", "--exclude"
    regex: re.Pattern[str]
    directories_only: bool

    def __str__(self) -> str:
        return f"{self.text} ({self.origin})"


def compile_pattern(text: str, origin: str) -> Pattern:
    """The pattern as a regular expression over a path relative to its anchor, with / separators."""
    body = text.rstrip("/")
    directories_only = body != text
    if "/" not in body:
        body = "**/" + body  # a bare name matches at any depth
    body = body.lstrip("/")
    segments = body.split("/")
    out = []
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if segment == "**":
            out.append(".*" if last else "(?:.*/)?")
        else:
            out.append(_segment(segment) + ("" if last else "/"))
    return Pattern(text, origin, re.compile("".join(out), re.DOTALL), directories_only)


def _segment(segment: str) -> str:
    """One name's glob as a regular expression: * and ? stay within the name."""
    out = []
    i = 0
    while i < len(segment):
        char = segment[i]
        i += 1
        if char == "*":
            while i < len(segment) and segment[i] == "*":
                i += 1  # `a**b` within a name is `a*b`
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := _class_end(segment, i)) is not None:
            inner = segment[i:end]
            negated = inner[:1] in ("!", "^")
            inner = inner[1:] if negated else inner
            members = "".join(c if c == "-" else re.escape(c) for c in inner if c != "/")
            out.append("[" + ("^" if negated else "") + members + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _class_end(segment: str, start: int) -> int | None:
    """The index of the `]` closing a class opened before `start` (a `]` first is a member), or None."""
    i = start + (1 if segment[start : start + 1] in ("!", "^") else 0)
    i += 1 if segment[i : i + 1] == "]" else 0
    end = segment.find("]", i)
    return end if end != -1 else None


class Excludes:
    """Compiled patterns, grouped by the directory they are anchored at."""

    def __init__(self, groups: Iterable[tuple[str, Sequence[Pattern]]] = ()) -> None:
        self._groups = [(_prefix(anchor), tuple(p)) for anchor, p in groups if p]

    def __bool__(self) -> bool:
        return bool(self._groups)

    def matching(self, real: str, is_dir: bool) -> Pattern | None:
        """The pattern that excludes the real path itself (its parents are not looked at: a walk
        that prunes excluded directories has already looked at them)."""
        for anchor, patterns in self._groups:
            relative = _relative(real, anchor)
            if relative:
                for pattern in patterns:
                    if (is_dir or not pattern.directories_only) and pattern.regex.fullmatch(relative):
                        return pattern
        return None

    def covering(self, real: str, is_dir: bool) -> Pattern | None:
        """The pattern that excludes the real path or a directory above it."""
        for anchor, patterns in self._groups:
            relative = _relative(real, anchor)
            if not relative:
                continue
            parts = relative.split("/")
            for n in range(1, len(parts) + 1):
                here = "/".join(parts[:n])
                directory = is_dir or n < len(parts)
                for pattern in patterns:
                    if (directory or not pattern.directories_only) and pattern.regex.fullmatch(here):
                        return pattern
        return None


def _prefix(anchor: str) -> str:
    real = os.path.realpath(anchor)
    return real if real.endswith(os.sep) else real + os.sep


def _relative(real: str, prefix: str) -> str:
    """The path below the anchor (given as its real path and a separator) with / separators; ''
    when it is not below it."""
    return real[len(prefix) :].replace(os.sep, "/") if real.startswith(prefix) else ""
