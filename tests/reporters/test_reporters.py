"""Reporters: exact output, valid SARIF 2.1.0 and JSON contract, hostile strings escaped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from seslint.findings import Finding, Severity, Status
from seslint.model import Location
from seslint.reporters import FORMATS, Report, render
from seslint.rules import RULES_BY_ID

DATA = Path(__file__).parent / "data"
JSON_SCHEMA = Path(__file__).resolve().parents[2] / "seslint" / "reporters" / "json_output.schema.json"

FILE_FINDING = Finding(
    rule="SES201",
    severity=Severity.ERROR,
    status=Status.FAIL,
    resource="aws_ses_configuration_set.legacy",
    message="configuration set legacy lets SES deliver without TLS",
    location=Location(file="infra/ses.tf", line=12),
    fingerprint="f1",
)
LIVE_UNKNOWN = Finding(
    rule="SES003",
    severity=Severity.WARNING,
    status=Status.UNKNOWN,
    resource="sesv2:GetAccount",
    message="could not read sesv2:GetAccount: AccessDenied",
    location=Location(arn="arn:aws:ses:eu-west-1:123456789012:account", region="eu-west-1"),
    fingerprint="f2",
)
WAIVED = Finding(
    rule="SES202",
    severity=Severity.WARNING,
    status=Status.FAIL,
    resource="aws_ses_configuration_set.legacy",
    message="no reputation metrics",
    location=Location(file="infra/ses.tf", line=12),
    waived=True,
    waiver_reason="OPS-1",
    fingerprint="f3",
)
HOSTILE = Finding(
    rule="SES142",
    severity=Severity.ERROR,
    status=Status.FAIL,
    resource='aws_sns_topic.x\x1b[31m|<b>&"evil"',
    message="line one\nline two | `code` <script>&amp;\x07 100% done, ok: yes",
    location=Location(file="a b/main.tf", line=3),
    identity="ex<ample>.com",
    fingerprint="f4",
)


def report(*findings: Finding) -> Report:
    return Report(
        findings=findings,
        rules={k: r.meta for k, r in RULES_BY_ID.items()},
        tool_version="0.1.0",
        source_kind="terraform",
        targets=("infra",),
        policy_name="strict",
        policy_files=("baseline", "aws-production-access", "strict"),
    )


FULL = report(FILE_FINDING, LIVE_UNKNOWN, WAIVED, HOSTILE)


def test_every_format_renders() -> None:
    assert FORMATS == ("table", "json", "sarif", "junit", "github", "markdown", "html")
    for fmt in FORMATS:
        assert render(fmt, FULL).endswith("\n")


def test_json_contract() -> None:
    document = json.loads(render("json", FULL))
    jsonschema.Draft202012Validator(json.loads(JSON_SCHEMA.read_text())).validate(document)
    assert document["seslint"] == "1"
    assert document["source"] == {"kind": "terraform", "targets": ["infra"]}
    assert document["policy"] == {"name": "strict", "files": ["baseline", "aws-production-access", "strict"]}
    first = document["findings"][0]
    assert {
        k: first[k]
        for k in ("rule", "severity", "status", "resource", "identity", "file", "line", "message", "waived")
    } == {
        "rule": "SES201",
        "severity": "error",
        "status": "fail",
        "resource": "aws_ses_configuration_set.legacy",
        "identity": None,
        "file": "infra/ses.tf",
        "line": 12,
        "message": "configuration set legacy lets SES deliver without TLS",
        "waived": False,
    }
    live = document["findings"][1]
    assert (live["file"], live["line"], live["resource"]) == (None, None, "sesv2:GetAccount")
    assert document["summary"] == {
        "error": 2,
        "warning": 1,
        "info": 0,
        "unknown": 1,
        "waived": 1,
        "baselined": 0,
        "by_severity": {
            "error": {"fail": 2, "unknown": 0},
            "warning": {"fail": 0, "unknown": 1},
            "info": {"fail": 0, "unknown": 0},
        },
    }


def test_sarif_is_valid_2_1_0() -> None:
    document = json.loads(render("sarif", FULL))
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES_BY_ID)
    assert rules[0]["help"]["markdown"].startswith("**What it does**")
    results = run["results"]
    assert results[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "infra/ses.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12},
    }
    assert rules[results[0]["ruleIndex"]]["id"] == "SES201"
    assert "physicalLocation" not in results[1]["locations"][0]
    assert results[1]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "sesv2:GetAccount"
    assert results[1]["properties"]["status"] == "unknown"
    assert results[2]["suppressions"] == [{"kind": "external", "justification": "OPS-1"}]


def test_table_and_summary() -> None:
    wide = replace(report(FILE_FINDING, LIVE_UNKNOWN, WAIVED), width=160)
    message_column = " " * 117
    assert render("table", wide).splitlines() == [
        "severity           rule    location                                                resource"
        "                          message",
        "-----------------  ------  ------------------------------------------------------  "
        "--------------------------------  -----------------------------------------",
        "error              SES201  infra/ses.tf:12                                         "
        "aws_ses_configuration_set.legacy  configuration set legacy lets SES deliver",
        message_column + "without TLS",
        "warning (unknown)  SES003  arn:aws:ses:eu-west-1:123456789012:account (eu-west-1)  "
        "sesv2:GetAccount                  could not read sesv2:GetAccount:",
        message_column + "AccessDenied",
        "",
        "error: 1 failed, 0 unknown; warning: 0 failed, 1 unknown; 1 waived",
        "Why and how to fix: seslint explain RULE, e.g. seslint explain SES201",
    ]
    narrow = replace(report(FILE_FINDING, LIVE_UNKNOWN, WAIVED), width=80)
    assert render("table", narrow).splitlines() == [
        "error  SES201  infra/ses.tf:12  aws_ses_configuration_set.legacy",
        "    configuration set legacy lets SES deliver without TLS",
        "warning (unknown)  SES003",
        "    arn:aws:ses:eu-west-1:123456789012:account (eu-west-1)  sesv2:GetAccount",
        "    could not read sesv2:GetAccount: AccessDenied",
        "",
        "error: 1 failed, 0 unknown; warning: 0 failed, 1 unknown; 1 waived",
        "Why and how to fix: seslint explain RULE, e.g. seslint explain SES201",
    ]
    assert "\x1b" not in render("table", wide)
    coloured = render("table", report(FILE_FINDING), color=True)
    assert coloured.startswith("\x1b[31merror\x1b[0m  SES201  infra/ses.tf:12")
    assert render("table", report()) == "No findings.\n"
    assert render("table", report(WAIVED)) == "No findings. (1 waived)\n"


def test_table_escapes_terminal_control_characters() -> None:
    text = render("table", report(HOSTILE), color=False)
    assert "\x1b" not in text and "\x07" not in text
    assert "aws_sns_topic.x\\x1b[31m" in text


def test_github_annotations() -> None:
    text = render("github", report(FILE_FINDING, LIVE_UNKNOWN, HOSTILE))
    lines = text.splitlines()
    assert lines[0] == (
        "::error file=infra/ses.tf,line=12,title=SES201 aws_ses_configuration_set.legacy::configuration set legacy "
        "lets SES deliver without TLS"
    )
    assert lines[1] == (
        "::warning title=SES003 sesv2%3AGetAccount::could not read sesv2:GetAccount: AccessDenied (could not be "
        "verified) [arn:aws:ses:eu-west-1:123456789012:account (eu-west-1)]"
    )
    assert lines[2].startswith(
        '::error file=a b/main.tf,line=3,title=SES142 aws_sns_topic.x\\x1b[31m|<b>&"evil"::'
    )
    assert lines[2].endswith("line one%0Aline two | `code` <script>&amp;\\x07 100%25 done, ok: yes")
    assert lines[-1] == "seslint: error: 2 failed, 0 unknown; warning: 0 failed, 1 unknown"


def test_junit_is_well_formed_and_escaped() -> None:
    root = ET.fromstring(render("junit", FULL))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "3"
    suites = {s.get("name", "").split()[0]: s for s in root}
    assert sorted(suites) == ["SES003", "SES142", "SES201", "SES202"]
    skipped = suites["SES202"].find("testcase/skipped")
    assert skipped is not None and skipped.get("message") == "waived: OPS-1"
    case = suites["SES142"].find("testcase")
    assert case is not None and case.get("name") == 'aws_sns_topic.x\\x1b[31m|<b>&"evil"'
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "error/fail"


def test_markdown_escapes_cells() -> None:
    text = render("markdown", FULL)
    assert text.startswith(
        "## seslint\n\nPolicy **strict** on terraform: error: 2 failed, 0 unknown; warning: 0 failed, 1 unknown; "
        "1 waived."
    )
    row = next(line for line in text.splitlines() if "SES142" in line)
    assert "&lt;b&gt;" in row and "\\|" in row and "&amp;" in row and "<script>" not in row
    assert row.count(" | ") == 4  # the cell's own | is escaped, the table keeps five columns
    assert "<details><summary>1 waived or baselined</summary>" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_reporters_are_pure(fmt: str) -> None:
    assert render(fmt, FULL) == render(fmt, FULL)
