"""The auditor's report: one self-contained HTML file (CSS and script inline, nothing fetched, readable
with JavaScript off, printable), rendered by Jinja2 with autoescaping.

Everything from the input (resource names, DNS records, messages, policy text) reaches the page only
through `{{ }}` with autoescaping on, after control characters are made visible: it renders as
characters, never as markup. A Content-Security-Policy allows the page's own style and script (by
hash) and nothing else, so even a mistake in escaping could neither run a script nor fetch a URL.

A pure function of the Report; what only this format shows (the posture matrix, evidence, the
merged policy) arrives in `report.context`, worked out by seslint.report_context.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import jinja2  # this module is imported only for --format html (reporters.render)
from markupsafe import Markup

from seslint.findings import Finding, Severity, Status
from seslint.reporters import Report
from seslint.untrusted import shown

SYMBOLS = {"pass": "\u2713", "fail": "\u2717", "unknown": "?", "waived": "\u2298", "n/a": "\u2013"}
_SEVERITIES = tuple(s.value for s in Severity)


@cache
def _asset(name: str) -> str:
    return (
        resources.files("seslint.reporters").joinpath("templates").joinpath(name).read_text(encoding="utf-8")
    )


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _visible(value: Any) -> Any:
    """Every value printed by the template through untrusted.shown (control and bidi characters as
    visible escapes), then escaped by Jinja2's autoescaping; the page's own CSS and script are Markup
    and pass as they are. Findings arrive already shown (reporters.safe); the matrix, evidence and
    policy text are shown here."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return shown(value)
    return "" if value is None else value


def render(report: Report, *, color: bool = False) -> str:
    environment = jinja2.Environment(
        autoescape=True,
        finalize=_visible,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = environment.from_string(_asset("report.html.j2"))
    style, script = _asset("report.css"), _asset("report.js")
    csp = (
        "default-src 'none'; "
        f"style-src {_digest(style)}; script-src {_digest(script)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return template.render(
        csp=csp, style=Markup(style), script=Markup(script), symbols=SYMBOLS, **view(report)
    )


def view(report: Report) -> dict[str, Any]:
    """The page as plain data: what the template shows, in the order it shows it."""
    context = report.context
    findings = report.findings
    evidence = context.evidence if context is not None else tuple(() for _ in findings)
    rules_seen = sorted({f.rule for f in findings})
    return {
        "title": f"seslint report: policy {report.policy_name or '(none)'} on {report.source_kind}",
        "metadata": _metadata(report),
        "summary": _summary(findings),
        "matrix": _matrix(report) if context is not None else None,
        "groups": _groups(report, evidence),
        "rules": [report.rules[r] for r in rules_seen if r in report.rules],
        "policy_yaml": context.policy_yaml if context is not None else None,
    }


def _metadata(report: Report) -> list[tuple[str, str]]:
    context = report.context
    rows = [("seslint version", report.tool_version)]
    if context is not None:
        rows.append(("report generated", context.generated_at))
    rows.append(("policy", report.policy_name))
    if report.policy_files:
        rows.append(("policy files (merged in order)", " \u2192 ".join(report.policy_files)))
    if context is not None:
        rows.append(("SHA-256 of the merged policy", context.policy_sha256))
    rows.append(("source", report.source_kind))
    rows.append((f"targets ({len(report.targets)})", ", ".join(report.targets) or "-"))
    if context is not None:
        rows += list(context.facts)
    fail_on = report.fail_on.value if report.fail_on is not None else "never"
    if context is not None:
        meaning = {0: "nothing at or above --fail-on", 1: "findings at or above --fail-on"}
        rows.append(("exit status", f"{context.exit_status} ({meaning.get(context.exit_status, 'error')})"))
    rows.append(("--fail-on", fail_on))
    return rows


def _summary(findings: tuple[Finding, ...]) -> dict[str, Any]:
    counts: Counter[tuple[str, str]] = Counter()
    for f in findings:
        column = "waived" if f.waived else "baselined" if f.baselined else f.status.value
        counts[(f.severity.value, column)] += 1
    columns = ("fail", "unknown", "waived", "baselined")
    rows = [
        {
            "severity": s,
            "counts": [counts[(s, c)] for c in columns],
            "total": sum(counts[(s, c)] for c in columns),
        }
        for s in _SEVERITIES
    ]
    totals = [sum(counts[(s, c)] for s in _SEVERITIES) for c in columns]
    return {"columns": columns, "rows": rows, "totals": totals, "total": len(findings)}


def _matrix(report: Report) -> dict[str, Any]:
    assert report.context is not None
    matrix = report.context.matrix
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    tally: Counter[str] = Counter()
    for row in matrix.rows:
        cells = []
        for verdict in row.cells:
            status = verdict.status.value
            tally[status] += 1
            cells.append(
                (status, f"f{verdict.findings[0]}" if verdict.findings else None, len(verdict.findings))
            )
        if not sections or sections[-1][0] != row.where:
            sections.append((row.where, []))
        sections[-1][1].append({"row": row, "cells": cells, "detail": _detail(row.label, row.detail)})
    return {
        "columns": matrix.columns,
        "sections": sections,
        "tally": [(s, tally[s]) for s in ("pass", "fail", "unknown", "waived", "n/a")],
        "identities": sum(not r.account_level for r in matrix.rows),
        "accounts": sum(r.account_level for r in matrix.rows),
    }


def _detail(label: str, detail: str) -> str:
    """A row's handle, unless it only repeats the label (an identity's ARN ends with its name)."""
    return "" if detail in (label, "") or detail.endswith("/" + label) else detail


def _groups(report: Report, evidence: tuple[tuple[str, ...], ...]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Findings by where they were judged, then by identity, account or other resource."""
    findings = report.findings
    context = report.context
    if context is not None:
        layout = [(g.anchor, g.title, g.where, g.handle, g.findings) for g in context.matrix.groups]
    else:
        layout = [("all", "findings", "", "", tuple(range(len(findings))))]
    linked = (
        {v.findings[0] for r in context.matrix.rows for v in r.cells if v.findings}
        if context is not None
        else set()
    )
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for anchor, title, where, handle, indexes in layout:
        # A finding's resource is shown unless it is the group's own identity or resource.
        known = {title, handle}
        entries = [
            _entry(
                f"f{i}" if i in linked else "", findings[i], evidence[i] if i < len(evidence) else (), known
            )
            for i in indexes
        ]
        if not entries:
            continue
        if not out or out[-1][0] != where:
            out.append((where, []))
        # The waiver column only where a finding of the group has one (most groups have none).
        waivers = any(e["waiver"] for e in entries)
        out[-1][1].append({"anchor": anchor, "title": title, "findings": entries, "waivers": waivers})
    return out


def _entry(anchor: str, finding: Finding, lines: tuple[str, ...], known: set[str]) -> dict[str, Any]:
    """One finding as shown; `anchor` only for the findings a matrix cell links to."""
    if finding.waived:
        state = "waived"
    elif finding.status is Status.FAIL:
        state = "fail"
    else:
        state = "unknown"
    waiver = ""
    if finding.waived:
        until = f"until {finding.waiver_expires}" if finding.waiver_expires else "no expiry"
        waiver = f"{finding.waiver_reason or '(no reason)'} ({until})"
    elif finding.baselined:
        waiver = "in the baseline"
    return {
        "anchor": anchor,
        "finding": finding,
        "state": state,
        "evidence": lines,
        "waiver": waiver,
        "resource": "" if finding.resource in known else finding.resource,
    }
