"""Read `terraform show -json` output (a plan, or a state) into resource instances.

Known values come from `planned_values` (or the state's `values`); what apply will compute is marked
in each change's `after_unknown`. Such a value becomes, in order of preference: the value the Terraform
source gives it (with --source-dir: a reference or template, so DKIM wiring is still proven), a
reference when the configuration says the argument is one resource attribute, else Unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seslint import bounded
from seslint.model import Location, ReadFailure, Unknown

SUPPORTED_MAJOR = ("0", "1")
ZIP_MAGIC = b"PK\x03\x04"


class PlanError(Exception):
    """The input is not a usable plan or state; the message is one line for SES000."""


@dataclass(frozen=True)
class PlanResource:
    address: str
    type: str
    mode: str
    values: dict[str, Any]
    module: str  # "" or "module.ses" / 'module.ses["eu"]'


@dataclass
class PlanDocument:
    kind: str  # "plan" or "state"
    format_version: str
    resources: list[PlanResource] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    configuration: dict[str, Any] = field(default_factory=dict)
    unknown: dict[str, Any] = field(default_factory=dict)  # address -> after_unknown
    deleted: set[str] = field(default_factory=set)
    _configuration: Any = None

    @property
    def evaluated(self) -> Any:
        """The configuration section, evaluated where planned values are unknown (configuration.py)."""
        if self._configuration is None:
            from seslint.sources.plan.configuration import PlanConfiguration

            self._configuration = PlanConfiguration(self)
        return self._configuration


def read_text(path: str) -> str:
    """The plan as text, holding one copy of it at a time (a 100 MB plan must fit in little memory).

    Raises OSError for an unreadable path and PlanError for content that is not JSON text."""
    if path == "-":
        import sys

        return decode(sys.stdin.buffer.read())
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(ZIP_MAGIC) or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return decode(Path(path).read_bytes())
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"not UTF-8 text ({exc.reason}); is this the output of terraform show -json?"
        ) from None


def decode(raw: bytes) -> str:
    if raw.startswith(ZIP_MAGIC):
        raise PlanError(
            "a binary plan file (terraform plan -out), not JSON: run `terraform show -json PLANFILE > "
            "plan.json` and pass plan.json"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")  # PowerShell's `>` writes UTF-16 with a BOM
        except UnicodeDecodeError as exc:
            raise PlanError(f"not valid UTF-16 text (byte {exc.start})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"not UTF-8 text (byte {exc.start}); is this the output of terraform show -json?"
        ) from None


def load_json(text: str) -> Any:
    if not text.strip():
        raise PlanError("the file is empty")
    try:
        return bounded.load_json(text)  # depth, NaN and huge numbers refused before anything recurses
    except bounded.JsonError as exc:
        if exc.truncated:
            raise PlanError(f"the JSON ends early at line {exc.line} (truncated file?)") from None
        if exc.column is not None:
            raise PlanError(f"invalid JSON at line {exc.line} column {exc.column}: {exc.detail}") from None
        raise PlanError(f"{exc.reason} (line {exc.line})" if exc.line else exc.reason) from None


def parse(document: Any) -> PlanDocument:
    if not isinstance(document, dict):
        raise PlanError("not a Terraform plan or state: the JSON is not an object")
    version = document.get("format_version")
    if not isinstance(version, str) or not re.fullmatch(r"\d+\.\d+", version):
        raise PlanError(
            "not a Terraform plan or state: no format_version (make it with terraform show -json)"
        )
    if version.split(".")[0] not in SUPPORTED_MAJOR:
        raise PlanError(f"format_version {version} is not supported (0.1 to 1.x are)")
    if isinstance(document.get("planned_values"), dict):
        kind, values = "plan", document["planned_values"]
    elif isinstance(document.get("values"), dict):
        kind, values = "state", document["values"]
    elif "planned_values" in document or "resource_changes" in document:
        raise PlanError("the plan has no planned_values object")
    else:
        raise PlanError("not a Terraform plan or state: neither planned_values nor values")
    plan = PlanDocument(kind=kind, format_version=version)
    root = values.get("root_module", {})
    if not isinstance(root, dict):
        raise PlanError("root_module is not an object")
    plan.resources.extend(_walk(root, ""))
    if kind == "plan":
        _changes(document.get("resource_changes"), plan)
        prior = document.get("prior_state")
        if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
            known = {r.address for r in plan.resources}
            prior_root = prior["values"].get("root_module", {})
            if isinstance(prior_root, dict):
                plan.resources.extend(
                    r for r in _walk(prior_root, "") if r.mode == "data" and r.address not in known
                )
        variables = document.get("variables")
        if isinstance(variables, dict):
            plan.variables = {k: v.get("value") for k, v in variables.items() if isinstance(v, dict)}
        configuration = document.get("configuration")
        if isinstance(configuration, dict):
            plan.configuration = configuration
    plan.resources = [r for r in plan.resources if r.address not in plan.deleted]
    return plan


def _listed(module: dict[str, Any], key: str, prefix: str) -> list[Any]:
    value = module.get(key) or []
    if not isinstance(value, list):
        raise PlanError(f"{key} of {prefix or 'the root module'} is not a list")
    return value


def _walk(module: dict[str, Any], prefix: str) -> Iterator[PlanResource]:
    for item in _listed(module, "resources", prefix):
        if not isinstance(item, dict) or not isinstance(item.get("address"), str):
            raise PlanError(f"a resource in {prefix or 'the root module'} has no address")
        values = item.get("values")
        yield PlanResource(
            address=item["address"],
            type=str(item.get("type", "")),
            mode=str(item.get("mode", "managed")),
            values=values if isinstance(values, dict) else {},
            module=prefix,
        )
    for child in _listed(module, "child_modules", prefix):
        if isinstance(child, dict):
            yield from _walk(child, str(child.get("address", "")))


def _changes(changes: Any, plan: PlanDocument) -> None:
    if changes is None:
        return
    if not isinstance(changes, list):
        raise PlanError("resource_changes is not a list")
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
            continue
        address = change.get("address")
        actions = change["change"].get("actions") or []
        if actions == ["delete"]:
            plan.deleted.add(str(address))
        unknown = change["change"].get("after_unknown")
        if isinstance(unknown, dict) and unknown:
            plan.unknown[str(address)] = unknown


# -- values -----------------------------------------------------------------------------------------


def with_unknowns(
    resource: PlanResource, plan: PlanDocument, source_values: dict[str, Any] | None
) -> dict[str, Any]:
    """The resource's values, with every value known only after apply filled in as well as we can."""
    unknown = plan.unknown.get(resource.address, {})
    declared = source_values is not None  # the resource was found in the --source-dir tree
    merged = _merge(
        resource.values,
        unknown,
        source_values or {},
        _expressions(resource, plan),
        resource,
        (),
        plan,
        declared,
    )
    return merged if isinstance(merged, dict) else {}


