"""API calls an audit makes on a large account: a moto server over HTTP, seeded with N identities in
each of three regions, then one `seslint audit`; prints calls per identity and the wall time.

    python benchmarks/audit_calls.py [--identities 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGIONS = ("eu-west-1", "us-east-1", "ap-southeast-2")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--identities", type=int, default=2000, help="per region")
    args = parser.parse_args()
    import logging

    import boto3

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    from tabulate import tabulate

    from seslint import cli
    from tests.aws.moto_server import moto_server

    with moto_server() as (endpoint, _filler), tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            {
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "bench",
                "AWS_SECRET_ACCESS_KEY": "bench",
                "AWS_DEFAULT_REGION": REGIONS[0],
            }
        )
        seeded = time.perf_counter()
        for region in REGIONS:
            sesv2 = boto3.client("sesv2", region_name=region)
            for i in range(args.identities):
                sesv2.create_email_identity(EmailIdentity=f"d{i}.{region}.example.com")
        seeded = time.perf_counter() - seeded
        snapshot = Path(tmp) / "snapshot.json"
        started = time.perf_counter()
        cli.main(
            [
                "audit",
                *[a for r in REGIONS for a in ("--region", r)],
                "--save-snapshot",
                str(snapshot),
                "--format",
                "json",
                "--output",
                str(Path(tmp) / "report.json"),
                "--fail-on",
                "never",
            ]
        )
        elapsed = time.perf_counter() - started
        units = json.loads(snapshot.read_text())["units"]
    total = sum(len(u["calls"]) for u in units)
    identities = args.identities * len(REGIONS)
    print(
        tabulate(
            [
                [
                    identities,
                    len(REGIONS),
                    total,
                    f"{total / identities:.3f}",
                    f"{elapsed:.1f}",
                    f"{seeded:.1f}",
                ]
            ],
            headers=["identities", "regions", "API calls", "calls per identity", "audit s", "seeding s"],
        )
    )


if __name__ == "__main__":
    main()
