"""Reporters: pure functions from a Report to text. Each format lives in a module of its own and is
imported only when asked for, so `seslint check` never loads the XML or SARIF code."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from seslint.findings import Finding, Severity
from seslint.rules.base import RuleMeta

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
    context: ReportContext | None = None  # what only the HTML report shows (matrix, evidence, policy)

    @property
    def shown(self) -> tuple[Finding, ...]:
        """Findings that count (not waived, not in the baseline)."""
        return tuple(f for f in self.findings if f.counts)


def render(fmt: str, report: Report, *, color: bool = False) -> str:
    module_name, function = _RENDERERS[fmt]
    module = importlib.import_module(module_name)
    text: str = getattr(module, function)(report, color=color)
    return text
