"""The repository a run is in: where `.seslint.yaml` is found and pre-commit's files are mapped."""

from __future__ import annotations

from pathlib import Path


def root(cwd: Path) -> Path:
    """The nearest directory holding .git, from cwd up; cwd itself when there is none."""
    return holding(cwd) or cwd


def holding(directory: Path) -> Path | None:
    """The nearest directory holding .git, from `directory` up, or None."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
