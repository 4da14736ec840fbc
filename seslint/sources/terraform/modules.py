"""Evaluate a root module and the local modules it calls, lazily, as Terraform would at plan time.

A module instance is a scope (variables, locals, the module calls' outputs) and the resource and data
blocks declared in it. Nothing is evaluated before something asks for it: the mapper asks for the
instances of the types it models, an expression asks for an attribute of a resource. Every value is
evaluated once (caches per instance and argument) and a value that refers to itself is Unknown, not a
hang. Variables (defaults, tfvars, --var-file, --var), locals, count and for_each, module inputs and
outputs, provider configurations and their regions are resolved here.

What decides whether a posture resource exists (its count or for_each) and stays unknown is reported
once per cause (the variable without a value, the module that is not local), naming the resources it
hides; the resources are judged as one instance each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seslint.model import Location, ReadFailure, Ref, Template, Unknown, after_apply, written
from seslint.sources.terraform.evaluate import Object, Scope, evaluate_raw, plain, symbolic
from seslint.sources.terraform.module_sources import contained, downloaded, installed
from seslint.sources.terraform.parse import Block, ModuleFiles, outside, read_module
from seslint.sources.terraform.resources import Arguments, ResourceObject, bare_name

MAX_INSTANCES = 1000  # a count beyond this is not expanded (a typo or a generated fleet, not SES posture)
MAX_MODULE_DEPTH = 16
MODULE_ARGUMENTS = ("source", "version", "count", "for_each", "providers", "depends_on")


@dataclass(frozen=True)
class Instance:
    """One resource (or data source) instance with its configured arguments.

    `values` holds only what the configuration sets (evaluated when read); `region` is the region of
    the instance's AWS provider configuration (str, Unknown, or None for other providers).
    """

    type: str
    address: str
    values: Mapping[str, Any]
    location: Location
    data: bool = False
    region: Any = None
    presence: Unknown | None = None  # set when whether it exists is not known (count/for_each)
    # The AWS account of the instance's provider configuration, when a plan read it (a data
    # "aws_caller_identity" through the same provider); the source alone never knows it.
    account: str | None = None


@dataclass
class Unresolved:
    """One cause of unknown existence and the posture resources whose count/for_each it decides."""

    resource: str
    location: Location
    reason: str
    hidden: list[str] = field(default_factory=list)
    judged: bool = False  # the resource itself was judged as one instance
    fix: str = ""  # what the user can do about it ("pass it with --var or a tfvars file"), said last


@dataclass
class Evaluation:
    instances: list[Instance] = field(default_factory=list)  # built elsewhere (a plan)
    unresolved: list[tuple[str, Location, str]] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    modules: list[ModuleFiles] = field(default_factory=list)
    contexts: list[ModuleInstance] = field(default_factory=list)
    # Unknown.cause -> (where it is declared, why it has no value, what the user can do about it)
    causes: dict[str, tuple[Location, str, str]] = field(default_factory=dict)
    _unresolved: dict[str, Unresolved] = field(default_factory=dict)
    _evaluating: set[Any] = field(default_factory=set)
    _by_type: dict[str, list[Instance]] = field(default_factory=dict)

    def of_type(self, key: str) -> list[Instance]:
        """Instances of "TYPE" (resources) or "data.TYPE", expanding the blocks of that type."""
        if key not in self._by_type:
            found = [i for i in self.instances if ("data." if i.data else "") + i.type == key]
            for context in self.contexts:
                found.extend(context.instances_of(key))
            self._by_type[key] = found
        return self._by_type[key]

    def all_instances(self) -> list[Instance]:
        keys = {("data." if d else "") + t for c in self.contexts for (t, d) in c.types()}
        keys |= {("data." if i.data else "") + i.type for i in self.instances}
        return [i for key in sorted(keys) for i in self.of_type(key)]

    def guarded(self, key: Any, what: str, compute: Callable[[], Any]) -> Any:
        """compute(), or Unknown when the value is already being computed (it refers to itself)."""
        if key in self._evaluating:
            return Unknown(f"{what} refers to itself (a cycle of references)")
        self._evaluating.add(key)
        try:
            return compute()
        finally:
            self._evaluating.discard(key)

    def cause(self, key: str, location: Location, reason: str, report: bool = False, fix: str = "") -> None:
        """Register an input that has no value; `report`: it is a finding even if nothing depends on it;
        `fix`: what the user can do about it, said at the end of the finding."""
        self.causes.setdefault(key, (location, reason, fix))
        if report:
            self._unresolved.setdefault(key, Unresolved(key, location, reason, fix=fix))

    def unresolved_instance(self, base: str, location: Location, reason: Unknown, how: str) -> None:
        """A posture resource whose count/for_each is unknown: reported once per cause."""
        if reason.cause in self.causes:
            where, text, fix = self.causes[reason.cause]
            entry = self._unresolved.setdefault(reason.cause, Unresolved(reason.cause, where, text, fix=fix))
        else:
            said = f"the {how} of {base} is not known"
            text = reason.reason if reason.reason.startswith(said) else f"{said} because {reason.reason}"
            entry = self._unresolved.setdefault(base, Unresolved(base, location, text, judged=True))
        hidden = f"the {how} of {base}"
        if entry.resource != base and hidden not in entry.hidden:
            entry.hidden.append(hidden)

    def unresolved_findings(self) -> list[tuple[str, Location, str]]:
        out = list(self.unresolved)
        for entry in self._unresolved.values():
            fix = f": {entry.fix}" if entry.fix else ""
            if not entry.hidden:
                judged = ", so it was judged as one instance" if entry.judged else ""
                out.append((entry.resource, entry.location, entry.reason + judged + fix))
                continue
            hidden = _listed(entry.hidden)
            if not entry.fix:  # the reason ends with what to do about it: what it decides follows
                each = "judged as one instance" if len(entry.hidden) == 1 else "each judged as one instance"
                out.append((entry.resource, entry.location, f"{entry.reason}; it decides {hidden}, {each}"))
                continue
            judged = (
                "was judged as one instance" if len(entry.hidden) == 1 else "were each judged as one instance"
            )
            out.append((entry.resource, entry.location, f"{entry.reason}, so {hidden} {judged}{fix}"))
        return out


def _listed(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def shown_path(path: Path, cwd: Path) -> str:
    try:
        text = str(path.relative_to(cwd))
    except ValueError:
        text = str(path)
    return text or "."


def evaluate_root(directory: Path, variables: dict[str, Any], cwd: Path) -> Evaluation:
    result = Evaluation()
    module = read_module(directory, shown_path(directory, cwd))
    ModuleInstance(result, module, Variables(module, given=variables, explicit=True), "", cwd, (), {})
    return result


class Variables(Mapping[str, Any]):
    """A module instance's variables: given ones win, then defaults, else Unknown with the reason.

    `given` holds values (the root's tfvars and --var) or `thunks` expressions of the calling module,
    evaluated when first read, so a module input that refers to a sibling module's output works in
    either order.
    """

    def __init__(
        self,
        module: ModuleFiles,
        given: Mapping[str, Any] | None = None,
        thunks: Mapping[str, Callable[[], Any]] | None = None,
        explicit: bool = False,
    ) -> None:
        self._blocks = {b.labels[0]: b for b in module.of("variable")}
        self._given = given or {}
        self._thunks = thunks or {}
        self._explicit = explicit
        self._prefix = ""
        self._evaluation: Evaluation | None = None
        self._module = module
        self._values: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._blocks:
            raise KeyError(name)
        if name not in self._values:
            self._values[name] = self._value(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._blocks)

    def __len__(self) -> int:
        return len(self._blocks)

    def _value(self, name: str) -> Any:
        block = self._blocks[name]
        if name in self._given:
            return self._given[name]
        if name in self._thunks:
            return self._thunks[name]()
        if "default" in block.body:
            return plain(evaluate_raw(block.body["default"], _empty_scope(self._module)))
        # The root's inputs are the user's to give; a module's are its caller's.
        fix = "pass it with --var or a tfvars file" if self._explicit else ""
        cause = f"{self._prefix}var.{name}"
        reason = f"var.{name} has no value" + ("" if self._explicit else ": the module call does not set it")
        if self._evaluation is not None:
            where = Location(file=block.file, line=block.line, address=cause)
            self._evaluation.cause(cause, where, reason, fix=fix)
        return Unknown(f"{reason}: {fix}" if fix else reason, cause=cause)


def _empty_scope(module: ModuleFiles) -> Scope:
    return Scope({}, {}, "", module.shown, lambda name: Unknown(f"module.{name} is not available here"))


class ModuleInstance:
    """One instance of a module: its scope, its blocks, and the instances of its module calls."""

    def __init__(
        self,
        result: Evaluation,
        module: ModuleFiles,
        variables: Variables,
        prefix: str,
        cwd: Path,
        stack: tuple[Path, ...],
        inherited: dict[str, Callable[[], Any]],
    ) -> None:
        self.result = result
        self.module = module
        self.prefix = prefix
        self.cwd = cwd
        self.stack = (*stack, module.directory)
        if module not in result.modules:
            result.modules.append(module)
            result.failures.extend(module.failures)
        result.contexts.append(self)
        variables._evaluation = result
        variables._prefix = prefix
        locals_raw: dict[str, Any] = {}
        for block in module.of("locals"):
            locals_raw.update({k: v for k, v in block.body.items() if not k.startswith("__")})
        self.blocks: dict[str, tuple[Block, bool]] = {}
        for kind in ("resource", "data"):
            for block in module.of(kind):
                local = ("data." if kind == "data" else "") + ".".join(block.labels)
                self.blocks.setdefault(local, (block, kind == "data"))
        self.calls = {b.labels[0]: b for b in module.of("module")}
        self._outputs: dict[str, Any] = {}
        self._expansions: dict[str, Expansion] = {}
        self.scope = Scope(variables, locals_raw, prefix, module.shown, self.module_outputs, self.resource)
        self.providers = dict(inherited)
        for block in module.of("provider"):
            self._provider(block)
        for name in self.calls:
            self.module_outputs(name)

    # -- providers ----------------------------------------------------------------------------------

    def _provider(self, block: Block) -> None:
        alias = evaluate_raw(block.body["alias"], self.scope) if "alias" in block.body else None
        key = block.labels[0] + (f".{alias}" if isinstance(alias, str) else "")
        cache: list[Any] = []

        def region() -> Any:
            if not cache:
                raw = block.body.get("region")
                value = plain(evaluate_raw(raw, self.scope)) if raw is not None else None
                cache.append(
                    value
                    if value is not None
                    else Unknown(f"provider {key} sets no region (AWS_REGION or the profile decides it)")
                )
            return cache[0]

        self.providers[key] = region

    def region(self, provider: str) -> Any:
        found = self.providers.get(provider)
        if found is None:
            return Unknown(
                f"no provider {provider} block sets the region (AWS_REGION or the profile decides it)"
            )
        return found()

    # -- resources ----------------------------------------------------------------------------------

    def types(self) -> set[tuple[str, bool]]:
        return {(block.labels[0], data) for block, data in self.blocks.values()}

    def resource(self, local: str) -> Any:
        """The value of a reference to `local` ("aws_x.y" or "data.aws_x.y") in this module."""
        if local not in self.blocks:
            return Unknown(f"{local} is not declared in {self.module.shown}")
        return self.expansion(local).value()

    def expansion(self, local: str) -> Expansion:
        if local not in self._expansions:
            block, data = self.blocks[local]
            self._expansions[local] = Expansion(self, block, data, self.prefix + local)
        return self._expansions[local]

    def instances_of(self, key: str) -> list[Instance]:
        data = key.startswith("data.")
        rtype = key[5:] if data else key
        out: list[Instance] = []
        for local, (block, is_data) in self.blocks.items():
            if is_data == data and block.labels[0] == rtype:
                out.extend(self.expansion(local).instances())
        return out

    def block_lines(self) -> Iterator[tuple[str, int, str]]:
        """(file, line, address without instance key) of every resource and data block."""
        for local, (block, _) in self.blocks.items():
            if block.line:
                yield block.file, block.line, self.prefix + local

    # -- module calls -------------------------------------------------------------------------------

    def module_outputs(self, name: str) -> Any:
        if name not in self._outputs:
            self._outputs[name] = Unknown(f"module.{name} refers to itself")
            self._outputs[name] = (
                self._call(self.calls[name])
                if name in self.calls
                else Unknown(f"module.{name} is not declared")
            )
        return self._outputs[name]

    def _call(self, block: Block) -> Any:
        name = block.labels[0]
        base = f"{self.prefix}module.{name}"
        location = Location(file=block.file, line=block.line, address=base)
        source = evaluate_raw(block.body.get("source", '""'), self.scope)
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            directory = installed(self.stack[0], base, source) if isinstance(source, str) else None
            if not isinstance(directory, Path):
                reason = directory or f"module {name} comes from {source!r}; its resources were not checked"
                self.result.cause(base, location, reason, report=True)
                return Unknown(reason, cause=base)  # which says why it was not read
        else:
            module_dir = Path(self.module.shown)
            directory = (module_dir if module_dir.is_absolute() else self.cwd / module_dir) / source
            if downloaded(self.module.directory, self.stack[0]) and not contained(directory, self.stack[0]):
                reason = f"module {name}: source {source!r} of a downloaded module leaves the tree; not read"
                self.result.cause(base, location, reason, report=True)
                return Unknown(reason, cause=base)  # which says why it was not read
        try:
            directory = directory.resolve()
            found = directory.is_dir()
        except (OSError, ValueError):  # a NUL byte, a name too long, a loop of symbolic links
            found = False
        problem = "leads outside the checked tree; not read" if found and outside(directory) else None
        if not found or problem:
            self.result.failures.append(
                _failure(
                    block, f"module {name}: source {source!r} {problem or 'is not a directory'}", location
                )
            )
            return Unknown(
                f"module.{name} source is missing" if not problem else f"module.{name} is not read"
            )
        if directory in self.stack or len(self.stack) > MAX_MODULE_DEPTH:
            self.result.failures.append(
                _failure(block, f"module {name} calls itself (a cycle of module calls)", location)
            )
            return Unknown(f"module.{name} is part of a call cycle")
        child = read_module(directory, shown_path(directory, self.cwd))
        arguments = {
            k: v for k, v in block.body.items() if k not in MODULE_ARGUMENTS and not k.startswith("__")
        }
        providers = self._passed_providers(block)
        keys = instance_keys(block, self.scope, base)
        if isinstance(keys, Unknown):
            self.result.unresolved_instance(base, location, keys, _how(block))
            keys = Keys(_kind(block), [(_unknown_key(block), _unknown_scope(block, self.scope, base))])
        outputs: dict[str, Any] = {}
        for suffix, inner in keys.items:
            thunks = {k: _thunk(v, inner) for k, v in arguments.items()}
            variables = Variables(child, thunks=thunks)
            instance = ModuleInstance(
                self.result, child, variables, f"{base}{suffix}.", self.cwd, self.stack, providers
            )
            outputs[suffix] = ModuleObject(instance, f"{base}{suffix}")
        if keys.kind == "count":
            return list(outputs.values())
        if keys.kind == "for_each":
            return {_key_text(k): v for k, v in outputs.items()}
        return outputs[""]

    def _passed_providers(self, block: Block) -> dict[str, Callable[[], Any]]:
        """Default configurations are inherited; `providers = { aws = aws.eu }` maps them explicitly."""
        passed = {k: v for k, v in self.providers.items() if "." not in k}
        mapping = block.body.get("providers")
        if isinstance(mapping, dict):
            for child_name, parent_name in mapping.items():
                child_key, parent_key = bare_name(child_name), bare_name(parent_name)
                if child_key and parent_key:
                    passed[child_key] = self.providers.get(parent_key) or _no_provider(parent_key)
        return passed


def _no_provider(key: str) -> Callable[[], Any]:
    return lambda: Unknown(f"provider {key} is not configured")


def _thunk(raw: Any, scope: Scope) -> Callable[[], Any]:
    return lambda: plain(evaluate_raw(raw, scope))


def _failure(block: Block, reason: str, location: Location) -> ReadFailure:
    return ReadFailure(
        what=f"{block.file}:{block.line}",
        reason=reason,
        location=location,
        parse_error=True,
        resource=location.address or "",
    )


# -- count and for_each -----------------------------------------------------------------------------


@dataclass
class Keys:
    """The instances of a block: kind "count", "for_each" or "" (one), and (suffix, scope) each."""

    kind: str
    items: list[tuple[str, Scope]]
    capped: int | None = None  # the count before it was capped at MAX_INSTANCES


def _kind(block: Block) -> str:
    return "count" if "count" in block.body else "for_each" if "for_each" in block.body else ""


def _how(block: Block) -> str:
    return _kind(block) or "count"


def _unknown_key(block: Block) -> str:
    return "[0]" if "count" in block.body else "[*]"


def _unknown_scope(block: Block, scope: Scope, base: str) -> Scope:
    unknown = Unknown(f"the {_how(block)} of {base} is not known")
    if "count" in block.body:
        return scope.child(count_index=unknown)
    return scope.child(each=(unknown, unknown))


def instance_keys(block: Block, scope: Scope, base: str) -> Keys | Unknown:
    """The instance keys of a count / for_each block, or why they are not known."""
    if "count" in block.body:
        count = plain(evaluate_raw(block.body["count"], scope))
        if symbolic(count):
            reason = count if isinstance(count, Unknown) else Unknown(after_apply(count))
            if isinstance(count, Template) and count.unknowns:
                reason = count.unknowns[0]
            return reason
        if not isinstance(count, (int, float)) or isinstance(count, bool) or count < 0:
            return Unknown(f"count = {written(count)} is not a whole number"[:200])
        number = int(count)
        capped = number if number > MAX_INSTANCES else None
        number = min(number, MAX_INSTANCES)
        return Keys("count", [(f"[{i}]", scope.child(count_index=i)) for i in range(number)], capped)
    if "for_each" in block.body:
        items = plain(evaluate_raw(block.body["for_each"], scope))
        if isinstance(items, dict):
            return Keys("for_each", [(f'["{k}"]', scope.child(each=(k, v))) for k, v in items.items()])
        if isinstance(items, list) and all(isinstance(i, (str, Ref, Template)) for i in items):
            # A set of strings; a set of DKIM tokens (Refs) gives one instance per token, each.value
            # the token, keyed by what it stands for.
            keys = []
            for item in dict.fromkeys(items):  # a set: duplicates are one element
                keys.append(
                    (f'["{item}"]' if isinstance(item, str) else f"[{item}]", scope.child(each=(item, item)))
                )
            return Keys("for_each", keys)
        if isinstance(items, Unknown):
            return items
        if isinstance(items, list):
            held = next((i for i in items if isinstance(i, Unknown)), None)
            return held or Unknown("for_each over a list holding values that are not strings")
        if isinstance(items, (Ref, Template)):
            return Unknown(after_apply(items))
        return Unknown(f"for_each over {written(items)}, not a map or a set of strings"[:200])
    return Keys("", [("", scope)])


def _key_text(suffix: str) -> str:
    return suffix[2:-2] if suffix.startswith('["') else suffix[1:-1]


class Expansion:
    """The instances of one resource or data block in one module instance, expanded once."""

    def __init__(self, module: ModuleInstance, block: Block, data: bool, base: str) -> None:
        self.module = module
        self.block = block
        self.data = data
        self.base = base
        self.location = Location(file=block.file, line=block.line, address=base)
        self._keys: Keys | Unknown | None = None
        self._objects: dict[str, ResourceObject] = {}
        self._instances: list[Instance] | None = None

    @property
    def keys(self) -> Keys | Unknown:
        if self._keys is None:
            self._keys = self.module.result.guarded(
                ("keys", self.base),
                f"the count or for_each of {self.base}",
                lambda: instance_keys(self.block, self.module.scope, self.base),
            )
        return self._keys

    def _object(self, suffix: str, scope: Scope) -> ResourceObject:
        if suffix not in self._objects:
            rtype = self.block.labels[0]
            provider = bare_name(self.block.body.get("provider")) or rtype.split("_", 1)[0]
            self._objects[suffix] = ResourceObject(
                rtype,
                self.data,
                self.base + suffix,
                Arguments(self.block.body, scope, self.module.result.guarded, self.base + suffix),
                (lambda: self.module.region(provider)) if rtype.startswith("aws_") else None,
            )
        return self._objects[suffix]

    def value(self) -> Any:
        """What a reference to the block is: one object, a list (count), a map (for_each)."""
        keys = self.keys
        if isinstance(keys, Unknown):
            return Unknown(
                f"the {_how(self.block)} of {self.base} is not known because {keys.reason}", cause=keys.cause
            )
        objects = [(suffix, self._object(suffix, scope)) for suffix, scope in keys.items]
        if keys.kind == "count":
            return [o for _, o in objects]
        if keys.kind == "for_each":
            return {_key_text(suffix): o for suffix, o in objects}
        return objects[0][1]

    def instances(self) -> list[Instance]:
        """The instances the mapper judges; an unknown count/for_each is one instance, reported."""
        if self._instances is None:
            keys = self.keys
            presence = None
            if isinstance(keys, Unknown):
                how = _how(self.block)
                self.module.result.unresolved_instance(self.base, self.location, keys, how)
                presence = Unknown(
                    f"whether {self.base} exists is not known: its {how} is not known because {keys.reason}",
                    cause=keys.cause,
                )
                keys = Keys(
                    _kind(self.block),
                    [(_unknown_key(self.block), _unknown_scope(self.block, self.module.scope, self.base))],
                )
            elif keys.capped is not None:
                self.module.result.unresolved.append(
                    (
                        self.base,
                        self.location,
                        f"count = {keys.capped} is larger than {MAX_INSTANCES}; "
                        f"only the first {MAX_INSTANCES} instances were judged",
                    )
                )
            self._instances = []
            for suffix, scope in keys.items:
                obj = self._object(suffix, scope)
                address = self.base + suffix
                self._instances.append(
                    Instance(
                        self.block.labels[0],
                        address,
                        obj.arguments,
                        Location(file=self.block.file, line=self.block.line, address=address),
                        self.data,
                        obj.region() if obj.region is not None else None,
                        presence,
                    )
                )
        return self._instances


class ModuleObject(Object):
    """`module.NAME` (one instance): its outputs, each evaluated when first read."""

    def __init__(self, instance: ModuleInstance, address: str) -> None:
        self.instance = instance
        self.address = address
        self._outputs = {b.labels[0]: b for b in instance.module.of("output")}
        self._values: dict[str, Any] = {}

    def attribute(self, name: str) -> Any:
        if name not in self._values:
            block = self._outputs.get(name)
            if block is None:
                return Unknown(f"{self.address} has no output {name}")
            self._values[name] = self.instance.result.guarded(
                ("output", self.address, name),
                f"{self.address}.{name}",
                lambda: evaluate_raw(block.body.get("value"), self.instance.scope),
            )
        return self._values[name]

    def symbol(self) -> Any:
        return Unknown(f"{self.address} is used as a whole object")
