"""DMARC records known in part: a domain known only as a value finds the record named from the same value;
report addresses not known leave p, sp and pct judged and only the record's validity unknown."""

from __future__ import annotations

from seslint.model import DnsRecord, IdentityKind, Posture, Template, Unknown
from tests.rules.builders import ID, at, identity, judge, posture

DOMAIN = Unknown("var.root_domain has no value", cause="var.root_domain")
RUA = Unknown("var.dmarc_rua has no value", cause="var.dmarc_rua")


def dmarc(name: object, value: object) -> DnsRecord:
    return DnsRecord(
        name=name, type="TXT", values=(value,), address="aws_route53_record.dmarc", location=at(102)
    )


def state(name: object, value: object, domain: object = "example.com") -> Posture:
    others = tuple(r for r in posture().dns_records if not str(r.name).startswith("_dmarc"))
    return posture(
        identities=(identity(name=domain, kind=IdentityKind.DOMAIN),),
        dns_records=(*others, dmarc(name, value)),
    )


def test_the_record_named_from_the_identitys_own_value_is_its_record() -> None:
    name = Template(("_dmarc.", DOMAIN))
    good = state(name, Template(("v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@", DOMAIN)), DOMAIN)
    for rule in ("SES120", "SES121", "SES122", "SES123"):
        assert judge(rule, good) == [], rule
    weak = state(name, Template(("v=DMARC1; p=none; rua=mailto:dmarc@", DOMAIN)), DOMAIN)
    assert judge("SES122", weak) == [
        (
            "fail",
            ID,
            "DMARC policy at _dmarc.${var.root_domain} is too weak: p=none is weaker than the required reject",
            102,
        )
    ]


def test_a_record_of_another_value_is_not_the_identitys() -> None:
    other = Unknown("var.other has no value", cause="var.other")
    found = state(Template(("_dmarc.", other)), "v=DMARC1; p=reject; rua=mailto:d@example.com", DOMAIN)
    assert judge("SES120", found) == [
        ("unknown", ID, "DMARC record could not be verified: var.root_domain has no value", 10)
    ]


def test_report_addresses_not_known_leave_the_policy_judged() -> None:
    value = Template(("v=DMARC1; p=quarantine; pct=100; rua=mailto:", RUA))
    found = state("_dmarc.example.com", value)
    assert judge("SES120", found) == []
    assert judge("SES123", found) == []
    assert judge("SES121", found) == [
        (
            "unknown",
            ID,
            "DMARC record at _dmarc.example.com could not be verified: its report addresses are not known: "
            "var.dmarc_rua has no value",
            102,
        )
    ]
    assert judge("SES122", found) == [
        (
            "fail",
            ID,
            "DMARC policy at _dmarc.example.com is too weak: p=quarantine is weaker than the required reject",
            102,
        )
    ]


def test_a_policy_not_known_leaves_the_record_unknown() -> None:
    policy = Unknown("var.dmarc_policy has no value", cause="var.dmarc_policy")
    found = state("_dmarc.example.com", Template(("v=DMARC1; p=", policy, "; rua=mailto:d@example.com")))
    assert judge("SES120", found) == [
        (
            "unknown",
            ID,
            "DMARC record of example.com could not be verified: var.dmarc_policy has no value",
            102,
        )
    ]
    assert judge("SES122", found) == []  # SES120 reports it
