"""SARIF 2.1.0 for code scanning: rules with help, results with file/line regions or logical locations."""

from __future__ import annotations

import json
import os
from typing import Any

from seslint.findings import Finding, Severity, Status
from seslint.reporters import Report
from seslint.rules.base import RuleMeta

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/seslint/seslint"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(meta: RuleMeta) -> dict[str, Any]:
    help_text = f"{meta.what}\n\nWhy: {meta.why}\n\nExample:\n{meta.example}\n\nFix:\n{meta.fix}"
    help_markdown = (
        f"**What it does**\n\n{meta.what}\n\n**Why**\n\n{meta.why}\n\n**Example**\n\n```\n{meta.example}\n```"
        f"\n\n**Fix**\n\n```\n{meta.fix}\n```"
    )
    return {
        "id": meta.id,
        "name": meta.slug,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.what},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules.md#{meta.id.lower()}",
        "defaultConfiguration": {"level": _LEVEL[meta.severity]},
        "properties": {
            "tags": ["ses", "email", meta.family] if meta.family else ["ses", "email"],
            "sources": sorted(s.value for s in meta.sources),
        },
    }


def _uri(path: str) -> str:
    # Windows separators only: elsewhere a backslash is part of a name (an escaped byte, \xff).
    uri = path.replace(os.sep, "/")
    return uri[2:] if uri.startswith("./") else uri


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    loc = finding.location
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVEL[finding.severity],
        "message": {
            "text": finding.message + (" (could not be verified)" if finding.status is Status.UNKNOWN else "")
        },
        "partialFingerprints": {"seslintFingerprint/v2": finding.fingerprint or finding.rule},
        # An unknown is not a proven violation: it keeps its level (so it can gate) and says so here.
        "properties": {"status": finding.status.value, "resource": finding.resource},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    location: dict[str, Any] = {
        "logicalLocations": [{"fullyQualifiedName": finding.resource, "kind": "resource"}],
    }
    if loc.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file), "uriBaseId": "%SRCROOT%"}}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
        location["physicalLocation"] = physical
    result["locations"] = [location]
    if finding.identity:
        result["properties"]["identity"] = finding.identity
    if finding.waived:
        result["suppressions"] = [{"kind": "external", "justification": finding.waiver_reason or ""}]
    elif finding.baselined:
        result["baselineState"] = "unchanged"
    return result


def document(report: Report) -> dict[str, Any]:
    metas = [report.rules[k] for k in sorted(report.rules)]
    index = {meta.id: i for i, meta in enumerate(metas)}
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "seslint",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(m) for m in metas],
                    }
                },
                "results": [_result(f, index) for f in report.findings],
                "properties": {
                    "source": {"kind": report.source_kind, "targets": list(report.targets)},
                    "policy": {"name": report.policy_name, "files": list(report.policy_files)},
                },
            }
        ],
    }


def render(report: Report, *, color: bool = False) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
