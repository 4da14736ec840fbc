"""The idioms corpus (tests/terraform/idioms/): trees of Terraform people write, with their exact findings.

Layout: `idioms/IDIOM/ok/` is a correct configuration in one common idiom; every other directory
beside it (`idioms/IDIOM/TWIN/`) is a broken twin in the same idiom. Each tree carries `expect.yaml`:

    idiom: one line: the idiom (for a twin: what is broken)
    source: one line: where the idiom comes from (provider docs, a public module's style)
    policy: strict                  # shipped policy name (default strict), or a .yaml file in the tree
    rules: [SES102, SES103]         # the controls the idiom is about: findings are compared on these only
    findings:                       # exactly what `seslint check TREE` reports for those rules
      - {rule: SES103, status: fail, resource: aws_ses_domain_identity.example, file: main.tf, line: 11}
    vars: {domain: example.com}     # optional: --var for check, -var for terraform plan
    plan: true                      # optional: tests/plan/regenerate.py plans this tree
    plan_findings: [...]            # optional: what the plan knows that the source cannot (say why)
    plan_findings_why: one line
    plan_alone_findings: [...]      # optional: what a plan without its source cannot know (say why):
    plan_alone_findings_why: one line   # the plan's `configuration` keeps only the references of an
                                    # expression (a jsonencode() policy), not the expression itself
    today:                          # optional: what is wrong today; each key marks its test xfail(strict)
      check: "issue 12 item 5: ..."
      plan: "..."                   # seslint plan PLAN --source-dir TREE
      plan-alone: "..."             # seslint plan PLAN

`file` is relative to the tree. A correct tree has no fail, and no unknown where Terraform knows the
value before apply. When a fix makes an xfail pass (XPASS, a failure under strict), delete its `today`
entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
IDIOMS = ROOT / "tests" / "terraform" / "idioms"
PLANS = ROOT / "tests" / "plan" / "fixtures" / "idioms"

KEYS = {
    "idiom",
    "source",
    "policy",
    "rules",
    "findings",
    "vars",
    "plan",
    "plan_findings",
    "plan_findings_why",
    "plan_alone_findings",
    "plan_alone_findings_why",
    "today",
}
FINDING_KEYS = {"rule", "status", "resource", "file", "line"}
TODAY_KEYS = {"check", "plan", "plan-alone"}

Finding = tuple[str, str, str, str | None, int | None]  # rule, status, resource, file, line


@dataclass(frozen=True)
class Tree:
    path: Path  # the tree's directory, absolute
    idiom: str
    source: str
    policy: str
    rules: frozenset[str]
    findings: tuple[Finding, ...]
    vars: dict[str, str] = field(default_factory=dict)
    plan: bool = False
    plan_findings: tuple[Finding, ...] | None = None
    plan_alone_findings: tuple[Finding, ...] | None = None
    today: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """IDIOM/VARIANT, the test id."""
        return self.path.relative_to(IDIOMS).as_posix()

    @property
    def correct(self) -> bool:
        return self.path.name == "ok"

    @property
    def relative(self) -> str:
        """The tree's path from the repository root, as the tests pass it to seslint."""
        return self.path.relative_to(ROOT).as_posix()

    def expected(self, mode: str) -> tuple[Finding, ...]:
        """What `check`, `plan` (with --source-dir) or `plan-alone` must report."""
        if mode == "plan-alone" and self.plan_alone_findings is not None:
            return self.plan_alone_findings
        if mode in ("plan", "plan-alone") and self.plan_findings is not None:
            return self.plan_findings
        return self.findings

    @property
    def plan_file(self) -> Path:
        return PLANS / f"{self.name}.json"

    @property
    def policy_argument(self) -> str:
        """--policy's value: a shipped name, or the tree's own policy file (e.g. a scope for SES100)."""
        if self.policy.endswith((".yaml", ".yml")):
            return (self.path / self.policy).relative_to(ROOT).as_posix()
        return self.policy

    def var_arguments(self) -> list[str]:
        return [arg for key, value in sorted(self.vars.items()) for arg in ("--var", f"{key}={value}")]


