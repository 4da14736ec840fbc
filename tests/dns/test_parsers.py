"""SPF (RFC 7208) and DMARC (RFC 7489) parsers against published vectors, with exact problem texts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from seslint.dnsrecords import dmarc, spf

SPF_CASES = yaml.safe_load((Path(__file__).parent / "data" / "spf_syntax_cases.yaml").read_text())


@pytest.mark.parametrize("case", SPF_CASES, ids=[c["test"] for c in SPF_CASES])
def test_spf_conformance_syntax(case: dict[str, object]) -> None:
    record = str(case["record"])
    assert spf.is_spf(record)
    assert spf.parse(record).valid is case["valid"], spf.parse(record).errors


def test_spf_version_selection() -> None:
    # "Selecting records" (rfc7208-tests.yml): v=spf10 is not SPF; the version is case-insensitive.
    assert not spf.is_spf("v=spf10")
    assert spf.is_spf("V=sPf1 +all")


@pytest.mark.parametrize(
    ("record", "errors"),
    [
        ("v=spf1 include: -all", ("'include:': include needs a domain (include:DOMAIN)",)),
        ("v=spf1 ip4:300.1.1.1 -all", ("'ip4:300.1.1.1': '300.1.1.1' is not an IP address",)),
        ("v=spf1 ip6:192.0.2.1 -all", ("'ip6:192.0.2.1': 192.0.2.1 is not an IPv6 address",)),
        ("v=spf1 ip4:192.0.2.0/33 -all", ("'ip4:192.0.2.0/33': prefix /33 is not between 0 and 32",)),
        (
            "v=spf1 a:%{c}.example.com -all",
            ("'a:%{c}.example.com': macro letter 'c' is allowed only in exp",),
        ),
        ("v=spf1 exists:%{q}.example.com -all", ("'exists:%{q}.example.com': unknown macro letter 'q'",)),
        (
            "v=spf1 redirect=a.example.com redirect=b.example.com",
            ("modifier redirect appears more than once",),
        ),
        (
            "v=spf1 include=example.com",
            ("'include=example.com': include is a mechanism, written include:VALUE, not include=VALUE",),
        ),
    ],
)
def test_spf_problems_are_explained(record: str, errors: tuple[str, ...]) -> None:
    assert spf.parse(record).errors == errors


def test_spf_lookup_count_follows_includes_and_redirect() -> None:
    zone = {
        "a.example": ["v=spf1 include:b.example redirect=c.example"],
        "b.example": ["v=spf1 a mx ptr -all"],
        "c.example": ["v=spf1 exists:%{i}.c.example -all"],
    }
    count = spf.count_lookups(spf.parse("v=spf1 include:a.example mx -all"), zone.get)
    assert (count.lookups, count.voids, count.unknown, count.errors) == (8, 0, [], [])
    missing = spf.count_lookups(spf.parse("v=spf1 include:gone.example -all"), lambda d: [])
    assert (missing.voids, missing.errors) == (
        1,
        ["include:gone.example has no SPF record (a permanent error when evaluated)"],
    )
    unknown = spf.count_lookups(spf.parse("v=spf1 include:far.example -all"), lambda d: None)
    assert unknown.unknown == ["far.example"]


# RFC 7489 Appendix B.2 (policy examples), the section 6.4 grammar, and the shapes two independent
# implementations' tests hold valid: OpenDMARC (libopendmarc/tests/test_dmarc_parse.c) and checkdmarc
# (tests/test_dmarc.py: spaces and tabs around = and ;, mixed-case tag names and policy values).
VALID_DMARC = [
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com",
    "v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net",
    "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; "
    "pct=25",
    "v=DMARC1; p=reject; sp=quarantine; adkim=s; aspf=r; fo=0:d; ri=86400",
    "v=DMARC1;p=reject",
    "v=DMARC1; p=none;",
    "V = DMARC1 ; P = reject",  # tag names are ABNF quoted strings: case-insensitive
    "v=DMARC1;p=ReJect",
    "v = DMARC1\t;\tp\t\t=\t\treject\t;",
    "v=DMARC1; p=none; rf=afrf; rua=mailto:dmarc-a@example.net; ruf=mailto:dmarc-f@example.net",
    "v=DMARC1; p=none; RF=AFRF:iodef; ADKIM=S",
    "v=DMARC1; p=none; rua=ftp://reports.example.com",  # any URI scheme is a dmarc-uri
    "v=DMARC1; p=reject; fo=0:1",  # valid in RFC 7489 (DMARCbis makes 0 and 1 exclusive)
]


@pytest.mark.parametrize("record", VALID_DMARC)
def test_dmarc_valid_vectors(record: str) -> None:
    parsed = dmarc.parse(record)
    assert parsed.errors == ()
    assert dmarc.is_dmarc(record)


@pytest.mark.parametrize(
    ("record", "errors"),
    [
        ("v=DMARC1; p=maybe", ("p=maybe is not one of none, quarantine, reject",)),
        ("v=DMARC1; p=n", ("p=n is not one of none, quarantine, reject",)),  # OpenDMARC is lenient here
        ("p=none; v=DMARC1", ('the record must start with "v=DMARC1"', '"v" must be the first tag')),
        ("v=DMARC1; sp=none", ("required tag p (policy) is missing",)),
        ("v=DMARC1; pct=100", ("required tag p (policy) is missing",)),
        ("v=DMARC1; p=none; p=reject", ("tag p appears more than once",)),
        ("v=DMARC1; p=none; pct=150", ("pct=150 is not an integer from 0 to 100",)),
        ("v=DMARC1; p=none; pct=500", ("pct=500 is not an integer from 0 to 100",)),
        ("v=DMARC1; p=none; adkim=x", ("adkim=x is not r (relaxed) or s (strict)",)),
        ("v=DMARC1; p=none; ri=bob", ("ri=bob is not a number of seconds",)),
        ("v=DMARC1; p=none; rf=bob", ("rf=bob must be a colon-separated list of afrf, iodef",)),
        ("v=DMARC1; p=none; rf=afrf:arf", ("rf=afrf:arf must be a colon-separated list of afrf, iodef",)),
        ("v=DMARC1; p=none; rua=dmarc@example.com", ("rua: 'dmarc@example.com' is not a URI",)),
        ("v=DMARC1; p=none; rua=mailto:nobody", ("rua: 'mailto:nobody' is not a valid mailto: address",)),
        (
            "v=DMARC1 p=none",
            (
                "the version must be exactly DMARC1 (case matters), not 'DMARC1 p=none'",
                "required tag p (policy) is missing",
            ),
        ),
        ("v=dmarc1; p=reject", ("the version must be exactly DMARC1 (case matters), not 'dmarc1'",)),
        (
            "v=DMARC1; sp=reject; p=reject",
            ('tag p must come right after "v=DMARC1" (RFC 7489 6.4; DMARCbis, RFC 9989, allows any order)',),
        ),
        (
            "v=DMARC1; rua=mailto:d@example.com; P=quarantine",
            ('tag p must come right after "v=DMARC1" (RFC 7489 6.4; DMARCbis, RFC 9989, allows any order)',),
        ),
        (
            "v=DMARC1;; p=none",
            ("empty tag at position 2",),
        ),
    ],
)
def test_dmarc_invalid_vectors(record: str, errors: tuple[str, ...]) -> None:
    assert dmarc.parse(record).errors == errors


def test_not_dmarc_at_all() -> None:
    """Only v=DMARC1 records are DMARC (RFC 7489 6.6.3); OpenDMARC's "V=BOB" is another record."""
    assert not dmarc.is_dmarc("V=BOB")
    assert not dmarc.is_dmarc("v=spf1 include:example.com -all")
    assert dmarc.parse("").errors == ('the record is empty; it must start with "v=DMARC1"',)


