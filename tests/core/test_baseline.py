"""Baseline files: moved lines stay accepted; new occurrences are never absorbed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from seslint import baseline, engine
from seslint.errors import InputError
from seslint.findings import Finding, Severity, Status
from seslint.model import Location


def finding(resource: str, line: int, message: str = "TLS policy is OPTIONAL") -> Finding:
    f = Finding(
        rule="SES201",
        severity=Severity.ERROR,
        status=Status.FAIL,
        resource=resource,
        message=message,
        location=Location(file="ses.tf", line=line),
    )
    return replace(f, fingerprint=engine.fingerprint(f))


def test_round_trip_survives_moved_lines(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    assert baseline.write(path, [finding("aws_ses_configuration_set.a", 10)], "0.1.0") == 1
    later = [finding("aws_ses_configuration_set.a", 42)]
    marked = baseline.apply(later, baseline.read(path))
    assert [f.baselined for f in marked] == [True]
    assert not engine.failing(marked, Severity.ERROR)


def test_new_violation_of_same_rule_elsewhere_is_reported(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    baseline.write(path, [finding("aws_ses_configuration_set.a", 10)], "0.1.0")
    later = [finding("aws_ses_configuration_set.a", 10), finding("aws_ses_configuration_set.b", 20)]
    marked = baseline.apply(later, baseline.read(path))
    assert [(f.resource, f.baselined) for f in marked] == [
        ("aws_ses_configuration_set.a", True),
        ("aws_ses_configuration_set.b", False),
    ]


def test_second_identical_occurrence_is_not_absorbed(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    baseline.write(path, [finding("aws_ses_configuration_set.a", 10)], "0.1.0")
    twice = [finding("aws_ses_configuration_set.a", 10), finding("aws_ses_configuration_set.a", 90)]
    marked = baseline.apply(twice, baseline.read(path))
    assert [f.baselined for f in marked] == [True, False]


def test_waived_findings_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    waived = replace(finding("aws_ses_configuration_set.a", 10), waived=True)
    assert baseline.write(str(path), [waived], "0.1.0") == 0
    assert json.loads(path.read_text())["findings"] == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "{p}:1: not a seslint baseline: Expecting property name enclosed in double quotes"),
        ("[]", '{p}: not a seslint baseline (no "seslint_baseline": 1)'),
        ('{"seslint_baseline": 1, "findings": {}}', '{p}: "findings" must be a list'),
        (
            '{"seslint_baseline": 1, "findings": [{"fingerprint": "x", "count": 0}]}',
            "{p}: findings[0]: needs a string fingerprint and a positive count",
        ),
    ],
)
def test_bad_baseline_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        baseline.read(str(path))
    assert str(error.value) == message.format(p=path)


def test_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        baseline.read(str(tmp_path / "nope.json"))
    assert (
        str(error.value)
        == f"{tmp_path / 'nope.json'}: no such baseline file (create it with --write-baseline)"
    )
