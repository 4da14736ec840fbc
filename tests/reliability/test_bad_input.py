"""Bad, huge and hostile input: one clear finding or error naming the file, the run goes on, no leak."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from seslint import cli
from seslint.reporters import FORMATS

SES_SET = 'resource "aws_ses_configuration_set" "ok" {\n  name = "ok"\n}\n'


def lint(
    capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, list[tuple[str, str, str | None, str]], str]:
    code = cli.main([*argv, "--format", "json"])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out else []
    return code, [(f["rule"], f["resource"], f["file"], f["message"]) for f in findings], captured.err


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))


def test_truncated_file_and_the_rest_still_judged(capsys: pytest.CaptureFixture[str]) -> None:
    write({"a/main.tf": 'resource "aws_sns_topic" "t" {\n  name = "t"\n', "b/main.tf": SES_SET})
    code, findings, err = lint(capsys, "check", ".", "--policy", "baseline")
    assert code == 1 and err == ""
    assert [f[:3] for f in findings if f[0] == "SES000"] == [("SES000", "a/main.tf", "a/main.tf")]
    assert ("SES202", "aws_ses_configuration_set.ok", "b/main.tf") in [f[:3] for f in findings]


def test_huge_file_is_reported_not_read(capsys: pytest.CaptureFixture[str]) -> None:
    Path("big").mkdir()
    with open("big/main.tf", "wb") as handle:
        handle.write(b'resource "aws_sns_topic" "t" {\n')
        handle.truncate(2 * 1024**3)  # 2 GB, sparse: the size is known before a byte is read
    code, findings, _ = lint(capsys, "check", ".", "--policy", "baseline")
    assert code == 1
    assert findings == [
        ("SES000", "big/main.tf", "big/main.tf", "2048 MB is larger than the 4 MB seslint reads; not checked")
    ]


def test_circular_module_calls(capsys: pytest.CaptureFixture[str]) -> None:
    write(
        {
            "root/main.tf": 'module "a" {\n  source = "../a"\n}\n',
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\n' + SES_SET,
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        }
    )
    code, findings, err = lint(capsys, "check", "root", "--policy", "baseline")
    assert code == 1 and "Traceback" not in err
    assert [f for f in findings if f[0] == "SES000"] == [
        (
            "SES000",
            "module.a.module.b.module.a",
            "b/main.tf",
            "module a calls itself (a cycle of module calls)",
        )
    ]


def test_huge_count_is_capped_and_reported(capsys: pytest.CaptureFixture[str]) -> None:
    write(
        {
            "main.tf": 'resource "aws_ses_configuration_set" "many" {\n  count = 100000\n  name = "s${count.index}"\n}\n'
        }
    )
    code, findings, _ = lint(capsys, "check", ".", "--policy", "baseline")
    assert code == 0  # both are warnings under baseline
    assert [f for f in findings if f[0] == "SES004"] == [
        (
            "SES004",
            "aws_ses_configuration_set.many",
            "main.tf",
            "count = 100000 is larger than 1000; only the first 1000 instances were judged",
        )
    ]
    assert sum(f[0] == "SES202" for f in findings) == 1000


def test_for_each_over_unknown_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    write(
        {
            "main.tf": 'variable "sets" {}\nresource "aws_ses_configuration_set" "s" {\n  for_each = var.sets\n'
            "  name = each.key\n}\n"
        }
    )
    _, findings, _ = lint(capsys, "check", ".", "--policy", "baseline")
    # Reported once, at its cause (the variable, line 1), naming what it decides.
    assert (
        "SES004",
        "var.sets",
        "main.tf",
        "var.sets has no value, so the for_each of aws_ses_configuration_set.s was judged as one instance: "
        "pass it with --var or a tfvars file",
    ) in findings


def test_plan_with_wrong_types_is_read_without_crash(capsys: pytest.CaptureFixture[str]) -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_sesv2_configuration_set.x",
                        "mode": "managed",
                        "type": "aws_sesv2_configuration_set",
                        "values": {
                            "configuration_set_name": 5,
                            "delivery_options": "REQUIRE",
                            "reputation_options": [7],
                            "suppression_options": [{"suppressed_reasons": ["BOUNCE", 3]}],
                        },
                    },
                    {
                        "address": "aws_cloudwatch_metric_alarm.a",
                        "mode": "managed",
                        "type": "aws_cloudwatch_metric_alarm",
                        "values": {
                            "namespace": "AWS/SES",
                            "metric_name": "Reputation.BounceRate",
                            "threshold": "high",
                            "alarm_actions": "arn",
                            "dimensions": [1, 2],
                        },
                    },
                ]
            }
        },
    }
    Path("plan.json").write_text(json.dumps(plan))
    code, findings, err = lint(capsys, "plan", "plan.json", "--policy", "strict")
    assert err == "" and code == 1
    assert "SES002" not in {f[0] for f in findings}  # no rule crashed on the odd values
    assert (
        "SES312",
        "aws_cloudwatch_metric_alarm.a",
        None,
        'threshold of alarm aws_cloudwatch_metric_alarm.a could not be verified: threshold "high" is not a '
        "number",
    ) in [
        (f[0], f[1], f[2], f[3].replace("alarm None", "alarm aws_cloudwatch_metric_alarm.a"))
        for f in findings
    ]


SECRET = "MIIEowIBAAKCAQEAsecretsecretsecretsecretKEYMATERIAL"


@pytest.mark.parametrize("fmt", FORMATS)
def test_byodkim_private_key_never_printed(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    write(
        {
            "main.tf": f'''\
        resource "aws_sesv2_email_identity" "byo" {{
          email_identity = "example.com"
          dkim_signing_attributes {{
            domain_signing_private_key = "{SECRET}"
            domain_signing_selector    = "sel1"
          }}
        }}
        '''
        }
    )
    cli.main(["check", ".", "--policy", "strict", "--format", fmt])
    captured = capsys.readouterr()
    assert captured.out and SECRET not in captured.out + captured.err
    assert "KEYMATERIAL" not in captured.out


def test_hostile_resource_names_are_escaped_in_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    write({"main.tf": 'resource "aws_ses_configuration_set" "x" {\n  name = "evil\\u001b[2J"\n}\n'})
    cli.main(["check", ".", "--policy", "baseline", "--format", "table"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "evil\\x1b[2J" in out


def test_nul_bytes_in_module_sources_are_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """Found by the tf fuzz target: a NUL byte in a module source raised ValueError from pathlib."""
    write(
        {
            "raw/main.tf": b'module "m" {\n  source = "../modul\x00\x00es"\n}\n',
            "escaped/main.tf": 'module "m" {\n  source = "./a\\u0000b"\n}\n' + SES_SET,
        }
    )
    code, findings, err = lint(capsys, "check", ".", "--policy", "baseline")
    assert (code, err) == (1, "")
    assert [f for f in findings if f[0] == "SES000"] == [
        ("SES000", "module.m", "escaped/main.tf", "module m: source './a\\x00b' is not a directory"),
        ("SES000", "raw/main.tf", "raw/main.tf", "binary content, not Terraform"),
    ]


def test_module_source_too_long_for_the_file_system(capsys: pytest.CaptureFixture[str]) -> None:
    """Found by the tf fuzz target: a source path over the file system's name limit raised OSError
    (ENAMETOOLONG) from pathlib during discovery."""
    long_name = "x" * 300
    write({"main.tf": f'module "m" {{\n  source = "./{long_name}"\n}}\n' + SES_SET})
    code, findings, err = lint(capsys, "check", ".", "--policy", "baseline")
    assert (code, err) == (1, "")
    assert [f for f in findings if f[0] == "SES000"] == [
        ("SES000", "module.m", "main.tf", f"module m: source './{long_name}' is not a directory")
    ]
