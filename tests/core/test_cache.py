"""The parse cache: content-addressed, safe to delete or damage, shared by concurrent runs, and filled by
a forked child on cold runs so the parse overlaps the rules and policy loading."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from seslint.cache import key

ROOT = Path(__file__).resolve().parents[2]
NONCOMPLIANT = ROOT / "terraform" / "examples" / "noncompliant"

# Runs `seslint check` in a fresh process (no threads, so the background parse may fork) and reports
# whether this process itself had to load python-hcl2.
PROBE = """
import sys
from seslint.cli import main
code = main(sys.argv[1:])
print("PARSER_LOADED", "hcl2" in sys.modules, file=sys.stderr)
sys.exit(code)
"""


def check(
    cache: Path | str, *argv: str, cwd: Path = ROOT
) -> tuple[int, list[tuple[str, str, int | None]], str]:
    env = {**os.environ, "SESLINT_CACHE_DIR": str(cache)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "check", *argv, "--format", "json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    findings = [(f["rule"], f["resource"], f["line"]) for f in report["findings"]]
    return result.returncode, findings, result.stderr.strip().splitlines()[-1]


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("??/*.json"))


def test_cold_run_parses_in_a_child_and_warm_run_gives_the_same_findings(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = check(cache, str(NONCOMPLIANT), "--policy", "strict")
    assert cold[2] == "PARSER_LOADED False"  # the forked child parsed every file
    assert len(entries(cache)) >= len(list(NONCOMPLIANT.rglob("*.tf")))
    warm = check(cache, str(NONCOMPLIANT), "--policy", "strict")
    uncached = check("off", str(NONCOMPLIANT), "--policy", "strict")
    assert (
        uncached[2] == "PARSER_LOADED False"
    )  # off: parsed by a worker all the same, through a private cache
    assert cold[:2] == warm[:2] == uncached[:2]
    assert cold[0] == 1 and len(cold[1]) > 40


def test_edited_file_is_parsed_again(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    main = tree / "main.tf"
    main.write_text('resource "aws_sesv2_configuration_set" "a" {\n  configuration_set_name = "a"\n}\n')
    cache = tmp_path / "cache"
    before = check(cache, str(tree), "--policy", "strict")
    main.write_text(
        "\n\n" + 'resource "aws_sesv2_configuration_set" "b" {\n  configuration_set_name = "b"\n}\n'
    )
    after = check(cache, str(tree), "--policy", "strict")
    assert {(rule, line) for rule, resource, line in before[1] if resource.endswith(".a")} == {
        ("SES201", 1),
        ("SES202", 1),
    }
    assert {(rule, line) for rule, resource, line in after[1] if resource.endswith(".b")} == {
        ("SES201", 3),
        ("SES202", 3),
    }
    assert not [f for f in after[1] if f[1].endswith(".a")]


def test_syntax_error_is_cached_with_its_line(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text('resource "aws_sesv2_email_identity" "x" {\n  email_identity = \n}\n')
    cache = tmp_path / "cache"
    first = check(cache, ".", cwd=tree)
    second = check(cache, ".", cwd=tree)
    assert first[1] == second[1] == [("SES000", "main.tf", 2)]
    assert second[2] == "PARSER_LOADED False"  # the failure itself came from the cache


def test_damaged_or_deleted_cache_is_only_slower(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    good = check(cache, str(NONCOMPLIANT), "--policy", "strict")
    for entry in entries(cache):
        entry.write_text('{"truncated": ')
    damaged = check(cache, str(NONCOMPLIANT), "--policy", "strict")
    for entry in entries(cache):
        entry.unlink()
    deleted = check(cache, str(NONCOMPLIANT), "--policy", "strict")
    assert good[:2] == damaged[:2] == deleted[:2]


def test_concurrent_cold_runs_share_one_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, "SESLINT_CACHE_DIR": str(cache)}
    command = [
        sys.executable,
        "-m",
        "seslint",
        "check",
        str(NONCOMPLIANT),
        "--policy",
        "strict",
        "--format",
        "json",
    ]
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    reports = [json.loads(out)["findings"] for out, _ in outputs]
    assert all(report == reports[0] for report in reports)
    assert [err for _, err in outputs] == ["", "", "", ""]
    assert not list(cache.glob("??/.tmp-*"))  # every entry was renamed into place
    for entry in entries(cache):
        json.loads(entry.read_text())


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    check("off", str(NONCOMPLIANT))
    assert not (tmp_path / ".cache").exists()


def test_file_over_the_limit_is_not_parsed_ahead(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(
        'resource "aws_sesv2_configuration_set" "a" {\n  configuration_set_name = "a"\n}\n'
    )
    (tree / "huge.tf").write_text("# aws_ses filler\n" * (5 * 1024 * 1024 // 17))
    cache = tmp_path / "cache"
    code, findings, _ = check(cache, ".", "--policy", "strict", cwd=tree)
    assert code == 1
    assert ("SES000", "huge.tf", None) in findings
    names = {entry.stem for entry in entries(cache)}
    assert key((tree / "main.tf").read_text()) in names
    assert key((tree / "huge.tf").read_text()) not in names


def test_the_child_leaves_nothing_behind(tmp_path: Path) -> None:
    """The child started before the roots are found is stopped when there is nothing to parse or the
    run fails early, and consumes its list of files: no listing, one line of error, and no process
    (capture_output waits for every holder of the output pipes, the child included)."""
    cache = tmp_path / "cache"
    check(cache, str(NONCOMPLIANT))  # cold: the child parses
    check(cache, str(NONCOMPLIANT))  # warm: the child is stopped
    assert not list(cache.glob(".files-*"))
    env = {**os.environ, "SESLINT_CACHE_DIR": str(cache)}
    missing = subprocess.run(
        [sys.executable, "-m", "seslint", "check", str(tmp_path / "nowhere")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == f"seslint: {tmp_path / 'nowhere'}: no such file or directory\n"


def test_entries_unread_for_30_days_and_leftovers_are_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from seslint import cache as module

    monkeypatch.setenv("SESLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(module, "_PRUNED", [])
    module.directory.cache_clear()
    try:
        text = 'resource "aws_sns_topic" "t" {}\n'
        shard = tmp_path / key(text)[:2]
        shard.mkdir()
        now = time.time()
        files = {
            "old.json": now - 31 * 86400,
            "recent.json": now - 29 * 86400,
            ".tmp-killed": now - 2 * 86400,
            ".tmp-writing": now - 60,
        }
        for name, mtime in files.items():
            (shard / name).write_text("{}")
            os.utime(shard / name, (mtime, mtime))
        (tmp_path / ".files-left").write_text("")
        os.utime(tmp_path / ".files-left", (now - 2 * 86400, now - 2 * 86400))
        module.put(text, {"resource": []})
        assert sorted(p.name for p in shard.iterdir()) == sorted(
            [f"{key(text)}.json", "recent.json", ".tmp-writing"]
        )
        assert not (tmp_path / ".files-left").exists()
        # An entry read more than 7 days after it was written is touched, so it stays.
        entry = shard / f"{key(text)}.json"
        os.utime(entry, (now - 8 * 86400, now - 8 * 86400))
        assert module.get(text) == {"resource": []}
        assert entry.stat().st_mtime > now - 60
    finally:
        module.directory.cache_clear()
