"""Read one policy file (YAML or JSON) into plain data plus the line of every key path.

YAML is composed into nodes with the safe loader (so `!!python/...` tags are refused) and built
with the safe constructor; the node tree gives the lines. JSON files go through the same path
(JSON is YAML for these documents), after `json` has checked they are really JSON.

A policy may come with a pull request (`.seslint.yaml`), so it is read bounded: a regular file of at
most 1 MB, inside the repository when it was discovered or extended (see loader.py), nested at most
64 deep, and at most 100,000 values once YAML aliases are expanded (a kilobyte of nested aliases
would otherwise expand to gigabytes).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint.bounded import Boundary, JsonError, Unreadable, load_json, read_bytes
from seslint.untrusted import excerpt

Path_ = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 100_000  # nodes once aliases are expanded; a shipped policy has a few hundred


@lru_cache(maxsize=1)
def _loader() -> Any:
    """The safe loader with YAML 1.2 scalars: only true/false are booleans (so `SES201: off` is the
    text "off", as a policy means it) and dates stay text, validated later with their line.
    Built on first use so that a cached policy never imports PyYAML."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            # PyYAML composes by recursion: stop at MAX_DEPTH, long before Python's recursion limit.
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                    raise yaml.composer.ComposerError(
                        None, None, f"nested deeper than {MAX_DEPTH} levels", mark
                    )
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    dropped = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


@dataclass(frozen=True)
class Document:
    file: str
    data: Any
    lines: dict[Path_, int]
    directory: str | None = None  # where the file is (set once resolved): what its `exclude` is anchored at

    def line(self, path: Path_) -> int:
        """Line of a key path, or of its nearest enclosing key that has one (1 for the document)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class DocumentError(Exception):
    """A file that cannot be read as a policy document; `problems` are `FILE[:LINE]: message` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read(path: Path, shown: str, boundary: Boundary | None = None) -> Document:
    """The policy file at `path` (inside `boundary`, when given)."""
    try:
        raw = read_bytes(path, MAX_BYTES, boundary)
    except Unreadable as exc:
        reason = "no such policy file" if exc.reason == "no such file" else exc.reason
        raise DocumentError([f"{shown}: {reason}"]) from None
    if b"\x00" in raw:
        raise DocumentError([f"{shown}: not a policy file (binary content)"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError([f"{shown}: not UTF-8 text (byte {exc.start})"]) from None
    if path.suffix.lower() == ".json":
        try:
            load_json(text, MAX_DEPTH)
        except JsonError as exc:
            raise DocumentError([f"{shown}{f':{exc.line}' if exc.line else ''}: {exc.reason}"]) from None
    return parse(text, shown)


def parse(text: str, shown: str) -> Document:
    """Parse through the content-addressed cache: a known policy costs a JSON read, not a YAML parse."""
    from seslint import cache

    cached: Any = cache.get(text, "policy")
    lines = _cached_lines(cached)
    if lines is not None:
        return Document(shown, cached["data"], lines)
    document = _parse_yaml(text, shown)
    cache.put(
        text, {"data": document.data, "lines": [[list(k), v] for k, v in document.lines.items()]}, "policy"
    )
    return document


def _cached_lines(cached: Any) -> dict[Path_, int] | None:
    """The lines of a cached policy entry, or None when the entry does not have the shape put wrote."""
    if not (isinstance(cached, dict) and "data" in cached and isinstance(cached.get("lines"), list)):
        return None
    lines: dict[Path_, int] = {}
    for pair in cached["lines"]:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], list)
            and isinstance(pair[1], int)
        ):
            return None
        lines[tuple(pair[0])] = pair[1]
    return lines


def _parse_yaml(text: str, shown: str) -> Document:
    import yaml

    Loader = _loader()
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DocumentError([f"{shown}{line}: invalid YAML: {exc.problem or exc.context}"]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([f"{shown}: invalid YAML: {exc}"]) from None
    if node is None:
        raise DocumentError([f"{shown}: empty policy file"])
    problem = _expansion_problem(node)
    if problem:
        raise DocumentError([f"{shown}: {problem}"])
    lines: dict[Path_, int] = {(): node.start_mark.line + 1}
    _walk(node, (), lines)
    constructor = Loader("")
    try:
        data = constructor.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DocumentError([f"{shown}{line}: {exc.problem} (policies are plain data)"]) from None
    except (ValueError, TypeError) as exc:
        raise DocumentError([f"{shown}: invalid value: {excerpt(str(exc))}"]) from None
    try:
        plain = _plain(data)
    except ValueError as exc:
        raise DocumentError([f"{shown}: invalid value: {exc}"]) from None
    return Document(shown, plain, lines)


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _expansion_problem(root: Any) -> str | None:
    """Why the document is too big once aliases are expanded (or refers to itself), else None.

    Sizes are counted per node, each shared node once (an alias costs its target's size, not a walk
    of it), without recursion."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        key = id(node)
        if closing:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            if size[key] > MAX_VALUES:
                return f"more than {MAX_VALUES:,} values once its aliases are expanded"
            continue
        if key in size:
            continue
        if key in open_:
            return "an alias refers to the node that holds it"
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)
    return None


def _walk(node: Any, path: Path_, lines: dict[Path_, int]) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            key_path = (*path, name)
            lines[key_path] = key.start_mark.line + 1
            _walk(value, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            lines[item_path] = item.start_mark.line + 1
            _walk(item, item_path, lines)


def _plain(value: Any) -> Any:
    """Keys as strings; dates (an explicit !!timestamp) back to ISO text, as the schema expects."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf
        raise ValueError(f"{value} is not a finite number")
    return value
