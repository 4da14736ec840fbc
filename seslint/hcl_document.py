"""python-hcl2's document of an HCL file, built from tree-sitter's parse where that is certain.

python-hcl2 needs about 0.2 s to import lark and load its parse tables before its first file, and
parses about 100 KB/s after that: most of a cold `check` of one stack. tree-sitter's HCL grammar (C)
is ready in 10 ms. `document()` builds from its syntax tree the document `hcl2.loads` gives: blocks
grouped by type with their labels as keys and `__is_block__`, strings in their source form with their
quotes, numbers, booleans and null as Python values, tuples and objects as lists and dicts, heredocs
quoted as written, any other expression as `${...}`. It returns None wherever it is not certain to
agree, and python-hcl2 then parses the file (and words the syntax error): a tree with an error, a
newline where HCL ends an attribute, a block header or an object element (tree-sitter's grammar
reads newlines as spaces), a number with an exponent, a heredoc inside an expression, a duplicate
object key, a block named like an attribute, a name that is not ASCII, an expression seslint's own
parser does not read. Comments are left out: nothing reads python-hcl2's `__comments__`.

Expressions keep their source text, without comments: python-hcl2 writes them out again in its own
spacing, and `expressions.parse_value` reads both to the same tree. Where python-hcl2 refuses valid
HCL that tree-sitter reads (`1-30`, which it lexes as `1` and `-30`; the strip markers of `"${~ x ~}"`;
a line break inside brackets), tree-sitter's reading stands, as Terraform's does.
tests/terraform/test_hcl_document.py holds every file of the test trees and of both benchmark shapes,
and a seeded search over broken edits of them, to python-hcl2's documents.
"""

from __future__ import annotations

import re
from typing import Any

_PARSER: Any = None
_MISSING = object()  # tree-sitter could not be loaded: every file is python-hcl2's


def load() -> Any:
    """tree-sitter's HCL parser (about 10 ms the first time), None where it cannot be loaded (a
    platform whose build of it does not load): python-hcl2 then parses everything, as it did."""
    global _PARSER
    if _PARSER is None:
        try:
            import tree_sitter
            import tree_sitter_hcl

            _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
        except (ImportError, OSError, ValueError, TypeError):
            _PARSER = _MISSING
    return None if _PARSER is _MISSING else _PARSER


# python-hcl2's heredoc terminals (hcl2.lark), on bytes: a heredoc ends at its first line holding
# the marker alone (after any spaces), followed by a newline.
_HEREDOC = re.compile(
    rb"<<-?(?P<opening>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:(?:.|\n)*?\r?\n)??\s*(?P<marker>(?P=opening))\r?\n"
)
_PLAIN_STRING = frozenset(("quoted_template_start", "template_literal", "quoted_template_end"))


class _Unsure(Exception):
    """This file is left to python-hcl2."""


def document(text: str) -> dict[str, Any] | None:
    """The document python-hcl2 gives for `text`, or None where only python-hcl2 can say."""
    if text.startswith("\ufeff"):
        return None  # a byte order mark: python-hcl2 refuses it
    try:
        source = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: python-hcl2 reads str, not bytes
        return None
    parser = load()
    if parser is None:
        return None
    try:
        tree = parser.parse(source)
    except Exception:  # tree-sitter refused the input: python-hcl2 decides
        return None
    root = tree.root_node
    if root.has_error:
        return None
    try:
        return _Builder(source).file(root)
    except (_Unsure, RecursionError, ValueError):
        return None


