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


def collect(args: argparse.Namespace) -> list[Posture]:
    from seslint.sources.plan.source import read_plan

    return [read_plan(path, args.source_dir, Path.cwd()) for path in args.plans]
