"""SES112 against the identity's region: another region's feedback host fails; with the region not
known, any region's feedback-smtp host passes and any other host fails."""

from __future__ import annotations

import pytest

from seslint.model import DnsRecord, Ref, Template
from tests.rules.builders import ID, at, identity, judge, posture


def mx(*values: object) -> DnsRecord:
    return DnsRecord(
        name="bounce.example.com", type="MX", values=values, address="aws_route53_record.mx", location=at(100)
    )


def with_mx(region: str | None, *values: object) -> list[tuple[str, str, str, int | None]]:
    others = tuple(r for r in posture().dns_records if r.type != "MX")
    return judge("SES112", posture(identities=(identity(region=region),), dns_records=(*others, mx(*values))))


def test_the_identitys_own_region_passes() -> None:
    assert with_mx("eu-west-1", "10 feedback-smtp.eu-west-1.amazonses.com") == []
    assert with_mx("us-gov-west-1", "10 Feedback-SMTP.us-gov-west-1.amazonses.com.") == []


def test_another_regions_feedback_host_fails() -> None:
    assert with_mx("us-east-1", "10 feedback-smtp.eu-west-1.amazonses.com") == [
        (
            "fail",
            ID,
            "MAIL FROM MX of bounce.example.com is '10 feedback-smtp.eu-west-1.amazonses.com', not "
            "feedback-smtp.us-east-1.amazonses.com",
            100,
        )
    ]


@pytest.mark.parametrize(
    "host", ["feedback-smtp.eu-west-1.amazonses.com", "feedback-smtp.ap-southeast-5.amazonses.com"]
)
def test_region_not_known_any_regions_feedback_host_passes(host: str) -> None:
    assert with_mx(None, f"10 {host}") == []


@pytest.mark.parametrize(
    "host",
    [
        "feedback-smtp.amazonses.com",
        "feedback-smtp.eu-west-1.amazonaws.com",
        "inbound-smtp.eu-west-1.amazonaws.com",
        "feedback-smtp.europe.amazonses.com",
    ],
)
def test_region_not_known_another_host_fails(host: str) -> None:
    assert with_mx(None, f"10 {host}") == [
        (
            "fail",
            ID,
            f"MAIL FROM MX of bounce.example.com is '10 {host}', not feedback-smtp.REGION.amazonses.com",
            100,
        )
    ]


def test_wired_to_the_providers_region_passes_and_an_unknown_value_is_unknown() -> None:
    region = Ref("data.aws_region.current", "name")
    assert with_mx(None, Template(("10 feedback-smtp.", region, ".amazonses.com"))) == []
    assert with_mx("us-east-1", Template(("10 feedback-smtp.", region, ".amazonses.com"))) == []
    other = Ref("data.terraform_remote_state.dns", "outputs.mx")
    assert with_mx("us-east-1", Template(("10 ", other))) == [
        (
            "unknown",
            ID,
            "MAIL FROM MX record of bounce.example.com could not be verified: "
            "the values of aws_route53_record.mx are known only after apply",
            100,
        )
    ]
