"""`seslint check`: the Terraform source's command-line arguments and entry point."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seslint.model import Posture


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="directories or files (pre-commit passes changed files); default: .",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a root module variable (HCL syntax for lists and maps)",
    )
    parser.add_argument(
        "--var-file",
        action="append",
        default=[],
        metavar="FILE",
        help="read root module variables from a .tfvars file",
    )


def prepare(args: argparse.Namespace) -> None:
    """Called before the policy and the rules are loaded: find the roots and start parsing."""
    from seslint import parse_ahead

    child = parse_ahead.start()  # loads the parser while the roots are found
    try:
        from seslint.sources.terraform.tree import find_tree

        args.terraform_tree = find_tree(list(args.paths), Path.cwd(), child)
    except BaseException:
        if child is not None:
            child.stop()
        raise


def collect(args: argparse.Namespace) -> list[Posture]:
    from seslint.sources.terraform.source import read_found
    from seslint.sources.terraform.tree import find_tree

    tree = getattr(args, "terraform_tree", None) or find_tree(list(args.paths), Path.cwd())
    return read_found(tree, Path.cwd(), list(args.var_file), list(args.var))
