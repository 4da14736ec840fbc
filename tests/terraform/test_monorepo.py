"""A generated tree of 50 modules with variables, for_each and module calls: no crash, nothing dropped."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from seslint import cli
from seslint.model import Unknown
from seslint.sources.terraform.source import read_tree

ROOT = Path(__file__).resolve().parents[2]


def generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "generate_terraform", ROOT / "benchmarks" / "generate_terraform.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fifty_modules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = generator().generate(tmp_path / "repo", 50)
    assert counts["modules"] == 50
    postures = read_tree([str(tmp_path / "repo")], tmp_path, [], [])
    # Called modules are judged through their callers; modules that name no SES, SNS, alarm or DNS
    # resource and call no module cannot hold posture and are not parsed: one posture per caller.
    assert len(postures) == counts["ses_modules"]
    assert all(p.targets[0].startswith("repo/m") for p in postures)
    identities = [i for p in postures for i in p.identities]
    assert len(identities) == sum(len(p.identities) for p in postures) > 0
    for identity in identities:
        assert isinstance(identity.name, str) and identity.name.endswith(".example.com")
        assert identity.address.startswith('module.sending["')
    for posture in postures:
        for failure in posture.failures:
            pytest.fail(f"unexpected read failure {failure}")
        for resource, _location, reason in posture.unresolved:
            assert reason, resource
    monkeypatch.chdir(tmp_path)
    code = cli.main(["check", "repo", "--policy", "baseline", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert "Traceback" not in json.dumps(report)
    rules = {f["rule"] for f in report["findings"]}
    assert "SES002" not in rules  # no rule crashed
    # Every identity's missing MAIL FROM is reported, none silently skipped.
    assert sum(f["rule"] == "SES110" for f in report["findings"]) == len(identities)
    assert not any(isinstance(i.name, Unknown) for i in identities)
