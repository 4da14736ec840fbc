"""Hand-written Terraform trees for tests: write them, lint them, find the line a finding must name."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from seslint import cli

# The rules that judge declared DNS records.
DNS_RULES = ("SES101", "SES103", "SES112", "SES113", "SES120", "SES121", "SES122", "SES123", "SES130")

Finding = tuple[str, str, str, str, int | None]  # rule, status, resource, file, line


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    """`seslint check ARGV --policy strict`: every finding of the JSON report."""
    cli.main(["check", *argv, "--policy", "strict", "--format", "json"])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    return findings


def of(findings: list[dict[str, Any]], rules: tuple[str, ...] = DNS_RULES) -> list[Finding]:
    """The findings of `rules` as (rule, status, resource, file, line), in seslint's order."""
    return [
        (f["rule"], f["status"], f["resource"], f["file"], f["line"]) for f in findings if f["rule"] in rules
    ]


def lint(capsys: pytest.CaptureFixture[str], *argv: str, rules: tuple[str, ...] = DNS_RULES) -> list[Finding]:
    return of(check(capsys, *argv), rules)


def messages(findings: list[dict[str, Any]], rule: str) -> list[str]:
    return [f["message"] for f in findings if f["rule"] == rule]


def line_of(root: Path, file: str, header: str) -> int:
    """The line on which `header` (e.g. `resource "aws_route53_record" "dmarc"`) starts in the file."""
    lines = (root / file).read_text().splitlines()
    found = [n for n, text in enumerate(lines, 1) if text.startswith(header + " ")]
    assert len(found) == 1, f"{header} is not in {file} exactly once"
    return found[0]
