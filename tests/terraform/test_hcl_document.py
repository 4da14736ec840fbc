"""tree-sitter's document (seslint/hcl_document.py) against python-hcl2's, the reference.

Where tree-sitter's document is given, it must be python-hcl2's: the same blocks, labels, attributes
and literal values, and for every string the same tree once `expressions.parse_value` reads it
(python-hcl2 writes expressions out again in its own spacing; tree-sitter's keep their source).
Where python-hcl2 rejects a text, tree-sitter's must be None, so that python-hcl2 words the error.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import hcl2
import pytest

from seslint.hcl_document import document
from tests.benchmark_shapes import load
from tests.hcl_reading import read

ROOT = Path(__file__).resolve().parents[2]


def _reference(text: str) -> dict[str, Any] | None:
    try:
        return dict(hcl2.loads(text))
    except Exception:  # python-hcl2's syntax errors come in many classes
        return None


def _agrees(text: str) -> bool:
    """Whether tree-sitter's document is python-hcl2's (True also when it leaves the text to it)."""
    ours = document(text)
    if ours is None:
        return True
    theirs = _reference(text)
    return theirs is not None and read(ours) == read(theirs)


def _corpus(tmp: Path) -> list[Path]:
    stacks = load("stack_shape")
    modules = load("generate_terraform")
    stacks.generate_stacks(tmp / "stacks", 12)
    modules.generate(tmp / "modules", 20)
    trees = [ROOT / "tests", ROOT / "terraform", tmp]
    return sorted(p for tree in trees for p in tree.rglob("*.tf") if ".terraform" not in p.parts)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _corpus(tmp_path_factory.mktemp("corpus"))


def test_every_file_of_the_test_trees_and_benchmark_shapes_reads_as_python_hcl2_reads_it(
    corpus: list[Path],
) -> None:
    disagree = [str(p) for p in corpus if not _agrees(p.read_text(encoding="utf-8"))]
    assert disagree == []
    # and tree-sitter takes nearly all of them (else the fast path would be a test that cannot fail)
    left = [p.name for p in corpus if document(p.read_text(encoding="utf-8")) is None]
    assert len(corpus) > 200 and len(left) <= len(corpus) // 20, left


DOCUMENTS = [
    ("a = -1\nb = - 2\nc = 1.5\nd = 007\n", {"a": -1, "b": -2, "c": 1.5, "d": 7}),
    ("a = true\nb = false\nc = null\n", {"a": True, "b": False, "c": None}),
    ('a = "x"\nb = "x ${var.y}"\nc = "a\\"b"\n', {"a": '"x"', "b": '"x ${var.y}"', "c": '"a\\"b"'}),
    ("a = var.x\nb = tags\nc = (1)\n", {"a": "${var.x}", "b": "tags", "c": "${(1)}"}),
    ('a = [1, "x", var.y, [], {}]\n', {"a": [1, '"x"', "${var.y}", [], {}]}),
    (
        'a = {k = 1, "q" = 2, (var.z) = 3, r: 4}\n',
        {"a": {"k": 1, '"q"': 2, "${(var.z)}": 3, "r": 4}},
    ),
    ("a = [\n  1, # one\n  2,\n]\n", {"a": [1, 2]}),
    # heredocs: from `<<` to the first line holding the marker alone, in quotes, as written
    (
        'a = <<EOF\n  x "q" ${var.y}\nEOFX\n EOF\nb = 1\n',
        {"a": '"<<EOF\n  x "q" ${var.y}\nEOFX\n EOF"', "b": 1},
    ),
    ("a = <<-EOT\n    x\n  EOT\n", {"a": '"<<-EOT\n    x\n  EOT"'}),
    (
        "a = [<<EOF\none\nEOF\n, 2]\nb = {k = <<E\nv\nE\n}\n",
        {"a": ['"<<EOF\none\nEOF"', 2], "b": {"k": '"<<E\nv\nE"'}},
    ),
    ("a = <<EOF\r\nx\r\nEOF\r\n", {"a": '"<<EOF\r\nx\r\nEOF"'}),
    ("a = f(\n  x, // the x\n  y\n)\n", {"a": "${f(\n  x, \n\n  y\n)}"}),  # the comment: a newline
    (
        'resource aws_x "n" {\n  a = 1\n  dyn {\n    b = 2\n  }\n  dyn {\n    b = 3\n  }\n}\nlocals {}\n',
        {
            "resource": [
                {
                    "aws_x": {
                        '"n"': {
                            "a": 1,
                            "dyn": [{"b": 2, "__is_block__": True}, {"b": 3, "__is_block__": True}],
                            "__is_block__": True,
                        }
                    }
                }
            ],
            "locals": [{"__is_block__": True}],
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), DOCUMENTS, ids=[t.split("\n")[0] for t, _ in DOCUMENTS])
def test_documents_as_python_hcl2_gives_them(text: str, expected: dict[str, Any]) -> None:
    assert document(text) == expected
    assert _agrees(text)


# Valid HCL (Terraform reads it) that python-hcl2 refuses: tree-sitter's reading stands.
BEYOND_PYTHON_HCL2 = [
    ("a = 1-30\n", {"a": "${1-30}"}),  # python-hcl2 lexes `-30` as a number after `1`
    ('a = "${~ x ~}"\n', {"a": '"${~ x ~}"'}),  # strip markers
    ("a = [\n  var.x\n  .y]\n", {"a": ["${var.x\n  .y}"]}),  # a line break anywhere inside brackets
]


@pytest.mark.parametrize(("text", "expected"), BEYOND_PYTHON_HCL2, ids=[t for t, _ in BEYOND_PYTHON_HCL2])
def test_valid_hcl_python_hcl2_refuses_is_read(text: str, expected: dict[str, Any]) -> None:
    assert _reference(text) is None
    assert document(text) == expected


LEFT_TO_PYTHON_HCL2 = {
    "syntax error": 'resource "a" "b" {\n  x = \n',
    "heredoc at the end of the file, no newline": "a = <<EOF\nhello\nEOF",
    "heredoc with an expression after it": "a = <<EOF\nhello\nEOF\n + 1\n",
    "heredoc in a call": "a = f(<<EOF\nhello\nEOF\n)\n",
    "exponent": "a = 1e3\n",
    "block header over lines (a keyword left on its own line)": '}\nif\nresource "a" "b" {\n  x = 1\n}\n',
    "attribute over lines": "ttl\n  = 600\n",
    "value on the next line": "a =\n  1\n",
    "expression going on after a newline": "a = b\n  .c\n",
    "a hidden token after a newline": 'r "a" "b" {\n  t = 0.\n02\n}\n',
    "quoted string over lines": 'a = "unclosed\nb = "x"\n',
    "object element over lines": 'a = {\n  s = "x"\n[*] v = 1\n}\n',
    "object element over lines, in a call": 'a = merge(b, {\n  s = "x"\n[*] v = 1\n})\n',
    "interpolation over lines": 'a = ["${\nvar.x}"]\n',
    "two attributes on a line": "a = 1 b = 2\n",
    "a block named like an attribute": "a = 1\na {\n}\n",
    "a duplicate object key": "a = {k = 1, k = 2}\n",
    "an interpolation in a label": 'resource "a${b}" "c" {\n}\n',
    "a directive opener in a label": 'resource "a%{b" "c" {\n}\n',
    "a number as an object key": "a = {1 = 2}\n",
    "a byte order mark": "\ufeffa = 1\n",
    "a name that is not ASCII": "r\u00e9source = 1\n",
    "an empty interpolation": 'a = ["x.${}var.region}"]\n',
    "a for expression without in": "a = { for k, v var.m : k => v }\n",
    "a traversal over lines in brackets": "a = [module.\n  ses.token]\n",
}


@pytest.mark.parametrize("text", list(LEFT_TO_PYTHON_HCL2.values()), ids=list(LEFT_TO_PYTHON_HCL2))
def test_what_is_left_to_python_hcl2(text: str) -> None:
    assert document(text) is None


def test_nesting_deeper_than_the_builder_goes_is_left_to_python_hcl2() -> None:
    # The builder recurses into tuples and objects: past Python's recursion limit, python-hcl2 (in
    # the worker, under the parse budget) gives its verdict.
    assert document("a = " + "[" * 20000 + "]" * 20000 + "\n") is None
    assert document("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n") is None


TOKENS = ["{", "}", "[", "]", "(", ")", '"', "=", ",", ":", "\n", "#", "//", "/*", "*/", "${", "%{"]
TOKENS += ["<<EOF\n", "EOF\n", ".", "...", "?", "-", "!", "for", "in", "if", "null", "1", "1.5", "x"]
TOKENS += [" ", "\\", "=>", "*", "[*]", "0.", "\n[*]"]


def test_mutated_files_read_as_python_hcl2_reads_them_or_are_left_to_it(corpus: list[Path]) -> None:
    # Edits that break files (the mutation search that found the newline cases above), seeded.
    rng = random.Random(12)
    texts = [p.read_text(encoding="utf-8") for p in corpus if p.stat().st_size < 4000]
    disagree = []
    for _ in range(250):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            pick = rng.random()
            if pick < 0.4:
                text = text[:at] + rng.choice(TOKENS) + text[at:]
            elif pick < 0.8:
                text = text[:at] + text[at + rng.randint(1, 5) :]
            else:
                text = text[:at] + text[at : at + rng.randint(1, 40)] + text[at:]
        if not _agrees(text):
            disagree.append(text)
    assert disagree == []


def test_without_tree_sitter_every_file_is_python_hcl2s(monkeypatch: pytest.MonkeyPatch) -> None:
    # A platform where tree-sitter's build does not load: nothing fails, python-hcl2 parses.
    import builtins

    from seslint import hcl_document

    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("tree_sitter"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(hcl_document, "_PARSER", None)
    monkeypatch.setattr(builtins, "__import__", refuse)
    assert hcl_document.load() is None
    assert document("a = 1\n") is None
    monkeypatch.setattr(builtins, "__import__", real_import)
    monkeypatch.setattr(hcl_document, "_PARSER", None)
    assert document("a = 1\n") == {"a": 1}
