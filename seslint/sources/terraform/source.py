"""Terraform source -> one Posture per root module."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seslint.errors import UsageError
from seslint.model import NOWHERE, Posture, SourceKind
from seslint.sources.terraform import waivers
from seslint.sources.terraform.dns_records import declared_records, with_verification
from seslint.sources.terraform.evaluate import Scope, evaluate_raw
from seslint.sources.terraform.expressions import ExpressionError, parse_expression
from seslint.sources.terraform.mapping import Mapper
from seslint.sources.terraform.modules import Evaluation, Instance, evaluate_root, shown_path
from seslint.sources.terraform.tree import Tree, find_tree


def read_tree(paths: list[str], cwd: Path, var_files: list[str], var_args: list[str]) -> list[Posture]:
    return read_found(find_tree(paths, cwd), cwd, var_files, var_args)


def read_found(tree: Tree, cwd: Path, var_files: list[str], var_args: list[str]) -> list[Posture]:
    tree.parsed()
    postures = []
    for root in tree.roots:
        variables = _variables(root, cwd, var_files, var_args)
        evaluation = evaluate_root(root, variables, cwd)
        postures.append(build_posture(evaluation, (shown_path(root, cwd),)))
    return postures


def build_posture(
    evaluation: Evaluation, targets: tuple[str, ...], kind: SourceKind = SourceKind.TERRAFORM
) -> Posture:
    mapper = Mapper(evaluation.instances)
    identities = mapper.identities()
    records = declared_records(evaluation.instances, identities)
    suppression, suppression_location = mapper.account_suppression()
    found_waivers, waiver_failures = _inline_waivers(evaluation)
    return Posture(
        source=kind,
        targets=targets,
        identities=with_verification(identities, records),
        configuration_sets=mapper.configuration_sets(),
        event_destinations=mapper.event_destinations(),
        topics=mapper.topics(),
        topic_policies=mapper.topic_policies(),
        subscriptions=mapper.subscriptions(),
        alarms=mapper.alarms(),
        dns_records=records,
        account_suppression=suppression,
        account_suppression_location=suppression_location or NOWHERE,
        failures=(*evaluation.failures, *waiver_failures),
        waivers=tuple(found_waivers),
        unresolved=tuple(evaluation.unresolved),
    )


def _inline_waivers(evaluation: Evaluation) -> tuple[list[Any], list[Any]]:
    found: list[Any] = []
    failures: list[Any] = []
    by_file: dict[str, list[tuple[int, str]]] = {}
    for instance in evaluation.instances:
        loc = instance.location
        if loc.file and loc.line:
            base = _base_address(instance)
            by_file.setdefault(loc.file, []).append((loc.line, base))
    for module in evaluation.modules:
        for file, text in module.texts.items():
            if "seslint:ignore" in text:
                blocks = sorted(set(by_file.get(file, [])))
                w, f = waivers.scan(text, file, blocks)
                found.extend(w)
                failures.extend(f)
    return found, failures


def _base_address(instance: Instance) -> str:
    """The address without the instance key: a waiver in a block covers all its instances."""
    address = instance.address
    return (
        address[: address.index("[")]
        if address.endswith("]") and "[" in address.rsplit(".", 1)[-1]
        else address
    )


def _variables(root: Path, cwd: Path, var_files: list[str], var_args: list[str]) -> dict[str, Any]:
    """terraform.tfvars, *.auto.tfvars (sorted), --var-file in order, then --var: later wins."""
    values: dict[str, Any] = {}
    files = [root / "terraform.tfvars", root / "terraform.tfvars.json"]
    files += sorted(root.glob("*.auto.tfvars")) + sorted(root.glob("*.auto.tfvars.json"))
    files += [cwd / f for f in var_files]
    for path in files:
        if path.is_file():
            values.update(_tfvars(path, shown_path(path, cwd)))
        elif str(path) in {str(cwd / f) for f in var_files}:
            raise UsageError(f"{shown_path(path, cwd)}: no such variables file")
    for arg in var_args:
        name, sep, raw = arg.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {arg!r}: expected NAME=VALUE")
        values[name.strip()] = _cli_value(raw)
    return values


def _empty_scope() -> Scope:
    from seslint.model import Unknown

    return Scope({}, {}, "", ".", lambda name: Unknown("no modules in a variables file"))


def _tfvars(path: Path, shown: str) -> dict[str, Any]:
    import json

    text = path.read_text(encoding="utf-8-sig")
    if path.name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{shown}:{exc.lineno}: invalid JSON: {exc.msg}") from None
        return data if isinstance(data, dict) else {}
    import hcl2

    try:
        document = hcl2.loads(text)
    except Exception as exc:
        raise UsageError(
            f"{shown}: HCL syntax error: {str(exc).splitlines()[0] if str(exc) else exc}"
        ) from None
    return {k: evaluate_raw(v, _empty_scope()) for k, v in document.items() if not k.startswith("__")}


def _cli_value(raw: str) -> Any:
    """--var values: HCL syntax for lists, maps, numbers and bools; anything else is a string."""
    text = raw.strip()
    if text[:1] in '[{"' or text in ("true", "false", "null") or _number(text):
        try:
            return (
                evaluate_raw("${" + text + "}", _empty_scope())
                if not text.startswith('"')
                else evaluate_raw(text, _empty_scope())
            )
        except ExpressionError:
            return raw
    return raw


def _number(text: str) -> bool:
    try:
        parse_expression(text)
        float(text)
        return True
    except (ValueError, ExpressionError):
        return False
