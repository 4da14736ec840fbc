"""`policy show` prints a policy that validates and judges alike; --var names and types are checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from seslint import cli
from seslint.policy.loader import shipped_policy_names

ROOT = Path(__file__).resolve().parents[2]
NONCOMPLIANT = ROOT / "terraform" / "examples" / "noncompliant"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def verdicts(capsys: pytest.CaptureFixture[str], *argv: str) -> list[tuple[str, str, str]]:
    _, out, _ = run(capsys, "check", *argv, "--format", "json")
    return [(f["rule"], f["resource"], f["status"]) for f in json.loads(out)["findings"]]


@pytest.mark.parametrize("name", shipped_policy_names())
def test_policy_show_prints_a_policy_that_validates_and_judges_the_same(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, shown, _ = run(capsys, "policy", "show", name)
    assert code == 0 and shown.startswith("# seslint policy, merged from (each extending the one before):\n")
    path = tmp_path / "p.yaml"
    path.write_text(shown)
    assert run(capsys, "policy", "validate", str(path)) == (0, f"{path}: ok\n", "")
    assert verdicts(capsys, str(NONCOMPLIANT), "--policy", str(path)) == verdicts(
        capsys, str(NONCOMPLIANT), "--policy", name
    )


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The non-compliant example's second root: `variable "enable_transactional" { type = bool }`."""
    shutil.copytree(NONCOMPLIANT / "second-account", tmp_path / "stack")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "stack"


def test_var_for_an_undeclared_variable_warns_with_a_suggestion(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "check", "stack", "--var", "enable_transactionl=true", "--format", "json")
    assert code == 1
    assert err == (
        "seslint: warning: --var enable_transactionl: no root module declares a variable "
        "'enable_transactionl'; the value is not used; did you mean enable_transactional?\n"
    )


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ["--var", "enable_transactional=maybe"],
            "seslint: var.enable_transactional: 'maybe' is not a bool value (variable 'enable_transactional' "
            "at stack/main.tf:4 has type = bool)\n",
        ),
        (
            ["--var", "enable_transactional=[1]"],
            "seslint: var.enable_transactional: [1] is not a bool value (variable 'enable_transactional' at "
            "stack/main.tf:4 has type = bool)\n",
        ),
    ],
)
def test_var_of_the_wrong_type_is_exit_2_naming_the_variable(
    example: Path, argv: list[str], error: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "check", "stack", *argv) == (2, "", error)


def test_wrong_type_in_a_tfvars_file_too(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (example / "terraform.tfvars").write_text('enable_transactional = "yes"\n')
    code, _, err = run(capsys, "check", "stack")
    assert (code, err) == (
        2,
        "seslint: var.enable_transactional: 'yes' is not a bool value (variable 'enable_transactional' at "
        "stack/main.tf:4 has type = bool)\n",
    )


def test_values_are_converted_as_terraform_converts_them(example: Path) -> None:
    """A bool given as a string (a tfvars file quoting it) is that bool, as in Terraform."""
    from seslint.sources.terraform.source import read_tree

    def sets() -> list[object]:
        (posture,) = read_tree(["stack"], example.parent, [], [])
        return [c.name for c in posture.configuration_sets]

    (example / "terraform.tfvars").write_text('enable_transactional = "false"\n')
    assert sets() == ["marketing"]
    (example / "terraform.tfvars").write_text('enable_transactional = "true"\n')
    assert sorted(map(str, sets())) == ["marketing", "transactional"]


def test_convert_follows_terraform() -> None:
    from seslint.sources.terraform.inputs import _REFUSED, convert

    assert convert("true", "bool") is True and convert(False, "bool") is False
    assert convert("1", "bool") is _REFUSED
    assert (
        convert("5", "number") == 5
        and convert("2.5", "number") == 2.5
        and convert("five", "number") is _REFUSED
    )
    assert (
        convert(5, "string") == "5"
        and convert(True, "string") == "true"
        and convert([1], "string") is _REFUSED
    )
    assert convert(["a"], "list(string)") == ["a"] and convert("a", "list(string)") is _REFUSED
    assert convert({"a": 1}, "map(number)") == {"a": 1} and convert({"a": 1}, "object({a = number})") == {
        "a": 1
    }
    assert convert(None, "bool") is None and convert("x", "any") == "x"
