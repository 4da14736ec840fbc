"""The roots a `check` judges and their files, and the parse ahead of those files (parse_ahead.py).

Kept apart from source.py, which imports the model, the evaluator and the mapping: finding the roots
needs none of them, and on a cold run the files should reach the parse-ahead child soon.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from seslint import parse_ahead, repository
from seslint.sources.terraform import discovery


@dataclass(frozen=True)
class Tree:
    """The roots to judge, and a wait for their parse."""

    roots: tuple[Path, ...]
    parsed: Callable[[], None]


def find_tree(paths: list[str], cwd: Path, child: parse_ahead.Child | None = None) -> Tree:
    """Find the roots and start parsing their files ahead (in `child`, started earlier, if given)."""
    dirs = discovery.module_dirs(paths or ["."], cwd)
    from_files = any((cwd / p).is_file() for p in paths)
    top = repository.root(cwd)
    roots = tuple(r for r in discovery.roots(dirs, top, from_files) if discovery.may_hold_posture(r))
    files = [f for r in roots for d in discovery.with_callees(r) for f in discovery.module_files(d)]
    return Tree(roots, parse_ahead.in_background(files, discovery.MAX_FILE_BYTES, child))
