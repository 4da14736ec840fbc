"""The HTML report at 2,000 identities: its size, and how long a real headless Chromium takes to show it.

    python benchmarks/html_report.py [--identities 2000] [--repeat 5]

Three reports, each of the same size as the other live benchmarks:

- audit, moto: the account of benchmarks/audit_calls.py (identities created on the moto server and
  nothing else, so each fails some seven rules: the largest report per identity), one region;
- audit --dns: the account of benchmarks/dns_domains.py (a snapshot of identities with their DKIM
  tokens and MAIL FROM domains, DNS served by NSD, one domain in five broken);
- dns: the same zone checked by `seslint dns`, all domains in one run.

For each: the time seslint takes to write the report (one run), the file's size, the identities in
the matrix, and the browser's time to show it, the median of --repeat loads: from navigating to the
file until the load event has fired and two animation frames have been drawn (parsed, styled, laid
out and painted). The page is opened fresh each time in one browser (the DevTools pipe of
tests/reporters/browser.py). Limits: 5 MB and 3 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import dns_domains  # noqa: E402

MAX_BYTES = 5 * 1000 * 1000
MAX_SECONDS = 3.0
REGION = "eu-west-1"


def seslint(*args: str, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "seslint", *args, "--format", "html", "--fail-on", "never"],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seslint exited with {done.returncode}: {done.stderr}")
    return time.perf_counter() - started


def moto_report(count: int, out: Path) -> float:
    import boto3

    from tests.aws.moto_server import moto_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with moto_server() as (endpoint, _filler):
        env = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": REGION,
        }
        os.environ.update(env)
        sesv2 = boto3.client("sesv2", region_name=REGION)
        for i in range(count):
            sesv2.create_email_identity(EmailIdentity=f"d{i}.{REGION}.example.com")
        return seslint("audit", "--region", REGION, "--output", str(out), env=env)


def dns_reports(count: int, work: Path, audit_out: Path, dns_out: Path) -> tuple[float, float]:
    from tests.dns import nsd

    items = dns_domains.domains(count)
    dns_domains.write_zones(work / "zones", items)
    policy = work / "policy.yaml"
    policy.write_text(dns_domains.POLICY)
    snapshot = work / "snapshot.json"
    import json

    snapshot.write_text(json.dumps(dns_domains.snapshot(items)))
    (work / "nsd").mkdir()
    with ExitStack() as stack:
        port = stack.enter_context(nsd.running(work / "nsd", work / "zones"))
        server = f"127.0.0.1:{port}"
        audit = seslint(
            "audit", "--from-snapshot", str(snapshot), "--dns", "--nameserver", server,
            "--policy", str(policy), "--output", str(audit_out),
        )  # fmt: skip
        dns = seslint(
            "dns", *(d.name for d in items), "--nameserver", server, "--region", REGION,
            "--mail-from", "bounce", "--policy", str(policy), "--output", str(dns_out),
        )  # fmt: skip
    return audit, dns


def render_seconds(browser: object, path: Path, repeat: int) -> tuple[float, int]:
    from tests.reporters.browser import Browser

    assert isinstance(browser, Browser)
    times = []
    rows = 0
    for _ in range(repeat):
        with browser.page(path) as page:
            times.append(page.load_seconds + page.settle())
            rows = page.evaluate(
                "document.querySelectorAll('#matrix-table tbody tr:not(.where):not(.acct)').length"
            )
    return statistics.median(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--identities", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="browser loads per report; the median is shown")
    args = parser.parse_args()
    from tabulate import tabulate

    from tests.reporters.browser import chromium

    with tempfile.TemporaryDirectory(prefix="seslint-html-bench-") as tmp:
        work = Path(tmp)
        reports = {
            "audit, moto (audit_calls.py's account)": work / "moto.html",
            "audit --dns (dns_domains.py's account)": work / "audit-dns.html",
            "dns, one run (dns_domains.py's zone)": work / "dns.html",
        }
        paths = list(reports.values())
        written = [
            moto_report(args.identities, paths[0]),
            *dns_reports(args.identities, work, paths[1], paths[2]),
        ]
        rows = []
        with chromium() as browser:
            for (name, path), seconds in zip(reports.items(), written, strict=True):
                shown, identities = render_seconds(browser, path, args.repeat)
                size = path.stat().st_size
                ok = size < MAX_BYTES and shown < MAX_SECONDS
                rows.append(
                    [
                        name,
                        identities,
                        f"{seconds:.1f}",
                        f"{size / 1e6:.2f}",
                        f"{shown:.2f}",
                        "ok" if ok else "OVER",
                    ]
                )
    print(
        tabulate(
            rows,
            headers=["report", "identities", "seslint s", "MB", "browser s (median)", "5 MB, 3 s"],
        )
    )


if __name__ == "__main__":
    main()
