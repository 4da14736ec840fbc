"""Variables files: terraform.tfvars, *.auto.tfvars (and .json), --var-file.

The ones Terraform loads by itself come with the tree, so a pull request controls them: read inside
the run's boundary, bounded like a .tf file, parsed through the same budgeted, cached parse; a problem
is a finding (SES000) naming the file, and the run goes on. A --var-file is the user's own choice: a
problem is a one-line usage error. Neither quotes more than a short excerpt of the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seslint.bounded import MAX_FILE_BYTES, Boundary, JsonError, Unreadable, load_json, read_text
from seslint.sources.terraform.evaluate import Scope, evaluate_raw


class VariablesError(Exception):
    """A variables file that cannot be used: the reason (no content) and the line, when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def read(path: Path, boundary: Boundary | None) -> dict[str, Any]:
    """The variables a file sets; VariablesError when it cannot be read or parsed."""
    try:
        text = read_text(path, MAX_FILE_BYTES, boundary)
    except Unreadable as exc:
        raise VariablesError(exc.reason) from None
    if path.name.endswith(".json"):
        try:
            data = load_json(text)
        except JsonError as exc:
            raise VariablesError(exc.reason, exc.line) from None
        if not isinstance(data, dict):
            raise VariablesError("a variables file in JSON must hold an object", 1)
        return data
    from seslint.parse_ahead import HclSyntaxError, parse_hcl

    try:
        document = parse_hcl(text)
    except HclSyntaxError as exc:
        raise VariablesError(exc.describe(), exc.line) from None
    if not isinstance(document, dict):
        raise VariablesError("not a variables file")
    return {k: evaluate_raw(v, empty_scope()) for k, v in document.items() if not k.startswith("__")}


def empty_scope() -> Scope:
    """The scope of a variables file (and of --var values): constants only."""
    from seslint.model import Unknown

    return Scope({}, {}, "", ".", lambda name: Unknown("no modules in a variables file"))
