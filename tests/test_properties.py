"""Property-based tests: the parsers take any input and answer with a result or their own error type,
never another exception (which would reach a user as a crash)."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seslint.dnsrecords import dkimkey, dmarc, spf
from seslint.model import Unknown
from seslint.policy.document import DocumentError, parse
from seslint.policy.loader import check
from seslint.rules import RULE_IDS
from seslint.sources.plan.reader import PlanError
from seslint.sources.plan.reader import parse as parse_plan
from seslint.sources.terraform.evaluate import Scope, evaluate_raw
from seslint.sources.terraform.expressions import ExpressionError, parse_value

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SPF_WORDS = st.sampled_from(
    [
        "v=spf1",
        "include:",
        "a",
        "mx",
        "ptr",
        "ip4:",
        "ip6:",
        "exists:",
        "all",
        "-all",
        "~all",
        "+all",
        "?all",
        "redirect=",
        "exp=",
        "%{d}",
        "%{i}",
        "/24",
        "//64",
        "example.com",
        "1.2.3.4",
        "::1",
        ".",
        ":",
        "=",
        "%",
    ]
)
HCL_PIECES = st.sampled_from(
    [
        '"',
        "${",
        "}",
        "var.x",
        "local.y",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        "?",
        ":",
        "for",
        "in",
        "=>",
        "if",
        "1",
        "2.5",
        "true",
        "null",
        "+",
        "-",
        "*",
        "==",
        "&&",
        "!",
        "upper(",
        "join(",
        "aws_x.y.arn",
        "each.value",
        "count.index",
        ".",
        " ",
        "%{",
    ]
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(st.lists(SPF_WORDS, max_size=12).map(" ".join) | st.text(max_size=80))
def test_spf_parser_total(text: str) -> None:
    record = spf.parse(text)
    assert all(isinstance(e, str) and e for e in record.errors)
    spf.count_lookups(record, lambda domain: None)


@FAST
@given(st.text(max_size=120))
def test_dmarc_parser_total(text: str) -> None:
    record = dmarc.parse(text)
    assert all(isinstance(e, str) and e for e in record.errors)
    assert record.policy in (None, "none", "quarantine", "reject")


@FAST
@given(st.text(max_size=200))
def test_dkim_key_reader_total(text: str) -> None:
    assert dkimkey.key_bits(text) is None or dkimkey.key_bits(text) > 0


def _scope() -> Scope:
    return Scope({"x": "value"}, {"y": '"local"'}, "", ".", lambda name: Unknown("no modules"))


@FAST
@given(st.lists(HCL_PIECES, max_size=14).map("".join))
def test_hcl_expressions_never_crash(text: str) -> None:
    for raw in (text, "${" + text + "}", '"' + text + '"'):
        with contextlib.suppress(ExpressionError):
            parse_value(raw)
        evaluate_raw(raw, _scope())  # evaluation turns every failure into Unknown


@FAST
@given(JSON)
def test_plan_reader_total(document: Any) -> None:
    for candidate in (
        document,
        {"format_version": "1.2", "planned_values": document},
        {"format_version": "1.2", "planned_values": {"root_module": document}},
    ):
        with contextlib.suppress(PlanError):
            parse_plan(candidate)


@FAST
@given(st.text(max_size=200))
def test_policy_text_total(text: str) -> None:
    try:
        document = parse(text, "p.yaml")
    except DocumentError as exc:
        assert all(p.startswith("p.yaml") for p in exc.problems)
        return
    assert all(p.startswith("p.yaml:") for p in check(document, RULE_IDS))


@FAST
@given(JSON)
def test_policy_data_total(data: Any) -> None:
    from seslint.policy.document import Document

    assert all(isinstance(p, str) for p in check(Document("p.yaml", data, {}), RULE_IDS))


def test_deeply_nested_expression_is_unknown_not_a_crash() -> None:
    deep = "${" + "(" * 5000 + "1" + ")" * 5000 + "}"
    assert isinstance(evaluate_raw(deep, _scope()), Unknown)


def test_fuzz_findings_are_unknown_not_crashes() -> None:
    """Inputs atheris found (fuzz/run.py hcl): operators and for over values of the wrong type."""
    for raw in ('${--""}', '${!"x"}', "${[for x in 5 : x]}", '${{for k, v in "s" : k => v}}'):
        assert isinstance(evaluate_raw(raw, _scope()), Unknown), raw


def test_bad_unicode_escapes_are_unknown() -> None:
    """Found by atheris (fuzz/run.py hcl): a \\u escape without four hex digits."""
    assert isinstance(evaluate_raw('"[pa\\u\ufffdz%"', _scope()), Unknown)
    assert evaluate_raw('"caf\\u00e9 \\U0001F600"', _scope()) == "caf\u00e9 \U0001f600"
