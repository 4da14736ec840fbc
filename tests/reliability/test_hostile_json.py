"""JSON from outside (plans, baselines, snapshots) and numbers that are not numbers: depth, NaN and
Infinity, numbers of thousands of digits, lone surrogates. Each is a finding (plans) or one line and
exit 2 (baselines, snapshots), never exit 3, in every format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.reliability.hostile import every_format, seslint, write

ALARM = {
    "address": "aws_cloudwatch_metric_alarm.bounce",
    "mode": "managed",
    "type": "aws_cloudwatch_metric_alarm",
    "name": "bounce",
    "values": {
        "alarm_name": "bounce",
        "namespace": "AWS/SES",
        "metric_name": "Reputation.BounceRate",
        "statistic": "Average",
        "comparison_operator": "GreaterThanOrEqualToThreshold",
        "threshold": 0.05,
        "alarm_actions": ["arn:aws:sns:eu-west-1:123456789012:ops"],
    },
}


def plan(*resources: dict[str, object]) -> str:
    return json.dumps(
        {"format_version": "1.2", "planned_values": {"root_module": {"resources": list(resources)}}}
    )


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (plan(ALARM).replace("0.05", "NaN"), "NaN is not a number JSON allows (line 1)"),
        (plan(ALARM).replace("0.05", "-Infinity"), "-Infinity is not a number JSON allows (line 1)"),
        (plan(ALARM).replace("0.05", "1e999"), "the number 1e999 is too large"),
        (plan(ALARM).replace("0.05", "9" * 5000), "a number with thousands of digits (line 1)"),
        (plan(ALARM).replace('"AWS/SES"', deep(500)), "nested deeper than 128 levels"),
        (deep(100_000), "nested deeper than 128 levels"),
    ],
    ids=["nan", "infinity", "overflow", "digits", "deep", "very-deep"],
)
def test_a_plan_that_is_not_usable_json_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, {"plan.json": text, "good.json": plan(ALARM)})
    runs = every_format("plan", "plan.json", "--policy", "strict", cwd=tmp_path)
    assert {(run.code, run.out, run.err) for run in runs.values()} == {
        (2, "", f"seslint: plan.json: {message}; nothing was checked\n")
    }
    # Beside a plan that could be read it is a finding, and the other plan is judged.
    run = seslint("plan", "plan.json", "good.json", "--policy", "strict", "--format", "json", cwd=tmp_path)
    assert run.code == 1
    assert [f for f in run.findings() if f[0] == "SES000"] == [
        ("SES000", "plan.json", "plan.json", None, message)
    ]
    assert ("SES312", "aws_cloudwatch_metric_alarm.bounce") in {f[:2] for f in run.findings()}


def test_a_lone_surrogate_in_a_plan_is_shown_escaped(tmp_path: Path) -> None:
    named = {**ALARM, "values": {**ALARM["values"], "alarm_name": "bounce-\\ud800-\\udc41"}}  # type: ignore[dict-item]
    write(tmp_path, {"plan.json": plan(named).replace("\\\\u", "\\u")})  # JSON escapes of lone surrogates
    runs = every_format("plan", "plan.json", "--policy", "strict", cwd=tmp_path)
    assert {run.code for run in runs.values()} == {1}
    assert [f[4] for f in runs["json"].findings() if f[0] == "SES312"] == [
        "alarm bounce-\\ud800-\\udc41 on Reputation.BounceRate fires at 0.05 (5.00%), above the policy's "
        "maximum 0.02 (2.00%)"
    ]


def test_a_threshold_that_is_not_a_finite_number(tmp_path: Path) -> None:
    alarm = (
        'resource "aws_cloudwatch_metric_alarm" "bounce" {\n'
        '  namespace           = "AWS/SES"\n'
        '  metric_name         = "Reputation.BounceRate"\n'
        '  comparison_operator = "GreaterThanOrEqualToThreshold"\n'
        '  threshold           = "%s"\n'
        '  alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:ops"]\n'
        "}\n"
    )
    write(tmp_path, {"nan/main.tf": alarm % "nan", "inf/main.tf": alarm % "-Infinity"})
    run = seslint("check", ".", "--policy", "strict", "--format", "json", cwd=tmp_path)
    assert sorted((f[0], f[2], f[4]) for f in run.findings() if f[0] == "SES312") == [
        (
            "SES312",
            "inf/main.tf",
            "threshold of alarm aws_cloudwatch_metric_alarm.bounce could not be verified: threshold "
            '"-Infinity" is not a finite number',
        ),
        (
            "SES312",
            "nan/main.tf",
            "threshold of alarm aws_cloudwatch_metric_alarm.bounce could not be verified: threshold "
            '"nan" is not a finite number',
        ),
    ]


def test_a_policy_threshold_that_is_not_a_finite_number_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"p.yaml": "version: 1\nrequire:\n  alarms: {bounce_rate: {max_threshold: .nan}}\n"})
    run = seslint("policy", "validate", "p.yaml", cwd=tmp_path)
    assert (run.code, run.err) == (2, "p.yaml: invalid value: nan is not a finite number\n")


@pytest.mark.parametrize(
    ("option", "name", "what"),
    [("--baseline", "baseline.json", "baseline"), ("--from-snapshot", "snapshot.json", "snapshot")],
)
@pytest.mark.parametrize(
    ("content", "error"),
    [
        (deep(600), "seslint: {name}: not a seslint {what}: nested deeper than 128 levels"),
        ('{"a": NaN}', "{name}:1: not a seslint {what}: NaN is not a number JSON allows"),
        ("[" + "1" * 5000 + "]", "{name}:1: not a seslint {what}: a number with thousands of digits"),
        (b"\xff", "seslint: {name}: cannot read {what}: not UTF-8 text (byte 0)"),
        ("fifo", "seslint: {name}: cannot read {what}: a FIFO (named pipe), not a regular file; not read"),
    ],
    ids=["deep", "nan", "digits", "encoding", "fifo"],
)
def test_baselines_and_snapshots_are_bounded(
    tmp_path: Path, option: str, name: str, what: str, content: str | bytes, error: str
) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_ses_configuration_set" "a" {\n  name = "a"\n}\n'})
    if content == "fifo":
        os.mkfifo(tmp_path / name)
    else:
        write(tmp_path, {name: content})
    argv = ("check", ".") if option == "--baseline" else ("audit",)
    for fmt in ("json", "sarif"):
        run = seslint(*argv, option, name, "--format", fmt, cwd=tmp_path)
        assert (run.code, run.out, run.err) == (2, "", error.format(name=name, what=what) + "\n")
