"""`seslint dns` on thousands of domains: a generated zone served by a real NSD on 127.0.0.1.

    python benchmarks/dns_domains.py [--domains 2000] [--per-domain 100] [--no-audit] [--profile]
                                     [--latency MS]

Generates the zone `example.` with N sending domains dNNNNN.example (deterministic), each with three
Easy DKIM CNAMEs, an SPF record, a DMARC record and a MAIL FROM domain bounce.dNNNNN.example (MX to
feedback-smtp.eu-west-1.amazonses.com, SPF include:amazonses.com). One domain in five is broken in one
way, in turn: no DMARC record, DMARC p=none, a DKIM CNAME missing, SPF over 10 lookups through an
include chain inside the zone, MAIL FROM SPF without amazonses.com. Half the domains include an SPF
record of their own (_spf.dNNNNN.example), the others a shared one, as real domains do.

`seslint dns` takes one set of --dkim-token values for all the domains of a run, and Easy DKIM tokens
belong to one identity, so thousands of domains are checked in one of three ways, each measured:

- dns, one run: every domain in one `seslint dns` run, without tokens (DKIM is not checked);
- dns, a run per domain: with the domain's tokens; the first --per-domain domains are run, one
  process each, and the time is extrapolated to N;
- audit --dns: `seslint audit --from-snapshot S --dns`, S a snapshot of N SES identities with their
  tokens and MAIL FROM domains (what a live audit of the account would have read).

Every run asks the one NSD; queries are counted by NSD itself (its statistics, dumped on SIGUSR1).
On 127.0.0.1 a round trip costs nothing, so --latency MS puts a UDP relay in front of NSD that holds
each question MS milliseconds: the time should then be about queries x MS / 16 (seslint's workers).
Prints a table of domains, queries, wall and CPU time, peak RSS, findings by rule, then the findings
expected from the generator against those reported.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORIGIN = "example"
REGION = "eu-west-1"
FEEDBACK = f"feedback-smtp.{REGION}.amazonses.com"
SHARED_SPF = f"_spf.mailhost.{ORIGIN}"
# Broken domains, by index modulo 20 (the rest are compliant); the rule each should fire.
BROKEN = {
    1: ("no DMARC record", "SES120"),
    5: ("DMARC p=none", "SES122"),
    9: ("a DKIM CNAME missing", "SES103"),
    13: ("SPF over 10 lookups", "SES130"),
    17: ("MAIL FROM SPF without amazonses.com", "SES113"),
}
POLICY = """\
version: 1
name: dns-benchmark
description: baseline, with DMARC at quarantine or stricter so that p=none fails.
extends: baseline
require:
  dmarc: {required: true, min_policy: quarantine, rua: true}
