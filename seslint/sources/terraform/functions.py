"""The Terraform functions SES modules use, over known values; symbolic arguments stay symbolic."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from seslint.model import Ref, Unknown
from seslint.sources.terraform.evaluate import (
    DKIM_TOKEN_COUNT,
    MAX_ITEMS,
    MAX_TEXT,
    dkim_token_list,
    first_unknown,
    jsonencode,
    symbolic,
    template,
)


def _flatten(value: Any) -> list[Any]:
    out: list[Any] = []
    for item in value:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


REGEX_SECONDS = 0.5


def _regex_module() -> Any:
    """The `regex` package (python-hcl2 depends on it): like `re`, but a match can time out, so a
    pattern that backtracks exponentially cannot hang a pre-commit hook. Terraform uses RE2, which
    never backtracks."""
    import regex

    return regex


def _replace(text: str, search: str, replacement: str) -> Any:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        regex = _regex_module()
        try:
            return regex.sub(
                search[1:-1],
                re.sub(r"\$\{?(\d+)\}?", r"\\\1", replacement),
                text,
                timeout=REGEX_SECONDS,
            )
        except TimeoutError:
            return Unknown(f"replace() took longer than {REGEX_SECONDS} s (a pattern that backtracks)")
        except regex.error as exc:
            return Unknown(f"replace() failed: {exc}"[:300])
    return text.replace(search, replacement)


def _regex(pattern: str, text: str) -> Any:
    regex = _regex_module()
    try:
        match = regex.search(pattern, text, timeout=REGEX_SECONDS)
    except TimeoutError:
        return Unknown(f"regex() took longer than {REGEX_SECONDS} s (a pattern that backtracks)")
    except regex.error as exc:
        return Unknown(f"regex() failed: {exc}"[:300])
    return match[0] if match else Unknown("regex: no match")


def _range(*args: Any) -> Any:
    numbers = [int(a) for a in args]
    size = len(range(*numbers))
    if size > MAX_ITEMS:
        return Unknown(f"range() of {size} elements is larger than the {MAX_ITEMS} seslint evaluates")
    return list(range(*numbers))


def _format(spec: str, *args: Any) -> Any:
    parts: list[Any] = []
    position = 0
    values = list(args)
    for match in re.finditer(r"%(%|[-+ #0]*\d*(?:\.\d+)?[sdvfqtbxXoeEgG])", spec):
        parts.append(spec[position : match.start()])
        verb = match.group(1)
        width = max((int(n) for n in re.findall(r"\d+", verb)), default=0)
        if width > MAX_TEXT:
            return Unknown(f"format() of a {width}-character field is larger than the 1 MB seslint evaluates")
        if verb == "%":
            parts.append("%")
        else:
            if not values:
                return Unknown("format: not enough arguments")
            value = values.pop(0)
            if symbolic(value):
                parts.append(value)
            elif verb[-1] in "dfeEgGxXob":
                parts.append(("%" + verb) % value)
            elif verb[-1] == "q":
                parts.append(json.dumps(str(value)))
            else:
                parts.append(value if isinstance(value, str) else json.dumps(value))
        position = match.end()
    parts.append(spec[position:])
    return template(parts)


def _join(separator: str, *lists: Any) -> Any:
    parts: list[Any] = []
    for items in lists:
        if symbolic(items):
            return first_unknown(items)
        for item in items:
            if parts:
                parts.append(separator)
            parts.append(item)
    return template(parts)


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    return Unknown(f"lookup: no key {key!r}")


def _element(items: Any, index: Any) -> Any:
    if dkim_token_list(items):
        return Ref(items.address, items.attribute, int(index) % DKIM_TOKEN_COUNT)
    if not items:
        return Unknown("element of an empty list")
    return items[int(index) % len(items)]


def _length(value: Any) -> Any:
    if dkim_token_list(value):
        return DKIM_TOKEN_COUNT
    if symbolic(value):
        return first_unknown(value)
    return len(value)


def _coalesce(*values: Any) -> Any:
    for value in values:
        if symbolic(value):
            return value
        if value not in (None, ""):
            return value
    return Unknown("coalesce: no non-empty argument")


def _try(*values: Any) -> Any:
    for value in values:
        if not isinstance(value, Unknown):
            return value
        if value.cause:
            return value  # an input without a value is not an error: Terraform's try() is unknown too
    return values[-1] if values else Unknown("try: no arguments")


def _formatlist(spec: str, *args: Any) -> Any:
    """Lists are iterated in step (all of one length); other arguments repeat on every line."""
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        return Unknown("formatlist: the lists are of different lengths")
    rows = lengths.pop() if lengths else 1
    return [_format(spec, *(a[i] if isinstance(a, list) else a for a in args)) for i in range(rows)]


def _logic_all(items: Any, decisive: bool) -> Any:
    """alltrue / anytrue, three-valued: one false (true) decides whatever the unknowns are."""
    values = list(items)
    if any(v is (not decisive) for v in values):
        return not decisive
    held = first_unknown(*values)
    if held is not None:
        return held
    if not all(isinstance(v, bool) for v in values):
        return Unknown("alltrue/anytrue need a list of bools")
    return decisive


def _setproduct(*sets: Any) -> Any:
    """Every combination of one element of each set, in order (Terraform's setproduct)."""
    size = 1
    for items in sets:
        size *= len(items)
    if size > MAX_ITEMS:
        return Unknown(f"setproduct() of {size} elements is larger than the {MAX_ITEMS} seslint evaluates")
    rows: list[list[Any]] = [[]]
    for items in sets:
        rows = [[*row, item] for row in rows for item in _distinct(list(items))]
    return rows if sets else []


def _chunklist(items: Any, size: Any) -> Any:
    width = int(size)
    if width < 0:
        return Unknown("chunklist: the size must not be negative")
    if width == 0:
        return [list(items)]
    return [list(items[i : i + width]) for i in range(0, len(items), width)]


def _one(items: Any) -> Any:
    if len(items) > 1:
        return Unknown("one: more than one element")
    return items[0] if items else None


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "formatlist": _formatlist,
    "alltrue": lambda items: _logic_all(items, True),
    "anytrue": lambda items: _logic_all(items, False),
    "sensitive": lambda value: value,
    "nonsensitive": lambda value: value,
    "chomp": lambda text: text.rstrip("\r\n"),
    "strrev": lambda text: text[::-1],
    "setunion": lambda *sets: _distinct([i for items in sets for i in items]),
    "setintersection": lambda first, *rest: [i for i in _distinct(first) if all(i in r for r in rest)],
    "setsubtract": lambda first, second: [i for i in _distinct(first) if i not in second],
    "timestamp": lambda: Unknown("timestamp() is known only at apply"),
    "uuid": lambda: Unknown("uuid() is known only at apply"),
    "join": _join,
    "split": lambda sep, text: text.split(sep),
    "lower": lambda text: text.lower(),
    "upper": lambda text: text.upper(),
    "replace": _replace,
    "concat": lambda *lists: [item for items in lists for item in items],
    "merge": lambda *maps: {k: v for m in maps if m for k, v in m.items()},
    "lookup": _lookup,
    "element": _element,
    "length": _length,
    "coalesce": _coalesce,
    "coalescelist": lambda *lists: next((items for items in lists if items), []),
    "tolist": lambda items: list(items),
    "toset": lambda items: _distinct(list(items)),
    "tomap": lambda mapping: dict(mapping),
    "tostring": lambda value: template([value]),
    "tonumber": lambda value: float(value) if "." in str(value) else int(value),
    "tobool": lambda value: value if isinstance(value, bool) else str(value) == "true",
    "jsonencode": jsonencode,
    "jsondecode": lambda text: json.loads(text),
    "flatten": _flatten,
    "keys": lambda mapping: sorted(mapping),
    "values": lambda mapping: [mapping[k] for k in sorted(mapping)],
    "contains": lambda items, value: value in items,
    "trimsuffix": lambda text, suffix: text[: -len(suffix)] if suffix and text.endswith(suffix) else text,
    "trimprefix": lambda text, prefix: text[len(prefix) :] if text.startswith(prefix) else text,
    "trimspace": lambda text: text.strip(),
    "trim": lambda text, chars: text.strip(chars),
    "distinct": lambda items: _distinct(list(items)),
    "substr": lambda text, offset, length: text[offset : None if length < 0 else offset + length],
    "startswith": lambda text, prefix: text.startswith(prefix),
    "endswith": lambda text, suffix: text.endswith(suffix),
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "zipmap": lambda keys, values: {str(k): v for k, v in zip(keys, values, strict=False)},
    "range": _range,
    "one": _one,
    "sort": lambda items: sorted(items),
    "min": lambda *values: min(values),
    "max": lambda *values: max(values),
    "abs": abs,
    "floor": lambda number: math.floor(number),
    "ceil": lambda number: math.ceil(number),
    "setproduct": _setproduct,
    "chunklist": _chunklist,
    "can": lambda value: (
        value if isinstance(value, Unknown) and value.cause else not isinstance(value, Unknown)
    ),
    "try": _try,
    "regex": _regex,
    "title": lambda text: text.title(),
    "reverse": lambda items: list(reversed(items)),
    "slice": lambda items, start, end: items[int(start) : int(end)],
    "index": lambda items, value: items.index(value),
    "sum": lambda items: sum(items),
}

