"""Roots that hold no posture are not parsed: a root none of whose modules (found by the text scan of
their calls) names a posture resource type. Nothing they could affect is lost: the findings are the same
with and without the pruning, on both benchmark shapes, the shipped Terraform and the idiom corpus, and
for pre-commit's files (whose repository's other roots count for the DNS view only when they can
declare a record). What a text scan cannot follow (a registry module, a call in JSON, a file not read)
is parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli
from seslint.sources.terraform import discovery
from tests import benchmark_shapes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("shapes")
    benchmark_shapes.load("generate_terraform").generate(work / "modules", 60)
    benchmark_shapes.load("stack_shape").generate_stacks(work / "stacks", 30)
    return work


def _run(
    args: list[str],
    cwd: Path,
    pruned: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, object]:
    with monkeypatch.context() as patch:
        patch.chdir(cwd)
        if not pruned:
            patch.setattr(discovery.Survey, "may_hold_posture", lambda self, root: True)
            patch.setattr(discovery.Survey, "may_hold_records", lambda self, root: True)
        code = cli.main(["check", *args, "--policy", "strict", "--format", "json", "--fail-on", "never"])
    out = capsys.readouterr().out
    assert code == 0, out
    report: dict[str, object] = json.loads(out)
    return report


CASES = {
    "modules shape": ("shapes", "modules", ["."]),
    "stacks shape": ("shapes", "stacks", ["."]),
    "stacks shape, pre-commit on a shared module": ("shapes", "stacks", ["modules/s3/main.tf"]),
    "stacks shape, pre-commit on a stack": (
        "shapes",
        "stacks",
        ["stacks/s0010/ses.tf", "stacks/s0011/main.tf"],
    ),
    "shipped terraform": ("root", "terraform", ["."]),
    "idiom corpus": ("root", "tests/terraform/idioms", ["."]),
    "pre-commit in this repository": (
        "root",
        ".",
        ["tests/terraform/idioms/split-dns-and-ses-stacks/ok/ses/main.tf"],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_findings_are_the_same_with_and_without_pruning(
    case: str, shapes: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    base, folder, args = CASES[case]
    cwd = (shapes if base == "shapes" else ROOT) / folder
    pruned = _run(args, cwd, True, monkeypatch, capsys)
    everything = _run(args, cwd, False, monkeypatch, capsys)
    assert pruned["findings"] == everything["findings"]
    assert pruned["findings"]
    judged = pruned["source"]["targets"]  # type: ignore[index]
    if "shape" in case:  # roots that hold nothing are neither parsed nor listed
        assert len(judged) < len(everything["source"]["targets"])  # type: ignore[index]


def test_stacks_without_ses_are_not_judged(shapes: Path) -> None:
    survey = discovery.Survey()
    stacks = sorted((shapes / "stacks" / "stacks").iterdir())
    assert [s.name for s in stacks if survey.may_hold_posture(s.resolve())] == ["s0000", "s0010", "s0020"]
    # Only the SES stacks declare records: only they count for pre-commit's DNS view.
    assert [s.name for s in stacks if survey.may_hold_records(s.resolve())] == ["s0000", "s0010", "s0020"]
    modules = shapes / "modules"
    assert survey.may_hold_records((modules / "m00001").resolve())  # through the SES module it calls
    assert survey.may_hold_posture((modules / "m00002").resolve()) is False
    assert survey.may_hold_records((modules / "m00002").resolve()) is False


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


SES = 'resource "aws_sesv2_email_identity" "x" {\n  email_identity = "example.com"\n}\n'


def test_what_a_text_scan_cannot_follow_is_judged(tmp_path: Path) -> None:
    _write(tmp_path / "plain" / "main.tf", 'module "s" {\n  source = "../shared"\n}\n')
    _write(tmp_path / "shared" / "main.tf", 'resource "aws_s3_bucket" "b" {}\n')
    _write(tmp_path / "deep" / "main.tf", 'module "m" {\n  source = "../middle"\n}\n')
    _write(tmp_path / "middle" / "main.tf", 'module "ses" {\n  source = "../ses"\n}\n')
    _write(tmp_path / "ses" / "main.tf", SES)
    _write(tmp_path / "registry" / "main.tf", 'module "ses" {\n  source = "cloudposse/ses/aws"\n}\n')
    _write(tmp_path / "git" / "main.tf", 'module ses {\n  source = "git::https://example.com/ses.git"\n}\n')
    _write(tmp_path / "nosource" / "main.tf", 'module "ses" {\n  version = "1.0"\n}\n')
    _write(tmp_path / "missing" / "main.tf", 'module "ses" {\n  source = "./gone"\n}\n')
    _write(tmp_path / "json" / "main.tf.json", '{"module": {"ses": {"source": "../ses"}}}')
    _write(tmp_path / "escaped" / "main.tf.json", '{"resource": {"aws\\u005fses_domain_identity": {}}}')
    _write(tmp_path / "binary" / "main.tf", 'module "s" {\n  source = "../shared"\n}\n\x00')
    (tmp_path / "latin1").mkdir()
    (tmp_path / "latin1" / "main.tf").write_bytes(b'# caf\xe9\nmodule "s" {\n  source = "../shared"\n}\n')
    _write(tmp_path / "outside" / "main.tf", 'module "s" {\n  source = "../../elsewhere"\n}\n')
    _write(tmp_path.parent / "elsewhere" / "main.tf", 'resource "aws_s3_bucket" "b" {}\n')
    survey = discovery.Survey(discovery.boundary([str(tmp_path)], tmp_path))
    judged = {
        d.name: survey.may_hold_posture(d.resolve())
        for d in tmp_path.iterdir()
        if d.name not in ("shared", "ses")
    }
    assert judged == {
        "plain": False,
        "deep": True,
        "middle": True,
        "registry": True,
        "git": True,
        "nosource": True,
        "missing": True,
        "json": True,
        "escaped": True,
        "binary": True,
        "latin1": True,
        "outside": True,
    }


def test_a_var_declared_only_by_a_root_without_posture_is_not_undeclared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "ses" / "main.tf", SES)
    _write(tmp_path / "app" / "main.tf", 'variable "bucket_name" {\n  type = string\n}\n')
    monkeypatch.chdir(tmp_path)
    cli.main(["check", ".", "--var", "bucket_name=x", "--var", "bucket_nmae=y", "--fail-on", "never"])
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [
        "seslint: warning: --var bucket_nmae: no root module declares a variable 'bucket_nmae'; the value is "
        "not used; did you mean bucket_name?"
    ]
