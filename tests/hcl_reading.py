"""A parsed HCL document as seslint reads it, to compare tree-sitter's with python-hcl2's
(tests/terraform/test_hcl_document.py, and fuzz/run.py's `document` target)."""

from __future__ import annotations

from typing import Any

from seslint.sources.terraform.expressions import ExpressionError, parse_value

COMMENT_KEYS = ("__comments__", "__inline_comments__")  # python-hcl2's comments: nothing reads them


def read(value: Any) -> Any:
    """Strings as the trees `parse_value` makes of them (python-hcl2 writes expressions out again in
    its own spacing; tree-sitter's keep their source), comments left out."""
    if isinstance(value, dict):
        return {k: read(v) for k, v in value.items() if k not in COMMENT_KEYS}
    if isinstance(value, list):
        return [read(v) for v in value]
    if isinstance(value, str):
        try:
            return ("tree", parse_value(value))
        except ExpressionError as exc:
            return ("error", str(exc))
    return value
