"""No false green: a run that checked nothing exits 2 with one line saying why, never 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
NOT_TERRAFORM = "not a Terraform file (.tf, .tf.json, .tfvars, .tfvars.json); nothing was checked"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["check", "docs"], "seslint: docs: no Terraform files (.tf, .tf.json) here; nothing was checked\n"),
        (["check", "README.md"], f"seslint: README.md: {NOT_TERRAFORM}\n"),
        (
            ["check", "tests/plan/fixtures/compliant-first-plan.json"],
            f"seslint: tests/plan/fixtures/compliant-first-plan.json: {NOT_TERRAFORM}; for a plan, use "
            "seslint plan\n",
        ),
        (
            ["check", "--fail-on", "never", "docs"],
            "seslint: docs: no Terraform files (.tf, .tf.json) here; nothing was checked\n",
        ),
    ],
)
def test_paths_without_terraform_exit_2(
    argv: list[str], error: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert run(capsys, *argv) == (2, "", error)


def test_empty_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "check") == (
        2,
        "",
        "seslint: .: no Terraform files (.tf, .tf.json) here; nothing was checked\n",
    )
    (tmp_path / "stray.tfvars").write_text('domain = "example.com"\n')
    assert run(capsys, "check", "stray.tfvars")[0] == 2


def test_terraform_without_ses_is_read_and_passes_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "main.tf").write_text('resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "check") == (
        0,
        "No findings.\n",
        "seslint: .: no SES, SNS, alarm or DNS resources in 1 Terraform module\n",
    )


def test_one_unparsable_file_among_others_is_ses000_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.tf").write_text('resource "aws_ses_configuration_set" "legacy" {\n  name = "legacy"\n}\n')
    (tmp_path / "broken.tf").write_text('resource "aws_ses_configuration_set" "x" {\n  name = \n')
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "json", "--policy", "strict")
    found = sorted((f["rule"], f["resource"]) for f in json.loads(out)["findings"])
    assert code == 1
    assert found == [
        ("SES000", "broken.tf"),
        ("SES201", "aws_ses_configuration_set.legacy"),
        ("SES202", "aws_ses_configuration_set.legacy"),
    ]


def test_binary_plan_alone_exits_2_with_the_command_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plan.out").write_bytes(b"PK\x03\x04\x14\x00\x08\x00binary plan")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "plan", "plan.out", "--fail-on", "never")
    assert (code, out) == (2, "")
    assert err == (
        "seslint: plan.out: a binary plan file (terraform plan -out), not JSON: run `terraform show -json "
        "PLANFILE > plan.json` and pass plan.json; nothing was checked\n"
    )