def _merge(
    values: Any,
    unknown: Any,
    source: Any,
    expressions: dict[str, Any],
    resource: PlanResource,
    path: tuple[str, ...],
    plan: PlanDocument,
    declared: bool = False,
) -> Any:
    if unknown is True:
        return _fill(source, expressions, resource, path, plan, declared)
    if isinstance(unknown, dict):
        out = dict(values) if isinstance(values, dict) else {}
        for key, marker in unknown.items():
            out[key] = _merge(
                out.get(key),
                marker,
                source.get(key) if isinstance(source, dict) else None,
                expressions,
                resource,
                (*path, key),
                plan,
                declared,
            )
        return out
    if isinstance(unknown, list) and isinstance(values, list | type(None)):
        items = list(values or [])
        for index, marker in enumerate(unknown):
            if index >= len(items):
                items.append(None)
            sub = source[index] if isinstance(source, list) and index < len(source) else None
            items[index] = _merge(items[index], marker, sub, expressions, resource, path, plan, declared)
        return items
    return values


def _fill(
    source: Any,
    expressions: dict[str, Any],
    resource: PlanResource,
    path: tuple[str, ...],
    plan: PlanDocument,
    declared: bool,
) -> Any:
    if source is not None and not isinstance(source, Unknown):
        return source
    if declared and source is None and len(path) == 1 and not _expression_at(expressions, path):
        # The source sets no such argument: after apply it holds the provider's default, which the
        # rules read as "not declared" (e.g. a topic without a policy gets the owner-only policy).
        return None
    listed = _expression_at(expressions, path).get("references")
    refs = [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []
    if refs:
        return plan.evaluated.symbolic(resource, path, refs)
    return Unknown(f"{resource.address}.{'.'.join(path)} is known only after apply")


def _expression_at(expressions: Any, path: tuple[str, ...]) -> dict[str, Any]:
    """The configuration expression of a (nested block) argument: blocks are lists of one object."""
    node = expressions
    for key in path:
        if isinstance(node, list):
            node = node[0] if node else {}
        node = node.get(key, {}) if isinstance(node, dict) else {}
    if isinstance(node, list):
        node = node[0] if node else {}
    return node if isinstance(node, dict) else {}


def region(resource: PlanResource, plan: PlanDocument) -> Any:
    """The region of an AWS instance's provider configuration, as the plan's configuration sets it."""
    if not resource.type.startswith("aws_"):
        return None
    block = _block(resource, plan)
    return plan.evaluated.region(resource, block) if block else None


def _expressions(resource: PlanResource, plan: PlanDocument) -> dict[str, Any]:
    """The configuration expressions of the resource block this instance comes from."""
    expressions = _block(resource, plan).get("expressions", {})
    return expressions if isinstance(expressions, dict) else {}


def _block(resource: PlanResource, plan: PlanDocument) -> dict[str, Any]:
    """The configuration block this instance comes from ({} when the plan has none)."""
    module: Any = plan.configuration.get("root_module", {})
    for call in re.findall(r"module\.([A-Za-z0-9_-]+)", resource.module):
        calls = module.get("module_calls", {}) if isinstance(module, dict) else {}
        module = calls.get(call, {}).get("module", {}) if isinstance(calls.get(call), dict) else {}
    local = resource.address[len(resource.module) + 1 :] if resource.module else resource.address
    local = re.sub(r"\[[^\]]*\]$", "", local)
    blocks = module.get("resources") if isinstance(module, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("address") == local:
            return block
    return {}


def failure(shown: str, reason: str) -> ReadFailure:
    return ReadFailure(
        what=shown, reason=reason, location=Location(file=shown), parse_error=True, resource=shown
    )
