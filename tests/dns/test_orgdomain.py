"""Organisational domains (RFC 7489 3.2): exact answers, the same built or compiled, the list only when needed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import publicsuffixlist
import pytest

from seslint import cache, cli
from seslint.dnsrecords import orgdomain
from seslint.dnsrecords.orgdomain import organisational_domain
from tests.terraform.test_stack_shape import _stack_shape

# (name, organisational domain): cases of the Public Suffix List's own test data (test_psl.txt), where a
# null answer (a public suffix, or not a name) is the name itself, plus private-section rules.
TABLE = [
    ("example.com", "example.com"),
    ("Mail.Example.COM.", "example.com"),
    ("a.b.example.com", "example.com"),
    ("com", "com"),
    ("localhost", "localhost"),
    ("b.example.example", "example.example"),  # an unlisted TLD: the default rule *
    ("mail.example.co.uk", "example.co.uk"),  # a multi-label suffix
    ("example.co.uk", "example.co.uk"),
    ("co.uk", "co.uk"),
    ("a.b.example.uk.com", "example.uk.com"),  # private section
    ("www.user.github.io", "user.github.io"),
    ("github.io", "github.io"),
    ("test.ck", "test.ck"),  # *.ck: test.ck is a public suffix
    ("a.b.test.ck", "b.test.ck"),
    ("www.ck", "www.ck"),  # !www.ck: the exception
    ("mail.www.ck", "www.ck"),
    ("c.kobe.jp", "c.kobe.jp"),  # *.kobe.jp, !city.kobe.jp
    ("a.b.c.kobe.jp", "b.c.kobe.jp"),
    ("www.city.kobe.jp", "city.kobe.jp"),
    ("www.test.k12.ak.us", "test.k12.ak.us"),
    ("www.食狮.公司.cn", "食狮.公司.cn"),  # IDN rules, in Unicode and punycode
    ("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn"),
    ("xn--55qx5d.cn", "xn--55qx5d.cn"),
    ("shishi.xn--fiqs8s", "shishi.xn--fiqs8s"),
    (".example.com", ".example.com"),  # not names: an empty label
    ("a..example.com", "a..example.com"),
    ("", ""),
]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of this test's own, and no list left over from another test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SESLINT_CACHE_DIR", str(folder))
    cache.directory.cache_clear()
    orgdomain.suffix_list.cache_clear()
    yield folder
    monkeypatch.undo()
    cache.directory.cache_clear()
    orgdomain.suffix_list.cache_clear()


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the whole list was parsed")

    monkeypatch.setattr(publicsuffixlist.PublicSuffixList, "__init__", refuse)


def _table() -> list[tuple[str, str]]:
    return [(name, organisational_domain(name)) for name, _ in TABLE]


def test_table_built_compiled_and_restored(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESLINT_CACHE_DIR", "off")
    cache.directory.cache_clear()
    assert _table() == TABLE  # built by the package, no compiled form
    monkeypatch.setenv("SESLINT_CACHE_DIR", str(cache_dir))
    cache.directory.cache_clear()
    orgdomain.suffix_list.cache_clear()
    assert _table() == TABLE  # built, and compiled into the cache
    assert len(list(cache_dir.rglob("*.json"))) == 1
    orgdomain.suffix_list.cache_clear()
    with monkeypatch.context() as patched:
        _no_build(patched)
        assert _table() == TABLE  # restored from the compiled form


def test_restored_list_is_the_packages(cache_dir: Path) -> None:
    orgdomain.suffix_list()  # compiles
    orgdomain.suffix_list.cache_clear()
    restored = orgdomain.suffix_list()
    built = publicsuffixlist.PublicSuffixList()
    assert type(restored) is type(built)
    assert vars(restored) == vars(built)
    # Every rule of the list, as a name and below it, gets the same answer from both.
    for rule in vars(built)["_publicsuffix"]:
        bare = rule.lstrip("!").removeprefix("*.")
        for name in (bare, f"x.{bare}", f"a.x.{bare}"):
            assert restored.privatesuffix(name) == built.privatesuffix(name), name


def test_names_of_one_label_never_need_the_list(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = publicsuffixlist.PublicSuffixList()
    labels = {r.lstrip("!*.") for r in vars(built)["_publicsuffix"] if "." not in r.lstrip("!*.")}
    # The shortcut is the package's own answer for every top-level label it lists, and for non-names.
    assert len(labels) > 1000
    assert all(built.privatesuffix(label) is None for label in labels)
    assert all(built.privatesuffix(n) is None for n in ("localhost", ".com", "a..b", ""))
    monkeypatch.setattr(orgdomain, "suffix_list", lambda: pytest.fail("the list was loaded"))
    assert [organisational_domain(n) for n in sorted(labels)] == sorted(labels)
    assert organisational_domain("a..b") == "a..b"


def test_damaged_compiled_form_is_rebuilt(cache_dir: Path) -> None:
    organisational_domain("example.co.uk")
    [entry] = cache_dir.rglob("*.json")
    for damaged in ('{"_publicsuffix": {"__frozenset__": [1, 2]}}', "[]", '{"x": {"eval": "1"}}', "{"):
        entry.write_text(damaged)
        orgdomain.suffix_list.cache_clear()
        assert _table() == TABLE
        assert json.loads(entry.read_text())["value"]["_maxlabel"] > 1  # written again, whole


def _check(tree: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    cli.main(["check", str(tree), "--policy", "strict", "--format", "json", "--fail-on", "never"])
    findings: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["findings"]
    assert "SES002" not in {f["rule"] for f in findings}  # no rule crashed
    return findings


def test_warm_check_loads_the_list_only_when_a_rule_needs_it(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shape = _stack_shape()
    with_dmarc, without = tmp_path / "with", tmp_path / "without"
    shape.generate_stacks(with_dmarc, 1)  # s0000 declares _dmarc at its own domain
    shape.generate_stacks(without, 1)
    ses = without / "stacks" / "s0000" / "ses.tf"
    ses.write_text(ses.read_text().replace(shape.SES_DMARC, ""))  # DMARC left to example.com
    cold = _check(without, capsys)
    assert orgdomain.suffix_list.cache_info().currsize == 1
    _check(with_dmarc, capsys)  # fills the parse cache
    orgdomain.suffix_list.cache_clear()
    with monkeypatch.context() as patched:
        patched.setattr(orgdomain, "suffix_list", lambda: pytest.fail("the list was loaded"))
        assert "SES122" in {f["rule"] for f in _check(with_dmarc, capsys)}  # DMARC judged, no list
    with monkeypatch.context() as patched:
        _no_build(patched)  # the compiled form of the cold run is restored, never built again
        warm = _check(without, capsys)
    assert warm == cold
    assert any("nor at _dmarc.example.com" in f["message"] for f in warm if f["rule"] == "SES120")
