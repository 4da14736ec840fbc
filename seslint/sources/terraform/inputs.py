"""Root module inputs (`--var`, `--var-file`, tfvars) checked as Terraform checks them.

A value of the wrong type for a typed variable is a usage error naming the variable: `terraform plan`
refuses it too, and judging the posture with it would judge a configuration that cannot exist.
Primitive values are converted as Terraform converts them ("true" for a bool, "5" for a number, 5
for a string), so a rule sees what Terraform would. A `--var` for a variable no root declares is a
warning with the closest declared name: Terraform rejects it, and the value was surely meant for
another name (a typo would otherwise leave the intended variable without a value, silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_text
from seslint.errors import UsageError
from seslint.sources.terraform.discovery import module_files
from seslint.sources.terraform.modules import shown_path
from seslint.sources.terraform.parse import Block, ModuleFiles, read_module
from seslint.suggest import hint
from seslint.untrusted import say

_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COLLECTIONS = {"list": list, "set": list, "tuple": list, "map": dict, "object": dict}


def declared(module: ModuleFiles) -> dict[str, Block]:
    return {b.labels[0]: b for b in module.of("variable") if b.labels}


def root_module(root: Path, cwd: Path) -> ModuleFiles:
    """The root's files, read as the evaluator reads them (the same cached parse)."""
    return read_module(root, shown_path(root, cwd))


def type_of(block: Block) -> str | None:
    """The declared type constraint as written (`bool`, `list(string)`), None when there is none."""
    raw = block.body.get("type")
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text.strip().strip('"').strip() or None


def typed(root: Path, cwd: Path, values: dict[str, Any]) -> dict[str, Any]:
    """`values` converted to the root's declared types; UsageError naming the first that cannot be."""
    blocks = declared(root_module(root, cwd))
    out = dict(values)
    for name, value in values.items():
        block = blocks.get(name)
        constraint = type_of(block) if block is not None else None
        if block is None or constraint is None:
            continue
        converted = convert(value, constraint)
        if converted is _REFUSED:
            where = f"{block.file}:{block.line}" if block.line else block.file
            raise UsageError(
                f"var.{name}: {_shown(value)} is not a {constraint} value (variable {name!r} at {where} "
                f"has type = {constraint})"
            )
        out[name] = converted
    return out


_REFUSED = object()


def convert(value: Any, constraint: str) -> Any:
    """The value as Terraform converts it to the type's kind, or _REFUSED. Only the outer kind is
    checked; element types of collections are left to the evaluator."""
    kind = constraint.split("(", 1)[0].strip()
    if value is None or kind == "any" or not isinstance(value, (str, bool, int, float, list, dict)):
        return value  # null, or a value seslint holds symbolically: nothing to refuse
    if kind == "bool":
        if isinstance(value, bool):
            return value
        return {"true": True, "false": False}.get(value, _REFUSED) if isinstance(value, str) else _REFUSED
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
            number = float(value)
            return (
                int(number)
                if number.is_integer() and "." not in value and "e" not in value.lower()
                else number
            )
        return _REFUSED
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        return value if isinstance(value, str) else _REFUSED
    wanted = _COLLECTIONS.get(kind)
    if wanted is None:
        return value  # a type seslint does not know: Terraform will say
    return value if isinstance(value, wanted) else _REFUSED


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


_VARIABLE = re.compile(r'(?<![\w.])variable\s+"?([A-Za-z_][\w-]*)"?\s*\{')


def warn_undeclared(
    var_args: Iterable[str],
    roots: Iterable[Path],
    cwd: Path,
    unjudged: Iterable[Path] = (),
    boundary: Boundary | None = None,
) -> None:
    """One warning on stderr per `--var NAME=...` that no root module declares, with a suggestion.
    `unjudged`: roots not parsed (they hold no posture): their variable blocks are found in their text."""
    var_args = list(var_args)
    if not var_args:
        return
    names: set[str] = set()
    for root in roots:
        names.update(declared(root_module(root, cwd)))
    for root in unjudged:
        for path in module_files(root):
            try:
                names.update(_VARIABLE.findall(read_text(path, MAX_FILE_BYTES, boundary)))
            except Unreadable:
                continue
    for arg in var_args:
        name = arg.partition("=")[0].strip()
        if name and name not in names:
            suggestion = hint(name, names)
            say(  # the suggestion names a variable of the tree: through the one safe way to stderr
                f"seslint: warning: --var {name}: no root module declares a variable {name!r}; "
                f"the value is not used{suggestion}"
            )