# Functions that take symbolic values as they are (they do their own handling).
_PASS_SYMBOLIC = {
    "format",
    "join",
    "element",
    "length",
    "coalesce",
    "try",
    "can",
    "jsonencode",
    "tostring",
    "sensitive",
    "nonsensitive",
}
# Functions whose result of a symbolic list is that list (no copy can change a reference).
_IDENTITY_ON_REFS = {"toset", "tolist", "distinct", "flatten", "compact", "sort"}


def call(name: str, args: list[Any]) -> Any:
    function = _FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name}() is not supported by seslint")
    if name not in _PASS_SYMBOLIC:
        if name in _IDENTITY_ON_REFS and len(args) == 1 and isinstance(args[0], Ref):
            return args[0]
        reason = first_unknown(*args) if any(symbolic(a) for a in args) else None
        if reason is not None:
            return reason
        if any(isinstance(a, list) and any(symbolic(i) for i in a) for a in args) and name in (
            "concat",
            "toset",
            "tolist",
            "distinct",
            "flatten",
            "compact",
            "formatlist",
            "setunion",
            "setproduct",
            "chunklist",
            "alltrue",
            "anytrue",
        ):
            pass  # lists holding references are fine to combine
        elif any(isinstance(a, (list, dict)) and _deep_symbolic(a) for a in args) and name not in (
            "concat",
            "merge",
            "toset",
            "tolist",
            "distinct",
            "flatten",
            "compact",
            "lookup",
            "tomap",
            "keys",
            "values",
            "element",
            "zipmap",
            "one",
            "slice",
            "reverse",
            "coalescelist",
        ):
            return Unknown(f"{name}() of a value known only after apply")
    try:
        result = function(*args)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, re.error) as exc:
        return Unknown(f"{name}() failed: {exc}"[:300])
    if isinstance(result, (list, dict)) and len(result) > MAX_ITEMS:
        return Unknown(f"{name}() of {len(result)} elements is larger than the {MAX_ITEMS} seslint evaluates")
    if isinstance(result, str) and len(result) > MAX_TEXT:
        return Unknown(f"{name}() of {len(result)} characters is larger than the 1 MB seslint evaluates")
    return result


def _deep_symbolic(value: Any) -> bool:
    if symbolic(value):
        return True
    if isinstance(value, list):
        return any(_deep_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_deep_symbolic(v) for v in value.values())
    return False
