"""`seslint check`: the Terraform source's command-line arguments and entry point."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seslint.exclude import Excludes, Pattern
    from seslint.model import Posture
    from seslint.policy.model import Policy
    from seslint.sources.terraform.tree import Tree


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
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="neither judge nor read paths matching this gitignore-style pattern (tests/**), "
        "anchored at the working directory; adds to the policy's exclude",
    )


TERRAFORM_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def checked_path(args: argparse.Namespace) -> Path:
    """The path whose repository holds the run's configuration (.seslint.yaml): the first one given."""
    return Path(args.paths[0]) if args.paths else Path(".")


def prepare(args: argparse.Namespace) -> None:
    """Called before the policy and the rules are loaded: start the worker that parses, which loads
    the parser meanwhile. The roots are found once the policy has said which paths are excluded."""
    from seslint import parse_ahead

    _refuse_other_files(list(args.paths))
    _refuse_bad_patterns(args.exclude)
    early = getattr(args, "early_child", None)
    args.parse_child = early if isinstance(early, parse_ahead.Child) else parse_ahead.start()
    if not args.exclude and not _policy_may_exclude(args):
        # Nothing can be excluded: the worker gets its files now, while the rules and policy load.
        from seslint.sources.terraform.tree import find_tree

        try:
            args.early_tree = find_tree(list(args.paths), Path.cwd(), args.parse_child, None)
        except BaseException:
            if args.parse_child is not None:
                args.parse_child.stop()
            raise


def _policy_may_exclude(args: argparse.Namespace) -> bool:
    """Whether the policy the run will load may hold an exclude, told without loading it: a shipped
    policy holds none, a file of the user's may, and so may the repository's own configuration (its
    exclude holds whichever policy is used)."""
    from seslint import repository
    from seslint.policy.loader import shipped_policy_names

    if args.policy is not None and args.policy not in shipped_policy_names():
        return True
    return repository.may_configure(repository.of_checked(checked_path(args), Path.cwd()))


def collect(args: argparse.Namespace) -> list[Posture]:
    from seslint.sources.terraform.source import read_found
    from seslint.sources.terraform.tree import find_tree

    child = getattr(args, "parse_child", None)
    early: Tree | None = getattr(args, "early_tree", None)
    try:
        paths = list(args.paths)
        _refuse_other_files(paths)
        excludes = _excludes(args)
        kept = _not_excluded(paths, excludes)
        if kept is None:
            return []
        if early is not None and not excludes:
            tree = early
        else:  # the policy did say what to exclude after all: the early tree's files are parsed anyway
            tree = find_tree(kept, Path.cwd(), None if early is not None else child, excludes)
    except BaseException:
        if child is not None:
            child.stop()
        raise
    if not tree.roots:
        _nothing_to_check(kept, excludes)
    # Files (as pre-commit passes them): records in the repository's other roots count too.
    from_files = any(not (Path.cwd() / p).is_dir() for p in kept)
    postures = read_found(tree, Path.cwd(), list(args.var_file), list(args.var), repository_dns=from_files)
    from seslint.sources.terraform.inputs import warn_undeclared

    warn_undeclared(list(args.var), tree.roots, Path.cwd(), tree.unjudged, tree.boundary)
    return postures


def _refuse_bad_patterns(patterns: list[str]) -> None:
    """A --exclude that cannot be honoured is a usage error, before any work (the policy's are
    checked with their line when it loads)."""
    from seslint.errors import UsageError
    from seslint.exclude import problem
    from seslint.untrusted import excerpt

    for pattern in patterns:
        why = problem(pattern)
        if why is not None:
            raise UsageError(f"--exclude {excerpt(pattern)!r}: {why}")


def _excludes(args: argparse.Namespace) -> Excludes:
    """The policy's exclude (anchored at the file that declares it) and --exclude (at the working
    directory), compiled once for the run (prepare refused the --exclude patterns that cannot be)."""
    from seslint.exclude import Excludes, compile_pattern

    groups = [(str(Path.cwd()), [compile_pattern(p, "--exclude") for p in args.exclude])]
    policy: Policy | None = getattr(args, "loaded_policy", None)
    for exclusion in policy.exclude if policy is not None else ():
        groups.append((exclusion.anchor, [compile_pattern(p, exclusion.file) for p in exclusion.patterns]))
    return Excludes(groups)


def _not_excluded(paths: list[str], excludes: Excludes) -> list[str] | None:
    """The paths given that no pattern excludes; None (said on stderr) when every one is excluded: a
    commit touching only excluded files passes (exit 0)."""
    from seslint.untrusted import say

    if not excludes:
        return paths
    kept, why = [], []
    for raw in paths or ["."]:
        real = os.path.realpath(Path.cwd() / raw)
        pattern = excludes.covering(real, os.path.isdir(real))
        if pattern is None:
            kept.append(raw)
        else:
            why.append(str(pattern))
    if kept or not why:
        return kept if paths else []
    shown = " ".join(paths) or "."
    say(f"seslint: {shown}: excluded by {', '.join(dict.fromkeys(why))}; nothing to check")
    return None


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


def _nothing_to_check(paths: list[str], excludes: Excludes) -> None:
    """No root to judge: without any Terraform under the paths that is a wrong path, not a pass
    (exit 2), and so when all the Terraform there is excluded; modules that declare nothing
    SES-related were read, so that is a pass, said on stderr."""
    from seslint.errors import UsageError
    from seslint.sources.terraform import discovery
    from seslint.untrusted import say

    shown = " ".join(paths) or "."
    modules = discovery.module_dirs(paths or ["."], Path.cwd(), excludes=excludes)
    if not modules:
        found = discovery.module_dirs(paths or ["."], Path.cwd()) if excludes else []
        if found:
            count = (
                "the one Terraform module here is"
                if len(found) == 1
                else f"all {len(found)} Terraform modules here are"
            )
            why = dict.fromkeys(str(p) for d in found if (p := _excluding(excludes, d)) is not None)
            raise UsageError(f"{shown}: {count} excluded, by {', '.join(why)}; nothing was checked")
        raise UsageError(f"{shown}: no Terraform files (.tf, .tf.json) here; nothing was checked")
    count = f"{len(modules)} Terraform module{'s' * (len(modules) != 1)}"
    say(f"seslint: {shown}: no SES, SNS, alarm or DNS resources in {count}")


def _excluding(excludes: Excludes, directory: Path) -> Pattern | None:
    """The pattern excluding a (real) module directory, or else its Terraform files."""
    from seslint.sources.terraform import discovery

    found = excludes.covering(str(directory), True)
    files = discovery.module_files(directory)
    return found or next((p for f in files if (p := excludes.matching(str(f), False)) is not None), None)
