"""Pure data sources rendered as the provider computes them at plan time, from configuration alone.

- data "aws_iam_policy_document": its `json` / `minified_json` is the IAM policy the provider builds
  from the statement blocks (hashicorp/aws iam_policy_model.go): Version 2012-10-17 unless set, one
  value written as a string and several as a list in reverse order, principals merged by type (a
  lone `*` of type `*` written as "*"), conditions as {test: {variable: values}}, source documents
  first, then the statements, then the override documents, a statement with a Sid replacing the one
  of the same Sid. References stay "${address.attribute}" text, as in jsonencode.
- data "aws_region" without arguments is the region of its provider configuration.

The others of this kind (aws_caller_identity, aws_partition) depend on the credentials: they stay
symbolic references.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from seslint.model import Ref, Template, Unknown, after_apply
from seslint.sources.terraform.evaluate import to_json

if TYPE_CHECKING:
    from seslint.sources.terraform.resources import ResourceObject

POLICY_VERSION = "2012-10-17"


class _NotKnown(Exception):
    def __init__(self, unknown: Unknown) -> None:
        self.unknown = unknown


def _region(instance: ResourceObject) -> Any:
    """The provider's region when the configuration sets it; else still the provider's region, known
    by reference (an MX built from it follows the identity's region, whatever that is)."""
    region = instance.region() if instance.region is not None else None
    return region if isinstance(region, str) else Ref(instance.address, "name")


def _known(value: Any, what: str) -> Any:
    """The value, or the policy is not known: an unknown, or text with an unknown part. A reference
    stays, written "${address.attribute}" as jsonencode writes it."""
    if isinstance(value, Unknown):
        raise _NotKnown(value)
    if isinstance(value, Template) and value.unknowns:
        raise _NotKnown(value.unknowns[0])
    return value


def _strings(value: Any, what: str) -> Any:
    """A list argument as the provider writes it: one value as a string, several in reverse order."""
    items = _known(value, what)
    if isinstance(items, Ref):
        raise _NotKnown(Unknown(f"{what} is {items}, known only after apply"))  # a Ref: its address
    if not isinstance(items, list):
        return items
    for item in items:
        _known(item, what)
    if len(items) == 1:
        return items[0]
    return sorted(items, key=str, reverse=True)


def _blocks(value: Any, what: str) -> list[Mapping[str, Any]]:
    value = _known(value, what)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [i for i in items if isinstance(i, Mapping)]


def _principals(blocks: list[Mapping[str, Any]]) -> Any:
    if len(blocks) == 1 and blocks[0].get("type") == "*" and blocks[0].get("identifiers") in (["*"], "*"):
        return "*"
    merged: dict[str, Any] = {}
    for block in blocks:
        kind = _known(block.get("type"), "a principal type")
        identifiers = _strings(block.get("identifiers"), "principal identifiers")
        if not isinstance(kind, str):
            raise _NotKnown(Unknown(f"principal type {kind!r} is not known"))
        if kind in merged:
            before = merged[kind] if isinstance(merged[kind], list) else [merged[kind]]
            merged[kind] = before + (identifiers if isinstance(identifiers, list) else [identifiers])
        else:
            merged[kind] = identifiers
    return dict(sorted(merged.items()))


def _conditions(blocks: list[Mapping[str, Any]]) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for block in blocks:
        test, variable = (
            _known(block.get("test"), "a condition test"),
            _known(block.get("variable"), "a condition variable"),
        )
        values = _known(block.get("values"), "condition values")
        values = values if isinstance(values, list) else [values]
        for item in values:
            _known(item, "condition values")
        slot = out.setdefault(str(test), {})
        existing = slot.get(str(variable))
        slot[str(variable)] = (existing if isinstance(existing, list) else []) + values
    return {
        t: {v: (vals[0] if len(vals) == 1 else vals) for v, vals in sorted(c.items())}
        for t, c in sorted(out.items())
    }


def _statement(block: Mapping[str, Any]) -> dict[str, Any]:
    sid = _known(block.get("sid"), "a statement sid")
    effect = _known(block.get("effect"), "a statement effect")
    out: dict[str, Any] = {
        "Sid": sid if sid is not None else "",
        "Effect": effect if effect is not None else "Allow",
    }
    for argument, key in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        if block.get(argument) not in (None, []):
            out[key] = _strings(block.get(argument), argument)
    for argument, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = _blocks(block.get(argument), argument)
        if principals:
            out[key] = _principals(principals)
    conditions = _blocks(block.get("condition"), "condition")
    if conditions:
        out["Condition"] = _conditions(conditions)
    return out


def _documents(value: Any, what: str) -> list[dict[str, Any]]:
    texts = _known(value, what)
    out = []
    for text in texts if isinstance(texts, list) else []:
        text = _known(text, what)
        if not isinstance(text, str):
            known = isinstance(text, (Ref, Template))
            raise _NotKnown(Unknown(after_apply(text) if known else f"{what} holds a value that is not text"))
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _NotKnown(Unknown(f"{what} is not valid JSON ({exc.msg})")) from None
        if isinstance(document, dict):
            out.append(document)
    return out


def _merge(base: dict[str, Any], statements: list[Any]) -> None:
    """The provider's merge: a statement with a Sid replaces the existing one of that Sid."""
    for statement in statements:
        sid = statement.get("Sid") if isinstance(statement, dict) else None
        existing = [
            i for i, s in enumerate(base["Statement"]) if sid and isinstance(s, dict) and s.get("Sid") == sid
        ]
        if existing:
            base["Statement"][existing[0]] = statement
        else:
            base["Statement"].append(statement)


def _policy(instance: ResourceObject, minified: bool) -> Any:
    values = instance.arguments
    try:
        document: dict[str, Any] = {"Version": POLICY_VERSION, "Statement": []}
        for source in _documents(values.get("source_policy_documents"), "source_policy_documents"):
            if source.get("Version"):
                document["Version"] = source["Version"]
            statements = source.get("Statement", [])
            _merge(document, statements if isinstance(statements, list) else [statements])
        version = _known(values.get("version"), "version")
        if version is not None:
            document["Version"] = version
        policy_id = _known(values.get("policy_id"), "policy_id")
        if policy_id is not None:
            document["Id"] = policy_id
        _merge(document, [_statement(b) for b in _blocks(values.get("statement"), "statement")])
        for override in _documents(values.get("override_policy_documents"), "override_policy_documents"):
            statements = override.get("Statement", [])
            _merge(document, statements if isinstance(statements, list) else [statements])
        ordered = {k: document[k] for k in ("Version", "Id", "Statement") if k in document}
        return json.dumps(
            to_json(ordered), indent=None if minified else 2, separators=(",", ":") if minified else None
        )
    except _NotKnown as exc:
        return Unknown(f"{instance.address}: {exc.unknown.reason}", cause=exc.unknown.cause)
    except ValueError as exc:  # a value jsonencode cannot write
        return Unknown(f"{instance.address}: {exc}")


_RENDERED: dict[tuple[str, str], Callable[[ResourceObject], Any]] = {
    # `name` (5.x) and `region` (6.x) are the provider's region when not set; so is the id.
    ("aws_region", "name"): _region,
    ("aws_region", "region"): _region,
    ("aws_region", "id"): _region,
    ("aws_iam_policy_document", "json"): lambda i: _policy(i, minified=False),
    ("aws_iam_policy_document", "minified_json"): lambda i: _policy(i, minified=True),
}


def rendered(rtype: str, data: bool, name: str) -> Callable[[ResourceObject], Any] | None:
    return _RENDERED.get((rtype, name)) if data else None
