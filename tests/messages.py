"""The inventory of what seslint says when it cannot judge: every distinct message of an `unknown`
finding (and of SES004, the unresolved-input notice) over the repository's own Terraform trees and
committed plans. tests/rules/test_unknown_wording.py asserts on it; run this module to print it:

    .venv/bin/python -m tests.messages

The runs: `seslint check` on every idiom tree (with its policy, and with and without its `vars`: a
tree planned with a variable's value is also read without it, which is where most reasons come from)
on each shipped example and on each of tests/rules/unknown_trees/; `seslint plan` on every committed plan, with and without --source-dir.
All in this process, as the idiom tests run them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from seslint import cli
from tests.terraform.corpus import ROOT, trees

EXAMPLES = ("terraform/examples/compliant", "terraform/examples/noncompliant")
# Roots whose verdicts are unknown for the commonest reasons (see its README.md).
UNKNOWN_TREES = ROOT / "tests" / "rules" / "unknown_trees"
# The shipped examples' plans (tests/plan/regenerate.py) and the root each was planned from.
EXAMPLE_PLANS = {
    "tests/plan/fixtures/compliant-first-plan.json": "terraform/examples/compliant",
    "tests/plan/fixtures/compliant-plan.json": "terraform/examples/compliant",
    "tests/plan/fixtures/noncompliant-first-plan.json": "terraform/examples/noncompliant",
    "tests/plan/fixtures/noncompliant-plan.json": "terraform/examples/noncompliant",
    "tests/plan/fixtures/noncompliant-second-account-plan.json": "terraform/examples/noncompliant/second-account",
}


@dataclass(frozen=True)
class Said:
    """One message, with the first run and finding that said it (to find it again)."""

    rule: str
    resource: str
    message: str
    run: str


def runs() -> Iterator[tuple[str, ...]]:
    """The command lines of the inventory (without --format and --fail-on)."""
    for tree in trees():
        policy = ("--policy", tree.policy_argument)
        yield ("check", tree.relative, *policy)
        if tree.vars:
            yield ("check", tree.relative, *policy, *tree.var_arguments())
        if tree.plan:
            plan = tree.plan_file.relative_to(ROOT).as_posix()
            yield ("plan", plan, "--source-dir", tree.relative, *policy)
            yield ("plan", plan, *policy)
    for example in EXAMPLES:
        yield ("check", example, "--policy", "strict")
    for tree in sorted(p.parent for p in UNKNOWN_TREES.glob("*/main.tf")):
        yield ("check", tree.relative_to(ROOT).as_posix(), "--policy", "strict")
    for plan, source in EXAMPLE_PLANS.items():
        yield ("plan", plan, "--source-dir", source, "--policy", "strict")
        yield ("plan", plan, "--policy", "strict")


def _report(argv: tuple[str, ...]) -> list[dict[str, object]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([*argv, "--format", "json", "--fail-on", "never"])
    if code != 0:
        raise RuntimeError(f"seslint {' '.join(argv)}: exit {code}: {err.getvalue()}")
    findings: list[dict[str, object]] = json.loads(out.getvalue())["findings"]
    return findings


def unknown_messages() -> list[Said]:
    """Each distinct message of an unknown finding or of SES004, in the order first said."""
    seen: dict[str, Said] = {}
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        for argv in runs():
            for finding in _report(argv):
                if finding["status"] != "unknown" and finding["rule"] != "SES004":
                    continue
                message = str(finding["message"])
                seen.setdefault(
                    message, Said(str(finding["rule"]), str(finding["resource"]), message, " ".join(argv))
                )
    finally:
        os.chdir(here)
    return list(seen.values())


if __name__ == "__main__":
    for said in unknown_messages():
        print(f"{said.rule}\t{said.resource}\t{said.message}\n\t\t[{said.run}]")
