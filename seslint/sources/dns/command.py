"""`seslint dns DOMAIN...`: check sending domains in public DNS (or a given name server)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seslint.model import Posture


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("domains", nargs="+", metavar="DOMAIN", help="sending domains to check")
    parser.add_argument("--nameserver", metavar="IP[:PORT]", help="ask this server instead of the system's")
    parser.add_argument("--region", help="SES region of the identities (expected MAIL FROM MX host)")
    tokens = parser.add_mutually_exclusive_group()
    tokens.add_argument(
        "--dkim-token",
        action="append",
        default=[],
        metavar="TOKEN",
        help="an Easy DKIM token (repeat for each, usually three)",
    )
    tokens.add_argument(
        "--dkim-selector", action="append", default=[], metavar="SELECTOR", help="a BYODKIM selector"
    )
    parser.add_argument(
        "--mail-from",
        metavar="DOMAIN",
        help="MAIL FROM domain (bounce.example.com; a bare label is a subdomain of each DOMAIN)",
    )
    parser.add_argument(
        "--timeout", type=float, default=5.0, metavar="SECONDS", help="per question (default 5)"
    )


def collect(args: argparse.Namespace) -> list[Posture]:
    from seslint.sources.dns.source import read_dns

    return [
        read_dns(
            args.domains,
            args.nameserver,
            args.region,
            args.dkim_token,
            args.dkim_selector,
            args.mail_from,
            args.timeout,
        )
    ]
