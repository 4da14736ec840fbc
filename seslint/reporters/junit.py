"""JUnit XML for GitLab, Jenkins and friends: one test suite per rule, one failing test case per finding."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from seslint.findings import Finding
from seslint.reporters import Report

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render(report: Report, *, color: bool = False) -> str:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_rule[finding.rule].append(finding)
    suites = ET.Element("testsuites", name="seslint", tests=str(len(report.findings)))
    failures_total = 0
    for rule_id in sorted(by_rule):
        findings = by_rule[rule_id]
        failing = [f for f in findings if f.counts]
        skipped = len(findings) - len(failing)
        failures_total += len(failing)
        summary = report.rules[rule_id].summary if rule_id in report.rules else rule_id
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=_clean(f"{rule_id} {summary}"),
            tests=str(len(findings)),
            failures=str(len(failing)),
            errors="0",
            skipped=str(skipped),
        )
        for finding in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"{finding.resource}"),
                classname=rule_id,
                file=_clean(finding.location.file or ""),
            )
            if finding.location.line:
                case.set("line", str(finding.location.line))
            text = _clean(f"{finding.message}\nlocation: {finding.location}")
            if not finding.counts:
                why = f"waived: {finding.waiver_reason}" if finding.waived else "in baseline"
                ET.SubElement(case, "skipped", message=_clean(why))
            else:
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(finding.message),
                    type=f"{finding.severity.value}/{finding.status.value}",
                )
                failure.text = text
    suites.set("failures", str(failures_total))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
