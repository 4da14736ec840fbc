"""Start-up stays light: `seslint check` never imports boto3 or dnspython; offline modes open no socket."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("offline mode opened a socket")
socket.socket.connect = refuse
socket.create_connection = refuse
from seslint.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore", "dns", "moto"))
print("HEAVY", heavy)
sys.exit(code)
"""


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_check_imports_neither_boto3_nor_dnspython_and_opens_no_socket() -> None:
    result = run("check", "terraform/examples/noncompliant", "--policy", "strict", "--format", "json")
    assert result.returncode == 1, result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == "HEAVY []"


def test_parser_imports_nothing_heavy() -> None:
    """`seslint --version` builds the parser and stops: nothing beyond the standard library loads."""
    probe = (
        "import sys; from seslint.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'dns', 'hcl2', 'lark', 'jsonschema', 'yaml', 'tabulate', 'publicsuffixlist')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def test_plan_opens_no_socket_and_imports_nothing_heavy() -> None:
    result = run(
        "plan",
        "tests/plan/fixtures/compliant-first-plan.json",
        "--source-dir",
        "terraform/examples/compliant",
        "--policy",
        "strict",
        "--format",
        "sarif",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == "HEAVY []"
