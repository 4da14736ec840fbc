"""Hostile Terraform expressions: values that would take all memory or all time to build are Unknown,
quickly, with the reason; nothing in a file is ever run as code."""

from __future__ import annotations

from pathlib import Path

import pytest

from seslint.model import Unknown
from seslint.sources.terraform.evaluate import Scope, evaluate_raw
from seslint.sources.terraform.source import read_tree


def scope(locals_: dict[str, str] | None = None) -> Scope:
    return Scope({}, locals_ or {}, "", ".", lambda name: Unknown("no modules"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("${range(1000000000)}", "range() of 1000000000 elements is larger than the 10000 seslint evaluates"),
        (
            "${range(0, 1e12, 1)}",
            "range() of 1000000000000 elements is larger than the 10000 seslint evaluates",
        ),
        (
            '${format("%999999999d", 1)}',
            "format() of a 999999999-character field is larger than the 1 MB seslint evaluates",
        ),
        (
            '${regex("(a|aa)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")}',
            "regex() took longer than 0.5 s (a pattern that backtracks)",
        ),
        (
            '${replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "/(a|aa)+$/", "b")}',
            "replace() took longer than 0.5 s (a pattern that backtracks)",
        ),
        ('${regex("(", "x")}', "regex() failed: missing ) at position 1"),
        ('${replace("abc", "/(/", "x")}', "replace() failed: missing ) at position 1"),
        ('${__import__("os").system("touch pwned")}', None),
        ('${file("/etc/passwd")}', "function file() is not supported by seslint"),
    ],
)
def test_expensive_or_dangerous_calls_are_unknown(raw: str, reason: str | None, tmp_path: Path) -> None:
    value = evaluate_raw(raw, scope())
    assert isinstance(value, Unknown)
    if reason is not None:
        assert value.reason == reason
    assert not Path("pwned").exists()


def test_strings_doubling_through_locals_stop_at_the_limit() -> None:
    chain = {"l0": '"' + "x" * 64 + '"'}
    for level in range(1, 40):  # 64 * 2**39 characters if nothing stopped it
        chain[f"l{level}"] = f'"${{local.l{level - 1}}}${{local.l{level - 1}}}"'
    value = evaluate_raw('"${local.l39}"', scope(chain))
    assert value == Unknown("a string of 2097152 characters is larger than the 1 MB seslint evaluates")


def test_lists_doubling_through_locals_stop_at_the_limit() -> None:
    chain = {"l0": "${[1, 2, 3, 4]}"}
    for level in range(1, 40):
        chain[f"l{level}"] = f"${{concat(local.l{level - 1}, local.l{level - 1})}}"
    value = evaluate_raw("${length(local.l39)}", scope(chain))
    assert value == Unknown("concat() of 16384 elements is larger than the 10000 seslint evaluates")


def test_hostile_module_is_judged_with_unknowns(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        "locals {\n  ids = range(100000000)\n}\n"
        'resource "aws_sesv2_configuration_set" "s" {\n'
        '  configuration_set_name = join("-", [for i in local.ids : tostring(i)])\n'
        "}\n"
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    [configuration_set] = posture.configuration_sets
    assert configuration_set.name == Unknown(
        "range() of 100000000 elements is larger than the 10000 seslint evaluates"
    )


def test_nested_loops_stop_at_the_work_limit() -> None:
    value = evaluate_raw("${[for i in range(10000) : range(10000)]}", scope())
    assert value == Unknown("the expressions build more than 1000000 values; seslint stops there")
