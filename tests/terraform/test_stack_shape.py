"""The benchmark's second shape (benchmarks/stack_shape.py): stacks calling shared modules, SES in one in ten."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from seslint import cli
from seslint.sources.terraform import discovery

ROOT = Path(__file__).resolve().parents[2]


def _stack_shape():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("stack_shape", ROOT / "benchmarks" / "stack_shape.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_hundred_stacks_are_the_issues_size(tmp_path: Path) -> None:
    counts = _stack_shape().generate_stacks(tmp_path, 200)
    assert counts == {"stacks": 200, "files": 429, "ses_stacks": 20}
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 429
    assert all(p.stat().st_size <= 4096 for p in files)  # one block each: 2.5 MB on disk as in issue 16
    assert 0.9e6 < sum(p.stat().st_size for p in files) < 1.1e6
    called = [set(discovery.calls(d)) for d in sorted((tmp_path / "stacks").iterdir())]
    modules = {name: (tmp_path / "modules" / name).resolve() for name in ("s3", "iam", "network")}
    assert all({modules["s3"], modules["iam"]} <= c for c in called)
    assert sum(modules["network"] in c for c in called) == 134  # two stacks in three
    # Only the SES stacks' ses.tf names a posture resource type; everything else only calls modules.
    words = [w for w in discovery.POSTURE_WORDS if w != "module"]
    naming = sorted(
        p.relative_to(tmp_path).as_posix() for p in files if any(w in p.read_text() for w in words)
    )
    assert naming == [f"stacks/s{i:04d}/ses.tf" for i in range(0, 200, 10)]


def test_findings_of_twenty_stacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stack_shape().generate_stacks(tmp_path / "repo", 20)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "repo", "--policy", "strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    found = [(f["rule"], f["status"], f["resource"], f["location"]) for f in report["findings"]]
    with_dmarc, without = "repo/stacks/s0000/ses.tf", "repo/stacks/s0010/ses.tf"
    identity = "aws_sesv2_email_identity.main"
    assert found == [
        ("SES143", "fail", "aws_sns_topic.feedback", f"{with_dmarc}:11"),
        ("SES104", "unknown", identity, f"{with_dmarc}:47"),
        ("SES302", "unknown", "aws_sesv2_account_suppression_attributes", f"{with_dmarc}:47"),
        ("SES311", "fail", "account", f"{with_dmarc}:47"),
        ("SES312", "fail", "aws_cloudwatch_metric_alarm.bounce_rate", f"{with_dmarc}:83"),
        ("SES122", "fail", identity, f"{with_dmarc}:95"),  # p=quarantine where strict asks reject
        ("SES143", "fail", "aws_sns_topic.feedback", f"{without}:11"),
        ("SES104", "unknown", identity, f"{without}:47"),
        ("SES120", "fail", identity, f"{without}:47"),  # nor at the organisational domain's _dmarc
        ("SES302", "unknown", "aws_sesv2_account_suppression_attributes", f"{without}:47"),
        ("SES311", "fail", "account", f"{without}:47"),
        ("SES312", "fail", "aws_cloudwatch_metric_alarm.bounce_rate", f"{without}:83"),
    ]
    missing = next(f for f in report["findings"] if f["rule"] == "SES120")
    assert "_dmarc.identity10.example.com nor at _dmarc.example.com" in missing["message"]
