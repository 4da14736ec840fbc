"""Reporters: pure functions from a Report to text. Each format lives in a module of its own and is
imported only when asked for, so `seslint check` never loads the XML or SARIF code."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from seslint.findings import Finding, Severity
from seslint.rules.base import RuleMeta
from seslint.untrusted import shown

if TYPE_CHECKING:
    from seslint.report_context import ReportContext

# format name -> (module, function): an explicit table, not registration by import.
_RENDERERS = {
    "table": ("seslint.reporters.table", "render"),
    "json": ("seslint.reporters.json_format", "render"),
    "sarif": ("seslint.reporters.sarif", "render"),
    "junit": ("seslint.reporters.junit", "render"),
    "github": ("seslint.reporters.github", "render"),
    "markdown": ("seslint.reporters.markdown", "render"),
    "html": ("seslint.reporters.html", "render"),
}
FORMATS: tuple[str, ...] = tuple(_RENDERERS)


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    rules: Mapping[str, RuleMeta]
    tool_version: str
    source_kind: str
    targets: tuple[str, ...] = ()
    policy_name: str = ""
    policy_files: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR
    width: int = 100  # columns the table may use (the CLI measures the terminal)
    context: ReportContext | None = None  # what only the HTML report shows (matrix, evidence, policy)

    @property
    def shown(self) -> tuple[Finding, ...]:
        """Findings that count (not waived, not in the baseline)."""
        return tuple(f for f in self.findings if f.counts)


def render(fmt: str, report: Report, *, color: bool = False) -> str:
    """The report in `fmt`; every reporter gets it with untrusted text already made safe to show."""
    module_name, function = _RENDERERS[fmt]
    module = importlib.import_module(module_name)
    text: str = getattr(module, function)(safe(report), color=color)
    return text


def safe(report: Report) -> Report:
    """The report with every string that can come from an input through untrusted.shown: no control,
    bidi or lone surrogate character reaches any format (each format then escapes for itself)."""
    return replace(
        report,
        findings=tuple(_safe_finding(f) for f in report.findings),
        targets=tuple(shown(t) for t in report.targets),
        policy_name=shown(report.policy_name),
        policy_files=tuple(shown(f) for f in report.policy_files),
    )


def _safe_finding(finding: Finding) -> Finding:
    """Every text field of the finding and of its location, whatever fields they gain later; the
    finding itself when nothing in it needs a change (most: no copy of a large report)."""
    location_changes = _safe_fields(finding.location)
    changes: dict[str, Any] = _safe_fields(finding)
    if location_changes:
        changes["location"] = replace(finding.location, **location_changes)
    return replace(finding, **changes) if changes else finding


def _safe_fields(item: Any) -> dict[str, Any]:
    """The text fields that `shown` changes, changed. type() is str, not isinstance: Severity and
    Status are str enums and stay what they are."""
    changed = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if type(value) is str and (safe := shown(value)) != value:
            changed[f.name] = safe
    return changed
