"""Start-up stays light: `seslint check` never imports boto3 or dnspython; offline modes open no socket."""

from __future__ import annotations

import os
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


LAUNCH = """
import sys
from seslint import parse_ahead
started = []
start = parse_ahead.start
def counted():
    child = start()
    started.append(sys.modules.get("seslint.cli") is None)  # forked before the command line loaded
    return child
parse_ahead.start = counted
from seslint.launch import main
code = main()
print("STARTED", started)
sys.exit(code)
"""


def test_the_entry_point_forks_checks_parse_worker_before_the_command_line_loads(tmp_path: Path) -> None:
    # One worker, forked before seslint.cli is imported, and the one check uses (no second start).
    cache = {"SESLINT_CACHE_DIR": str(tmp_path / "cache")}
    argv = ["check", "terraform/examples/compliant", "--policy", "strict"]
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **cache},
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "STARTED [True]")
    other = subprocess.run(
        [sys.executable, "-c", LAUNCH, "rules"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert (other.returncode, other.stdout.splitlines()[-1]) == (0, "STARTED []")