class CorpusError(ValueError):
    pass


def _finding(entry: Any, where: Path) -> Finding:
    if not isinstance(entry, dict) or set(entry) != FINDING_KEYS:
        raise CorpusError(f"{where}: a finding needs exactly {sorted(FINDING_KEYS)}: {entry!r}")
    if entry["status"] not in ("fail", "unknown"):
        raise CorpusError(f"{where}: status is fail or unknown: {entry!r}")
    return (entry["rule"], entry["status"], entry["resource"], entry["file"], entry["line"])


def load(path: Path) -> Tree:
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict):
        raise CorpusError(f"{path}: not a mapping")
    unknown = set(document) - KEYS
    if unknown:
        raise CorpusError(f"{path}: unknown keys {sorted(unknown)}")
    for key in ("idiom", "source", "rules"):
        if not document.get(key):
            raise CorpusError(f"{path}: {key} is required")
    for key in ("idiom", "source"):
        if "\n" in str(document[key]).strip():
            raise CorpusError(f"{path}: {key} is one line")
    today = document.get("today") or {}
    if set(today) - TODAY_KEYS:
        raise CorpusError(f"{path}: today's keys are {sorted(TODAY_KEYS)}")
    findings = tuple(_finding(f, path) for f in document.get("findings") or ())
    rules = frozenset(document["rules"])
    stray = [f for f in findings if f[0] not in rules]
    if stray:
        raise CorpusError(f"{path}: findings for rules not in `rules`: {stray}")
    overrides = {}
    for key in ("plan_findings", "plan_alone_findings"):
        entries = document.get(key)
        if entries is not None and not document.get(f"{key}_why"):
            raise CorpusError(f"{path}: {key} needs {key}_why")
        overrides[key] = (
            tuple(sorted((_finding(f, path) for f in entries), key=_order)) if entries is not None else None
        )
    return Tree(
        path=path.parent,
        idiom=str(document["idiom"]).strip(),
        source=str(document["source"]).strip(),
        policy=str(document.get("policy", "strict")),
        rules=rules,
        findings=tuple(sorted(findings, key=_order)),
        vars={
            str(k): str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in (document.get("vars") or {}).items()
        },
        plan=bool(document.get("plan", False)),
        plan_findings=overrides["plan_findings"],
        plan_alone_findings=overrides["plan_alone_findings"],
        today={str(k): str(v) for k, v in today.items()},
    )


def _order(finding: Finding) -> tuple[str, str, str, str, int]:
    rule, status, resource, file, line = finding
    return (rule, resource, status, file or "", line or 0)


def trees() -> list[Tree]:
    return [load(path) for path in sorted(IDIOMS.glob("*/*/expect.yaml"))]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=_order)


def case(tree: Tree, key: str) -> Any:
    """A pytest parameter for the tree, xfail(strict) with today's reason when `today` has `key`."""
    reason = tree.today.get(key)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(tree, id=tree.name, marks=marks)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    """seslint in process, JSON report; exit 0 whatever it finds (--fail-on never)."""
    code = cli.main([*argv, "--format", "json", "--fail-on", "never"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report: dict[str, Any] = json.loads(captured.out)
    return report


def judged(report: dict[str, Any], tree: Tree, *, located: bool = True) -> list[Finding]:
    """The report's findings on the tree's rules, files relative to the tree (or no file and line)."""
    prefix = tree.relative + "/"
    out: list[Finding] = []
    for f in report["findings"]:
        if f["rule"] not in tree.rules:
            continue
        file = Path(f["file"]).as_posix().removeprefix(prefix) if f["file"] is not None else None
        where = (file, f["line"]) if located else (None, None)
        out.append((f["rule"], f["status"], f["resource"], *where))
    return sort_findings(out)


def unlocated(findings: tuple[Finding, ...]) -> list[Finding]:
    return sort_findings([(rule, status, resource, None, None) for rule, status, resource, _, _ in findings])
