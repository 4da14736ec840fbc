"""The command line: commands, exit codes, one-line errors."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from seslint import __version__, cli
from seslint.model import Posture, ReadFailure, SourceKind
from tests.catalogue import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version_as_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "seslint", "--version"], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stdout) == (0, f"seslint {__version__}\n")


def test_rules_lists_the_whole_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    assert [row["id"] for row in json.loads(out)] == CATALOGUE
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines() if line.startswith("SES")] == CATALOGUE


def test_explain_prints_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "SES201")
    assert code == 0
    for heading in ("What it does", "Why", "Example", "Fix"):
        assert heading in out
    assert "SES201" in out


def test_explain_unknown_rule_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "SES20l")
    assert (code, out, err) == (2, "", "seslint: unknown rule 'SES20l'; did you mean SES201?\n")


def test_policy_validate_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (ROOT / "policies").glob("*.yaml"))
    assert len(files) == 4
    code, out, err = run(capsys, "policy", "validate", *files)
    assert (code, err) == (0, "")
    assert out == "".join(f"{f}: ok\n" for f in files)


def test_policy_validate_two_mistakes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text("version: 1\nname: bad\non_unknown: sometimes\nrules:\n  SES201: loud\n")
    code, _out, err = run(capsys, "policy", "validate", str(policy))
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{policy}:3: on_unknown: ")
    assert lines[1].startswith(f"{policy}:5: rules.SES201: ")
    assert "Traceback" not in err


def test_permissions_is_read_only_iam_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "permissions")
    assert code == 0
    document = json.loads(out)
    assert document["Version"] == "2012-10-17"
    actions = [a for s in document["Statement"] for a in s["Action"]]
    assert "ses:GetAccount" in actions
    assert all(a.split(":")[1].startswith(("Get", "List", "Describe")) for a in actions)


def fake_source(monkeypatch: pytest.MonkeyPatch, postures: list[Posture] | Exception) -> None:
    module = ModuleType("seslint_test_source")

    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("paths", nargs="*")

    def collect(args: argparse.Namespace) -> list[Posture]:
        if isinstance(postures, Exception):
            raise postures
        return postures

    module.add_arguments = add_arguments  # type: ignore[attr-defined]
    module.collect = collect  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "seslint_test_source", module)
    monkeypatch.setattr(cli, "SOURCE_COMMANDS", (("check", "seslint_test_source", "test"),))


BROKEN = Posture(
    source=SourceKind.TERRAFORM,
    targets=("infra",),
    failures=(ReadFailure(what="infra/main.tf", reason="unexpected token", parse_error=True),),
)


def test_unparsable_input_is_ses000_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_source(monkeypatch, [BROKEN])
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert [f["rule"] for f in report["findings"]] == ["SES000"]
    assert report["source"] == {"kind": "terraform", "targets": ["infra"]}


def test_fail_on_never_and_output_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_source(monkeypatch, [BROKEN])
    code, out, _ = run(capsys, "check", "--fail-on", "never", "--format", "sarif", "--output", "r.sarif")
    assert (code, out) == (0, "")
    assert json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"


def test_github_format_is_default_on_actions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    fake_source(monkeypatch, [BROKEN])
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.startswith("::error ")


def test_baseline_round_trip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_source(monkeypatch, [BROKEN])
    code, _, err = run(capsys, "check", "--write-baseline", "b.json")
    assert (code, err) == (0, "seslint: wrote 1 finding(s) to baseline b.json\n")
    code, out, _ = run(capsys, "check", "--baseline", "b.json", "--format", "json")
    assert code == 0
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["SES000"]


def test_internal_error_is_one_line_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_source(monkeypatch, RuntimeError("boom"))
    code, out, err = run(capsys, "check")
    assert (code, out) == (3, "")
    assert err == "seslint: internal error: RuntimeError: boom (run with --debug for the traceback)\n"
    with pytest.raises(RuntimeError):
        cli.main(["check", "--debug"])


def test_source_not_built_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "SOURCE_COMMANDS", (("plan", "seslint.sources.nothing_here.command", "x"),))
    code, out, err = run(capsys, "plan", "plan.json")
    assert (code, out, err) == (2, "", "seslint: seslint plan: this source is not built yet\n")


def test_bad_policy_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    fake_source(monkeypatch, [BROKEN])
    code, out, err = run(capsys, "check", "--policy", "no-such-policy")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert "no-such-policy" in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["check", "--format", "yaml"])
    assert exit_.value.code == 2
    assert "invalid choice: 'yaml'" in capsys.readouterr().err
