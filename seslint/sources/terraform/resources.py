"""Resource and data source instances as expressions see them: what Terraform knows at plan time.

A reference to a configured argument is its value, evaluated in the instance's own scope (its
count.index, each.key and each.value); an argument the configuration does not set is what the
provider's schema says (schema.py): null when optional, a symbolic Ref when the provider computes it.
Nested blocks, `dynamic` blocks included, are objects of the same kind. Pure data sources are rendered
(datasources.py): a policy document is its JSON, data "aws_region" is the provider's region.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from seslint.model import Ref, Unknown, written
from seslint.sources.terraform.evaluate import Object, Scope, evaluate_raw, plain, symbolic
from seslint.sources.terraform.schema import (
    COMPUTED,
    OPTIONAL,
    OPTIONAL_COMPUTED,
    REQUIRED,
    BlockSchema,
    block_schema,
)

# Meta-arguments: they configure Terraform, not the resource, and are no attribute of it.
META_ARGUMENTS = frozenset(
    {"count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "dynamic"}
)

Guard = Callable[[Any, str, Callable[[], Any]], Any]


def _key(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def bare_name(raw: Any) -> str | None:
    """A name written as python-hcl2 gives it: st, "st" or ${st} (an iterator, `aws.eu`)."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    return text.strip('"') or None


def _is_blocks(raw: Any) -> bool:
    return (
        isinstance(raw, list)
        and bool(raw)
        and all(isinstance(i, dict) and i.get("__is_block__") for i in raw)
    )


