"""Bounded parsing: a file past the CPU or memory budget of its parse is SES000 "too large or too
complex to parse", kept in the cache like a syntax error; a worker that dies or stalls on a file costs
that file only; the good module next to it is judged. Small budgets keep these tests to seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from seslint.cache import key
from seslint.parse_ahead import TOO_COMPLEX
from tests.reliability.hostile import SECONDS, check_json, every_format, write

GOOD = 'resource "aws_ses_configuration_set" "ok" {\n  name = "ok"\n}\n'
# A number with an exponent: tree-sitter's HCL grammar has none, so python-hcl2 parses a file that
# holds one (hcl_document.py), and these tests hold python-hcl2 to the budgets.
TO_PYTHON_HCL2 = "locals {\n  power = 1e3\n}\n"
# python-hcl2 needs about 25 ms of CPU and 0.8 MB per line of this (a list of 30 numbers).
LISTS = (
    TO_PYTHON_HCL2
    + "locals {\n"
    + "".join(f"  v{i} = [{', '.join(map(str, range(30)))}]\n" for i in range(1200))
    + "}\n"
)


def _ses000(run_findings: list[tuple[str, str, str | None, int | None, str]]) -> list[tuple[str | None, str]]:
    return [(f[2], f[4]) for f in run_findings if f[0] == "SES000"]


def _judged(run_findings: list[tuple[str, str, str | None, int | None, str]]) -> bool:
    return ("SES202", "aws_ses_configuration_set.ok", "m/main.tf") in {f[:3] for f in run_findings}


def test_a_file_past_the_cpu_budget_is_a_finding_kept_in_the_cache(tmp_path: Path) -> None:
    write(tmp_path, {"m/main.tf": GOOD, "m/lists.tf": LISTS})
    env = {"SESLINT_CACHE_DIR": str(tmp_path / "cache"), "SESLINT_PARSE_SECONDS": "0.3"}
    runs = every_format("check", ".", "--policy", "baseline", cwd=tmp_path, env=env)
    assert {run.code for run in runs.values()} == {1}
    findings = runs["json"].findings()
    assert _ses000(findings) == [("m/lists.tf", TOO_COMPLEX)] and _judged(findings)
    # Under a larger budget the verdict is not taken from the cache: the file is parsed again, and passes.
    run = check_json(tmp_path, {**env, "SESLINT_PARSE_SECONDS": "60"})
    assert _ses000(run.findings()) == [] and _judged(run.findings())


def test_a_file_past_the_memory_budget_is_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {"m/main.tf": GOOD, "m/lists.tf": LISTS})
    env = {"SESLINT_CACHE_DIR": str(tmp_path / "cache"), "SESLINT_PARSE_MEMORY_MB": "100"}
    run = check_json(tmp_path, env)
    assert run.code == 1
    assert _ses000(run.findings()) == [("m/lists.tf", TOO_COMPLEX)] and _judged(run.findings())


def test_nesting_too_deep_for_the_parser_is_a_cached_verdict(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "m/main.tf": GOOD,
            "m/parens.tf": TO_PYTHON_HCL2 + "locals {\n  x = " + "(" * 5000 + "1" + ")" * 5000 + "\n}\n",
        },
    )
    cache = tmp_path / "cache"
    first = check_json(tmp_path, {"SESLINT_CACHE_DIR": str(cache)})
    assert _ses000(first.findings()) == [("m/parens.tf", TOO_COMPLEX)] and _judged(first.findings())
    verdicts = [p for p in cache.glob("??/*.json") if TOO_COMPLEX in p.read_text()]
    assert len(verdicts) == 1


# A run of seslint in which python-hcl2 misbehaves on files marked KILL (the worker dies, as under the
# kernel's out-of-memory killer) or STALL (it stops where no timer reaches it).
PROBE = """
import os, signal, sys, time
import hcl2
from seslint import hcl_document
def misbehaving(real):
    def parse(text, *args, **kwargs):
        if "KILL" in text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "STALL" in text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
            time.sleep(3600)
        return real(text, *args, **kwargs)
    return parse
hcl2.loads = misbehaving(hcl2.loads)
hcl_document.document = misbehaving(hcl_document.document)
from seslint.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _probe(tmp_path: Path, env: dict[str, str]) -> tuple[int, list[tuple[str | None, str]], bool, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "check", ".", "--policy", "baseline", "--format", "json"],
        cwd=tmp_path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    findings = [
        (f["rule"], f["resource"], f["file"], f["line"], f["message"])
        for f in json.loads(result.stdout)["findings"]
    ]
    return result.returncode, _ses000(findings), _judged(findings), time.monotonic() - started


def test_a_worker_that_dies_or_stalls_costs_that_file_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "m/main.tf": GOOD,
            "m/a.tf": "# KILL\nlocals {}\n",
            "m/b.tf": "locals {\n  fine = 1\n}\n",
            "m/c.tf": "# STALL\nlocals {}\n",
            "m/d.tf": "locals {\n  also_fine = 2\n}\n",
        },
    )
    cache = tmp_path / "cache"
    env = {"SESLINT_CACHE_DIR": str(cache), "SESLINT_PARSE_SECONDS": "0.5"}  # a stall is seen after 6.5 s
    code, errors, judged, seconds = _probe(tmp_path, env)
    assert code == 1 and judged and seconds < SECONDS
    assert errors == [("m/a.tf", TOO_COMPLEX), ("m/c.tf", TOO_COMPLEX)]
    # Those verdicts were the parent's, not a budget the worker saw spent: not cached, tried again.
    stored = {p.stem for p in cache.glob("??/*.json")}
    assert {
        name: key((tmp_path / "m" / name).read_text()) in stored
        for name in ["main.tf", "a.tf", "b.tf", "c.tf", "d.tf"]
    } == {
        "main.tf": True,
        "a.tf": False,
        "b.tf": True,
        "c.tf": False,
        "d.tf": True,
    }


def test_a_small_cold_set_is_shared_with_a_helper_that_parses_its_half(tmp_path: Path) -> None:
    # Too few files for a pool: once the parser is loaded, a forked helper parses about half of them
    # (the largest to the lighter half), into the cache; the worker parses the rest and what the
    # helper left (the test above: a helper that dies or stalls costs that file only).
    from seslint import cache, parse_ahead

    sizes = {"a.tf": 40, "b.tf": 10, "c.tf": 30, "d.tf": 20}
    files = []
    for name, lines in sizes.items():
        path = tmp_path / name
        path.write_text("locals {\n" + "".join(f"  {name[0]}{i} = {i}\n" for i in range(lines)) + "}\n")
        files.append(path)
    numbered: list[tuple[int, parse_ahead.Item]] = list(enumerate(files))
    mine, theirs = parse_ahead._halves(numbered)
    pid = parse_ahead._fork_helper(theirs)
    assert pid is not None
    parse_ahead._wait_for_helper(pid)
    # a (largest) to the first half, c to the second, d to the second (lighter), b to the first.
    assert [Path(str(item)).name for _, item in theirs] == ["c.tf", "d.tf"]
    assert [Path(str(item)).name for _, item in mine] == ["a.tf", "b.tf"]
    assert {p.name: cache.contains(p.read_text()) for p in files} == {
        "a.tf": False,
        "b.tf": False,
        "c.tf": True,
        "d.tf": True,
    }