"""
# Runs the commands of a JSON file one after the other, in a fresh process, and reports their usage.
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "commands = json.load(open(sys.argv[1]))\n"
    "start = time.perf_counter()\n"
    "codes = [subprocess.run(c, stdout=subprocess.DEVNULL).returncode for c in commands]\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'wall': wall, 'cpu': usage.ru_utime + usage.ru_stime,\n"
    "                  'rss_kib': usage.ru_maxrss, 'codes': codes}))\n"
)


@dataclass(frozen=True)
class Domain:
    index: int
    name: str
    tokens: tuple[str, str, str]
    broken: str | None  # the rule this domain should fire, None when compliant

    @property
    def mail_from(self) -> str:
        return f"bounce.{self.name}"


def domains(count: int) -> list[Domain]:
    out = []
    for i in range(count):
        tokens = tuple(hashlib.sha256(f"{i}/{k}".encode()).hexdigest()[:32] for k in range(3))
        broken = BROKEN.get(i % 20)
        out.append(Domain(i, f"d{i:05d}.{ORIGIN}", (tokens[0], tokens[1], tokens[2]), broken and broken[1]))
    return out


def zone_text(items: list[Domain]) -> str:
    lines = [
        f"; {len(items)} sending domains for benchmarks/dns_domains.py (generated)",
        f"$ORIGIN {ORIGIN}.",
        "$TTL 300",
        "@ IN SOA ns1 hostmaster 1 3600 600 86400 300",
        "@ IN NS ns1",
        "ns1 IN A 127.0.0.1",
        f'{SHARED_SPF[: -len(ORIGIN) - 1]} IN TXT "v=spf1 ip4:198.51.100.0/24 -all"',
    ]
    for d in items:
        name = d.name[: -len(ORIGIN) - 1]
        own = f"_spf.{d.name}"
        if d.broken == "SES130":
            # 3 + (a mx include) 3 + (a mx a:) 3 + (a mx) 2 = 11 lookups, 3 levels deep
            lines += [
                f'{name} IN TXT "v=spf1 include:l1.{d.name} include:l2.{d.name} include:amazonses.com -all"',
                f'l1.{name} IN TXT "v=spf1 a mx include:l3.{d.name} -all"',
                f'l2.{name} IN TXT "v=spf1 a mx a:relay.{d.name} -all"',
                f'l3.{name} IN TXT "v=spf1 a mx -all"',
            ]
        elif d.index % 2 == 0:
            lines += [
                f'{name} IN TXT "v=spf1 include:{own} include:amazonses.com -all"',
                f'_spf.{name} IN TXT "v=spf1 ip4:192.0.2.{d.index % 256}/32 -all"',
            ]
        else:
            lines.append(f'{name} IN TXT "v=spf1 include:{SHARED_SPF} include:amazonses.com -all"')
        if d.broken == "SES122":
            lines.append(f'_dmarc.{name} IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@{d.name}"')
        elif d.broken != "SES120":
            lines.append(
                f'_dmarc.{name} IN TXT "v=DMARC1; p=reject; sp=reject; pct=100; rua=mailto:dmarc@{d.name}"'
            )
        for k, token in enumerate(d.tokens):
            if d.broken == "SES103" and k == 2:
                continue
            lines.append(f"{token}._domainkey.{name} IN CNAME {token}.dkim.amazonses.com.")
        lines.append(f"bounce.{name} IN MX 10 {FEEDBACK}.")
        spf = "v=spf1 mx ~all" if d.broken == "SES113" else "v=spf1 include:amazonses.com ~all"
        lines.append(f'bounce.{name} IN TXT "{spf}"')
    return "\n".join(lines) + "\n"


def write_zones(directory: Path, items: list[Domain]) -> None:
    from tests.dns.nsd import ZONES

    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{ORIGIN}.zone").write_text(zone_text(items))
    # amazonses.com's SPF, so that include:amazonses.com is followed without the internet.
    (directory / "amazonses.com.zone").write_text((ZONES / "amazonses.com.zone").read_text())


def snapshot(items: list[Domain]) -> dict[str, object]:
    """What `seslint audit` would save for an account holding these identities in REGION."""
    calls: list[dict[str, object]] = [
        {
            "service": "sesv2",
            "operation": "GetAccount",
            "params": {},
            "response": {
                "ProductionAccessEnabled": True,
                "EnforcementStatus": "HEALTHY",
                "SendingEnabled": True,
                "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
            },
        }
    ]
    for start in range(0, len(items), 1000):
        calls.append(
            {
                "service": "sesv2",
                "operation": "ListEmailIdentities",
                "params": {"PageSize": 1000},
                "response": {
                    "EmailIdentities": [
                        {"IdentityName": d.name, "IdentityType": "DOMAIN"}
                        for d in items[start : start + 1000]
                    ]
                },
            }
        )
    for d in items:
        calls.append(
            {
                "service": "sesv2",
                "operation": "GetEmailIdentity",
                "params": {"EmailIdentity": d.name},
                "response": {
                    "IdentityType": "DOMAIN",
                    "VerifiedForSendingStatus": True,
                    "VerificationStatus": "SUCCESS",
                    "DkimAttributes": {
                        "SigningEnabled": True,
                        "Status": "SUCCESS",
                        "Tokens": list(d.tokens),
                        "SigningAttributesOrigin": "AWS_SES",
                        "CurrentSigningKeyLength": "RSA_2048_BIT",
                    },
                    "MailFromAttributes": {
                        "MailFromDomain": d.mail_from,
                        "MailFromDomainStatus": "SUCCESS",
                        "BehaviorOnMxFailure": "REJECT_MESSAGE",
                    },
                },
            }
        )
    return {
        "seslint_snapshot": 1,
        "tool_version": "benchmark",
        "taken_at": "2024-01-01T00:00:00+00:00",
        "units": [{"account": "123456789012", "region": REGION, "calls": calls, "api_calls": len(calls)}],
        "skipped": [],
    }


class QueryCounter:
    """Queries NSD received: its statistics (BIND8-style XSTATS), dumped to its log on SIGUSR1."""

    def __init__(self, workdir: Path) -> None:
        self.pid = int((workdir / "nsd.pid").read_text().split()[0])
        self.log = workdir / "nsd.log"

    def _dump(self) -> dict[str, int]:
        before = self._stats()
        os.kill(self.pid, signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = self._stats()
            if len(lines) > len(before):
                fields = dict(re.findall(r"(\w+)=(\d+)", lines[-1]))
                return {k: int(v) for k, v in fields.items()}
            time.sleep(0.02)
        raise RuntimeError("NSD wrote no statistics after SIGUSR1")

    def _stats(self) -> list[str]:
        text = self.log.read_text() if self.log.exists() else ""
        return [line for line in text.splitlines() if " XSTATS " in line]

    def around(self) -> _Counting:
        return _Counting(self)


class _Counting:
    def __init__(self, counter: QueryCounter) -> None:
        self.counter = counter
        self.queries = 0
        self.tcp = 0

    def __enter__(self) -> _Counting:
        self.start = self.counter._dump()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self.counter._dump()
        self.queries = end["RQ"] - self.start["RQ"]
        self.tcp = end["RTCP"] - self.start["RTCP"]


class _Relay(asyncio.DatagramProtocol):
    """UDP questions from seslint to NSD, each held `delay` seconds; answers go straight back."""

    def __init__(self, upstream: int, delay: float) -> None:
        self.upstream = ("127.0.0.1", upstream)
        self.delay = delay
        self.front: asyncio.DatagramTransport | None = None
        self.back: asyncio.DatagramTransport | None = None
        self.pending: dict[int, tuple[bytes, tuple[str, int]]] = {}
        self.next_id = 0

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if len(data) > 12:
            asyncio.get_running_loop().call_later(self.delay, self._forward, data, addr)

    def _forward(self, data: bytes, addr: tuple[str, int]) -> None:
        # Questions of many clients share one upstream socket: give each its own message id.
        self.next_id = (self.next_id + 1) % 65536
        self.pending[self.next_id] = (data[:2], addr)
        if self.back is not None:
            self.back.sendto(self.next_id.to_bytes(2, "big") + data[2:])

    def answer(self, data: bytes) -> None:
        found = self.pending.pop(int.from_bytes(data[:2], "big"), None)
        if found is not None and self.front is not None:
            self.front.sendto(found[0] + data[2:], found[1])


class _Upstream(asyncio.DatagramProtocol):
    def __init__(self, relay: _Relay) -> None:
        self.relay = relay

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.relay.answer(data)


@contextmanager
def delayed(upstream: int, milliseconds: float) -> Iterator[int]:
    """A port on 127.0.0.1 that relays UDP DNS to `upstream` with a round trip of `milliseconds` added."""
    loop = asyncio.new_event_loop()
    relay = _Relay(upstream, milliseconds / 1000)

    async def setup() -> int:
        relay.front, _ = await loop.create_datagram_endpoint(lambda: relay, local_addr=("127.0.0.1", 0))
        relay.back, _ = await loop.create_datagram_endpoint(
            lambda: _Upstream(relay), remote_addr=relay.upstream
        )
        port: int = relay.front.get_extra_info("sockname")[1]
        return port

    port = loop.run_until_complete(setup())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        for transport in (relay.front, relay.back):
            if transport is not None:
                transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()


@dataclass
class Result:
    mode: str
    domains: int  # domains checked by the runs measured
    runs: int
    wall: float
    cpu: float
    rss_mib: float
    queries: int
    tcp: int
    findings: Counter[tuple[str, str]] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    extrapolate_to: int | None = None


def measured(
    mode: str, domains: int, runs: int, figures: tuple[dict[str, float], int, int], **rest: Any
) -> Result:
    """A Result from what `measure` returned."""
    usage, queries, tcp = figures
    return Result(
        mode, domains, runs, usage["wall"], usage["cpu"], usage["rss_kib"] / 1024, queries, tcp, **rest
    )


def measure(
    commands: list[list[str]], work: Path, counter: QueryCounter
) -> tuple[dict[str, float], int, int]:
    listing = work / "commands.json"
    listing.write_text(json.dumps(commands))
    with counter.around() as counted:
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(listing)], capture_output=True, text=True, check=True
        )
    usage = json.loads(done.stdout)
    bad = [c for c in usage["codes"] if c not in (0, 1)]
    if bad:
        raise RuntimeError(f"seslint exited with {bad[0]}: {done.stderr}")
    return usage, counted.queries, counted.tcp


def findings(*reports: Path) -> Counter[tuple[str, str]]:
    found: Counter[tuple[str, str]] = Counter()
    for report in reports:
        for f in json.loads(report.read_text())["findings"]:
            found[(f["rule"], f["status"])] += 1
    return found


def expected(items: list[Domain], dkim: bool) -> Counter[str]:
    return Counter(d.broken for d in items if d.broken and (dkim or d.broken != "SES103"))


def seslint(*args: str) -> list[str]:
    return [sys.executable, "-m", "seslint", *args]


def run_all(items: list[Domain], server: str, work: Path, counter: QueryCounter) -> Result:
    report = work / "all.json"
    command = seslint(
        "dns",
        *(d.name for d in items),
        *("--nameserver", server, "--region", REGION, "--mail-from", "bounce"),
        *("--policy", str(work / "policy.yaml"), "--format", "json", "--output", str(report)),
        *("--fail-on", "never"),
    )
    return measured(
        "dns, one run (no tokens)",
        len(items),
        1,
        measure([command], work, counter),
        findings=findings(report),
        expected=expected(items, dkim=False),
    )


def run_each(items: list[Domain], sample: int, server: str, work: Path, counter: QueryCounter) -> Result:
    chosen = items[:sample]
    commands = []
    reports = []
    for d in chosen:
        report = work / f"one-{d.index}.json"
        reports.append(report)
        commands.append(
            seslint(
                "dns",
                d.name,
                *("--nameserver", server, "--region", REGION, "--mail-from", "bounce"),
                *(a for t in d.tokens for a in ("--dkim-token", t)),
                *("--policy", str(work / "policy.yaml"), "--format", "json", "--output", str(report)),
                *("--fail-on", "never"),
            )
        )
    return measured(
        "dns, a run per domain (tokens)",
        len(chosen),
        len(chosen),
        measure(commands, work, counter),
        findings=findings(*reports),
        expected=expected(chosen, dkim=True),
        extrapolate_to=len(items) if len(chosen) < len(items) else None,
    )


def run_audit(items: list[Domain], server: str, work: Path, counter: QueryCounter) -> Result:
    saved = work / "snapshot.json"
    saved.write_text(json.dumps(snapshot(items)))
    report = work / "audit.json"
    command = seslint(
        "audit",
        *("--from-snapshot", str(saved), "--dns", "--nameserver", server),
        *("--policy", str(work / "policy.yaml"), "--format", "json", "--output", str(report)),
        *("--fail-on", "never"),
    )
    figures = measure([command], work, counter)
    # The audit judges only the DNS rules that read AWS identities too (SES103 among those generated).
    from seslint.rules import ALL_RULES

    aws = {r.id for r in ALL_RULES if "aws" in {s.value for s in r.meta.sources}}
    want = Counter({rule: n for rule, n in expected(items, dkim=True).items() if rule in aws})
    return measured(
        "audit --from-snapshot --dns (tokens)",
        len(items),
        1,
        figures,
        findings=findings(report),
        expected=want,
    )


def profile(items: list[Domain], server: str, work: Path, top: int = 15) -> str:
    import io
    import pstats

    out = work / "dns.prof"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(out),
            "-m",
            "seslint",
            "dns",
            *(d.name for d in items),
            *("--nameserver", server, "--region", REGION, "--mail-from", "bounce"),
            *("--policy", str(work / "policy.yaml"), "--format", "json", "--output", str(work / "p.json")),
            *("--fail-on", "never"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    text = io.StringIO()
    stats = pstats.Stats(str(out), stream=text)
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def rule_summary(found: Counter[tuple[str, str]], only: set[str] | None = None) -> str:
    rules = sorted({r for r, _ in found if only is None or r in only})
    parts = []
    for rule in rules:
        by_status = {s: n for (r, s), n in found.items() if r == rule}
        parts.append(f"{rule} " + " ".join(f"{n} {s}" for s, n in sorted(by_status.items())))
    return ", ".join(parts) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--domains", type=int, default=2000, help="domains in the zone (default 2000)")
    parser.add_argument(
        "--per-domain",
        type=int,
        default=100,
        metavar="K",
        help="domains checked with a run each, extrapolated to all (default 100; 0 skips)",
    )
    parser.add_argument("--no-audit", action="store_true", help="skip the audit --from-snapshot --dns run")
    parser.add_argument("--profile", action="store_true", help="also profile the one run with cProfile")
    parser.add_argument(
        "--latency",
        type=float,
        default=0,
        metavar="MS",
        help="ask NSD through a UDP relay that adds this round trip (default 0: NSD directly)",
    )
    args = parser.parse_args()
    # A terminated run unwinds too: NSD is stopped and the temporary directory removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tabulate import tabulate

    from seslint.rules import ALL_RULES
    from tests.dns import nsd

    dns_rules = {r.id for r in ALL_RULES if "dns" in {s.value for s in r.meta.sources}}
    items = domains(args.domains)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="seslint-dns-bench-") as tmp:
        work = Path(tmp)
        zones = work / "zones"
        write_zones(zones, items)
        (work / "policy.yaml").write_text(POLICY)
        (work / "nsd").mkdir()
        started = time.perf_counter()
        with ExitStack() as stack:
            port = stack.enter_context(nsd.running(work / "nsd", zones))
            ready = time.perf_counter() - started
            if args.latency:
                port = stack.enter_context(delayed(port, args.latency))
            server = f"127.0.0.1:{port}"
            counter = QueryCounter(work / "nsd")
            results.append(run_all(items, server, work, counter))
            if args.per_domain:
                results.append(run_each(items, min(args.per_domain, len(items)), server, work, counter))
            if not args.no_audit:
                results.append(run_audit(items, server, work, counter))
            profiled = profile(items, server, work) if args.profile else ""
    via = f"through a relay adding {args.latency:g} ms a round trip" if args.latency else "directly"
    print(
        f"{args.domains} domains in zone {ORIGIN}. ({ready:.1f} s to start NSD), asked {via}; "
        "queries as counted by NSD\n"
    )
    rows = []
    for r in results:
        per = r.domains or 1
        wall = f"{r.wall:.2f}"
        if r.extrapolate_to:
            wall += f" (~{r.wall / per * r.extrapolate_to:.0f} for {r.extrapolate_to})"
        rows.append(
            [
                r.mode,
                r.domains,
                r.runs,
                r.queries,
                f"{r.queries / per:.2f}",
                r.tcp,
                wall,
                f"{r.cpu:.2f}",
                f"{r.cpu / per * 1000:.1f}",
                f"{r.rss_mib:.0f}",
                rule_summary(r.findings, dns_rules),
            ]
        )
    print(
        tabulate(
            rows,
            headers=[
                "mode",
                "domains",
                "runs",
                "DNS queries",
                "queries/domain",
                "TCP",
                "wall s",
                "CPU s",
                "CPU ms/domain",
                "peak RSS MiB",
                "findings by rule (DNS rules)",
            ],
        )
    )
    print()
    checks = []
    for r in results:
        for rule in sorted(set(r.expected) | {x for x, _ in r.findings if x in dns_rules}):
            want = r.expected.get(rule, 0)
            got = r.findings.get((rule, "fail"), 0)
            other = sum(n for (x, s), n in r.findings.items() if x == rule and s != "fail")
            checks.append([r.mode, rule, want, got, other, "ok" if want == got and not other else "MISMATCH"])
    print(tabulate(checks, headers=["mode", "rule", "expected fail", "fail", "other status", ""]))
    if profiled:
        print("\ncProfile of the one run, by own time:\n" + profiled)


if __name__ == "__main__":
    main()
