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
text around the references is not in the plan, so a name such as `${token}._domainkey` stays unknown
until apply (only --source-dir tells it). `module.x.y` is the output's expression, evaluated the same
way in that module instance; `each.value` is the for_each collection's element when the plan's
configuration gives the collection (a constant, or one reference whose keys are the instances' keys).

An expression that is exactly one reference is taken to be that reference: Terraform keeps the same
references for `x` and `f(x)`, and modules pass values through far more often than they transform them.
The same reading takes `x[count.index]` for a list reference used with count.index when the list has
as many elements as the block has instances; any other index into a list or map known only to the
expression (`x[floor(count.index / 3)]`, `x[each.value.i]`) is one element of it, unknown which: for
a token list "one of X's tokens", which still makes the record X's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from seslint.model import Ref, Template, Unknown, any_instance
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


class PlanModule(Object):
    """A module instance (module.NAME, or one instance of it) as references see it: its outputs."""

    def __init__(self, configuration: PlanConfiguration, prefix: str, outputs: Mapping[str, Any]) -> None:
        self.configuration = configuration
        self.prefix = prefix  # 'module.ses.' / 'module.ses["eu"].'
        self.outputs = outputs
        self._values: dict[str, Any] = {}

    def attribute(self, name: str) -> Any:
        if name not in self._values:
            self._values[name] = Unknown(f"{self.prefix}{name} refers to itself")  # a cycle
            output = self.outputs.get(name)
            expression = output.get("expression") if isinstance(output, Mapping) else None
            self._values[name] = (
                self.configuration.expression(expression, self.configuration.module_scope(self.prefix))
                if isinstance(expression, Mapping)
                else Unknown(f"{self.prefix[:-1]} has no output {name} in the plan")
            )
        return self._values[name]

    def symbol(self) -> Any:
        return Unknown(f"{self.prefix[:-1]} is used as a whole object")


class PlanConfiguration:
    """The plan's instances by module instance and block, and a scope for each instance."""

    def __init__(self, plan: PlanDocument) -> None:
        self.plan = plan
        self.blocks: dict[tuple[str, str], list[tuple[int | str | None, PlanResource]]] = {}
        for resource in plan.resources:
            prefix, block, key = split_address(resource)
            self.blocks.setdefault((prefix, block), []).append((key, resource))
        self._module_variables: dict[str, dict[str, Any]] = {}
        self._scopes: dict[str, Scope] = {}
        # Every module instance prefix the plan holds ('module.a["x"].', 'module.a["x"].module.b.').
        self.module_instances: set[str] = set()
        for prefix, _block in self.blocks:
            while prefix:
                self.module_instances.add(prefix)
                prefix = _parent(prefix)
        self._accounts: dict[str, set[str]] | None = None

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

    def _module_call(self, prefix: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
        """(the module call, the called module) of the configuration, for a module instance prefix."""
        module: Any = self.plan.configuration.get("root_module", {})
        call: Any = {}
        for name in re.findall(r"module\.([A-Za-z0-9_-]+)", prefix):
            calls = module.get("module_calls", {}) if isinstance(module, Mapping) else {}
            call = calls.get(name, {}) if isinstance(calls, Mapping) else {}
            module = call.get("module", {}) if isinstance(call, Mapping) else {}
        return (call if isinstance(call, Mapping) else {}), (module if isinstance(module, Mapping) else {})

    def _variables(self, prefix: str) -> dict[str, Any]:
        """A module instance's variables as far as the plan's configuration gives them: the root's from
        the plan; a called module's from its module call, evaluated in the calling module (with the
        instance's count.index or each.key and each.value)."""
        if not prefix:
            return self.plan.variables
        if prefix in self._module_variables:
            return self._module_variables[prefix]
        self._module_variables[prefix] = {}  # a module call that refers to itself gets nothing
        call, _module = self._module_call(prefix)
        expressions = call.get("expressions", {})
        parent = _parent(prefix)
        scope = self.module_scope(parent)
        key = _instance_key(prefix)
        if isinstance(key, int):
            scope = scope.child(count_index=key)
        elif isinstance(key, str):
            siblings = {_instance_key(p) for p in self.module_instances if _same_call(p, prefix)}
            scope = scope.child(each=(key, self._each_value(call, scope, key, siblings, prefix[:-1])))
        values: dict[str, Any] = {}
        for name, expression in expressions.items() if isinstance(expressions, Mapping) else ():
            if isinstance(expression, Mapping):
                values[name] = self.expression(expression, scope)
        self._module_variables[prefix] = values
        return values

    def expression(self, expression: Mapping[str, Any], scope: Scope) -> Any:
        """A configuration expression's value: its constant, or the one reference it makes."""
        if "constant_value" in expression:
            return expression["constant_value"]
        chains = _chains([r for r in expression.get("references") or [] if isinstance(r, str)])
        if len(chains) != 1:
            return Unknown("an expression the plan keeps only as the references it makes")
        return plain(evaluate_raw("${" + chains[0] + "}", scope))

    def _each_value(self, block: Mapping[str, Any], scope: Scope, key: str, keys: set[Any], what: str) -> Any:
        """each.value of instance `key`: the for_each collection's element, when the configuration gives
        the collection and its keys are the instances' keys (else not known from the plan)."""
        gone = Unknown(f"each.value of {what} is not in the plan")
        expression = block.get("for_each_expression")
        if not isinstance(expression, Mapping):
            return gone
        collection = self.expression(expression, scope.child(count_index=None, each=None))
        if isinstance(collection, dict) and set(collection) == {str(k) for k in keys}:
            return collection.get(key, gone)
        if isinstance(collection, list) and all(isinstance(v, str) for v in collection):
            return key if set(collection) == {str(k) for k in keys} else gone
        return gone

    def module_scope(self, prefix: str) -> Scope:
        """The scope of a module instance (one per instance, so module outputs are evaluated once)."""
        scope = self._scopes.get(prefix)
        if scope is None:
            scope = self._scopes[prefix] = Scope(
                self._variables(prefix),
                {},
                prefix,
                ".",
                lambda name: self._module_value(prefix, name),
                lambda local: self._value(prefix, local),
            )
        return scope

    def _module_value(self, prefix: str, name: str) -> Any:
        """module.NAME as module instance `prefix` sees it: one instance, a list (count), a map (for_each)."""
        _call, module = self._module_call(f"{prefix}module.{name}.")
        outputs = module.get("outputs", {})
        if not module:
            return Unknown(f"module.{name} is not in the plan's configuration")
        base = f"{prefix}module.{name}"
        found = {
            p: _instance_key(p)
            for p in self.module_instances
            if p.startswith(base) and _same_call(p, base + ".")
        }
        objects = {
            key: PlanModule(self, p, outputs if isinstance(outputs, Mapping) else {})
            for p, key in found.items()
        }
        keys = list(objects)
        if not keys or keys == [None]:
            return objects.get(None) or PlanModule(
                self, base + ".", outputs if isinstance(outputs, Mapping) else {}
            )
        if all(isinstance(k, int) for k in keys):
            return [objects[k] for k in sorted(keys, key=lambda k: int(k or 0))]
        return {str(k): o for k, o in objects.items()}

    def scope(self, resource: PlanResource) -> Scope:
        prefix, block, key = split_address(resource)
        scope = self.module_scope(prefix)
        if isinstance(key, int):
            return scope.child(count_index=key)
        if isinstance(key, str):
            from seslint.sources.plan.reader import configuration_block

            keys = {k for k, _ in self.blocks.get((prefix, block), [])}
            each = self._each_value(
                configuration_block(resource, self.plan), scope, key, keys, resource.address
            )
            return scope.child(each=(key, each))
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
        scope = self.module_scope(f"{module}." if isinstance(module, str) and module else "")
        return plain(evaluate_raw("${" + chains[0] + "}", scope)) if len(chains) == 1 else None

    def account(self, provider_config_key: str) -> str | None:
        """The account id read by data "aws_caller_identity" sources of this provider configuration,
        when they agree on one."""
        if self._accounts is None:
            from seslint.sources.plan.reader import configuration_block

            self._accounts = {}
            for resource in self.plan.resources:
                account_id = resource.values.get("account_id")
                if resource.mode == "data" and resource.type == "aws_caller_identity":
                    key = configuration_block(resource, self.plan).get("provider_config_key")
                    if isinstance(key, str) and isinstance(account_id, str) and account_id:
                        self._accounts.setdefault(key, set()).add(account_id)
        found = self._accounts.get(provider_config_key, set())
        return next(iter(found)) if len(found) == 1 else None

    def symbolic(self, resource: PlanResource, path: tuple[str, ...], references: list[str]) -> Any:
        """The value an expression with these references has, as far as the plan tells it: what it
        refers to, with the text around it (not in the plan) unknown."""
        where = f"{resource.address}.{'.'.join(path)}"
        gap = Unknown(
            f"the plan keeps only what {where} refers to, not its text: pass --source-dir to read it "
            "from the source"
        )
        scope = self.scope(resource)
        keyed = any(r == "count.index" or r.startswith("each.") for r in references)
        parts: list[Any] = []
        for chain in _chains(references):
            value = plain(evaluate_raw("${" + chain + "}", scope))
            if chain == "count.index" or (chain.startswith("each.") and not symbolic_part(value)):
                continue  # an index or key: where its text goes, if anywhere, is not known
            if keyed and isinstance(value, (list, dict)):
                value = self._element(resource, chain, value, scope)
            parts.append(value)
        refs = [p for p in parts if symbolic_part(p)]
        if not refs:
            return gap
        if path and path[-1] in REFERENCE_ARGUMENTS and len(refs) == 1 and isinstance(refs[0], Ref):
            return refs[0]
        out: list[Any] = [gap]
        for part in parts:
            if isinstance(part, (str, Ref, Template, Unknown)):
                out.extend([part, gap])
        return Template(tuple(p for t in out for p in (t.parts if isinstance(t, Template) else (t,))))

    def _element(
        self, resource: PlanResource, chain: str, value: list[Any] | dict[str, Any], scope: Scope
    ) -> Any:
        """The element of a list or map an instance's expression picks with its count.index or each
        key: x[count.index] when the list has one element per instance (see the module docstring),
        x[each.key] when the map's keys are the instances' keys, else one element, unknown which."""
        prefix, block, key = split_address(resource)
        keys = [k for k, _ in self.blocks.get((prefix, block), [])]
        if isinstance(value, list) and isinstance(key, int) and len(value) == len(keys):
            return value[key]
        if isinstance(value, dict) and isinstance(key, str) and set(value) == {str(k) for k in keys}:
            return value[key]
        items = list(value.values()) if isinstance(value, dict) else value
        reason = (
            f"which element of {chain} {resource.address} uses is known only to its expression, which "
            "the plan does not keep: pass --source-dir to read it from the source"
        )
        refs = [i.symbol() if isinstance(i, Object) else i for i in items]
        if refs and all(isinstance(r, Ref) for r in refs):
            first = refs[0]
            if all(r.same_source(first) for r in refs):
                return Unknown(reason, origin=Ref(first.address, first.attribute))  # one of X's tokens
            if len({r.address for r in refs}) == 1:
                return Unknown(reason, origin=Ref(first.address, ""))
            if len({any_instance(r.address) for r in refs}) == 1:
                return Unknown(reason, origin=Ref(any_instance(first.address), ""))  # some instance
        return Unknown(reason)


def symbolic_part(value: Any) -> bool:
    """Does the value say what it is built from (a reference, or an unknown read from a resource)?"""
    return isinstance(value, (Ref, Template)) or (isinstance(value, Unknown) and value.origin is not None)


def _parent(prefix: str) -> str:
    """'module.a.module.b["k"].' -> 'module.a.' (the calling module instance)."""
    head = prefix[:-1] if prefix.endswith(".") else prefix
    cut = head.rfind(".module.")
    return head[: cut + 1] if cut >= 0 else ""


def _instance_key(prefix: str) -> int | str | None:
    """The key of the last module instance of a prefix ('module.a["x"].' -> "x", 'module.a.' -> None)."""
    match = _KEY.search(prefix[:-1] if prefix.endswith(".") else prefix)
    if match is None:
        return None
    raw = match.group(1)
    return int(raw) if raw.isdigit() else raw[1:-1]


def _same_call(prefix: str, base: str) -> bool:
    """Is `prefix` an instance of the module call `base` ('module.a.' or 'module.a["x"].')?"""
    call = re.sub(r"\[[^\]]*\]\.$", ".", base)
    return re.sub(r"\[[^\]]*\]\.$", ".", prefix) == call and prefix.count("module.") == base.count("module.")


def _chains(references: list[str]) -> list[str]:
    """The references that are not a prefix of another (Terraform lists every prefix of each)."""
    out: list[str] = []
    for ref in references:
        longer = any(other != ref and other.startswith((ref + ".", ref + "[")) for other in references)
        if not longer and ref not in out:
            out.append(ref)
    return out
