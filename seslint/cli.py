"""Command line: argument parsing and wiring, nothing else.

Only the standard library is imported at the top: `seslint --version` and the pre-commit hook must
start fast. Each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from seslint import __version__
from seslint.errors import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, NotBuiltError, SeslintError
from seslint.untrusted import say, shown

if TYPE_CHECKING:
    from seslint.engine import FindingKey
    from seslint.findings import Finding
    from seslint.model import Posture
    from seslint.policy.model import Policy
    from seslint.report_context import ReportContext
    from seslint.rules.base import Rule

FORMATS = ("table", "json", "sarif", "junit", "github", "markdown", "html")
FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_WIDTH = 100  # the table's width when it is not written to a terminal

# Source commands: (command, module with add_arguments/collect, help).
SOURCE_COMMANDS = (
    ("check", "seslint.sources.terraform.command", "lint Terraform source (modules, tfvars, module calls)"),
    ("plan", "seslint.sources.plan.command", "lint a Terraform plan or state (terraform show -json)"),
    ("audit", "seslint.sources.aws.command", "audit live AWS accounts, read only"),
    ("dns", "seslint.sources.dns.command", "check the public DNS of sending domains"),
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors through our exit code 2 and one-line messages."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        say(f"{self.prog}: error: {message}")  # the message quotes arguments: file names from a PR
        raise SystemExit(EXIT_USAGE)


def _output_options() -> _Parser:
    common = _Parser(add_help=False)
    group = common.add_argument_group("policy and output")
    group.add_argument(
        "--policy", help="shipped policy name or policy file (default: discovered, else baseline)"
    )
    group.add_argument(
        "--format", choices=FORMATS, help="output format (default: table; github on GitHub Actions)"
    )
    group.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    group.add_argument(
        "--fail-on", choices=FAIL_ON, default="error", help="lowest severity that fails the run"
    )
    group.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline file")
    group.add_argument(
        "--write-baseline", metavar="FILE", help="write today's findings as a baseline and exit 0"
    )
    return common


def _debug_option(default: object) -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks for internal errors"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    # Accepted before and after the command: the commands' own --debug sets the value only when it is
    # given (SUPPRESS), so `seslint --debug check` is not undone by the command's default.
    debug = _debug_option(argparse.SUPPRESS)
    parser = _Parser(
        prog="seslint",
        description="Compliance-as-code for Amazon SES sending posture.",
        parents=[_debug_option(False)],
    )
    parser.add_argument("--version", action="version", version=f"seslint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    output = _output_options()
    for name, module, help_text in SOURCE_COMMANDS:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[output, debug])
        sub.set_defaults(source_module=module)
        _source_arguments(name, module, sub)
    rules = commands.add_parser("rules", help="list the rules", parents=[debug])
    rules.add_argument("--format", choices=("table", "json"), default="table")
    explain = commands.add_parser("explain", help="print a rule's documentation", parents=[debug])
    explain.add_argument("rule", metavar="RULE")
    policy = commands.add_parser("policy", help="validate or show policies", parents=[debug])
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="ACTION", parser_class=_Parser)
    policy_commands.required = True
    validate = policy_commands.add_parser("validate", help="validate policy files", parents=[debug])
    validate.add_argument("files", nargs="+", metavar="FILE")
    show = policy_commands.add_parser("show", help="print a merged policy", parents=[debug])
    show.add_argument("ref", nargs="?", metavar="NAME|FILE")
    commands.add_parser("permissions", help="print the read-only IAM policy the audit needs", parents=[debug])
    return parser


def _source_arguments(name: str, module: str, parser: argparse.ArgumentParser) -> None:
    """Let the source add its own arguments; a source not built yet still parses (and says so)."""
    try:
        source = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        parser.set_defaults(not_built=name)
        return
    source.add_arguments(parser)


def main(argv: Sequence[str] | None = None, parse_child: object = None) -> int:
    """`parse_child`: the parse worker launch.py forked for `check` before this module loaded."""
    args = build_parser().parse_args(argv)
    args.early_child = parse_child
    try:
        return _dispatch(args)
    except SeslintError as exc:
        for line in exc.lines():
            say(f"seslint: {line}" if not _located(line) else line)
        return exc.exit_code
    except KeyboardInterrupt:
        say("seslint: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`seslint rules | head`): not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        say(f"seslint: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)")
        return EXIT_INTERNAL
    finally:
        if args.debug:
            _debug_notes()


def _debug_notes() -> None:
    """What the run chose not to use, and why (an unsafe cache directory)."""
    from seslint import cache

    for note in cache.NOTES:
        say(f"seslint: debug: {note}")


def _located(line: str) -> bool:
    """Lines that already start with FILE:LINE: (policy problems) are printed as they are."""
    head = line.split(": ", 1)[0]
    return ":" in head and head.rsplit(":", 1)[1].isdigit()


def _dispatch(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "rules": _cmd_rules,
        "explain": _cmd_explain,
        "policy": _cmd_policy,
        "permissions": _cmd_permissions,
    }
    if args.command in handlers:
        return handlers[args.command](args)
    return _cmd_lint(args)


def _all_rules() -> tuple[Rule, ...]:
    from seslint.rules import ALL_RULES

    return ALL_RULES


def _cmd_lint(args: argparse.Namespace) -> int:
    if getattr(args, "not_built", None):
        raise NotBuiltError(f"seslint {args.not_built}: this source is not built yet")
    source = importlib.import_module(args.source_module)
    prepare: Callable[[argparse.Namespace], None] | None = getattr(source, "prepare", None)
    if prepare is not None:  # optional: work a source can start while the rules and policy load
        prepare(args)
    from datetime import date
    from pathlib import Path

    from seslint import baseline, engine
    from seslint.findings import Severity
    from seslint.policy.loader import load_policy
    from seslint.reporters import Report, render
    from seslint.rules import RULE_IDS

    rules = _all_rules()
    # The configuration of the repository being checked, wherever seslint runs from.
    checked: Callable[[argparse.Namespace], Path | None] | None = getattr(source, "checked_path", None)
    args.checked = checked(args) if checked else None
    policy = load_policy(args.policy, cwd=Path.cwd(), known_rules=RULE_IDS, checked=args.checked)
    args.loaded_policy = policy  # what a source reads of it before it reads its input (check's exclude)
    postures: list[Posture] = source.collect(args)
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "table")
    origins: dict[engine.FindingKey, set[int]] | None = {} if fmt == "html" else None
    findings = engine.run(postures, policy, rules, today=date.today(), debug=args.debug, origins=origins)
    if args.write_baseline:
        count = baseline.write(args.write_baseline, findings, __version__)
        say(f"seslint: wrote {count} finding(s) to baseline {args.write_baseline}")
        return EXIT_OK
    if args.baseline:
        accepted = baseline.read(args.baseline)
        if accepted.note:
            say(f"seslint: {args.baseline}: {accepted.note}")
        findings = baseline.apply(findings, accepted)
    fail_on = None if args.fail_on == "never" else Severity(args.fail_on)
    kind = postures[0].source.value if postures else args.command
    targets = tuple(t for p in postures for t in p.targets)
    status = EXIT_FINDINGS if engine.failing(findings, fail_on) else EXIT_OK
    report = Report(
        findings=tuple(findings),
        rules={r.id: r.meta for r in rules},
        tool_version=__version__,
        source_kind=kind,
        targets=targets,
        policy_name=policy.name,
        policy_files=policy.files,
        fail_on=fail_on,
        width=terminal_width(args.output),
        context=None if origins is None else _html_context(args, postures, policy, findings, origins, status),
    )
    _emit(render(fmt, report, color=_use_color(args.output)), args.output)
    return status


def _html_context(
    args: argparse.Namespace,
    postures: list[Posture],
    policy: Policy,
    findings: list[Finding],
    origins: dict[FindingKey, set[int]],
    status: int,
) -> ReportContext:
    """The auditor's report needs more than findings: the matrix, evidence, the merged policy."""
    from datetime import datetime, timezone
    from pathlib import Path

    from seslint import report_context
    from seslint.rules import RULE_IDS

    return report_context.build(
        postures,
        policy,
        report_context.policy_text(args.policy, Path.cwd(), RULE_IDS, args.checked),
        _all_rules(),
        findings,
        origins,
        exit_status=status,
        facts=getattr(args, "report_facts", ()),
        generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


def _use_color(output: str | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def terminal_width(output: str | None) -> int:
    """Columns for the table: COLUMNS, else the terminal's width, else 100 (a pipe, a file, CI)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if output is None and sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns or DEFAULT_WIDTH
        except (OSError, ValueError):
            pass
    return DEFAULT_WIDTH


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from seslint.errors import UsageError

    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{output}: cannot write report: {exc.strerror or exc}") from None


def _cmd_rules(args: argparse.Namespace) -> int:
    rules = _all_rules()
    if args.format == "json":
        import json

        rows = [
            {
                "id": r.id,
                "slug": r.meta.slug,
                "severity": r.meta.severity.value,
                "sources": sorted(s.value for s in r.meta.sources),
                "summary": r.meta.summary,
            }
            for r in rules
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    from seslint.reporters.table import rules_table

    sys.stdout.write(rules_table([r.meta for r in rules], terminal_width(None)))
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from seslint.errors import UsageError
    from seslint.rules import RULES_BY_ID
    from seslint.rules.docs import render_rule

    wanted = args.rule.upper()
    rule = RULES_BY_ID.get(wanted) or next(
        (r for r in RULES_BY_ID.values() if r.meta.slug == args.rule), None
    )
    if rule is None:
        from seslint.suggest import hint

        raise UsageError(
            f"unknown rule {args.rule!r}{hint(args.rule, RULES_BY_ID) or '; see `seslint rules`'}"
        )
    sys.stdout.write(render_rule(rule))
    return EXIT_OK


def _cmd_policy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from seslint.rules import RULE_IDS

    if args.policy_command == "validate":
        from seslint.policy.loader import validate_files

        problems = validate_files(args.files, known_rules=RULE_IDS)
        for problem in problems:
            say(problem)
        if problems:
            return EXIT_USAGE
        for name in args.files:
            print(f"{shown(name)}: ok")
        return EXIT_OK
    from seslint.policy.loader import policy_yaml

    sys.stdout.write(policy_yaml(args.ref, cwd=Path.cwd(), known_rules=RULE_IDS))
    return EXIT_OK


def _cmd_permissions(args: argparse.Namespace) -> int:
    import json

    from seslint.permissions import iam_policy

    sys.stdout.write(json.dumps(iam_policy(_all_rules()), indent=2) + "\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
