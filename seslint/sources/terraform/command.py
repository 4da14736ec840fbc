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


TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def checked_path(args: argparse.Namespace) -> Path:
    """The path whose repository holds the run's configuration (.seslint.yaml): the first one given."""
    return Path(args.paths[0]) if args.paths else Path(".")


def prepare(args: argparse.Namespace) -> None:
    """Called before the policy and the rules are loaded: find the roots and start parsing."""
    from seslint import parse_ahead

    _refuse_other_files(list(args.paths))
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

    paths = list(args.paths)
    tree = getattr(args, "terraform_tree", None)
    if tree is None:
        _refuse_other_files(paths)
        tree = find_tree(paths, Path.cwd())
    if not tree.roots:
        _nothing_to_check(paths)
    # Files (as pre-commit passes them): records in the repository's other roots count too.
    from_files = any(not (Path.cwd() / p).is_dir() for p in paths)
    postures = read_found(tree, Path.cwd(), list(args.var_file), list(args.var), repository_dns=from_files)
    from seslint.sources.terraform.inputs import warn_undeclared

    warn_undeclared(list(args.var), tree.roots, Path.cwd(), tree.unjudged, tree.boundary)
    return postures


def _refuse_other_files(paths: list[str]) -> None:
    """A file that is not Terraform was meant for another command: say so, rather than lint its folder."""
    from seslint.errors import UsageError

    for raw in paths:
        path = Path(raw)
        if path.is_file() and not path.name.endswith(TERRAFORM_SUFFIXES):
            raise UsageError(
                f"{raw}: not a Terraform file ({', '.join(TERRAFORM_SUFFIXES)}); nothing was checked"
                + ("; for a plan, use seslint plan" if path.name.endswith(".json") else "")
            )


def _nothing_to_check(paths: list[str]) -> None:
    """No root to judge: without any Terraform under the paths that is a wrong path, not a pass
    (exit 2); modules that declare nothing SES-related were read, so that is a pass, said on stderr."""
    from seslint.errors import UsageError
    from seslint.sources.terraform import discovery
    from seslint.untrusted import say

    shown = " ".join(paths) or "."
    modules = discovery.module_dirs(paths or ["."], Path.cwd())
    if not modules:
        raise UsageError(f"{shown}: no Terraform files (.tf, .tf.json) here; nothing was checked")
    count = f"{len(modules)} Terraform module{'s' * (len(modules) != 1)}"
    say(f"seslint: {shown}: no SES, SNS, alarm or DNS resources in {count}")
