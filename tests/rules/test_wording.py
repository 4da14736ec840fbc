"""Every message a rule can write reads as a sentence: no doubled verbs, no double negatives, no
doubled words, no 'unknown (...)' standing in for a name in a verdict."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from seslint import cli

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "seslint" / "rules").glob("*.py")), ROOT / "seslint" / "engine.py"]
HOLE = "X"  # what a formatted value becomes in a template
# Helpers that build "{what} could not be verified: {reason}" around a rule's words.
COMPOSERS = {"unknown": 1, "_unknown": 2}

DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
DOUBLE_NEGATIVE = re.compile(
    r"\b(?:no|none|nothing|neither)\b[^,;:.()]*\b(?:has|have|is|are|does|do|gets|reaches)\s+(?:no|not|never)\b",
    re.IGNORECASE,
)
SAME_STEM_VERB = re.compile(
    r"\b(\w+)\s+(?:could not|cannot|can not|was not|is not) be(?:en)?\s+(\w+)", re.IGNORECASE
)
KNOWN_SLIPS = ("require one of", "(status SUCCESS)", "not verified (status")


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_template(v) or HOLE for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        return (left or HOLE) + (right or HOLE)
    return None


def templates() -> list[tuple[str, str]]:
    """(where, text) of every string a rule module builds, compositions included."""
    out: list[tuple[str, str]] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        comments = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # docstrings
        for node in ast.walk(tree):
            if id(node) in comments:
                continue
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            text = _template(node) if isinstance(node, (ast.Constant, ast.JoinedStr, ast.BinOp)) else None
            if text:
                out.append((where, text))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in COMPOSERS:
                index = COMPOSERS[node.func.id]
                what = _template(node.args[index]) if len(node.args) > index else None
                if what:
                    out.append((where, f"{what} could not be verified: {HOLE}"))
    return out


def slips(text: str) -> list[str]:
    found = [m.group(0) for m in DOUBLED_WORD.finditer(text) if m.group(1) != HOLE]
    found += [m.group(0) for m in DOUBLE_NEGATIVE.finditer(text)]
    found += [
        m.group(0)
        for m in SAME_STEM_VERB.finditer(text)
        if m.group(1)[:5].lower() == m.group(2)[:5].lower() and m.group(1) != HOLE
    ]
    found += [slip for slip in KNOWN_SLIPS if slip in text]
    return found


def test_the_checks_catch_the_slips_they_are_for() -> None:
    assert slips("verification could not be verified: X") == ["verification could not be verified"]
    assert slips("and no default configuration set has no enabled SNS event destination") != []
    assert slips("Gmail and Yahoo require one of bulk senders") == ["require one of"]
    assert slips("the the topic") == ["the the"]
    assert slips("topic X has no subscription: nobody reads the bounces") == []


def test_no_template_of_any_rule_slips() -> None:
    assert [(where, text, slips(text)) for where, text in templates() if slips(text)] == []


@pytest.mark.parametrize("example", ["noncompliant", "compliant"])
def test_no_message_of_the_examples_slips(
    example: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    cli.main(["check", f"terraform/examples/{example}", "--policy", "strict", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    bad = [(f["rule"], f["message"], slips(f["message"])) for f in findings if slips(f["message"])]
    # A verdict names what it judges; an unknown value belongs after the colon, as the reason.
    bad += [
        (f["rule"], f["message"], ["unknown ("])
        for f in findings
        if f["status"] == "fail" and "unknown (" in f["message"]
    ]
    assert bad == []


def test_an_unresolved_name_is_shown_as_the_resource_address() -> None:
    from seslint.model import ConfigurationSet, TlsPolicy, Unknown
    from tests.rules.builders import SET, at, identity, judge, posture

    hidden = Unknown("var.domain has no value: pass it with --var or a tfvars file")
    state = posture(
        identities=(identity(name=hidden, configuration_set=None),),
        configuration_sets=(
            ConfigurationSet(name=hidden, address=SET, tls_policy=TlsPolicy.OPTIONAL, location=at(40)),
        ),
    )
    assert judge("SES201", state) == [
        (
            "fail",
            SET,
            "configuration set aws_sesv2_configuration_set.main lets SES deliver without TLS (TLS policy "
            "OPTIONAL); the policy requires REQUIRE",
            40,
        )
    ]
    assert judge("SES140", state) == [
        (
            "fail",
            "aws_sesv2_email_identity.main",
            "BOUNCE notifications of aws_sesv2_email_identity.main reach no SNS topic: no bounce notification "
            "topic on the identity, and no default configuration set to send events",
            10,
        )
    ]
