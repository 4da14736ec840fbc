"""The policy's `exclude`: a list of patterns, checked with its line, anchored at the directory of the
file that declares it, shown by `policy show` as a policy that validates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seslint import cli
from seslint.policy.loader import load_policy, validate_files
from seslint.policy.model import Exclusion
from seslint.rules import RULE_IDS


def problems_of(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "p.yaml").write_text(text)
    return [
        p.replace(str(tmp_path) + "/", "")
        for p in validate_files([str(tmp_path / "p.yaml")], known_rules=RULE_IDS)
    ]


def test_exclude_of_the_wrong_type_is_an_error_with_its_line(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "version: 1\nname: x\nexclude: tests/**\n") == [
        "p.yaml:3: exclude: 'tests/**' is not of type 'array'"
    ]
    assert problems_of(tmp_path, "version: 1\nexclude:\n  - tests/**\n  - 3\n") == [
        "p.yaml:4: exclude[1]: 3 is not of type 'string'"
    ]


def test_patterns_that_cannot_be_honoured_are_errors(tmp_path: Path) -> None:
    text = 'version: 1\nexclude:\n  - "!tests/keep"\n  - ""\n  - ../other/**\n  - tests/**\n'
    assert problems_of(tmp_path, text) == [
        "p.yaml:3: exclude[0]: '!tests/keep': negation (!) is not supported; list only what to exclude",
        "p.yaml:4: exclude[1]: '' should be non-empty",
        "p.yaml:5: exclude[2]: '../other/**': '..' would leave the directory the pattern is anchored at",
    ]


def test_exclude_is_anchored_at_the_file_that_declares_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "team.yaml").write_text(
        "version: 1\nextends: baseline\nexclude: [fixtures/**]\n"
    )
    (tmp_path / ".seslint.yaml").write_text("version: 1\nextends: policies/team.yaml\n")
    policy = load_policy(None, cwd=tmp_path, known_rules=RULE_IDS)
    assert policy.exclude == (Exclusion(("fixtures/**",), str(tmp_path / "policies"), "policies/team.yaml"),)
    # Lists replace, as every list of a policy: the repository's own list, at its root.
    (tmp_path / ".seslint.yaml").write_text("version: 1\nextends: policies/team.yaml\nexclude: [tests/**]\n")
    policy = load_policy(None, cwd=tmp_path, known_rules=RULE_IDS)
    assert policy.exclude == (Exclusion(("tests/**",), str(tmp_path), ".seslint.yaml"),)
    (tmp_path / ".seslint.yaml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.seslint]\nextends = "baseline"\nexclude = ["tests/**"]\n')
    policy = load_policy(None, cwd=tmp_path / "policies", known_rules=RULE_IDS)
    assert policy.exclude == (
        Exclusion(("tests/**",), str(tmp_path), f"{tmp_path / 'pyproject.toml'} [tool.seslint]"),
    )


def test_the_repositorys_exclude_holds_whichever_policy_judges(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".seslint.yaml").write_text("version: 1\nextends: baseline\nexclude: [tests/**]\n")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text("version: 1\nextends: strict\nexclude: [legacy/*]\n")
    repository = Exclusion(("tests/**",), str(tmp_path), ".seslint.yaml")
    assert load_policy("strict", cwd=tmp_path, known_rules=RULE_IDS).exclude == (repository,)
    given = load_policy("policies/p.yaml", cwd=tmp_path, known_rules=RULE_IDS)
    assert given.exclude == (
        repository,
        Exclusion(("legacy/*",), str(tmp_path / "policies"), "policies/p.yaml"),
    )
    assert load_policy(".seslint.yaml", cwd=tmp_path, known_rules=RULE_IDS).exclude == (repository,)


def test_shipped_policies_exclude_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    assert load_policy("strict", cwd=tmp_path, known_rules=RULE_IDS).exclude == ()
    assert load_policy(None, cwd=tmp_path, known_rules=RULE_IDS).exclude == ()


def test_policy_show_prints_exclude_in_a_policy_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".seslint.yaml").write_text(
        "version: 1\nextends: baseline\nexclude: [tests/**, '**/fixtures/**']\n"
    )
    monkeypatch.chdir(tmp_path)
    assert cli.main(["policy", "show"]) == 0
    shown = capsys.readouterr().out
    assert yaml.safe_load(shown)["exclude"] == ["tests/**", "**/fixtures/**"]
    (tmp_path / "shown.yaml").write_text(shown)
    assert validate_files([str(tmp_path / "shown.yaml")], known_rules=RULE_IDS) == []
