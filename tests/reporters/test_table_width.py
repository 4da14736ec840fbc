"""The table fits the terminal: COLUMNS, else the terminal's size, else 100; file:line never split."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from seslint import cli
from tests.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "terraform" / "examples" / "noncompliant")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("columns", [80, 100])
def test_findings_fit_and_locations_stay_whole(
    columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", str(columns))
    example = os.path.relpath(EXAMPLE, ROOT)
    code, table = run(capsys, "check", example, "--policy", "strict")
    _, as_json = run(capsys, "check", example, "--policy", "strict", "--format", "json")
    findings = json.loads(as_json)["findings"]
    lines = table.splitlines()
    assert code == 1 and len(findings) == 43
    assert [line for line in lines if len(line) > columns] == []
    for finding in findings:
        severity = finding["severity"] + (" (unknown)" if finding["status"] == "unknown" else "")
        where = f"{finding['file']}:{finding['line']}"
        # severity, rule and location start a line together (the location on the next line only
        # when the three do not fit), and the location is never cut.
        heads = [i for i, line in enumerate(lines) if line.startswith(f"{severity}  {finding['rule']}")]
        assert heads, finding
        assert any(where in lines[i].split() or lines[i + 1].split()[:1] == [where] for i in heads), finding
    assert lines[-2:] == [
        "error: 42 failed, 1 unknown; warning: 0 failed, 0 unknown",
        "Why and how to fix: seslint explain RULE, e.g. seslint explain SES103",
    ]


@pytest.mark.parametrize("columns", [80, 100, 160])
def test_rules_fit(columns: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out = run(capsys, "rules")
    lines = out.splitlines()
    assert code == 0
    assert [line for line in lines if len(line) > columns] == []
    assert [line.split()[0] for line in lines if re.match(r"SES\d{3} ", line)] == CATALOGUE
    assert lines[-1].endswith("A rule's documentation: seslint explain RULE")


def test_width_comes_from_columns_then_terminal_then_100(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    assert cli.terminal_width(None) == 57
    monkeypatch.delenv("COLUMNS")
    assert cli.terminal_width(None) == 100  # pytest's stdout is no terminal
    monkeypatch.setattr(cli.sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(cli.sys.stdout, "fileno", lambda: 1)
    monkeypatch.setattr(cli.os, "get_terminal_size", lambda fd: os.terminal_size((132, 40)))
    assert cli.terminal_width(None) == 132
    assert cli.terminal_width("report.txt") == 100  # a report written to a file is no terminal
    monkeypatch.setenv("COLUMNS", "junk")
    assert cli.terminal_width(None) == 132