def evaluate_block(raw: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """A block body with its nested blocks, `dynamic` ones expanded after the static ones."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("__") or key == "dynamic":
            continue
        out[_key(key)] = evaluate_value(value, scope)
    for name, blocks in _dynamic(raw, scope).items():
        existing = out.get(name)
        if isinstance(blocks, Unknown):
            out[name] = blocks
        else:
            out[name] = (existing if isinstance(existing, list) else []) + blocks
    return out


def evaluate_value(raw: Any, scope: Scope) -> Any:
    if _is_blocks(raw):
        return [evaluate_block(item, scope) for item in raw]
    return plain(evaluate_raw(raw, scope))


def _dynamic(raw: dict[str, Any], scope: Scope) -> dict[str, list[Any] | Unknown]:
    specs = raw.get("dynamic")
    entries = specs if isinstance(specs, list) else [specs] if isinstance(specs, dict) else []
    out: dict[str, list[Any] | Unknown] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        for label, spec in entry.items():
            if label.startswith("__"):
                continue
            spec = spec[0] if isinstance(spec, list) and spec else spec
            if isinstance(spec, dict):
                name = _key(label)
                found = _dynamic_blocks(name, spec, scope)
                existing = out.get(name, [])
                if isinstance(found, Unknown) or isinstance(existing, Unknown):
                    out[name] = found if isinstance(found, Unknown) else existing
                else:
                    out[name] = existing + found
    return out


def _dynamic_blocks(name: str, spec: dict[str, Any], scope: Scope) -> list[Any] | Unknown:
    collection = plain(evaluate_raw(spec.get("for_each"), scope))
    if symbolic(collection):
        reason = collection if isinstance(collection, Unknown) else None
        return reason or Unknown(f"the for_each of dynamic {name} is known only after apply")
    if isinstance(collection, dict):
        pairs: list[tuple[Any, Any]] = list(collection.items())
    elif isinstance(collection, list):
        pairs = [(v, v) if isinstance(v, str) else (i, v) for i, v in enumerate(collection)]
    else:
        return Unknown(f"dynamic {name}: for_each over {written(collection)}, not a collection"[:200])
    iterator = bare_name(spec.get("iterator")) or name
    content = spec.get("content")
    content = content[0] if isinstance(content, list) and content else content
    if not isinstance(content, dict):
        return Unknown(f"dynamic {name} has no content block")
    blocks = []
    for key, value in pairs:
        inner = scope.child(extra={**scope.extra, iterator: {"key": key, "value": value}})
        blocks.append(evaluate_block(content, inner))
    return blocks


class Arguments(Mapping[str, Any]):
    """The configured arguments of one instance, each evaluated once, when first read."""

    def __init__(self, body: dict[str, Any], scope: Scope, guard: Guard, address: str) -> None:
        self._body = body
        self._scope = scope
        self._guard = guard
        self._address = address
        names = [_key(k) for k in body if k not in META_ARGUMENTS and not k.startswith("__")]
        names += [n for n in _dynamic_names(body) if n not in names]
        self._names = {n: None for n in names}
        self._raw = {_key(k): v for k, v in body.items() if not k.startswith("__")}
        self._values: dict[str, Any] = {}
        self._dynamic: dict[str, list[Any] | Unknown] | None = None  # every dynamic block, once

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._values:
            self._values[name] = self._guard(
                ("argument", self._address, name), f"{self._address}.{name}", lambda: self._evaluate(name)
            )
        return self._values[name]

    def _evaluate(self, name: str) -> Any:
        value = evaluate_value(self._raw[name], self._scope) if name in self._raw else None
        if self._dynamic is None:
            self._dynamic = _dynamic(self._body, self._scope) if "dynamic" in self._body else {}
        dynamic = self._dynamic.get(name)
        if dynamic is None:
            return value
        if isinstance(dynamic, Unknown):
            return dynamic
        return (value if isinstance(value, list) else []) + dynamic

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _dynamic_names(body: dict[str, Any]) -> list[str]:
    specs = body.get("dynamic")
    entries = specs if isinstance(specs, list) else [specs] if isinstance(specs, dict) else []
    return [_key(label) for e in entries if isinstance(e, dict) for label in e if not label.startswith("__")]


def member(values: Mapping[str, Any], name: str, schema: BlockSchema | None, address: str, path: str) -> Any:
    """Attribute `name` of a resource or nested block whose configured arguments are `values`."""
    if name in values:
        value = values[name]
        if isinstance(value, Unknown) and value.origin is None:
            # Not known (an input without a value), but it still designates this resource.
            return Unknown(value.reason, cause=value.cause, origin=Ref(address, path))
        nested = schema.nested(name) if schema is not None else None
        if nested is not None:
            if isinstance(value, list):
                return [BlockObject(v, nested, address, path) if isinstance(v, dict) else v for v in value]
            if isinstance(value, dict):
                return BlockObject(value, nested, address, path)
        return value
    mode = schema.mode(name) if schema is not None else None
    if mode == OPTIONAL:
        return None
    if mode == REQUIRED:
        return Unknown(f"{address}.{path} is required but not set")
    if schema is not None and mode in (COMPUTED, OPTIONAL_COMPUTED):
        source = schema.derived(name)
        if source is not None:
            derived = _path(values, source.split("."))
            if isinstance(derived, str) and ":" not in derived:
                return derived
    return Ref(address, path)


def _path(values: Mapping[str, Any], steps: list[str]) -> Any:
    value: Any = values
    for step in steps:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, Mapping) or step not in value:
            return None
        value = value[step]
    return value


class BlockObject(Object):
    """A nested block (or nested attribute object) of a resource instance."""

    def __init__(self, values: dict[str, Any], schema: BlockSchema, address: str, path: str) -> None:
        self.values = values
        self.schema = schema
        self.address = address
        self.path = path

    def attribute(self, name: str) -> Any:
        return member(self.values, name, self.schema, self.address, f"{self.path}.{name}")

    def symbol(self) -> Any:
        return self.values


class ResourceObject(Object):
    """One resource or data source instance."""

    def __init__(
        self,
        rtype: str,
        data: bool,
        address: str,
        arguments: Arguments,
        region: Callable[[], Any] | None,
    ) -> None:
        self.type = rtype
        self.data = data
        self.address = address
        self.arguments = arguments
        self.region = region
        self.schema = block_schema(rtype, data)

    def attribute(self, name: str) -> Any:
        if name not in self.arguments:
            from seslint.sources.terraform.datasources import rendered

            render = rendered(self.type, self.data, name)
            if render is not None:
                return render(self)
        return member(self.arguments, name, self.schema, self.address, name)

    def symbol(self) -> Any:
        return Ref(self.address, "")
