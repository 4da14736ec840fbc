"""Read a module directory: every .tf (python-hcl2) and .tf.json file into blocks with file and line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint.bounded import MAX_FILE_BYTES, Boundary, JsonError, Unreadable, load_json, read_text
from seslint.model import Location, ReadFailure
from seslint.sources.terraform.discovery import module_files

BLOCK_KINDS = ("variable", "locals", "resource", "data", "module", "output", "provider")


@dataclass(frozen=True)
class Block:
    kind: str
    labels: tuple[str, ...]
    body: dict[str, Any]
    file: str
    line: int | None


@dataclass
class ModuleFiles:
    directory: Path
    shown: str  # the directory as the user sees it (relative path)
    blocks: list[Block] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # shown file name -> text (for waivers)

    def of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


# What the run may read (set by the command around its evaluation); None reads anything, for tests.
_BOUNDARY: ContextVar[Boundary | None] = ContextVar("seslint_boundary", default=None)
OUTSIDE_MODULE = "a module directory outside the checked tree (a link or ../ leads out of it); not read"


@contextmanager
def within(boundary: Boundary) -> Iterator[None]:
    """Read modules and files only inside `boundary` while the block runs."""
    token = _BOUNDARY.set(boundary)
    try:
        yield
    finally:
        _BOUNDARY.reset(token)


def outside(directory: Path) -> bool:
    """Whether the run may not read `directory` (outside its boundary)."""
    boundary = _BOUNDARY.get()
    return boundary is not None and not boundary.holds(directory)


def read_module(directory: Path, shown: str) -> ModuleFiles:
    return _read_module(directory, shown, _BOUNDARY.get())


def forget() -> None:
    """Drop what read_module keeps (a long-lived process whose files change: tests, fuzzing)."""
    _read_module.cache_clear()


@lru_cache(maxsize=4096)
def _read_module(directory: Path, shown: str, boundary: Boundary | None) -> ModuleFiles:
    module = ModuleFiles(directory, shown)
    if boundary is not None and not boundary.holds(directory):
        module.failures.append(_failure(shown, None, OUTSIDE_MODULE))
        return module
    for path in module_files(directory):
        name = f"{shown}/{path.name}" if shown not in ("", ".") else path.name
        _read_file(path, name, module, boundary)
    return module


def _read_file(path: Path, shown: str, module: ModuleFiles, boundary: Boundary | None) -> None:
    try:
        # Regular files inside the tree, up to 4 MB: larger ones are not hand-written Terraform.
        text = read_text(path, MAX_FILE_BYTES, boundary)
    except Unreadable as exc:
        module.failures.append(_failure(shown, None, exc.reason))
        return
    if "\x00" in text:
        module.failures.append(_failure(shown, None, "binary content, not Terraform"))
        return
    module.texts[shown] = text
    if path.name.endswith(".tf.json"):
        _read_json(text, shown, module)
    else:
        _read_hcl(text, shown, module)


def _failure(shown: str, line: int | None, reason: str) -> ReadFailure:
    where = f"{shown}:{line}" if line else shown
    return ReadFailure(
        what=where, reason=reason, location=Location(file=shown, line=line), parse_error=True, resource=shown
    )


def _read_hcl(text: str, shown: str, module: ModuleFiles) -> None:
    from seslint.parse_ahead import HclSyntaxError, parse_hcl

    try:
        document = parse_hcl(text)
    except HclSyntaxError as exc:
        module.failures.append(_failure(shown, exc.line, exc.describe()))
        return
    lines = _line_index(text)
    for kind in BLOCK_KINDS:
        for entry in document.get(kind, []):
            for labels, body in _labelled(kind, entry):
                module.blocks.append(Block(kind, labels, body, shown, lines.get((kind, *labels))))


def _labelled(kind: str, entry: dict[str, Any]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    depth = {"resource": 2, "data": 2, "variable": 1, "module": 1, "output": 1, "provider": 1, "locals": 0}[
        kind
    ]
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []

    def walk(node: Any, labels: tuple[str, ...]) -> None:
        if len(labels) == depth:
            if isinstance(node, dict):
                found.append((labels, node))
            elif isinstance(node, list):  # .tf.json: several blocks of one name (provider aliases)
                found.extend((labels, item) for item in node if isinstance(item, dict))
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("__"):
                    walk(value, (*labels, _unquote(key)))

    walk(entry, ())
    return found


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


# A block's header: its labels and its brace are on one line (HCL requires it). [ \t], not \s: a
# pattern free to cross lines would, at every line that starts with a keyword, scan the rest of the
# file (a heredoc of such lines took minutes).
_BLOCK_LINE = re.compile(
    r'^[ \t]*(resource|data|variable|module|output|locals|provider)\b((?:[ \t]+"[^"\n]*"|[ \t]+[A-Za-z0-9_-]+)*)[ \t]*\{',
    re.MULTILINE,
)
_LABEL = re.compile(r'"[^"\n]*"|[A-Za-z0-9_-]+')


class _Lines:
    """Line numbers of positions met in increasing order, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1

    def at(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def _line_index(text: str) -> dict[tuple[str, ...], int]:
    index: dict[tuple[str, ...], int] = {}
    lines = _Lines(text)
    for match in _BLOCK_LINE.finditer(text):
        labels = tuple(_unquote(label) for label in _LABEL.findall(match.group(2)))
        index.setdefault((match.group(1), *labels), lines.at(match.start()))
    return index


def _read_json(text: str, shown: str, module: ModuleFiles) -> None:
    try:
        document = load_json(text)
    except JsonError as exc:
        module.failures.append(_failure(shown, exc.line, exc.reason))
        return
    if not isinstance(document, dict):
        module.failures.append(_failure(shown, 1, "a .tf.json file must hold a JSON object"))
        return
    lines = _json_lines(text)
    for kind in BLOCK_KINDS:
        value = document.get(kind)
        if value is None:
            continue
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if isinstance(entry, dict):
                for labels, body in _labelled(kind, entry):
                    line = lines.get(labels[-1]) if labels else None
                    module.blocks.append(Block(kind, labels, _json_values(body), shown, line))


def _json_values(value: Any) -> Any:
    """JSON syntax: every string is a template; make it look like python-hcl2's quoted strings."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_values(v) for k, v in value.items()}
    return value


_JSON_BLOCK = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:\s*[\[{]')


def _json_lines(text: str) -> dict[str, int]:
    """The line of the first `"KEY": {` (or `[`) of every key, in one pass over the text."""
    index: dict[str, int] = {}
    lines = _Lines(text)
    for match in _JSON_BLOCK.finditer(text):
        index.setdefault(match.group(1), lines.at(match.start()))
    return index
