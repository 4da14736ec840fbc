"""`seslint audit`: live AWS accounts, read only."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seslint.model import Posture


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", help="AWS profile (default: the standard credential chain)")
    regions = parser.add_mutually_exclusive_group()
    regions.add_argument(
        "--region", action="append", default=[], metavar="REGION", help="region to audit (repeat)"
    )
    regions.add_argument("--all-regions", action="store_true", help="every region SES is offered in")
    roles = parser.add_mutually_exclusive_group()
    roles.add_argument(
        "--role-arn", action="append", default=[], metavar="ARN", help="assume this role (repeat)"
    )
    roles.add_argument("--accounts-file", metavar="FILE", help="a file of role ARNs, one per line")
    roles.add_argument(
        "--organization-role",
        metavar="NAME",
        help="audit every ACTIVE account of the AWS organisation (organizations:ListAccounts), "
        "assuming role NAME in each",
    )
    parser.add_argument("--external-id", help="external id for role assumption")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="seconds each try of an AWS API call waits for an answer (default 20); a call is tried "
        "9 times, or as AWS_MAX_ATTEMPTS or the profile's max_attempts say, then reported as "
        "unreadable (SES003)",
    )
    parser.add_argument(
        "--dns", action="store_true", help="also check DKIM, MAIL FROM and DMARC records in DNS"
    )
    parser.add_argument("--nameserver", metavar="IP[:PORT]", help="with --dns: ask this server")
    parser.add_argument("--save-snapshot", metavar="FILE", help="save the raw responses as audit evidence")
    parser.add_argument(
        "--from-snapshot",
        action="append",
        default=[],
        metavar="FILE",
        help="audit a saved snapshot again, offline; repeat to merge the shards of one audit",
    )


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value


def collect(args: argparse.Namespace) -> list[Posture]:
    import json

    from seslint.errors import UsageError
    from seslint.sources.aws import audit
    from seslint.sources.aws.organization import role_name as organization_role
    from seslint.untrusted import say

    if args.from_snapshot:
        snapshot = audit.merge_snapshots([(p, audit.load_snapshot(p)) for p in args.from_snapshot])
    else:
        roles = list(args.role_arn)
        if args.accounts_file:
            try:
                with open(args.accounts_file, encoding="utf-8") as handle:
                    roles = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
            except OSError as exc:
                raise UsageError(f"{args.accounts_file}: {exc.strerror or exc}") from None
        snapshot = audit.run_audit(
            args.profile,
            list(args.region),
            args.all_regions,
            roles,
            args.external_id,
            sys.stderr.isatty(),
            args.timeout or audit.TIMEOUT,
            organization_role(args.organization_role) if args.organization_role is not None else None,
        )
    if args.save_snapshot:
        try:
            with open(args.save_snapshot, "w", encoding="utf-8") as handle:
                json.dump(snapshot, handle, indent=1, sort_keys=True)
        except OSError as exc:
            raise UsageError(f"{args.save_snapshot}: cannot save snapshot: {exc.strerror or exc}") from None
    for skipped in snapshot.get("skipped", []):
        say(f"seslint: {audit.skipped_line(skipped)}")
    args.report_facts = audit.facts(snapshot, list(args.from_snapshot), args.save_snapshot)
    postures = audit.postures(snapshot, source=", ".join(args.from_snapshot) or "live audit")
    if args.dns:
        postures = [audit.with_dns(p, args.nameserver) for p in postures]
    return postures
