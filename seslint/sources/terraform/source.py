"""Terraform source -> one Posture per root module, with one DNS view across them (dns_view.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from seslint.bounded import Boundary
from seslint.errors import UsageError
from seslint.model import NOWHERE, Location, Posture, ReadFailure, SourceKind
from seslint.sources.terraform import inputs, records_cache, tfvars, waivers
from seslint.sources.terraform.discovery import automatic_variables
from seslint.sources.terraform.dns_records import (
    CLOUDFLARE_ZONES,
    ROUTE53_ZONES,
    declared_records,
    with_verification,
)
from seslint.sources.terraform.dns_view import one_dns_view
from seslint.sources.terraform.evaluate import evaluate_raw
from seslint.sources.terraform.expressions import ExpressionError, parse_expression
from seslint.sources.terraform.mapping import Mapper
from seslint.sources.terraform.modules import Evaluation, Instance, evaluate_root, shown_path
from seslint.sources.terraform.parse import within
from seslint.sources.terraform.tree import Tree, find_tree

# The types declared_records reads: only these are expanded for the DNS view.
DNS_TYPES = (
    "aws_route53_record",
    "cloudflare_record",
    "cloudflare_dns_record",
    *ROUTE53_ZONES,
    *CLOUDFLARE_ZONES,
)


def read_tree(paths: list[str], cwd: Path, var_files: list[str], var_args: list[str]) -> list[Posture]:
    return read_found(find_tree(paths, cwd), cwd, var_files, var_args)


def read_found(
    tree: Tree, cwd: Path, var_files: list[str], var_args: list[str], *, repository_dns: bool = False
) -> list[Posture]:
    """The posture of each root; `repository_dns`: the DNS records of the repository's other roots
    count too (pre-commit judges the roots of the changed files, `seslint check .` would see them all)."""
    tree.parsed()
    postures = []
    with within(tree.boundary):
        for root in tree.roots:
            variables, failures = _variables(root, cwd, var_files, var_args, tree.boundary)
            variables = inputs.typed(root, cwd, variables)
            evaluation = evaluate_root(root, variables, cwd)
            evaluation.failures.extend(failures)
            postures.append(build_posture(evaluation, (shown_path(root, cwd),)))
    if tree.problems:  # directories that could not be walked: reported once, with the first root
        walked = [
            ReadFailure(
                shown_path(p, cwd), reason, Location(file=shown_path(p, cwd)), True, shown_path(p, cwd)
            )
            for p, reason in tree.problems
        ]
        first = postures[0] if postures else Posture(source=SourceKind.TERRAFORM, targets=())
        postures[:1] = [replace(first, failures=(*walked, *first.failures))]
    elsewhere = _records_elsewhere(tree, cwd) if repository_dns and postures else []
    return one_dns_view(postures, elsewhere)


def _records_elsewhere(tree: Tree, cwd: Path) -> list[Posture]:
    """The records of the repository's roots that are not judged (those that may declare one), each
    as a posture holding only them: none of their own findings are reported (their files are not the
    ones checked)."""
    keys = tree.elsewhere_keys or (None,) * len(tree.elsewhere)
    out = []
    with within(tree.boundary):
        for root, key in zip(tree.elsewhere, keys, strict=True):
            records = records_cache.load(key) if key is not None else None
            if records is None:
                variables, _failures = _variables(root, cwd, [], [], tree.boundary)
                evaluation = evaluate_root(root, inputs.typed(root, cwd, variables), cwd)
                mapper = Mapper(evaluation)
                records = declared_records(mapper.of(*DNS_TYPES), mapper.identities())
                if key is not None:
                    records_cache.store(key, records)
            if records:
                out.append(
                    Posture(
                        source=SourceKind.TERRAFORM, targets=(shown_path(root, cwd),), dns_records=records
                    )
                )
    return out


def build_posture(
    evaluation: Evaluation, targets: tuple[str, ...], kind: SourceKind = SourceKind.TERRAFORM
) -> Posture:
    mapper = Mapper(evaluation)
    identities = mapper.identities()
    records = declared_records(mapper.of(*DNS_TYPES), identities)
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
        unresolved=tuple(evaluation.unresolved_findings()),
    )


def _inline_waivers(evaluation: Evaluation) -> tuple[list[Any], list[Any]]:
    found: list[Any] = []
    failures: list[Any] = []
    by_file: dict[str, list[tuple[int, str]]] = {}
    for instance in evaluation.instances:
        loc = instance.location
        if loc.file and loc.line:
            by_file.setdefault(loc.file, []).append((loc.line, _base_address(instance)))
    for context in evaluation.contexts:
        for file, line, base in context.block_lines():
            by_file.setdefault(file, []).append((line, base))
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


def _variables(
    root: Path, cwd: Path, var_files: list[str], var_args: list[str], boundary: Boundary | None = None
) -> tuple[dict[str, Any], list[ReadFailure]]:
    """terraform.tfvars, *.auto.tfvars (sorted), --var-file in order, then --var: later wins. A file
    that came with the tree and cannot be used is a finding; a --var-file, a usage error."""
    values: dict[str, Any] = {}
    failures: list[ReadFailure] = []
    for path in automatic_variables(root):
        shown = shown_path(path, cwd)
        try:
            values.update(tfvars.read(path, boundary))
        except tfvars.VariablesError as exc:
            location = Location(file=shown, line=exc.line)
            failures.append(
                ReadFailure(str(location), exc.reason, location, parse_error=True, resource=shown)
            )
    for name in var_files:
        path = cwd / name
        shown = shown_path(path, cwd)
        if not (path.is_symlink() or path.exists()):
            raise UsageError(f"{shown}: no such variables file")
        try:
            values.update(tfvars.read(path, None))  # the user's own file: no boundary
        except tfvars.VariablesError as exc:
            raise UsageError(f"{shown}{f':{exc.line}' if exc.line else ''}: {exc.reason}") from None
    for arg in var_args:
        name, sep, raw = arg.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--var {arg!r}: expected NAME=VALUE")
        values[name.strip()] = _cli_value(raw)
    return values, failures


def _cli_value(raw: str) -> Any:
    """--var values: HCL syntax for lists, maps, numbers and bools; anything else is a string."""
    text = raw.strip()
    if text[:1] in '[{"' or text in ("true", "false", "null") or _number(text):
        try:
            return (
                evaluate_raw("${" + text + "}", tfvars.empty_scope())
                if not text.startswith('"')
                else evaluate_raw(text, tfvars.empty_scope())
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
