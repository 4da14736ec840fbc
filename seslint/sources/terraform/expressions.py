"""HCL expressions: a small tokenizer and Pratt parser into an AST of tuples.

python-hcl2 hands expressions back as text (`${var.domain}`, `"${a}.b"`); this module parses that
text. Nothing is ever executed: the AST is interpreted by `evaluate.py`.

AST nodes (tuples, first item the kind):
  ("lit", value)                      number, bool, null, plain string
  ("tpl", parts)                      template: parts are str or AST
  ("var", name)                       root name (var, local, each, count, aws_x, module, data...)
  ("attr", obj, name) ("index", obj, key_ast) ("splat", obj)
  ("call", name, [args], expand_last)
  ("unary", op, x) ("binary", op, a, b) ("cond", c, a, b)
  ("tuple", [items]) ("object", [(key_ast, value_ast)])
  ("for_list", kname|None, vname, coll, value, cond) ("for_map", kname|None, vname, coll, key, value, cond, group)
"""

from __future__ import annotations

import re
from typing import Any

Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """An expression seslint cannot parse (the value becomes Unknown with this reason)."""


_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<heredoc><<-?(?P<tag>[A-Za-z_][A-Za-z0-9_]*)\n)
  | (?P<string>")
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>\.\.\.|==|!=|<=|>=|&&|\|\||=>|[-+*/%<>!?:=.,()\[\]{}])
    """,
    re.VERBOSE,
)

_BINARY = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.tokens: list[tuple[str, Any]] = []
        self._lex()
        self.i = 0

    # -- lexing -----------------------------------------------------------------------------------

    def _lex(self) -> None:
        text, pos = self.text, 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if not match:
                raise ExpressionError(f"unexpected character {text[pos]!r}")
            kind = match.lastgroup
            if kind == "ws":
                pos = match.end()
            elif kind == "string":
                node, pos = _template(text, match.end())
                self.tokens.append(("tpl", node))
            elif kind == "heredoc":
                tag = match.group("tag")
                end = re.compile(r"^\s*" + re.escape(tag) + r"\s*$", re.MULTILINE).search(text, match.end())
                if not end:
                    raise ExpressionError(f"heredoc {tag} is not closed")
                body = text[match.end() : end.start()]
                if match.group(0).startswith("<<-"):
                    body = _dedent(body)
                node, _ = _template(body + '"', 0, closing=True)
                self.tokens.append(("tpl", node))
                pos = end.end()
            elif kind == "number":
                raw = match.group()
                self.tokens.append(("lit", float(raw) if any(c in raw for c in ".eE") else int(raw)))
                pos = match.end()
            elif kind == "name":
                self.tokens.append(("name", match.group()))
                pos = match.end()
            else:
                self.tokens.append(("op", match.group()))
                pos = match.end()
        self.tokens.append(("end", None))

    # -- parsing ----------------------------------------------------------------------------------

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, Any]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, op: str) -> None:
        token = self.take()
        if token != ("op", op):
            raise ExpressionError(f"expected {op!r}, found {token[1]!r}")

    def at_op(self, *ops: str) -> bool:
        kind, value = self.peek()
        return kind == "op" and value in ops

    def parse(self) -> Node:
        node = self.expression()
        if self.peek()[0] != "end":
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")
        return node

    def expression(self) -> Node:
        condition = self.binary(0)
        if self.at_op("?"):
            self.take()
            yes = self.expression()
            self.expect(":")
            no = self.expression()
            return ("cond", condition, yes, no)
        return condition

    def binary(self, minimum: int) -> Node:
        left = self.unary()
        while True:
            kind, op = self.peek()
            if kind != "op" or op not in _BINARY or _BINARY[op] < minimum:
                return left
            self.take()
            right = self.binary(_BINARY[op] + 1)
            left = ("binary", op, left, right)

    def unary(self) -> Node:
        if self.at_op("!", "-"):
            op = self.take()[1]
            return ("unary", op, self.unary())
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.at_op("."):
                self.take()
                kind, value = self.take()
                if kind == "name":
                    node = ("attr", node, value)
                elif kind == "lit" and isinstance(value, int):
                    node = ("index", node, ("lit", value))
                elif (kind, value) == ("op", "*"):
                    node = ("splat", node)
                else:
                    raise ExpressionError(f"bad attribute access .{value}")
            elif self.at_op("["):
                self.take()
                if self.at_op("*"):
                    self.take()
                    self.expect("]")
                    node = ("splat", node)
                else:
                    key = self.expression()
                    self.expect("]")
                    node = ("index", node, key)
            else:
                return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "lit":
            return ("lit", value)
        if kind == "tpl":
            return value  # type: ignore[no-any-return]
        if kind == "name":
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if self.at_op("("):
                return self.call(value)
            return ("var", value)
        if (kind, value) == ("op", "("):
            node = self.expression()
            self.expect(")")
            return node
        if (kind, value) == ("op", "["):
            return self.tuple_or_for()
        if (kind, value) == ("op", "{"):
            return self.object_or_for()
        raise ExpressionError(f"unexpected {value!r}")

    def call(self, name: str) -> Node:
        self.expect("(")
        args: list[Node] = []
        expand = False
        while not self.at_op(")"):
            args.append(self.expression())
            if self.at_op("..."):
                self.take()
                expand = True
            if self.at_op(","):
                self.take()
            elif not self.at_op(")"):
                raise ExpressionError(f"expected ',' or ')' in call to {name}")
        self.take()
        return ("call", name, args, expand)

    def tuple_or_for(self) -> Node:
        if self.peek() == ("name", "for"):
            self.take()
            key, value, collection = self._for_intro()
            body = self.expression()
            condition = self._for_condition()
            self.expect("]")
            return ("for_list", key, value, collection, body, condition)
        items: list[Node] = []
        while not self.at_op("]"):
            items.append(self.expression())
            if self.at_op(","):
                self.take()
            elif not self.at_op("]"):
                raise ExpressionError("expected ',' or ']'")
        self.take()
        return ("tuple", items)

    def object_or_for(self) -> Node:
        if self.peek() == ("name", "for"):
            self.take()
            key_name, value_name, collection = self._for_intro()
            key_body = self.expression()
            self.expect("=>")
            value_body = self.expression()
            group = False
            if self.at_op("..."):
                self.take()
                group = True
            condition = self._for_condition()
            self.expect("}")
            return ("for_map", key_name, value_name, collection, key_body, value_body, condition, group)
        items: list[tuple[Node, Node]] = []
        while not self.at_op("}"):
            kind, word = self.peek()
            if kind == "name" and self.tokens[self.i + 1] in (("op", "="), ("op", ":")):
                self.take()
                key: Node = ("lit", word)
            else:
                key = self.expression()
            if not self.at_op("=", ":"):
                raise ExpressionError("expected '=' in object")
            self.take()
            items.append((key, self.expression()))
            if self.at_op(","):
                self.take()
        self.take()
        return ("object", items)

    def _for_intro(self) -> tuple[str | None, str, Node]:
        first = self.take()
        if first[0] != "name":
            raise ExpressionError("expected a name after for")
        key: str | None = None
        value = first[1]
        if self.at_op(","):
            self.take()
            second = self.take()
            key, value = value, second[1]
        if self.take() != ("name", "in"):
            raise ExpressionError("expected 'in' in for expression")
        collection = self.expression()
        self.expect(":")
        return key, value, collection

    def _for_condition(self) -> Node | None:
        if self.peek() == ("name", "if"):
            self.take()
            return self.expression()
        return None


def _template(text: str, pos: int, closing: bool = True) -> tuple[Node, int]:
    """Parse a quoted template starting after the opening quote; returns (node, end position)."""
    parts: list[Any] = []
    buffer: list[str] = []
    while pos < len(text):
        char = text[pos]
        if char == '"' and closing:
            if buffer:
                parts.append("".join(buffer))
            return ("tpl", parts), pos + 1
        if char == "\\" and pos + 1 < len(text):
            nxt = text[pos + 1]
            escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
            if nxt in escapes:
                buffer.append(escapes[nxt])
                pos += 2
                continue
            if nxt in "uU":
                # \uNNNN and \UNNNNNNNN: exactly that many hex digits, as HCL's grammar says.
                width = 4 if nxt == "u" else 8
                digits = text[pos + 2 : pos + 2 + width]
                if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                    raise ExpressionError(f"bad escape \\{nxt}{digits[:width]}")
                code = int(digits, 16)
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise ExpressionError(f"escape \\{nxt}{digits} is not a character")
                buffer.append(chr(code))
                pos += 2 + width
                continue
        if text.startswith("$${", pos) or text.startswith("%%{", pos):
            buffer.append(text[pos + 1 : pos + 3])
            pos += 3
            continue
        if text.startswith("${", pos) or text.startswith("%{", pos):
            end = _matching_brace(text, pos + 1)
            inner = text[pos + 2 : end].strip().lstrip("~").rstrip("~").strip()
            if buffer:
                parts.append("".join(buffer))
                buffer = []
            if text[pos] == "%":
                raise ExpressionError("template directives (%{ if } / %{ for }) are not supported")
            parts.append(_Parser(inner).parse())
            pos = end + 1
            continue
        buffer.append(char)
        pos += 1
    raise ExpressionError("string is not closed")


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    pos = start
    in_string = False
    while pos < len(text):
        char = text[pos]
        if in_string:
            if char == "\\":
                pos += 2
                continue
            if char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    raise ExpressionError("interpolation is not closed")


def _dedent(body: str) -> str:
    lines = body.split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in lines)


# Parsed values by their text: a module called N times, or by N roots, has its expressions parsed once
# per run. Nodes are never changed once built. Bounded, for long-lived processes (tests, fuzzing).
_PARSED: dict[str, Node | str] = {}  # a str: the ExpressionError's message
MAX_PARSED = 50_000


def parse_value(raw: str) -> Node:
    """Parse a value as python-hcl2 returns it: `"text ${x}"` (a quoted template) or `${expr}`."""
    found = _PARSED.get(raw)
    if found is None:
        try:
            found = _parse_value(raw)
        except ExpressionError as exc:
            found = str(exc)
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[raw] = found
    if isinstance(found, str):
        raise ExpressionError(found)
    return found


def _parse_value(raw: str) -> Node:
    text = raw.strip()
    if text.startswith("${") and _matching_brace(text, 1) == len(text) - 1:
        return _Parser(text[2:-1]).parse()
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        node, end = _template(text, 1)
        if end == len(text):
            return node
    if text.startswith("<<"):
        return _Parser(text).parse()
    return ("lit", raw)


def parse_expression(text: str) -> Node:
    return _Parser(text).parse()
