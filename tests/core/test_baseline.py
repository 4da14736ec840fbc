"""Baseline files: moved lines stay accepted; new occurrences are never absorbed."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from seslint import baseline, engine
from seslint.errors import InputError
from seslint.findings import Finding, Severity, Status
from seslint.fingerprint import fingerprint, legacy_fingerprint
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
    return replace(f, fingerprint=fingerprint(f))


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
        ("[]", '{p}: not a seslint baseline (no "seslint_baseline": 2)'),
        ('{"seslint_baseline": 3, "findings": []}', '{p}: not a seslint baseline (no "seslint_baseline": 2)'),
        ('{"seslint_baseline": 2, "findings": {}}', '{p}: "findings" must be a list'),
        (
            '{"seslint_baseline": 2, "findings": [{"fingerprint": "x", "count": 0}]}',
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


def test_reworded_message_keeps_its_fingerprint(tmp_path: Path) -> None:
    path = str(tmp_path / "baseline.json")
    baseline.write(path, [finding("aws_ses_configuration_set.a", 10)], "0.2.0")
    reworded = [
        finding("aws_ses_configuration_set.a", 10, "configuration set a lets SES deliver without TLS")
    ]
    assert [f.baselined for f in baseline.apply(reworded, baseline.read(path))] == [True]
    assert json.loads(Path(path).read_text())["seslint_baseline"] == 2


def test_format_1_files_are_still_read_the_old_way(tmp_path: Path) -> None:
    old = finding("aws_ses_configuration_set.a", 10)
    path = tmp_path / "old.json"
    entries = [{"fingerprint": legacy_fingerprint(old), "count": 1}]
    path.write_text(json.dumps({"seslint_baseline": 1, "tool_version": "0.1.0", "findings": entries}))
    accepted = baseline.read(str(path))
    assert accepted.format == 1 and accepted.note is not None
    assert "write it again with --write-baseline" in accepted.note
    reworded = finding("aws_ses_configuration_set.a", 10, "configuration set a lets SES deliver without TLS")
    assert [f.baselined for f in baseline.apply([old, reworded], accepted)] == [True, False]
    assert accepted.counts == {legacy_fingerprint(old): 1}
