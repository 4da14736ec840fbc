"""Evaluate HCL expressions the way Terraform would at plan time, keeping what it cannot know symbolic.

Values are plain Python (str, int, float, bool, None, list, dict), seslint.model's Unknown, Ref and
Template, or an `Object` (a resource instance, nested block or module instance whose attributes are
evaluated when asked for). A reference to a configured argument of a resource is its value; only what
Terraform itself computes at apply stays a Ref, so rules can prove wiring ("this CNAME is built from
that identity's second DKIM token"). A DKIM token list is a list of exactly three Refs (token i), so
`length`, `element`, `for` and `for_each` over it work as on any list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from seslint.model import Ref, Template, Unknown, after_apply, written
from seslint.sources.terraform.expressions import ExpressionError, Node, parse_value

DKIM_TOKEN_ATTRIBUTES = ("dkim_tokens", "dkim_signing_attributes.tokens")
DKIM_TOKEN_COUNT = 3  # SES always creates three Easy DKIM tokens
MAX_DEPTH = 64
# Hostile or mistaken input must not take all memory or time: a value larger than these is Unknown.
MAX_ITEMS = 10_000  # elements of one list or map built by a function
MAX_TEXT = 1024 * 1024  # characters of one string
MAX_TEMPLATE_PARTS = 1000  # references and unknowns in one string
MAX_WORK = 1_000_000  # elements built by calls and for-expression steps in one scope (nested loops)


def symbolic(value: Any) -> bool:
    return isinstance(value, (Unknown, Ref, Template))


def first_unknown(*values: Any) -> Unknown | None:
    for value in values:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Template) and value.unknowns:
            return value.unknowns[0]
        if isinstance(value, (Ref, Template)):
            return Unknown(after_apply(value))
    return None


class Object:
    """A value whose attributes are evaluated only when an expression asks for them."""

    def attribute(self, name: str) -> Any:
        raise NotImplementedError

    def symbol(self) -> Any:
        """What the object stands for when used whole (in a string, jsonencode, a model field)."""
        raise NotImplementedError


def token_list(ref: Ref) -> list[Ref] | None:
    """A whole DKIM token list as the three tokens SES always creates; None for any other Ref."""
    if ref.attribute in DKIM_TOKEN_ATTRIBUTES and ref.index is None and not ref.each:
        return [Ref(ref.address, ref.attribute, i) for i in range(DKIM_TOKEN_COUNT)]
    return None


def plain(value: Any) -> Any:
    """A value with every Object replaced by what it stands for (what leaves the evaluator)."""
    if isinstance(value, Object):
        return value.symbol()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


@dataclass
class Scope:
    """What names mean while evaluating one module instance (and one resource instance in it)."""

    variables: Mapping[str, Any]
    local_nodes: Mapping[str, Any]
    prefix: str  # "" or "module.ses." / 'module.ses["eu"].'
    module_dir: str
    module_outputs: Callable[[str], Any]  # module call name -> outputs object (or Unknown)
    resources: Callable[[str], Any] | None = None  # "aws_x.y" / "data.aws_x.y" -> its value
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
            self.resources,
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
            return (
                (not value) if isinstance(value, bool) else Unknown(f"! needs a bool, not {written(value)}")
            )
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        return Unknown(f"- needs a number, not {written(value)}")
    if kind == "binary":
        return _binary(node[1], evaluate(node[2], scope, depth + 1), evaluate(node[3], scope, depth + 1))
    if kind == "cond":
        condition = evaluate(node[1], scope, depth + 1)
        if symbolic(condition):
            # Terraform knows the result when both branches are the same value.
            yes, no = evaluate(node[2], scope, depth + 1), evaluate(node[3], scope, depth + 1)
            if yes == no and not isinstance(yes, Unknown):
                return yes
            reason = first_unknown(condition)
            # What makes the condition unknown says why the value is: "var.on has no value".
            text = reason.reason if reason else after_apply(condition)
            return Unknown(text, cause=reason.cause if reason else "")
        decided = as_bool(condition)
        if decided is None:
            return Unknown(f"a condition must be true or false, not {written(condition)}"[:200])
        return evaluate(node[2] if decided else node[3], scope, depth + 1)
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
        items = part.parts if isinstance(part, Template) else (plain(part),)
        for item in items:
            if isinstance(item, (Ref, Unknown)):
                out.append(item)
                continue
            if isinstance(item, (list, dict)):
                return Unknown("a list or map cannot be used in a string")
            text = _as_text(item)
            if not text:
                continue
            if out and isinstance(out[-1], str):
                out[-1] += text
            else:
                out.append(text)
    if all(isinstance(p, str) for p in out):
        joined = "".join(p for p in out if isinstance(p, str))
        return too_long(joined) or joined
    if not any(isinstance(p, Ref) or (isinstance(p, str) and p) for p in out):
        return next(p for p in out if isinstance(p, Unknown))
    if len(out) > MAX_TEMPLATE_PARTS:
        return Unknown(f"a string of more than {MAX_TEMPLATE_PARTS} parts; seslint stops there")
    size = sum(len(p) for p in out if isinstance(p, str))
    if size > MAX_TEXT:
        return Unknown(f"a string of {size} characters is larger than the 1 MB seslint evaluates")
    # Known text around unknown parts is kept: "no-reply@${var.domain}" is still an e-mail address.
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
    if op in ("&&", "||"):
        return _logic(op, left, right)
    reason = first_unknown(left, right)
    if reason is not None:
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
    except (TypeError, ZeroDivisionError) as exc:
        return Unknown(f"cannot compute {written(left)} {op} {written(right)}: {exc}")
    return Unknown(f"unknown operator {op}")


def _logic(op: str, left: Any, right: Any) -> Any:
    """Three-valued && and ||: false && x is false and true || x is true whatever x is."""
    decisive = op == "||"
    if decisive in (as_bool(left), as_bool(right)):
        return decisive
    for side in (left, right):
        if symbolic(side):
            return first_unknown(side)
        if as_bool(side) is None:
            return Unknown(f"{op} needs true or false, not {written(side)}"[:200])
    return not decisive


def as_bool(value: Any) -> bool | None:
    """A bool as Terraform converts one ("true" and "false" strings too); None when it is not one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


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
        if len(steps) < 2 or steps[0][0] != "attr" or steps[1][0] != "attr":
            return Unknown("data source reference is incomplete")
        return _resource(f"data.{steps[0][1]}.{steps[1][1]}", steps[2:], scope, depth)
    if "_" in root and steps and steps[0][0] == "attr":
        return _resource(f"{root}.{steps[0][1]}", steps[1:], scope, depth)
    return Unknown(f"{root} is not a name Terraform knows here")


