"""`seslint dns` against a real authoritative server (NSD on 127.0.0.1): exact findings per zone."""

from __future__ import annotations

import json

import pytest

from seslint import cli
from seslint.model import LookupStatus
from seslint.sources.dns.source import read_dns
from tests.dns import nsd

Row = tuple[str, str, str, str]


def dns(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Row]]:
    code = cli.main(["dns", *argv, "--policy", "strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return code, [(f["rule"], f["status"], f["resource"], f["message"]) for f in report["findings"]]


def test_compliant_domain_passes(nameserver: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, rows = dns(
        capsys,
        "example.com",
        "--nameserver",
        nameserver,
        "--region",
        "eu-west-1",
        "--dkim-token",
        "tok1",
        "--dkim-token",
        "tok2",
        "--dkim-token",
        "tok3",
        "--mail-from",
        "bounce",
    )
    assert (code, rows) == (0, [])


def test_broken_domain_fails_each_rule(nameserver: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, rows = dns(
        capsys,
        "example.net",
        "--nameserver",
        nameserver,
        "--region",
        "eu-west-1",
        "--dkim-token",
        "tok1",
        "--dkim-token",
        "tok2",
        "--dkim-token",
        "tok3",
        "--mail-from",
        "bounce.example.net",
    )
    assert code == 1
    # Sorted by where each finding points: the record's name, else the identity.
    assert rows == [
        (
            "SES122",
            "fail",
            "example.net",
            "DMARC policy at _dmarc.example.net is too weak: p=none is weaker than the required reject",
        ),
        (
            "SES123",
            "fail",
            "example.net",
            "DMARC record at _dmarc.example.net has no rua= address: nobody receives "
            "the aggregate reports that show who sends as the domain",
        ),
        (
            "SES112",
            "fail",
            "example.net",
            "MAIL FROM domain bounce.example.net has 2 MX records; it needs exactly "
            "one: 10 feedback-smtp.eu-west-1.amazonses.com",
        ),
        (
            "SES113",
            "fail",
            "example.net",
            "the SPF record of MAIL FROM domain bounce.example.net does not "
            "include:amazonses.com, so SES is not authorised to send for it",
        ),
        # One finding for the identity's record set, listing each record that is wrong or missing.
        (
            "SES103",
            "fail",
            "example.net",
            "DKIM CNAME records of example.net: tok2._domainkey.example.net points to "
            "tok2.dkim.example.net, not tok2.dkim.amazonses.com; "
            "tok3._domainkey.example.net -> tok3.dkim.amazonses.com is missing",
        ),
    ]


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        (
            "two.example.net",
            [
                (
                    "SES130",
                    "two.example.net has 2 SPF records; receivers treat that as a permanent "
                    "error (RFC 7208 4.5)",
                )
            ],
        ),
        (
            "plus.example.net",
            [
                (
                    "SES130",
                    "SPF record of plus.example.net is invalid: +all lets any server on the "
                    "internet pass SPF for plus.example.net",
                )
            ],
        ),
        (
            "many.example.net",
            [
                (
                    "SES130",
                    "SPF record of many.example.net is invalid: 12 DNS lookups, more than the "
                    "limit of 10 (RFC 7208 4.6.4)",
                )
            ],
        ),
        ("few.example.net", []),
    ],
)
def test_spf_records_and_include_chains(
    nameserver: str, capsys: pytest.CaptureFixture[str], domain: str, expected: list[tuple[str, str]]
) -> None:
    _, rows = dns(capsys, domain, "--nameserver", nameserver)
    assert [(r[0], r[3]) for r in rows if r[0] == "SES130"] == expected


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("long.example.net", []),  # split into two strings, joined without a space
        ("chain.example.net", []),  # _dmarc is a CNAME to the policy inside the zone
        (
            "bad.example.net",
            [
                (
                    "SES121",
                    "DMARC record at _dmarc.bad.example.net is invalid: p=maybe is not one of "
                    "none, quarantine, reject",
                )
            ],
        ),
        (
            "nodmarc.example.org",
            [
                (
                    "SES120",
                    "no DMARC record at _dmarc.nodmarc.example.org nor at "
                    "_dmarc.example.org observed in DNS; Gmail and Yahoo require bulk senders to publish one",
                )
            ],
        ),
        ("sub.example.com", []),  # falls back to the organisational domain's record
    ],
)
def test_dmarc_records(
    nameserver: str, capsys: pytest.CaptureFixture[str], domain: str, expected: list[tuple[str, str]]
) -> None:
    _, rows = dns(capsys, domain, "--nameserver", nameserver)
    assert [(r[0], r[3]) for r in rows if r[0].startswith("SES12")] == expected


def test_nxdomain_and_nodata_are_answers(nameserver: str) -> None:
    posture = read_dns(["example.net"], nameserver, None, ["tok3"], [], None, 2.0)
    statuses = {(lk.name, lk.type): lk.status for lk in posture.dns_lookups}
    assert statuses[("tok3._domainkey.example.net", "CNAME")] is LookupStatus.NXDOMAIN
    assert statuses[("example.net", "TXT")] is LookupStatus.NODATA
    assert posture.failures == ()


def test_byodkim_key_length_read_from_dns(nameserver: str, capsys: pytest.CaptureFixture[str]) -> None:
    posture = read_dns(["example.net"], nameserver, None, [], ["sel1"], None, 2.0)
    dkim = posture.identities[0].dkim
    assert dkim is not None and dkim.key_length == 1024


def test_server_that_never_answers_is_unknown_not_pass(capsys: pytest.CaptureFixture[str]) -> None:
    with nsd.silent_server() as port:
        code = cli.main(
            [
                "dns",
                "example.com",
                "--nameserver",
                f"127.0.0.1:{port}",
                "--timeout",
                "0.3",
                "--dkim-token",
                "tok1",
                "--mail-from",
                "bounce",
                "--policy",
                "strict",
                "--format",
                "json",
            ]
        )
    report = json.loads(capsys.readouterr().out)
    statuses = {(f["rule"], f["status"]) for f in report["findings"]}
    assert code == 1
    assert all(f["status"] == "unknown" for f in report["findings"])
    assert {
        ("SES003", "unknown"),
        ("SES103", "unknown"),
        ("SES112", "unknown"),
        ("SES113", "unknown"),
        ("SES120", "unknown"),
    } <= statuses
    ses003 = sorted(f["resource"] for f in report["findings"] if f["rule"] == "SES003")
    assert ses003 == [
        "_dmarc.example.com",
        "bounce.example.com",
        "bounce.example.com",
        "example.com",
        "tok1._domainkey.example.com",
    ]


def test_bad_domain_and_nameserver_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["dns", "not a domain"]) == 2
    assert capsys.readouterr().err == "seslint: 'not a domain' is not a domain name\n"
