"""Wrong types in every field: each node of a real plan and of a real policy is replaced, in turn, by a
value of another type. A plan must still be judged (or be one SES000), never crash a rule; a policy
must load or be rejected with problems that name the file, never raise anything else."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from seslint import cli, engine
from seslint.errors import PolicyError
from seslint.policy.loader import load_policy
from seslint.rules import ALL_RULES, RULE_IDS
from seslint.sources.plan.source import read_plan
from seslint.sources.terraform.parse import forget

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "plan" / "fixtures" / "noncompliant-first-plan.json"
POLICY = ROOT / "policies" / "strict.yaml"
WRONG: tuple[Any, ...] = (None, 7, "x", [], {}, True, -1.5, ["a", 1], {"k": [None]})

Path_ = tuple[str | int, ...]


def paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every node below the top, depth first."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def replaced(document: Any, path: Path_, value: Any) -> Any:
    result = copy.deepcopy(document)
    parent = result
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return result


def mutations(document: Any) -> Iterator[tuple[Path_, Any]]:
    """(path, document) for every node, each node given the next wrong value in turn."""
    for index, path in enumerate(paths(document)):
        yield path, replaced(document, path, WRONG[index % len(WRONG)])


def test_every_field_of_a_plan_with_a_wrong_type(tmp_path: Path) -> None:
    document = json.loads(PLAN.read_text())
    policy = load_policy("strict", cwd=tmp_path, known_rules=RULE_IDS)
    target = tmp_path / "plan.json"
    tried = 0
    for path, mutated in mutations(document):
        target.write_text(json.dumps(mutated))
        posture = read_plan(str(target), None, tmp_path)
        findings = engine.run([posture], policy, ALL_RULES, today=date(2026, 12, 1), debug=True)
        crashed = [f.message for f in findings if f.rule == "SES002"]
        assert not crashed, f"{path}: {crashed}"
        unreadable = [f for f in findings if f.rule == "SES000"]
        assert all(str(target) in (f.resource or "") + f.message for f in unreadable), path
        tried += 1
    assert tried > 900  # every node of the fixture, not a sample


@pytest.mark.parametrize("offset", range(3))
def test_every_field_of_a_policy_with_a_wrong_type(tmp_path: Path, offset: int) -> None:
    document = yaml.safe_load(POLICY.read_text())
    document.pop("extends")  # the file stands alone in tmp_path
    target = tmp_path / "policy.yaml"
    for index, path in enumerate(paths(document)):
        mutated = replaced(document, path, WRONG[(index + offset) % len(WRONG)])
        target.write_text(yaml.safe_dump(mutated, sort_keys=False))
        try:
            load_policy(str(target), cwd=tmp_path, known_rules=RULE_IDS)
        except PolicyError as error:
            assert error.problems, path
            assert all(problem.startswith(f"{target}:") for problem in error.problems), (path, error.problems)


WRONG_HCL = ("null", "7", "[]", "{}", "true", '"x"', "[1, null]", "{ a = [true] }", "-1.5")
ASSIGNMENT = re.compile(r"^(\s*[a-z_]+\s*=\s*)([^{\[(<\s].*)$")
TREES = (
    ROOT / "terraform" / "examples" / "noncompliant" / "main.tf",
    ROOT / "terraform" / "modules" / "ses-sending-domain" / "main.tf",
    ROOT / "terraform" / "modules" / "ses-sending-domain" / "variables.tf",
)


@pytest.mark.parametrize("source", TREES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_argument_of_a_module_with_a_wrong_type(
    tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each one-line argument of the shipped Terraform, in turn, set to a value of another type."""
    tree = tmp_path / "terraform"
    shutil.copytree(ROOT / "terraform", tree, ignore=shutil.ignore_patterns("tests", "*.md"))
    target = tree / source.relative_to(ROOT / "terraform")
    root = tree / "examples" / "noncompliant"
    original = target.read_text().splitlines(keepends=True)
    tried = 0
    for number, line in enumerate(original):
        match = ASSIGNMENT.match(line.rstrip("\n"))
        if not match:
            continue
        lines = list(original)
        lines[number] = match.group(1) + WRONG_HCL[tried % len(WRONG_HCL)] + "\n"
        target.write_text("".join(lines))
        forget()
        code = cli.main(["check", str(root), "--policy", "strict", "--format", "json", "--debug"])
        findings = json.loads(capsys.readouterr().out)["findings"]
        assert code in (0, 1), (number + 1, lines[number])
        crashed = [f["message"] for f in findings if f["rule"] == "SES002"]
        assert not crashed, (number + 1, lines[number], crashed)
        tried += 1
    assert tried > 40
