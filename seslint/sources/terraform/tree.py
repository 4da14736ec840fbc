"""The roots a `check` judges and their files, and the parse ahead of those files (parse_ahead.py).

Kept apart from source.py, which imports the model, the evaluator and the mapping: finding the roots
needs none of them, and on a cold run the files should reach the parse-ahead child soon.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from seslint import cache, parse_ahead, repository
from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_bytes
from seslint.sources.terraform import discovery, module_sources, scan_memory

if TYPE_CHECKING:
    from seslint.exclude import Excludes


@dataclass(frozen=True)
class Tree:
    """The roots to judge, a wait for their parse, what the run may read, and what could not be walked.

    `unjudged`: roots found that hold no posture (their text names no posture resource type, nor does
    any module they call), so they are not parsed. `elsewhere`: when the paths were files (pre-commit),
    the repository's other roots that may declare DNS records (they count for the roots judged)."""

    roots: tuple[Path, ...]
    parsed: Callable[[], None]
    boundary: Boundary
    problems: tuple[discovery.Problem, ...] = ()
    unjudged: tuple[Path, ...] = ()
    elsewhere: tuple[Path, ...] = ()
    elsewhere_keys: tuple[str | None, ...] = ()  # records_cache.py's key of each, None: not cached


def find_tree(
    paths: list[str], cwd: Path, child: parse_ahead.Child | None = None, excludes: Excludes | None = None
) -> Tree:
    """Find the roots and start parsing their files ahead (in `child`, started earlier, if given):
    every file the run will parse, so that one worker parses them all. What `excludes` names is
    neither judged nor read for records; a module it names that a judged root calls is still read."""
    bounds = discovery.boundary(paths, cwd)
    top = repository.root(cwd)
    memory = _memory(top, bounds)
    survey = discovery.Survey(bounds, excludes, memory)
    problems: list[discovery.Problem] = []
    dirs = discovery.module_dirs(paths or ["."], cwd, problems, bounds, excludes)
    from_files = any(not (cwd / p).is_dir() for p in paths)
    found = survey.roots(dirs, top, from_files)
    roots = tuple(r for r in found if survey.may_hold_posture(r))
    elsewhere: tuple[Path, ...] = ()
    keys: tuple[str | None, ...] = ()
    if from_files and roots:
        elsewhere = tuple(survey.roots_with_records(top, roots))
        keys = tuple(_records_key(survey, r, cwd, bounds) for r in elsewhere)
    # A root whose records are stored need not be parsed (unless a judged root calls its modules).
    stored = {
        r for r, k in zip(elsewhere, keys, strict=True) if k is not None and cache.contains(k, cache.RECORDS)
    }
    read = (*roots, *(r for r in elsewhere if r not in stored))
    parsed = parse_ahead.in_background(_files_of(survey, read), MAX_FILE_BYTES, child, bounds)
    if memory is not None:
        memory.save()
    judged = set(roots)
    unjudged = tuple(r for r in found if r not in judged)
    return Tree(roots, parsed, bounds, tuple(problems), unjudged, elsewhere, keys)


def _memory(top: Path, bounds: Boundary) -> scan_memory.Memory | None:
    """The scans kept for this repository (scan_memory.py); None where there is no cache to keep them."""
    if cache.directory() is None:
        return None
    roots = "\n".join(sorted(str(r) for r in bounds.roots))
    return scan_memory.Memory(f"scans of {top}\nwithin {roots}\ncode {cache.code_stamp()}")


def _records_key(survey: discovery.Survey, root: Path, cwd: Path, bounds: Boundary) -> str | None:
    """What the records of a root read only for its records depend on (records_cache.py): the text
    of every module it evaluates and of its variables files, where it is, the directory paths are
    shown from, seslint's code. None when the text scan cannot account for all it evaluates."""
    if module_sources.installed_dirs(root):
        return None
    lines = [f"records of {root}", f"shown from {cwd}", f"code {cache.code_stamp()}"]
    for directory in survey.closure(root):
        scanned = survey.scanned(directory)
        if scanned.opaque:
            return None  # a module from elsewhere, a file not read: only evaluating it tells
        lines.append(f"{directory} {scanned.digest}")
    for path in discovery.automatic_variables(root):
        try:
            raw = read_bytes(path, MAX_FILE_BYTES, bounds)
        except Unreadable:
            return None
        lines.append(f"{path} {hashlib.sha256(raw).hexdigest()}")
    return "\n".join(lines)


def parse_roots(
    roots: tuple[Path, ...], bounds: Boundary, child: parse_ahead.Child | None = None
) -> Callable[[], None]:
    """Start parsing the roots' files, their callees' and their variables files in one worker (in
    `child`, when given); returns the wait. What is not parsed ahead is parsed, one worker a file,
    where it is read."""
    files = _files_of(discovery.Survey(bounds), roots)
    return parse_ahead.in_background(files, MAX_FILE_BYTES, child, bounds)


def _files_of(survey: discovery.Survey, roots: Sequence[Path]) -> list[Path]:
    """Every file evaluating the roots parses: their modules and what those call, the modules
    terraform init downloaded for them and what those call, and their variables files."""
    directories = dict.fromkeys(d for r in roots for d in survey.closure(r))
    for root in roots:
        for installed in module_sources.installed_dirs(root):
            directories.update(dict.fromkeys(survey.closure(installed)))
    files = [f for d in directories for f in discovery.module_files(d)]
    return files + [f for r in roots for f in discovery.automatic_variables(r)]
