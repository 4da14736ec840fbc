"""The repository a run is in: where `.seslint.yaml` is found and pre-commit's files are mapped."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_FILES = (".seslint.yaml", ".seslint.yml")  # a repository's own policy, found at its root


def git_root(path: Path) -> Path | None:
    """The nearest directory holding .git, from `path` (a file: its directory) up; None outside git."""
    start = path if path.is_dir() else path.parent
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def root(cwd: Path) -> Path:
    """The nearest directory holding .git, from cwd up; cwd itself when there is none."""
    return git_root(cwd) or cwd


def of_checked(checked: Path | None, cwd: Path) -> Path:
    """Where a run's configuration lives: the repository of the checked path (so `seslint check
    /repo/stack` run from elsewhere finds /repo/.seslint.yaml); the working directory's repository
    when the path is in none (or no path names the input)."""
    found = git_root((cwd / checked).resolve()) if checked is not None else None
    return found or root(cwd)


def holding(directory: Path) -> Path | None:
    """The nearest directory holding .git, from `directory` up, or None."""
    return git_root(directory)


def may_configure(home: Path) -> bool:
    """Whether the repository at `home` may hold a configuration of its own (CONFIG_FILES, or a
    [tool.seslint] table), told from names and text alone, without reading YAML or TOML: True when
    in doubt (the policy loader reads it and says what is wrong)."""
    if any(os.path.lexists(home / name) for name in CONFIG_FILES):
        return True
    pyproject = home / "pyproject.toml"
    if not os.path.lexists(pyproject):
        return False
    from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_bytes

    try:  # as the loader reads it: a regular file inside the repository (a FIFO would block an open)
        return b"seslint" in read_bytes(pyproject, MAX_FILE_BYTES, Boundary([home]))
    except Unreadable:
        return True