def _resource(local: str, steps: list[tuple[str, Any]], scope: Scope, depth: int) -> Any:
    """A reference to a resource or data source of this module instance, then the steps after it."""
    if scope.resources is None:  # no module around (a variables file): only the symbol
        return _resource_ref(scope.prefix + local, steps, scope, depth)
    return _walk(scope.resources(local), steps, scope, depth)


def _name(steps: list[tuple[str, Any]]) -> str | None:
    return steps[0][1] if steps and steps[0][0] == "attr" else None


def _index_value(step: tuple[str, Any], scope: Scope, depth: int) -> Any:
    return evaluate(step[1], scope, depth + 1)


def _walk(value: Any, steps: list[tuple[str, Any]], scope: Scope, depth: int) -> Any:
    for position, step in enumerate(steps):
        value = shaped(value)
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Ref):
            value = _extend_ref(value, [step], scope, depth)
            continue
        if step[0] == "splat":
            rest = steps[position + 1 :]
            items = value if isinstance(value, list) else [] if value is None else [value]
            return [_walk(item, rest, scope, depth) for item in items]
        key = step[1] if step[0] == "attr" else _index_value(step, scope, depth)
        if symbolic(key):
            return first_unknown(key)
        if isinstance(value, Object):
            if not isinstance(key, str):
                return Unknown(f"an object has no element [{key!r}]")
            value = value.attribute(key)
        elif isinstance(value, dict):
            if str(key) not in value:
                return Unknown(f"no attribute or key {key!r}")
            value = value[str(key)]
        elif isinstance(value, list):
            if isinstance(key, bool) or not isinstance(key, (int, float)) or not 0 <= int(key) < len(value):
                return Unknown(f"index {key!r} is out of range")
            value = value[int(key)]
        else:
            return Unknown(f"cannot take {key!r} of {written(value)}"[:200])
    return shaped(value)


def shaped(value: Any) -> Any:
    """A Ref to a whole DKIM token list becomes the list of its three tokens."""
    if isinstance(value, Ref):
        tokens = token_list(value)
        if tokens is not None:
            return tokens
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
    group = False
    if node[0] == "for_list":
        _, key_name, value_name, coll_node, body, condition = node
        key_body = None
    else:
        _, key_name, value_name, coll_node, key_body, body, condition, group = node
    collection = evaluate(coll_node, scope, depth + 1)
    if symbolic(collection):
        return first_unknown(collection)
    if not isinstance(collection, (dict, list)):
        return Unknown(f"a for expression needs a list or map, not {written(plain(collection))}"[:200])
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
            decided = as_bool(keep)
            if decided is None:
                return Unknown(f"a for condition must be true or false, not {written(keep)}"[:200])
            if not decided:
                continue
        if key_body is None:
            list_out.append(evaluate(body, inner, depth + 1))
            continue
        map_key = evaluate(key_body, inner, depth + 1)
        if isinstance(map_key, Unknown) or (isinstance(map_key, Template) and map_key.unknowns):
            return first_unknown(map_key)
        # A key known only by reference (a DKIM token) is keyed by what it stands for.
        text = _as_text(map_key) if not isinstance(map_key, (Ref, Template)) else str(map_key)
        item = evaluate(body, inner, depth + 1)
        if group:
            map_out.setdefault(text, []).append(item)
        elif text in map_out:
            return Unknown(f"a for expression gives the key {text!r} twice (use ... to group)"[:200])
        else:
            map_out[text] = item
    return list_out if key_body is None else map_out


def to_json(value: Any) -> Any:
    """jsonencode: symbolic parts rendered as "${address.attr}" text so the JSON stays parseable."""
    if isinstance(value, Object):
        value = value.symbol()
    if isinstance(value, Ref):
        return "${" + str(value) + "}"
    if isinstance(value, Template):
        if value.unknowns:
            raise ValueError(value.unknowns[0].reason)
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
