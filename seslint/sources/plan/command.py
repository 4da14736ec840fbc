"""`seslint plan PLAN.json`: lint what Terraform will apply (terraform show -json output)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seslint.model import Posture


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plans",
        nargs="+",
        metavar="PLAN",
        help="terraform show -json output of a plan or a state; - for standard input",
    )
    parser.add_argument(
        "--source-dir",
        metavar="DIR",
        help="the Terraform root the plan came from: file:line locations, inline waivers, "
        "and wiring of values known only after apply",
    )


def checked_path(args: argparse.Namespace) -> Path | None:
    """The path whose repository holds the run's configuration: the source tree, else the plan file."""
    if args.source_dir:
        return Path(args.source_dir)
    first = args.plans[0]
    return None if first == "-" else Path(first)


def collect(args: argparse.Namespace) -> list[Posture]:
    from seslint.errors import UsageError
    from seslint.sources.plan.source import read_plan

    postures = [read_plan(path, args.source_dir, Path.cwd()) for path in args.plans]
    # A plan that could not be read beside others that were is an SES000 finding; when none could
    # be read, nothing was checked: a wrong file (exit 2), never a verdict on infrastructure.
    if all(_unread(p) for p in postures):
        raise UsageError(
            "\n".join(f"{f.what}: {f.reason}; nothing was checked" for p in postures for f in p.failures)
        )
    return postures


def _unread(posture: Posture) -> bool:
    """The posture of a plan that could not be read at all: one parse failure and nothing else."""
    from seslint.model import Posture as Empty

    return (
        len(posture.failures) == 1
        and posture.failures[0].parse_error
        and posture == Empty(source=posture.source, targets=posture.targets, failures=posture.failures)
    )
