"""A plan (or state) JSON -> one Posture, optionally located in and wired by its Terraform source."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from seslint.errors import UsageError
from seslint.model import Location, Posture, SourceKind
from seslint.sources.plan.reader import (
    PlanDocument,
    PlanError,
    account,
    failure,
    load_json,
    parse,
    read_text,
    region,
    with_unknowns,
)
from seslint.sources.terraform.discovery import boundary
from seslint.sources.terraform.modules import Evaluation, Instance, evaluate_root
from seslint.sources.terraform.parse import within
from seslint.sources.terraform.source import build_posture
from seslint.sources.terraform.tree import parse_roots


def read_plan(path: str, source_dir: str | None, cwd: Path) -> Posture:
    shown = "stdin" if path == "-" else path
    try:
        plan = parse(load_json(read_text(path)))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except PlanError as exc:
        return Posture(source=SourceKind.PLAN, targets=(shown,), failures=(failure(shown, str(exc)),))
    # With the source tree: its locations, inline waivers, and symbolic values for what is unknown.
    from_tree = _evaluate(source_dir, cwd, plan) if source_dir is not None else None
    source = {i.address: i for i in from_tree.all_instances()} if from_tree else {}
    instances = []
    for resource in plan.resources:
        from_source = source.get(resource.address)
        values = with_unknowns(resource, plan, dict(from_source.values) if from_source else None)
        location = from_source.location if from_source else Location(address=resource.address)
        location = replace(location, address=resource.address)
        where = from_source.region if from_source else region(resource, plan)
        instances.append(
            Instance(
                resource.type,
                resource.address,
                values,
                location,
                resource.mode == "data",
                where,
                account=account(resource, plan),
            )
        )
    evaluation = Evaluation(
        instances=instances,
        modules=from_tree.modules if from_tree else [],
        # What the source tree could not give (a file not read or not parsed) is SES000 here too.
        failures=[f for f in from_tree.failures if f.parse_error] if from_tree else [],
    )
    return build_posture(evaluation, (shown,), SourceKind.PLAN)


def _evaluate(source_dir: str, cwd: Path, plan: PlanDocument) -> Evaluation:
    root = (cwd / source_dir).resolve()
    if not root.is_dir():
        raise UsageError(f"--source-dir {source_dir}: no such directory")
    bounds = boundary([source_dir], cwd)
    parse_roots((root,), bounds)()  # in one worker, not one a file
    with within(bounds):  # the tree's links and module calls stay inside it
        return evaluate_root(root, dict(plan.variables), cwd)
