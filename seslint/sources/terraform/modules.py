"""Evaluate a root module and the local modules it calls into resource instances.

Variables (defaults, tfvars, --var-file, --var), locals, count and for_each, module inputs and outputs
are resolved here; what cannot be is Unknown, and an expansion that cannot be decided is recorded as
unresolved (SES004) rather than dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seslint.model import Location, ReadFailure, Ref, Unknown
from seslint.sources.terraform.evaluate import Scope, evaluate_raw, symbolic
from seslint.sources.terraform.parse import Block, ModuleFiles, outside, read_module

MAX_INSTANCES = 1000  # a count beyond this is not expanded (a typo or a generated fleet, not SES posture)
MAX_MODULE_DEPTH = 16


@dataclass(frozen=True)
class Instance:
    """One resource (or data source) instance with its evaluated arguments."""

    type: str
    address: str
    values: dict[str, Any]
    location: Location
    data: bool = False


@dataclass
class Evaluation:
    instances: list[Instance] = field(default_factory=list)
    unresolved: list[tuple[str, Location, str]] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)
    modules: list[ModuleFiles] = field(default_factory=list)


def shown_path(path: Path, cwd: Path) -> str:
    try:
        text = str(path.relative_to(cwd))
    except ValueError:
        text = str(path)
    return text or "."


def evaluate_root(directory: Path, variables: dict[str, Any], cwd: Path) -> Evaluation:
    result = Evaluation()
    _module(directory, variables, "", result, cwd, stack=(), explicit=True)
    return result


def declared_variables(module: ModuleFiles, given: dict[str, Any], explicit: bool) -> dict[str, Any]:
    """Variable values: given ones win, then defaults, else Unknown with the reason."""
    empty = _empty_scope(module)
    values: dict[str, Any] = {}
    for block in module.of("variable"):
        name = block.labels[0]
        if name in given:
            values[name] = given[name]
        elif "default" in block.body:
            values[name] = evaluate_raw(block.body["default"], empty)
        else:
            how = "pass it with --var or a tfvars file" if explicit else "the module call does not set it"
            values[name] = Unknown(f"var.{name} has no value ({how})")
    return values


def _empty_scope(module: ModuleFiles) -> Scope:
    return Scope({}, {}, "", module.shown, lambda name: Unknown(f"module.{name} is not available here"))


def _module(
    directory: Path,
    given: dict[str, Any],
    prefix: str,
    result: Evaluation,
    cwd: Path,
    stack: tuple[Path, ...],
    explicit: bool,
) -> dict[str, Any]:
    """Evaluate one module instance; returns its outputs."""
    module = read_module(directory, shown_path(directory, cwd))
    if module not in result.modules:
        result.modules.append(module)
        result.failures.extend(module.failures)
    variables = declared_variables(module, given, explicit)
    locals_raw: dict[str, Any] = {}
    for block in module.of("locals"):
        locals_raw.update({k: v for k, v in block.body.items() if not k.startswith("__")})
    calls = {b.labels[0]: b for b in module.of("module")}
    outputs_cache: dict[str, Any] = {}

    def module_outputs(name: str) -> Any:
        if name not in outputs_cache:
            outputs_cache[name] = Unknown(f"module.{name} refers to itself")
            outputs_cache[name] = (
                _call(calls[name], scope, prefix, result, cwd, (*stack, directory))
                if name in calls
                else Unknown(f"module.{name} is not declared")
            )
        return outputs_cache[name]

    scope = Scope(variables, locals_raw, prefix, module.shown, module_outputs)
    for name in calls:
        module_outputs(name)
    for kind in ("resource", "data"):
        for block in module.of(kind):
            _expand(block, scope, prefix, result, data=(kind == "data"))
    return {b.labels[0]: evaluate_raw(b.body.get("value"), scope) for b in module.of("output")}


def _location(block: Block, address: str) -> Location:
    return Location(file=block.file, line=block.line, address=address)


def _instances(block: Block, scope: Scope, base: str, result: Evaluation) -> list[tuple[str, Scope]]:
    """(address, scope) per instance of a count / for_each block."""
    if "count" in block.body:
        count = evaluate_raw(block.body["count"], scope)
        if symbolic(count) or not isinstance(count, (int, float)) or isinstance(count, bool):
            reason = count.reason if isinstance(count, Unknown) else f"count = {count} is not a number"
            result.unresolved.append(
                (
                    base,
                    _location(block, base),
                    f"count of {base} could not be resolved: {reason}; it was judged as one instance",
                )
            )
            return [(f"{base}[0]", scope.child(count_index=Unknown(f"count of {base} is not known")))]
        number = int(count)
        if number > MAX_INSTANCES:
            result.unresolved.append(
                (
                    base,
                    _location(block, base),
                    f"count = {number} is larger than {MAX_INSTANCES}; "
                    f"only the first {MAX_INSTANCES} instances were judged",
                )
            )
            number = MAX_INSTANCES
        return [(f"{base}[{i}]", scope.child(count_index=i)) for i in range(number)]
    if "for_each" in block.body:
        items = evaluate_raw(block.body["for_each"], scope)
        if isinstance(items, Ref):
            each = Ref(items.address, items.attribute, None, each=True)
            return [(f"{base}[*]", scope.child(each=(each, each)))]
        if isinstance(items, dict):
            return [(f'{base}["{k}"]', scope.child(each=(k, v))) for k, v in items.items()]
        if isinstance(items, list) and all(isinstance(i, str) for i in items):
            return [(f'{base}["{k}"]', scope.child(each=(k, k))) for k in items]
        reason = (
            items.reason if isinstance(items, Unknown) else "for_each over a value known only after apply"
        )
        if isinstance(items, list):
            reason = "for_each over a list holding values known only after apply"
        result.unresolved.append(
            (
                base,
                _location(block, base),
                f"for_each of {base} could not be resolved: {reason}; it was judged as one instance",
            )
        )
        unknown = Unknown(f"for_each of {base} is not known")
        return [(f"{base}[*]", scope.child(each=(unknown, unknown)))]
    return [(base, scope)]


def _expand(block: Block, scope: Scope, prefix: str, result: Evaluation, data: bool) -> None:
    rtype, name = block.labels
    base = f"{prefix}{'data.' if data else ''}{rtype}.{name}"
    for address, inner in _instances(block, scope, base, result):
        values = evaluate_raw({k: v for k, v in block.body.items() if k not in ("count", "for_each")}, inner)
        result.instances.append(Instance(rtype, address, values, _location(block, address), data))


def _call(
    block: Block, scope: Scope, prefix: str, result: Evaluation, cwd: Path, stack: tuple[Path, ...]
) -> Any:
    name = block.labels[0]
    base = f"{prefix}module.{name}"
    source = evaluate_raw(block.body.get("source", '""'), scope)
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        result.unresolved.append(
            (
                base,
                _location(block, base),
                f"module {name} comes from {source!r}, not a local path; its resources were not checked",
            )
        )
        return Unknown(f"module.{name} is not a local module")
    directory = (
        Path(scope.module_dir) if Path(scope.module_dir).is_absolute() else cwd / scope.module_dir
    ) / source
    try:
        directory = directory.resolve()
        found = directory.is_dir()
    except (OSError, ValueError):  # a NUL byte, a name too long, a loop of symbolic links
        found = False
    problem = "leads outside the checked tree; not read" if found and outside(directory) else None
    if not found or problem:
        result.failures.append(
            ReadFailure(
                what=f"{block.file}:{block.line}",
                reason=f"module {name}: source {source!r} {problem or 'is not a directory'}",
                location=_location(block, base),
                parse_error=True,
                resource=base,
            )
        )
        return Unknown(f"module.{name} source is missing" if not problem else f"module.{name} is not read")
    if directory in stack or len(stack) > MAX_MODULE_DEPTH:
        result.failures.append(
            ReadFailure(
                what=f"{block.file}:{block.line}",
                reason=f"module {name} calls itself (a cycle of module calls)",
                location=_location(block, base),
                parse_error=True,
                resource=base,
            )
        )
        return Unknown(f"module.{name} is part of a call cycle")
    arguments = {
        k: v
        for k, v in block.body.items()
        if k not in ("source", "version", "count", "for_each", "providers", "depends_on")
        and not k.startswith("__")
    }
    instances = _instances(block, scope, base, result)
    outputs: dict[str, Any] = {}
    for address, inner in instances:
        given = {k: evaluate_raw(v, inner) for k, v in arguments.items()}
        key = address[len(base) :]
        outputs[key] = _module(directory, given, f"{address}.", result, cwd, stack, explicit=False)
    if "count" in block.body:
        return [outputs[k] for k in outputs]
    if "for_each" in block.body:
        return {k[2:-2]: v for k, v in outputs.items()}
    return outputs[""]