def test_unknown_tags_are_ignored_whatever_their_values() -> None:
    """RFC 7489 6.3: unknown tags MUST be ignored. DMARCbis tags are unknown to RFC 7489: psd and t
    are accepted unchecked; np (RFC 9091) is checked."""
    parsed = dmarc.parse("v=DMARC1; p=none; foo=bar; buzz=happy; t=maybe; psd=q")
    assert parsed.errors == ()
    assert parsed.warnings == (
        "unknown tag foo (receivers ignore it)",
        "unknown tag buzz (receivers ignore it)",
    )
    assert dmarc.parse("v=DMARC1; p=none; np=bogus").errors == (
        "np=bogus is not one of none, quarantine, reject",
    )


def test_dmarc_unknown_tags_warn_and_properties() -> None:
    parsed = dmarc.parse("v=DMARC1; p=quarantine; foo=bar; rua=mailto:a@example.com,mailto:b@example.com")
    assert parsed.valid and parsed.warnings == ("unknown tag foo (receivers ignore it)",)
    assert (parsed.policy, parsed.subdomain_policy, parsed.pct) == ("quarantine", "quarantine", 100)
    assert parsed.rua == ("mailto:a@example.com", "mailto:b@example.com")
    assert dmarc.weaker("none", "quarantine") and not dmarc.weaker("reject", "quarantine")