class _Builder:
    def __init__(self, source: bytes) -> None:
        self.source = source

    def raw(self, node: Any) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8")

    def name(self, node: Any) -> str:
        """An identifier; python-hcl2 knows only ASCII ones (HCL allows any letter)."""
        text = self.raw(node)
        if not text.isascii():
            raise _Unsure
        return text

    def file(self, root: Any) -> dict[str, Any]:
        bodies = [c for c in root.children if c.type == "body"]
        if len(bodies) > 1 or any(c.type not in ("body", "comment") for c in root.children):
            raise _Unsure
        return self.body(bodies[0]) if bodies else {}

    def body(self, node: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        attributes: set[str] = set()
        last_row = -1
        for child in node.children:
            kind = child.type
            if kind != "comment":
                if child.start_point.row <= last_row:
                    raise _Unsure  # two items on one line: HCL ends each with a newline
                last_row = child.end_point.row
            if kind == "attribute":
                name, value = self.attribute(child)
                attributes.add(name)
                result[name] = value  # python-hcl2 updates: the last of two equal names wins
            elif kind == "block":
                name, block = self.block(child)
                if name in attributes:
                    raise _Unsure  # python-hcl2 raises "Attribute ... is already defined"
                existing = result.setdefault(name, [])
                if not isinstance(existing, list):
                    raise _Unsure
                existing.append(block)
            elif kind != "comment":
                raise _Unsure
        return result

    def attribute(self, node: Any) -> tuple[str, Any]:
        kids = _tokens(node)
        if (
            len(kids) != 3
            or kids[0].type != "identifier"
            or kids[1].type != "="
            or kids[2].type != "expression"
        ):
            raise _Unsure
        _on_one_line(self.source, kids, kids[0].start_point.row)
        return self.name(kids[0]), self.value(kids[2])

    def block(self, node: Any) -> tuple[str, dict[str, Any]]:
        labels: list[str] = []
        body: dict[str, Any] = {}
        header = []
        for child in node.children:
            header.append(child)
            if child.type == "block_start":
                break
        _on_one_line(self.source, header, node.start_point.row)
        for child in node.children:
            kind = child.type
            if kind == "identifier":
                labels.append(self.name(child))
            elif kind == "string_lit":
                if any(c.type not in _PLAIN_STRING for c in child.children):
                    raise _Unsure  # a label with an interpolation
                labels.append(self.raw(child))
            elif kind == "body":
                body = self.body(child)
            elif kind not in ("block_start", "block_end", "comment"):
                raise _Unsure
        if not labels or node.children[0].type != "identifier":
            raise _Unsure
        body["__is_block__"] = True
        result: dict[str, Any] = body
        for label in reversed(labels[1:]):
            result = {label: result}
        return labels[0], result

    # -- values -------------------------------------------------------------------------------------

    def value(self, expression: Any) -> Any:
        kids = _tokens(expression)
        if len(kids) == 1:
            node = kids[0]
            kind = node.type
            if kind == "literal_value":
                return self.literal(node)
            if kind == "template_expr":
                inner = node.children[0]
                if inner.type == "heredoc_template":
                    return self.heredoc(inner)
                if inner.type != "quoted_template":
                    raise _Unsure
                return self.quoted(node)
            if kind == "collection_value":
                return self.collection(node.children[0])
            if kind == "variable_expr":
                return self.name(node)  # a bare name: python-hcl2 gives it unquoted, as written
            if kind == "operation":
                negative = self.negative_number(node)
                if negative is not None:
                    return negative
        return self.expression(expression)

    def heredoc(self, node: Any) -> str:
        """A heredoc as python-hcl2 gives it: its text from `<<` to the closing marker, in quotes (as
        written, `<<-` too: python-hcl2 dedents by the least indentation, and `<<-EOF` has none).
        python-hcl2 lexes it with one pattern; where that pattern ends it elsewhere, it decides."""
        found = _HEREDOC.match(self.source, node.start_byte)
        if found is None or found.end("marker") != node.end_byte:
            raise _Unsure
        return '"' + self.raw(node) + '"'

    def literal(self, node: Any) -> Any:
        inner = node.children[0]
        kind = inner.type
        if kind == "numeric_lit":
            return self.number(self.raw(inner))
        if kind == "bool_lit":
            return self.raw(inner) == "true"
        if kind == "null_lit":
            return None
        if kind == "string_lit":
            return self.raw(inner)
        raise _Unsure

    @staticmethod
    def number(text: str) -> Any:
        if text.isdigit():
            return int(text)  # ValueError past Python's digit limit: python-hcl2 words it
        if "e" in text or "E" in text:
            return "${" + text + "}"  # python-hcl2 keeps a number with an exponent as an expression
        head, _, tail = text.partition(".")
        if head.isdigit() and tail.isdigit():
            return float(text)
        raise _Unsure

    def negative_number(self, operation: Any) -> Any:
        """`-1` and `- 1.5` (python-hcl2 reads a minus before a number as a negative number)."""
        unary = operation.children[0]
        if unary.type != "unary_operation" or len(unary.children) != 2 or unary.children[0].type != "-":
            return None
        operand = unary.children[1]
        if operand.type == "expression" and len(operand.children) == 1:
            operand = operand.children[0]
        if operand.type != "literal_value" or operand.children[0].type != "numeric_lit":
            return None
        number = self.number(self.raw(operand.children[0]))
        if isinstance(number, str):
            return "${-" + number[2:]  # -1e3: an expression, as python-hcl2 keeps it
        return -number

    def collection(self, node: Any) -> Any:
        if node.type == "tuple":
            return [self.value(c) for c in node.children if c.type == "expression"]
        if node.type == "object":
            result: dict[str, Any] = {}
            for element in node.children:
                if element.type != "object_elem":
                    continue
                parts = _tokens(element)
                if len(parts) != 3 or parts[0].type != "expression" or parts[2].type != "expression":
                    raise _Unsure
                key = self.key(parts[0])
                if key in result:
                    raise _Unsure
                result[key] = self.value(parts[2])
            return result
        raise _Unsure

    def key(self, expression: Any) -> str:
        kids = _tokens(expression)
        if len(kids) == 1:
            node = kids[0]
            if node.type == "variable_expr":
                return self.name(node)
            if node.type == "literal_value" and node.children[0].type == "string_lit":
                return self.raw(node)
            if node.type == "template_expr" and node.children[0].type == "quoted_template":
                return self.quoted(node)
        if len(kids) == 3 and kids[0].type == "(" and kids[2].type == ")":
            return self.expression(expression)  # python-hcl2 keeps the parentheses
        raise _Unsure  # numbers, calls, traversals as keys: python-hcl2's own forms

    # -- expression text ----------------------------------------------------------------------------

    def quoted(self, node: Any) -> str:
        """A quoted string as written, quotes included."""
        self.check_heredocs(node)
        return _readable(self.raw(node))

    def expression(self, node: Any) -> str:
        """Any other expression: `${source}`, without comments."""
        self.check_heredocs(node)
        return _readable("${" + self.text(node) + "}")

    def check_heredocs(self, node: Any) -> None:
        """No heredoc inside: python-hcl2 writes those out again differently."""
        if b"<<" not in self.source[node.start_byte : node.end_byte]:
            return  # `<<` is no operator in HCL: only a heredoc (or a string) holds it
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "heredoc_template":
                raise _Unsure
            stack.extend(current.children)

    def text(self, node: Any) -> str:
        """The node's source without its comments."""
        start, end = node.start_byte, node.end_byte
        raw = self.source[start:end]
        if b"#" not in raw and b"//" not in raw and b"/*" not in raw:
            return raw.decode("utf-8").strip()
        comments = []
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "comment":
                comments.append((current.start_byte, current.end_byte))
            else:
                stack.extend(current.children)
        if not comments:
            return self.source[start:end].decode("utf-8").strip()
        pieces = []
        position = start
        for first, last in sorted(comments):
            pieces.append(self.source[position:first])
            pieces.append(b"\n")  # a comment ends a line; the newline keeps the tokens apart
            position = last
        pieces.append(self.source[position:end])
        return b"".join(pieces).decode("utf-8").strip()


def _tokens(node: Any) -> list[Any]:
    """A node's children but its comments (tree-sitter puts comments among them anywhere)."""
    return [c for c in node.children if c.type != "comment"]


def _readable(value: str) -> str:
    """`value` if seslint's expression parser reads it. tree-sitter's grammar takes some text HCL
    does not (`${}`, a `for` without `in`): python-hcl2 then words the syntax error."""
    from seslint.sources.terraform.expressions import ExpressionError, parse_value

    try:
        parse_value(value)
    except ExpressionError:
        raise _Unsure from None
    return value


# -- checks ---------------------------------------------------------------------------------------


# Where HCL lets an expression go on to the next line: inside brackets, and between the elements of
# an object, but not within one (nor inside `${...}`, where python-hcl2 does not let it).
_OPENING = frozenset(("(", "[", "{"))
_CLOSING = frozenset((")", "]", "}"))


# Nodes of one bracket: tree-sitter wraps the brackets of tuples, objects and blocks in these.
_BRACKETS = frozenset(("tuple_start", "tuple_end", "object_start", "object_end", "block_start", "block_end"))


# A newline ends these where no bracket inside them is open, as it ends an attribute.
_LINES = frozenset(("object_elem", "template_interpolation", "template_directive"))


def _on_one_line(source: bytes, nodes: list[Any], row: int) -> None:
    """No line break outside brackets from line `row` on, and no quoted string over lines.

    tree-sitter's HCL grammar takes newlines for spaces where HCL ends an attribute or a block header
    with them: it reads `if` on a line of its own, followed by a resource, as a block `if` labelled
    with the resource's labels, and a string that lost its closing quote as running on to the next
    lines. python-hcl2 rejects such text, so it is left to python-hcl2."""
    frames = [[0, row]]  # [bracket depth, line] of the attribute, and of each element inside
    stack: list[Any] = _with_gaps(nodes)
    after_dot = False  # the last token read was a `.`
    while stack:
        node = stack.pop()
        if node is None:  # the end of an element
            frames.pop()
            continue
        frame = frames[-1]
        if isinstance(node, tuple):  # the text between two tokens (a token tree-sitter hides)
            if b"\n" in source[node[0] : node[1]] and (frame[0] == 0 or after_dot):
                raise _Unsure  # also `module.` and `name` on two lines, in brackets: python-hcl2 refuses
            continue
        kind = node.type
        after_dot = kind == "."
        if kind == "heredoc_template":  # its own lines; python-hcl2's token ends with the newline
            if frame[0] == 0:
                if node.start_point.row != frame[1]:
                    raise _Unsure
                frame[1] = -1  # nothing may follow it outside brackets
            continue
        if node.child_count:
            if kind == "template_interpolation" and node.child_count < 3:
                raise _Unsure  # `${}`
            if kind in _LINES:
                frames.append([0, node.start_point.row])
                stack.append(None)
            elif kind not in _BRACKETS and node.start_point.row == node.end_point.row:
                text = node.text
                if b"${" not in text and b"%{" not in text:  # on one line, its brackets matched
                    if frame[0] == 0 and node.start_point.row != frame[1]:
                        raise _Unsure
                    continue
            stack.extend(_with_gaps(node.children, node))
            continue
        if kind == "comment":
            continue
        if kind == "template_literal" and (b"\n" in node.text or b"${" in node.text or b"%{" in node.text):
            raise _Unsure  # a quoted string over lines, or what should have opened an interpolation
        if kind in _CLOSING:
            frame[0] -= 1
            if frame[0] == 0:
                frame[1] = node.end_point.row  # a closing bracket may be on a line of its own
            continue
        if frame[0] == 0 and (node.start_point.row != frame[1] or node.end_point.row != frame[1]):
            raise _Unsure
        if kind in _OPENING:
            frame[0] += 1


def _with_gaps(children: list[Any], parent: Any = None) -> list[Any]:
    """`children` in reverse (for a stack), with the byte ranges between them (and between them and
    the parent's ends) where those hold anything."""
    out: list[Any] = []
    position = parent.start_byte if parent is not None else children[0].start_byte
    for child in children:
        if child.start_byte > position:
            out.append((position, child.start_byte))
        out.append(child)
        position = child.end_byte
    if parent is not None and parent.end_byte > position:
        out.append((position, parent.end_byte))
    out.reverse()
    return out
