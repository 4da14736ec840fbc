"""The repository a run is in: where `.seslint.yaml` is found and pre-commit's files are mapped."""

from __future__ import annotations

from pathlib import Path


def root(cwd: Path) -> Path:
    """The nearest directory holding .git, from cwd up; cwd itself when there is none."""
    for directory in (cwd, *cwd.parents):
        if (directory / ".git").exists():
            return directory
    return cwd
