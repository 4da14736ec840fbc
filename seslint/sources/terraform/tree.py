"""The roots a `check` judges and their files, and the parse ahead of those files (parse_ahead.py).

Kept apart from source.py, which imports the model, the evaluator and the mapping: finding the roots
needs none of them, and on a cold run the files should reach the parse-ahead child soon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seslint import parse_ahead, repository
from seslint.bounded import MAX_FILE_BYTES, Boundary
from seslint.sources.terraform import discovery


@dataclass(frozen=True)
class Tree:
    """The roots to judge, a wait for their parse, what the run may read, and what could not be walked."""

    roots: tuple[Path, ...]
    parsed: Callable[[], None]
    boundary: Boundary
    problems: tuple[discovery.Problem, ...] = ()


def find_tree(paths: list[str], cwd: Path, child: parse_ahead.Child | None = None) -> Tree:
    """Find the roots and start parsing their files ahead (in `child`, started earlier, if given)."""
    bounds = discovery.boundary(paths, cwd)
    problems: list[discovery.Problem] = []
    dirs = discovery.module_dirs(paths or ["."], cwd, problems)
    from_files = any(not (cwd / p).is_dir() for p in paths)
    top = repository.root(cwd)
    found = discovery.roots(dirs, top, from_files, bounds)
    roots = tuple(r for r in found if discovery.may_hold_posture(r, bounds))
    return Tree(roots, parse_roots(roots, bounds, child), bounds, tuple(problems))


def parse_roots(
    roots: tuple[Path, ...], bounds: Boundary, child: parse_ahead.Child | None = None
) -> Callable[[], None]:
    """Start parsing the roots' files, their callees' and their variables files in one worker (in
    `child`, when given); returns the wait. What is not parsed ahead is parsed, one worker a file,
    where it is read."""
    files = [f for r in roots for d in discovery.with_callees(r, bounds) for f in discovery.module_files(d)]
    files += [f for r in roots for f in discovery.automatic_variables(r)]
    return parse_ahead.in_background(files, MAX_FILE_BYTES, child, bounds)
