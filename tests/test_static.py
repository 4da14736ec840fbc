"""The style promises hold: ruff clean on the whole repository, mypy strict on seslint/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> list[str]:
    # Prefer the tool installed next to this interpreter (the test venv), as a module.
    return [sys.executable, "-m", name]


@pytest.mark.parametrize("module", ["ruff", "mypy"])
def test_tools_installed(module: str) -> None:
    result = subprocess.run([*_tool(module), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr or shutil.which(module)


def test_ruff_clean() -> None:
    result = subprocess.run(
        [*_tool("ruff"), "check", "seslint", "tests", "benchmarks", "fuzz"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = subprocess.run([*_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
