"""Evaluate HCL expressions the way Terraform would, keeping what it cannot know symbolic or Unknown.

Values are plain Python (str, int, float, bool, None, list, dict) or seslint.model's Unknown, Ref and
Template. Resource attributes are never known before apply: a reference to one stays a Ref, so rules
can prove wiring ("this CNAME is built from that identity's second DKIM token").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from seslint.model import Ref, Template, Unknown
from seslint.sources.terraform.expressions import ExpressionError, Node, parse_value

DKIM_TOKEN_ATTRIBUTES = ("dkim_tokens", "dkim_signing_attributes.tokens")
DKIM_TOKEN_COUNT = 3  # SES always creates three Easy DKIM tokens
MAX_DEPTH = 64
# Hostile or mistaken input must not take all memory or time: a value larger than these is Unknown.
MAX_ITEMS = 10_000  # elements of one list or map built by a function
MAX_TEXT = 1024 * 1024  # characters of one string
MAX_WORK = 1_000_000  # elements built by calls and for-expression steps in one scope (nested loops)


def symbolic(value: Any) -> bool:
    return isinstance(value, (Unknown, Ref, Template))


def first_unknown(*values: Any) -> Unknown | None:
    for value in values:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, (Ref, Template)):
            return Unknown(f"{value} is known only after apply")
    return None


@dataclass
class Scope:
    """What names mean while evaluating one module instance (and one resource instance in it)."""

    variables: Mapping[str, Any]
    local_nodes: Mapping[str, Any]
    prefix: str  # "" or "module.ses." / 'module.ses["eu"].'
    module_dir: str
    module_outputs: Callable[[str], Any]  # module call name -> outputs object (or Unknown)
    count_index: Any = None
    each: tuple[Any, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # for-expression variables
    _locals: dict[str, Any] = field(default_factory=dict)
    _evaluating: list[str] = field(default_factory=list)
    _work: list[int] = field(default_factory=lambda: [0])  # shared with child scopes

    def charge(self, amount: int) -> Unknown | None:
        """Count work done; Unknown once this scope has built more than MAX_WORK values."""
        self._work[0] += amount
        if self._work[0] > MAX_WORK:
            return Unknown(f"the expressions build more than {MAX_WORK} values; seslint stops there")
        return None

    def child(self, **changes: Any) -> Scope:
        scope = Scope(
            self.variables,
            self.local_nodes,
            self.prefix,
            self.module_dir,
            self.module_outputs,
            self.count_index,
            self.each,
            dict(self.extra),
        )
        scope._locals = self._locals  # one locals cache per module instance
        scope._evaluating = self._evaluating
        scope._work = self._work
        for key, value in changes.items():
            setattr(scope, key, value)
        return scope

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self.local_nodes:
            return Unknown(f"local.{name} is not defined")
        if name in self._evaluating:
            cycle = " -> ".join([*self._evaluating[self._evaluating.index(name) :], name])
            return Unknown(f"locals refer to each other in a cycle: {cycle}")
        self._evaluating.append(name)
        try:
            value = evaluate_raw(self.local_nodes[name], self.child(count_index=None, each=None, extra={}))
        finally:
            self._evaluating.pop()
        self._locals[name] = value
        return value


def evaluate_raw(raw: Any, scope: Scope) -> Any:
    """Evaluate a value as python-hcl2 returns it (quoted strings, ${...} text, lists, dicts)."""
    if isinstance(raw, str):
        try:
            node = parse_value(raw)
        except ExpressionError as exc:
            return Unknown(f"cannot evaluate {raw[:60]!r}: {exc}")
        except RecursionError:
            return Unknown(f"cannot evaluate {raw[:60]!r}: nested too deeply")
        try:
            return evaluate(node, scope)
        except RecursionError:
            return Unknown(f"cannot evaluate {raw[:60]!r}: nested too deeply")
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            # Defence in depth: a value of a type no operation expected is unknown, not a crash.
            return Unknown(f"cannot evaluate {raw[:60]!r}: {exc}")
    if isinstance(raw, list):
        return [evaluate_raw(item, scope) for item in raw]
    if isinstance(raw, dict):
        return {_key(k): evaluate_raw(v, scope) for k, v in raw.items() if not k.startswith("__")}
    return raw


def _key(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def evaluate(node: Node, scope: Scope, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        return Unknown("expression nested too deeply")
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "tpl":
        return template([evaluate(p, scope, depth + 1) if isinstance(p, tuple) else p for p in node[1]])
    if kind in ("var", "attr", "index", "splat"):
        return _traverse(node, scope, depth)
    if kind == "call":
        from seslint.sources.terraform.functions import call

        args = [evaluate(a, scope, depth + 1) for a in node[2]]
        if node[3] and args and isinstance(args[-1], list):
            args = [*args[:-1], *args[-1]]
        result = call(node[1], args)
        over = scope.charge(len(result) if isinstance(result, (list, dict)) else 1)
        return over or result
    if kind == "unary":
        value = evaluate(node[2], scope, depth + 1)
        if symbolic(value):
            return first_unknown(value)
        if node[1] == "!":
            return (not value) if isinstance(value, bool) else Unknown(f"! needs a bool, not {value!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        return Unknown(f"- needs a number, not {value!r}")
    if kind == "binary":
        return _binary(node[1], evaluate(node[2], scope, depth + 1), evaluate(node[3], scope, depth + 1))
    if kind == "cond":
        condition = evaluate(node[1], scope, depth + 1)
        if symbolic(condition):
            reason = first_unknown(condition)
            return Unknown(f"condition not known: {reason.reason if reason else condition}")
        return evaluate(node[2] if condition else node[3], scope, depth + 1)
    if kind == "tuple":
        return [evaluate(item, scope, depth + 1) for item in node[1]]
    if kind == "object":
        out: dict[str, Any] = {}
        for key_node, value_node in node[1]:
            key = key_node[1] if key_node[0] == "lit" else evaluate(key_node, scope, depth + 1)
            if key_node[0] == "var":
                key = key_node[1]  # {name = x}: a bare name is the key itself
            out[str(key)] = evaluate(value_node, scope, depth + 1)
        return out
    if kind in ("for_list", "for_map"):
        return _for(node, scope, depth)
    return Unknown(f"unsupported expression {kind}")


def template(parts: list[Any]) -> Any:
    """Join evaluated template parts: a str when all are known, else a Template (text merged)."""
    out: list[str | Ref | Unknown] = []
    for part in parts:
        items = part.parts if isinstance(part, Template) else (part,)
        for item in items:
            if isinstance(item, (Ref, Unknown)):
                out.append(item)
                continue
            if isinstance(item, (list, dict)):
                return Unknown("a list or map cannot be used in a string")
            text = _as_text(item)
            if out and isinstance(out[-1], str):
                out[-1] += text
            else:
                out.append(text)
    if all(isinstance(p, str) for p in out):
        joined = "".join(p for p in out if isinstance(p, str))
        return too_long(joined) or joined
    unknowns = [p for p in out if isinstance(p, Unknown)]
    if unknowns and not any(isinstance(p, Ref) for p in out):
        return unknowns[0]
    return Template(tuple(out))


def too_long(text: str) -> Unknown | None:
    if len(text) > MAX_TEXT:
        return Unknown(f"a string of {len(text)} characters is larger than the 1 MB seslint evaluates")
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _binary(op: str, left: Any, right: Any) -> Any:
    reason = first_unknown(left, right)
    if reason is not None:
        # false && x and true || x are decided without x.
        if op in ("&&", "||") and not symbolic(left) and bool(left) == (op == "||"):
            return bool(left)
        return reason
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "%":
            return left % right
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op == "<=":
            return left <= right
        if op == ">=":
            return left >= right
        if op == "&&":
            return bool(left) and bool(right)
        if op == "||":
            return bool(left) or bool(right)
    except (TypeError, ZeroDivisionError) as exc:
        return Unknown(f"cannot compute {left!r} {op} {right!r}: {exc}")
    return Unknown(f"unknown operator {op}")


def _steps(node: Node) -> tuple[str, list[tuple[str, Any]]]:
    steps: list[tuple[str, Any]] = []
    while node[0] != "var":
        if node[0] == "attr":
            steps.append(("attr", node[2]))
        elif node[0] == "index":
            steps.append(("index", node[2]))
        elif node[0] == "splat":
            steps.append(("splat", None))
        else:
            raise ExpressionError("unsupported traversal")
        node = node[1]
    steps.reverse()
    return node[1], steps


def _traverse(node: Node, scope: Scope, depth: int) -> Any:
    try:
        root, steps = _steps(node)
    except ExpressionError:
        # (expr).attr / f(x)[0]: evaluate the inner expression, then walk.
        inner = node[1]
        base = evaluate(inner, scope, depth + 1)
        step = (
            ("attr", node[2])
            if node[0] == "attr"
            else ("index", node[2])
            if node[0] == "index"
            else ("splat", None)
        )
        return _walk(base, [step], scope, depth)
    if root in scope.extra:
        return _walk(scope.extra[root], steps, scope, depth)
    if root == "var":
        name = _name(steps)
        if name is None:
            return Unknown("var must be followed by a name")
        value = scope.variables.get(name, Unknown(f"var.{name} is not declared"))
        return _walk(value, steps[1:], scope, depth)
    if root == "local":
        name = _name(steps)
        if name is None:
            return Unknown("local must be followed by a name")
        return _walk(scope.local(name), steps[1:], scope, depth)
    if root == "count":
        if scope.count_index is None:
            return Unknown("count.index used outside a resource with count")
        return scope.count_index
    if root == "each":
        if scope.each is None:
            return Unknown("each used outside a resource with for_each")
        name = _name(steps)
        value = scope.each[0] if name == "key" else scope.each[1]
        return _walk(value, steps[1:], scope, depth)
    if root == "path":
        return scope.module_dir
    if root == "terraform":
        return "default" if _name(steps) == "workspace" else Unknown("terraform.* is not known")
    if root == "module":
        name = _name(steps)
        if name is None:
            return Unknown("module must be followed by a name")
        return _walk(scope.module_outputs(name), steps[1:], scope, depth)
    if root == "data":
        if len(steps) < 2:
            return Unknown("data source reference is incomplete")
        return _resource_ref(f"{scope.prefix}data.{steps[0][1]}.{steps[1][1]}", steps[2:], scope, depth)
    if "_" in root and steps and steps[0][0] == "attr":
        return _resource_ref(f"{scope.prefix}{root}.{steps[0][1]}", steps[1:], scope, depth)
    return Unknown(f"{root} is not a name Terraform knows here")


def _name(steps: list[tuple[str, Any]]) -> str | None:
    return steps[0][1] if steps and steps[0][0] == "attr" else None


def _index_value(step: tuple[str, Any], scope: Scope, depth: int) -> Any:
    return evaluate(step[1], scope, depth + 1)


def _walk(value: Any, steps: list[tuple[str, Any]], scope: Scope, depth: int) -> Any:
    for position, step in enumerate(steps):
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Ref):
            return _extend_ref(value, steps[position:], scope, depth)
        if step[0] == "splat":
            rest = steps[position + 1 :]
            items = value if isinstance(value, list) else [value]
            return [_walk(item, rest, scope, depth) for item in items]
        key = step[1] if step[0] == "attr" else _index_value(step, scope, depth)
        if symbolic(key):
            return first_unknown(key)
        if isinstance(value, dict):
            if str(key) not in value:
                return Unknown(f"no attribute or key {key!r}")
            value = value[str(key)]
        elif isinstance(value, list):
            if not isinstance(key, (int, float)) or not 0 <= int(key) < len(value):
                return Unknown(f"index {key!r} is out of range")
            value = value[int(key)]
        else:
            return Unknown(f"cannot take {key!r} of {value!r}")
    return value


def _resource_ref(address: str, steps: list[tuple[str, Any]], scope: Scope, depth: int) -> Any:
    """TYPE.NAME[KEY].attr[0].sub[i] -> Ref(TYPE.NAME[KEY], "attr.sub", index=i)."""
    if steps and steps[0][0] == "index":
        key = _index_value(steps[0], scope, depth)
        if symbolic(key):
            return first_unknown(key)
        address += f"[{key}]" if isinstance(key, int) else f'["{key}"]'
        steps = steps[1:]
    return _extend_ref(Ref(address, ""), steps, scope, depth)


def _extend_ref(ref: Ref, steps: list[tuple[str, Any]], scope: Scope, depth: int) -> Any:
    attribute = ref.attribute
    index = ref.index
    each = ref.each
    for position, step in enumerate(steps):
        if step[0] == "attr":
            if index is not None and index != 0:
                return Unknown(f"{ref.address}.{attribute}[{index}].{step[1]} is known only after apply")
            index = None  # [0] of a single nested block: dropped
            attribute = f"{attribute}.{step[1]}" if attribute else step[1]
        elif step[0] == "splat":
            each = True
        else:
            key = _index_value(step, scope, depth)
            if symbolic(key):
                return first_unknown(key) or Unknown("index not known")
            if isinstance(key, float) and key.is_integer():
                key = int(key)
            if not isinstance(key, int):
                return Ref(ref.address, f"{attribute}.{key}" if attribute else str(key))
            if index is not None and position == len(steps) - 1:
                return Unknown(f"{ref.address}.{attribute}[{index}][{key}] is known only after apply")
            index = key
    return Ref(ref.address, attribute, index, each)


def _for(node: Node, scope: Scope, depth: int) -> Any:
    if node[0] == "for_list":
        _, key_name, value_name, coll_node, body, condition = node
        key_body = None
    else:
        _, key_name, value_name, coll_node, key_body, body, condition, _group = node
    collection = evaluate(coll_node, scope, depth + 1)
    if symbolic(collection):
        return first_unknown(collection)
    if not isinstance(collection, (dict, list)):
        return Unknown(f"a for expression needs a list or map, not {collection!r}")
    pairs = list(collection.items()) if isinstance(collection, dict) else list(enumerate(collection))
    list_out: list[Any] = []
    map_out: dict[str, Any] = {}
    for key, value in pairs:
        over = scope.charge(1)
        if over is not None:
            return over
        extra = dict(scope.extra)
        extra[value_name] = value
        if key_name:
            extra[key_name] = key
        inner = scope.child(extra=extra)
        if condition is not None:
            keep = evaluate(condition, inner, depth + 1)
            if symbolic(keep):
                return first_unknown(keep)
            if not keep:
                continue
        if key_body is None:
            list_out.append(evaluate(body, inner, depth + 1))
        else:
            map_key = evaluate(key_body, inner, depth + 1)
            if symbolic(map_key):
                return first_unknown(map_key)
            map_out[str(map_key)] = evaluate(body, inner, depth + 1)
    return list_out if key_body is None else map_out


def to_json(value: Any) -> Any:
    """jsonencode: symbolic parts rendered as "${address.attr}" text so the JSON stays parseable."""
    if isinstance(value, Ref):
        return "${" + str(value) + "}"
    if isinstance(value, Template):
        return str(value)
    if isinstance(value, Unknown):
        raise ValueError(value.reason)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def jsonencode(value: Any) -> Any:
    try:
        return json.dumps(to_json(value), separators=(",", ":"))
    except ValueError as exc:
        return Unknown(f"jsonencode of a value not known: {exc}")


def dkim_token_list(value: Any) -> bool:
    return isinstance(value, Ref) and value.index is None and value.attribute in DKIM_TOKEN_ATTRIBUTES
