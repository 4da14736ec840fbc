"""The configuration (.seslint.yaml, pyproject.toml) is the checked repository's, not the working
directory's: `seslint check /repo/stack` run from anywhere uses /repo/.seslint.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "plan" / "fixtures" / "compliant-first-plan.json"


def policy_of(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    cli.main([*argv, "--format", "json"])
    document: dict[str, object] = json.loads(capsys.readouterr().out)["policy"]
    return document


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose .seslint.yaml names a policy, with the compliant example as a stack."""
    top = tmp_path / "repo"
    (top / ".git").mkdir(parents=True)
    shutil.copytree(ROOT / "terraform" / "examples" / "compliant", top / "stack")
    (top / ".seslint.yaml").write_text("version: 1\nname: repo-policy\nextends: strict\n")
    return top


def test_check_from_another_directory_finds_the_repository_policy(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".git").mkdir(parents=True)
    (elsewhere / ".seslint.yaml").write_text("version: 1\nname: not-this-one\n")
    monkeypatch.chdir(elsewhere)
    assert policy_of(capsys, "check", str(repo / "stack")) == {
        "name": "repo-policy",
        "files": ["baseline", "aws-production-access", "strict", str(repo / ".seslint.yaml")],
    }
    assert policy_of(capsys, "check", str(repo / "stack" / "main.tf"))["name"] == "repo-policy"
    assert policy_of(capsys, "check", str(repo / "stack"), "--policy", "bulk-sender")["name"] == "bulk-sender"
    # Without a path, the working directory is the checked one (and its repository's policy applies).
    (elsewhere / "main.tf").write_text('resource "aws_ses_configuration_set" "x" {\n  name = "x"\n}\n')
    assert policy_of(capsys, "check")["name"] == "not-this-one"


def test_pyproject_table_of_the_checked_repository(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".seslint.yaml").unlink()
    (repo / "pyproject.toml").write_text('[tool.seslint]\nname = "from-pyproject"\non_unknown = "error"\n')
    monkeypatch.chdir(tmp_path)
    assert policy_of(capsys, "check", "repo/stack") == {
        "name": "from-pyproject",
        "files": [f"{repo / 'pyproject.toml'} [tool.seslint]"],
    }


def test_plan_uses_the_source_tree_repository_else_the_plan_file_repository(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert policy_of(capsys, "plan", str(PLAN), "--source-dir", str(repo / "stack"))["name"] == "repo-policy"
    shutil.copy(PLAN, repo / "plan.json")
    assert policy_of(capsys, "plan", str(repo / "plan.json"))["name"] == "repo-policy"
