"""What a plan's `configuration` section says about values the plan knows only after apply.

`terraform show -json` keeps each configuration expression as a `constant_value` or as the list of
references it makes, never as its text. Where a planned value is unknown, those references still say
what it is built from: `name` of `aws_route53_record.dkim[1]` refers to
`aws_ses_domain_dkim.x.dkim_tokens` and `count.index`, so it is built from token 1 of that identity.
The references are evaluated with the Terraform source's evaluator (evaluate.py) in a scope of the
plan: a resource reference is the planned instance (its known values, and a Ref where the plan says
"known after apply", DKIM token lists as their three tokens), count.index and each.key come from the
instance's key, and variables from the plan.

The value so built keeps what is known (which resource, which token) and marks the rest Unknown: the
text around the references is not in the plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from seslint.model import Ref, Template, Unknown
from seslint.sources.terraform.evaluate import Object, Scope, evaluate_raw, plain, shaped

if TYPE_CHECKING:
    from seslint.sources.plan.reader import PlanDocument, PlanResource

# Arguments whose value is, by the provider's schema, one attribute of another resource.
REFERENCE_ARGUMENTS = frozenset(
    {"topic_arn", "arn", "configuration_set_name", "email_identity", "domain", "identity", "zone_id"}
)
_KEY = re.compile(r"\[(\d+|\"(?:[^\"\\]|\\.)*\")\]$")


def split_address(resource: PlanResource) -> tuple[str, str, int | str | None]:
    """(module prefix with its dot, block address without the key, the key) of a plan instance."""
    prefix = f"{resource.module}." if resource.module else ""
    local = resource.address[len(prefix) :] if resource.address.startswith(prefix) else resource.address
    match = _KEY.search(local)
    if match is None:
        return prefix, local, None
    raw = match.group(1)
    key: int | str = int(raw) if raw.isdigit() else raw[1:-1]
    return prefix, local[: match.start()], key


class PlanObject(Object):
    """A planned instance (or one of its nested blocks) as references in the configuration see it."""

    def __init__(self, address: str, values: Any, unknown: Any, path: str = "") -> None:
        self.address = address
        self.values = values if isinstance(values, Mapping) else {}
        self.unknown = unknown if isinstance(unknown, Mapping) else {}
        self.path = path

    def attribute(self, name: str) -> Any:
        path = f"{self.path}.{name}" if self.path else name
        marker = self.unknown.get(name)
        if marker is True:
            return shaped(Ref(self.address, path))
        value = self.values.get(name)
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            markers = marker if isinstance(marker, list) else []
            return [
                PlanObject(self.address, v, markers[i] if i < len(markers) else {}, path)
                for i, v in enumerate(value)
            ]
        if isinstance(value, Mapping) and isinstance(marker, Mapping):
            return PlanObject(self.address, value, marker, path)
        if name not in self.values and self.path == "":
            return shaped(Ref(self.address, path))  # not in the plan: not known here
        return value

    def symbol(self) -> Any:
        return Ref(self.address, self.path)


class PlanConfiguration:
    """The plan's instances by module instance and block, and a scope for each instance."""

    def __init__(self, plan: PlanDocument) -> None:
        self.plan = plan
        self.blocks: dict[tuple[str, str], list[tuple[int | str | None, PlanResource]]] = {}
        for resource in plan.resources:
            prefix, block, key = split_address(resource)
            self.blocks.setdefault((prefix, block), []).append((key, resource))
        self._module_variables: dict[str, dict[str, Any]] = {}

    def _value(self, prefix: str, local: str) -> Any:
        """What a reference to `local` means in module instance `prefix`: an object, a list, a map."""
        found = self.blocks.get((prefix, local))
        if not found:
            return Unknown(f"{prefix}{local} is not in the plan")
        objects = [
            (key, PlanObject(r.address, r.values, self.plan.unknown.get(r.address, {}))) for key, r in found
        ]
        keys = [key for key, _ in objects]
        if keys == [None]:
            return objects[0][1]
        if all(isinstance(k, int) for k in keys):
            return [o for _, o in sorted(objects, key=lambda item: int(item[0] or 0))]
        return {str(k): o for k, o in objects}

    def _variables(self, prefix: str) -> dict[str, Any]:
        """A module instance's variables as far as the plan's configuration gives them: the root's from
        the plan; a called module's from its module call, a constant or a single reference evaluated in
        the calling module."""
        if not prefix:
            return self.plan.variables
        if prefix in self._module_variables:
            return self._module_variables[prefix]
        self._module_variables[prefix] = {}  # a module call that refers to itself gets nothing
        module: Any = self.plan.configuration.get("root_module", {})
        call: Any = {}
        for name in re.findall(r"module\.([A-Za-z0-9_-]+)", prefix):
            calls = module.get("module_calls", {}) if isinstance(module, Mapping) else {}
            call = calls.get(name, {}) if isinstance(calls, Mapping) else {}
            module = call.get("module", {}) if isinstance(call, Mapping) else {}
        expressions = call.get("expressions", {}) if isinstance(call, Mapping) else {}
        parent = _parent(prefix)
        values: dict[str, Any] = {}
        for name, expression in expressions.items() if isinstance(expressions, Mapping) else ():
            if not isinstance(expression, Mapping):
                continue
            if "constant_value" in expression:
                values[name] = expression["constant_value"]
                continue
            chains = _chains([r for r in expression.get("references") or [] if isinstance(r, str)])
            if len(chains) == 1:
                values[name] = plain(evaluate_raw("${" + chains[0] + "}", self._scope(parent)))
        self._module_variables[prefix] = values
        return values

    def _scope(self, prefix: str) -> Scope:
        return Scope(
            self._variables(prefix),
            {},
            prefix,
            ".",
            lambda name: Unknown(f"module.{name} outputs are not evaluated from a plan"),
            lambda local: self._value(prefix, local),
        )

    def scope(self, resource: PlanResource) -> Scope:
        prefix, _, key = split_address(resource)
        scope = self._scope(prefix)
        if isinstance(key, int):
            return scope.child(count_index=key)
        if isinstance(key, str):
            return scope.child(each=(key, Unknown(f"each.value of {resource.address} is not in the plan")))
        return scope

    def region(self, resource: PlanResource, block: Mapping[str, Any]) -> Any:
        """The region of the instance's provider configuration (provider_config_key), when set."""
        providers = self.plan.configuration.get("provider_config")
        key = block.get("provider_config_key")
        config = providers.get(key) if isinstance(providers, Mapping) and isinstance(key, str) else None
        expressions = config.get("expressions") if isinstance(config, Mapping) else None
        region = expressions.get("region") if isinstance(expressions, Mapping) else None
        if not isinstance(region, Mapping):
            return None
        if "constant_value" in region:
            return region["constant_value"]
        chains = _chains([r for r in region.get("references") or [] if isinstance(r, str)])
        module = config.get("module_address") if isinstance(config, Mapping) else None
        scope = self._scope(f"{module}." if isinstance(module, str) and module else "")
        return plain(evaluate_raw("${" + chains[0] + "}", scope)) if len(chains) == 1 else None

    def symbolic(self, resource: PlanResource, path: tuple[str, ...], references: list[str]) -> Any:
        """The value an expression with these references has, as far as the plan tells it."""
        where = f"{resource.address}.{'.'.join(path)}"
        gap = Unknown(f"{where} is known only after apply (the plan keeps only what it refers to)")
        scope = self.scope(resource)
        parts: list[Any] = []
        for chain in _chains(references):
            if chain in ("count.index", "each.key", "each.value"):
                continue
            value = plain(evaluate_raw("${" + chain + "}", scope))
            if isinstance(value, list) and "count.index" in references and isinstance(scope.count_index, int):
                # Terraform leaves a computed index out of the reference: [count.index] of a list.
                index = scope.count_index
                value = (
                    value[index] if 0 <= index < len(value) else Unknown(f"{chain}[{index}] is out of range")
                )
            parts.append(value)
        refs = [p for p in parts if isinstance(p, (Ref, Template))]
        if not refs:
            return gap
        if path and path[-1] in REFERENCE_ARGUMENTS and len(refs) == 1 and isinstance(refs[0], Ref):
            return refs[0]
        out: list[Any] = []
        for part in parts:
            if isinstance(part, (str, Ref, Template, Unknown)):
                out.extend([part, gap])
        return Template(tuple(p for t in out for p in (t.parts if isinstance(t, Template) else (t,))))


def _parent(prefix: str) -> str:
    """'module.a.module.b["k"].' -> 'module.a.' (the calling module instance)."""
    head = prefix[:-1] if prefix.endswith(".") else prefix
    cut = head.rfind(".module.")
    return head[: cut + 1] if cut >= 0 else ""


def _chains(references: list[str]) -> list[str]:
    """The references that are not a prefix of another (Terraform lists every prefix of each)."""
    out: list[str] = []
    for ref in references:
        longer = any(other != ref and other.startswith((ref + ".", ref + "[")) for other in references)
        if not longer and ref not in out:
            out.append(ref)
    return out
