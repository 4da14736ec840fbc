"""The JSON contract of DESIGN.md (version "1"): other tools parse it, so keys only ever get added."""

from __future__ import annotations

import json
from typing import Any

from seslint.findings import Finding, Summary
from seslint.reporters import Report

CONTRACT_VERSION = "1"


def finding_dict(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule": finding.rule,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "resource": finding.resource,
        "identity": finding.identity,
        "file": loc.file,
        "line": loc.line,
        "message": finding.message,
        "waived": finding.waived,
        # Additions to the contract (v1 readers ignore them):
        "location": str(loc),
        "region": loc.region,
        "waiver_reason": finding.waiver_reason,
        "baselined": finding.baselined,
        "fingerprint": finding.fingerprint,
    }


def document(report: Report) -> dict[str, Any]:
    summary = Summary.of(list(report.findings))
    return {
        "seslint": CONTRACT_VERSION,
        "tool_version": report.tool_version,
        "source": {"kind": report.source_kind, "targets": list(report.targets)},
        "policy": {"name": report.policy_name, "files": list(report.policy_files)},
        "findings": [finding_dict(f) for f in report.findings],
        "summary": {
            "error": summary.error,
            "warning": summary.warning,
            "info": summary.info,
            "unknown": summary.unknown,
            "waived": summary.waived,
            "baselined": summary.baselined,
            # Added: each severity's count split by status (error = fail + unknown at error).
            "by_severity": {
                severity: {"fail": summary.failed[severity], "unknown": summary.unknowns[severity]}
                for severity in ("error", "warning", "info")
            },
        },
    }


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
