"""Many domains in one `seslint dns` run, against a generated zone: every domain's SPF include chain is
followed (the bound on followed targets is per SPF record, not per run), and the rules stay linear."""

from __future__ import annotations

import json

import pytest

from seslint import cli
from tests.dns import nsd

DOMAINS = 60  # more include targets than one SPF record may follow (MAX_SPF_FOLLOW = 40)
DEEP = 7  # this domain's chain needs 12 lookups


def zone() -> str:
    lines = [
        "$ORIGIN many.test.",
        "$TTL 300",
        "@ IN SOA ns1 hostmaster 1 3600 600 86400 300",
        "@ IN NS ns1",
        "ns1 IN A 127.0.0.1",
    ]
    for n in range(DOMAINS):
        lines += [
            f'd{n} IN TXT "v=spf1 include:_spf.d{n}.many.test -all"',
            f'_dmarc.d{n} IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@many.test"',
            f'_spf.d{n} IN TXT "v=spf1 ip4:192.0.2.{n} -all"',
        ]
    # d7: include -> 11 more includes, 12 lookups in all (the limit is 10).
    lines[lines.index(f'_spf.d{DEEP} IN TXT "v=spf1 ip4:192.0.2.{DEEP} -all"')] = (
        f'_spf.d{DEEP} IN TXT "v=spf1 ' + " ".join(f"include:x{i}.many.test" for i in range(11)) + ' -all"'
    )
    lines += [f'x{i} IN TXT "v=spf1 ip4:198.51.100.{i} -all"' for i in range(11)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> object:
    zones = tmp_path_factory.mktemp("zones")
    (zones / "many.test.zone").write_text(zone())
    with nsd.running(tmp_path_factory.mktemp("nsd"), zones_dir=zones) as port:
        yield f"127.0.0.1:{port}"


def test_every_include_chain_is_followed(many: str, capsys: pytest.CaptureFixture[str]) -> None:
    domains = [f"d{n}.many.test" for n in range(DOMAINS)]
    code = cli.main(["dns", *domains, "--nameserver", many, "--format", "json", "--fail-on", "never"])
    report = json.loads(capsys.readouterr().out)
    spf = [(f["status"], f["identity"], f["message"]) for f in report["findings"] if f["rule"] == "SES130"]
    assert code == 0
    assert spf == [
        (
            "fail",
            f"d{DEEP}.many.test",
            f"SPF record of d{DEEP}.many.test is invalid: 12 DNS lookups, more than the limit of 10 "
            "(RFC 7208 4.6.4)",
        )
    ]
    assert not [f for f in report["findings"] if f["status"] == "unknown"]


def test_records_are_found_by_name_among_thousands() -> None:
    """The rules look records up through the posture's index by name and type (a scan per question
    made `seslint dns` on 2,000 domains take 80 s, benchmarks/dns_domains.py)."""
    from seslint.model import DnsRecord, Location, Posture, SourceKind
    from seslint.rules.records import at

    records = tuple(
        DnsRecord(
            name=f"_dmarc.d{n}.example",
            type="TXT",
            values=("v=DMARC1; p=reject",),
            address=f"r{n}",
            location=Location(),
        )
        for n in range(20_000)
    )
    posture = Posture(source=SourceKind.DNS, targets=("t",), dns_records=records)
    found = [at(posture, f"_dmarc.d{n}.example", "TXT").records for n in range(0, 20_000, 7)]
    assert [len(r) for r in found] == [1] * len(found)
    assert found[3][0].address == "r21"
