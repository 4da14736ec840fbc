"""Every rule on model objects: the compliant posture passes all; each change fails or is unknown exactly."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from seslint.model import (
    Account,
    DnsLookup,
    DnsRecord,
    LookupStatus,
    MxFailure,
    Posture,
    ReadFailure,
    Ref,
    SourceKind,
    SuppressionReason,
    TlsPolicy,
    Unknown,
)
from seslint.rules import ALL_RULES
from tests.rules.builders import ID, SET, TOPIC, account, at, identity, judge, posture, token_record, txt

COMPLIANT = posture()


@pytest.mark.parametrize("rule_id", [r.id for r in ALL_RULES if r.check is not None])
def test_compliant_posture_passes(rule_id: str) -> None:
    assert judge(rule_id, COMPLIANT) == []


def test_live_compliant_account_passes() -> None:
    live = replace(COMPLIANT, source=SourceKind.AWS, account=account())
    assert judge("SES300", live) == judge("SES301", live) == judge("SES302", live) == []


# -- SES0xx -----------------------------------------------------------------------------------------


def test_ses000_and_ses003_from_failures() -> None:
    state = posture(
        failures=(
            ReadFailure(
                what="main.tf:3",
                reason="HCL syntax error",
                location=at(3),
                parse_error=True,
                resource="main.tf",
            ),
            ReadFailure(what="sesv2:GetAccount", reason="AccessDeniedException", resource="account"),
        )
    )
    assert judge("SES000", state) == [("fail", "main.tf", "HCL syntax error", 3)]
    assert judge("SES003", state) == [
        (
            "unknown",
            "account",
            "could not read sesv2:GetAccount: AccessDeniedException; what it would have shown is unknown",
            None,
        )
    ]


def test_ses004_from_unresolved() -> None:
    state = posture(unresolved=(("aws_x.y", at(5), "count of aws_x.y could not be resolved"),))
    assert judge("SES004", state) == [("unknown", "aws_x.y", "count of aws_x.y could not be resolved", 5)]


# -- identities -------------------------------------------------------------------------------------


def test_ses100_scope() -> None:
    assert judge("SES100", COMPLIANT, scope=("example.com", "*.example.org")) == []
    assert judge("SES100", COMPLIANT, scope=("example.net",)) == [
        ("fail", "example.net", "identity example.net named in the policy scope is not declared", 10)
    ]
    hidden = posture(identities=(identity(name=Unknown("var.domain has no value")),))
    assert judge("SES100", hidden, scope=("example.net",))[0][0] == "unknown"


def test_ses101() -> None:
    assert judge("SES101", posture(identities=(identity(verified=False),))) == [
        (
            "fail",
            ID,
            "domain identity example.com has no verification path: neither the _amazonses TXT record nor "
            "its DKIM CNAME records are declared",
            10,
        )
    ]
    pending = posture(identities=(identity(verified=False, verification_status="PENDING"),))
    assert judge("SES101", pending) == [
        ("fail", ID, "identity example.com is not verified (verification status PENDING)", 10)
    ]
    disagreeing = posture(identities=(identity(verified=False, verification_status="SUCCESS"),))
    assert judge("SES101", disagreeing) == [
        (
            "fail",
            ID,
            "SES does not let identity example.com send (VerifiedForSendingStatus false), although its "
            "verification status is SUCCESS",
            10,
        )
    ]
    assert judge("SES101", posture(identities=(identity(verified=Unknown("access denied")),))) == [
        ("unknown", ID, "whether identity example.com is verified is not known: access denied", 10)
    ]


def test_ses102() -> None:
    dkim = identity().dkim
    assert dkim is not None
    assert judge("SES102", posture(identities=(identity(dkim=None),))) == [
        ("fail", ID, "identity example.com has no DKIM set-up (no Easy DKIM, no BYODKIM)", 10)
    ]
    assert judge("SES102", posture(identities=(identity(dkim=replace(dkim, status="PENDING")),))) == [
        ("fail", ID, "DKIM status of example.com is PENDING, not SUCCESS", 10)
    ]
    assert judge(
        "SES102", posture(identities=(identity(dkim=replace(dkim, signing_enabled=Unknown("x"))),))
    ) == [("unknown", ID, "DKIM signing could not be verified: x", 10)]


def test_ses103_symbolic_tokens() -> None:
    two = posture(
        dns_records=tuple(r for r in COMPLIANT.dns_records if r.address != "aws_route53_record.dkim[2]")
    )
    assert judge("SES103", two) == [
        (
            "fail",
            ID,
            "no DKIM CNAME record is declared for token(s) aws_sesv2_email_identity.main."
            "dkim_signing_attributes.tokens[2] of example.com (TOKEN._domainkey.example.com -> "
            "TOKEN.dkim.amazonses.com)",
            10,
        )
    ]
    wrong = posture(dns_records=(token_record(0), token_record(1), token_record(2, ".dkim.example.net")))
    assert judge("SES103", wrong)[0][:2] == ("fail", ID)
    assert "does not point to the token's dkim.amazonses.com host" in judge("SES103", wrong)[0][2]
    hidden = posture(
        dns_records=(
            token_record(0),
            token_record(1),
            DnsRecord(
                name=Unknown("var.zone has no value"), type="CNAME", values=(), address="aws_route53_record.z"
            ),
        )
    )
    assert judge("SES103", hidden)[0][0] == "unknown"


def test_ses103_observed_records() -> None:
    dkim = identity().dkim
    assert dkim is not None
    observed = posture(
        source=SourceKind.DNS,
        identities=(identity(dkim=replace(dkim, tokens=("abc", "def"))),),
        dns_records=(
            DnsRecord(
                name="abc._domainkey.example.com",
                type="CNAME",
                values=("abc.dkim.amazonses.com.",),
                address="abc._domainkey.example.com",
                observed=True,
            ),
        ),
        dns_lookups=(DnsLookup("def._domainkey.example.com", "CNAME", LookupStatus.TIMEOUT),),
    )
    assert judge("SES103", observed) == [
        (
            "unknown",
            ID,
            "DKIM CNAME def._domainkey.example.com could not be verified: DNS CNAME "
            "def._domainkey.example.com: timeout",
            10,
        )
    ]
    answered = replace(
        observed, dns_lookups=(DnsLookup("def._domainkey.example.com", "CNAME", LookupStatus.NXDOMAIN),)
    )
    assert judge("SES103", answered) == [
        ("fail", ID, "DKIM CNAME def._domainkey.example.com -> def.dkim.amazonses.com is missing", 10)
    ]


def test_ses103_one_finding_per_identity_whatever_the_source() -> None:
    """Observed tokens are judged as one record set: one finding listing each record wrong, missing or
    not seen, as Terraform's symbolic tokens give one (a baseline then carries between sources)."""
    dkim = identity().dkim
    assert dkim is not None

    def cname(token: str, target: str) -> DnsRecord:
        name = f"{token}._domainkey.example.com"
        return DnsRecord(name=name, type="CNAME", values=(target,), address=name, observed=True)

    observed = posture(
        source=SourceKind.DNS,
        identities=(identity(dkim=replace(dkim, tokens=("abc", "def", "ghi"))),),
        dns_records=(cname("abc", "abc.dkim.example.net."),),
        dns_lookups=(
            DnsLookup("def._domainkey.example.com", "CNAME", LookupStatus.NXDOMAIN),
            DnsLookup("ghi._domainkey.example.com", "CNAME", LookupStatus.TIMEOUT),
        ),
    )
    assert judge("SES103", observed) == [
        (
            "fail",
            ID,
            "DKIM CNAME records of example.com: abc._domainkey.example.com points to "
            "abc.dkim.example.net, not abc.dkim.amazonses.com; def._domainkey.example.com -> "
            "def.dkim.amazonses.com is missing; ghi._domainkey.example.com could not be verified: DNS "
            "CNAME ghi._domainkey.example.com: timeout",
            None,
        )
    ]
    unseen = replace(
        observed,
        dns_records=(),
        dns_lookups=tuple(
            DnsLookup(f"{t}._domainkey.example.com", "CNAME", LookupStatus.TIMEOUT) for t in ("abc", "def")
        ),
        identities=(identity(dkim=replace(dkim, tokens=("abc", "def"))),),
    )
    assert judge("SES103", unseen) == [
        (
            "unknown",
            ID,
            "DKIM CNAME abc._domainkey.example.com, def._domainkey.example.com could not be verified: "
            "DNS CNAME abc._domainkey.example.com: timeout",
            10,
        )
    ]


def test_ses104() -> None:
    dkim = identity().dkim
    assert dkim is not None
    assert judge("SES104", posture(identities=(identity(dkim=replace(dkim, key_length=1024)),))) == [
        ("fail", ID, "DKIM key of example.com is 1024 bits; the policy requires at least 2048", 10)
    ]
    assert (
        judge(
            "SES104",
            posture(identities=(identity(dkim=replace(dkim, key_length=1024)),)),
            require={"dkim": {"min_key_length": 1024}},
        )
        == []
    )
    assert (
        judge("SES104", posture(identities=(identity(dkim=replace(dkim, key_length=None)),)))[0][0]
        == "unknown"
    )


def test_ses110_ses111() -> None:
    assert judge("SES110", posture(identities=(identity(mail_from=None),))) == [
        (
            "fail",
            ID,
            "example.com has no custom MAIL FROM domain: the envelope sender is amazonses.com, so SPF "
            "cannot align with the From domain for DMARC",
            10,
        )
    ]
    mail_from = identity().mail_from
    assert mail_from is not None
    lax = posture(
        identities=(
            identity(mail_from=replace(mail_from, behavior_on_mx_failure=MxFailure.USE_DEFAULT_VALUE)),
        )
    )
    assert [r[:2] for r in judge("SES111", lax)] == [("fail", ID)]
    assert judge("SES111", lax, require={"mail_from": {"behavior_on_mx_failure": "use_default"}}) == []


def test_ses112_ses113() -> None:
    no_mx = posture(dns_records=tuple(r for r in COMPLIANT.dns_records if r.type != "MX"))
    assert judge("SES112", no_mx) == [
        (
            "fail",
            ID,
            "MAIL FROM domain bounce.example.com has no MX record declared in this configuration; it "
            "needs exactly one: 10 feedback-smtp.REGION.amazonses.com",
            20,
        )
    ]
    wrong = posture(
        dns_records=(
            DnsRecord(
                name="bounce.example.com",
                type="MX",
                values=("10 mx.example.com",),
                address="aws_route53_record.mx",
                location=at(100),
            ),
        )
    )
    assert judge("SES112", wrong)[0][2] == (
        "MAIL FROM MX of bounce.example.com is '10 mx.example.com', not feedback-smtp.REGION.amazonses.com"
    )
    no_spf = posture(dns_records=(txt("bounce.example.com", "v=spf1 mx -all", 101),))
    assert judge("SES113", no_spf) == [
        (
            "fail",
            ID,
            "the SPF record of MAIL FROM domain bounce.example.com does not include:amazonses.com, so SES "
            "is not authorised to send for it",
            20,
        )
    ]


# -- DMARC and SPF ----------------------------------------------------------------------------------


def dmarc(text: str) -> Posture:
    return posture(dns_records=(txt("_dmarc.example.com", text, 102),))


def test_ses120_with_organisational_fallback() -> None:
    sub = posture(
        identities=(identity(name="mail.example.com"),),
        dns_records=(txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com", 102),),
    )
    assert judge("SES120", sub) == []
    assert judge("SES120", posture(dns_records=())) == [
        (
            "fail",
            ID,
            "no DMARC record at _dmarc.example.com declared in this configuration; Gmail and Yahoo "
            "require bulk senders to publish one",
            10,
        )
    ]


def test_ses121() -> None:
    assert judge("SES121", dmarc("v=DMARC1; p=maybe")) == [
        (
            "fail",
            ID,
            "DMARC record at _dmarc.example.com is invalid: p=maybe is not one of none, quarantine, reject",
            102,
        )
    ]
    two = posture(
        dns_records=(
            txt("_dmarc.example.com", "v=DMARC1; p=none", 102),
            txt("_dmarc.example.com", "v=DMARC1; p=reject", 103),
        )
    )
    assert judge("SES121", two)[0][2].startswith("_dmarc.example.com has 2 DMARC records")


def test_ses122_ses123() -> None:
    assert judge("SES122", dmarc("v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com")) == [
        (
            "fail",
            ID,
            "DMARC policy at _dmarc.example.com is too weak: p=quarantine is weaker than the required "
            "reject; pct=50 applies the policy to only 50% of failing mail (required: 100)",
            102,
        )
    ]
    assert (
        judge("SES122", dmarc("v=DMARC1; p=none"), require={"dmarc": {"min_policy": "none", "pct": 0}}) == []
    )
    assert judge("SES123", dmarc("v=DMARC1; p=reject")) == [
        (
            "fail",
            ID,
            "DMARC record at _dmarc.example.com has no rua= address: nobody receives the aggregate "
            "reports that show who sends as the domain",
            102,
        )
    ]
    unknown = posture(
        dns_records=(
            DnsRecord(
                name="_dmarc.example.com",
                type="TXT",
                values=(Unknown("var.p has no value"),),
                address="aws_route53_record.dmarc",
                location=at(102),
            ),
        )
    )
    assert judge("SES120", unknown) == [
        ("unknown", ID, "DMARC record of example.com could not be verified: var.p has no value", 102)
    ]


def test_ses130() -> None:
    spf = posture(dns_records=(txt("example.com", "v=spf1 include:amazonses.com +all", 5),))
    assert judge("SES130", spf) == [
        (
            "fail",
            ID,
            "SPF record of example.com is invalid: +all lets any server on the internet pass SPF for "
            "example.com",
            5,
        )
    ]
    two = posture(dns_records=(txt("example.com", "v=spf1 -all", 5), txt("example.com", "v=spf1 mx -all", 6)))
    assert judge("SES130", two)[0][2] == (
        "example.com has 2 SPF records; receivers treat that as a permanent error (RFC 7208 4.5)"
    )
    many = posture(
        dns_records=(
            txt("example.com", "v=spf1 " + " ".join(f"a:h{i}.example.com" for i in range(11)) + " -all", 5),
        )
    )
    assert judge("SES130", many)[0][2] == (
        "SPF record of example.com is invalid: 11 DNS lookups, more than the limit of 10 (RFC 7208 4.6.4)"
    )


# -- feedback ---------------------------------------------------------------------------------------


def test_ses140_ses141() -> None:
    assert judge("SES140", posture(event_destinations=())) == [
        (
            "fail",
            ID,
            "BOUNCE notifications of example.com reach no SNS topic: no bounce notification topic on the "
            "identity, and its default configuration set main has no enabled SNS event destination matching BOUNCE",
            10,
        )
    ]
    disabled = posture(
        event_destinations=(replace(COMPLIANT.event_destinations[0], enabled=Unknown("var.on")),)
    )
    assert judge("SES141", disabled) == [
        (
            "unknown",
            ID,
            "complaint feedback to SNS could not be verified: aws_ses_event_destination.f may send them, but var.on",
            10,
        )
    ]


def test_ses142() -> None:
    fifo = posture(topics=(replace(COMPLIANT.topics[0], fifo=True),))
    assert judge("SES142", fifo) == [
        (
            "fail",
            TOPIC,
            "topic feedback used by event destination feedback is FIFO; SES cannot publish to FIFO topics",
            60,
        )
    ]
    missing = posture(topics=())
    assert judge("SES142", missing) == [
        (
            "fail",
            "aws_sns_topic.feedback.arn",
            "the topic of event destination feedback, aws_sns_topic.feedback, is not declared",
            50,
        )
    ]
    outside = posture(
        event_destinations=(replace(COMPLIANT.event_destinations[0], sns_topic="arn:aws:sns:r:1:other"),)
    )
    assert judge("SES142", outside)[0][0] == "unknown"
    assert judge("SES142", replace(outside, source=SourceKind.AWS))[0][0] == "fail"
    # A topic not known is named by the destination that uses it, never by the unknown's text.
    unknown_topic = posture(
        event_destinations=(replace(COMPLIANT.event_destinations[0], sns_topic=Unknown("each.value")),)
    )
    assert judge("SES142", unknown_topic) == [
        (
            "unknown",
            COMPLIANT.event_destinations[0].address,
            "the topic used by event destination feedback could not be verified: each.value",
            50,
        )
    ]


def test_ses143() -> None:
    assert judge("SES143", posture(topics=(replace(COMPLIANT.topics[0], policy=None),))) == [
        (
            "fail",
            TOPIC,
            "topic feedback has no policy letting ses.amazonaws.com publish (the default policy lets "
            "only the owner account publish)",
            60,
        )
    ]
    other = '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "SNS:Publish", "Resource": "*"}]}'
    assert judge("SES143", posture(topics=(replace(COMPLIANT.topics[0], policy=other),)))[0][2] == (
        "the policy of topic feedback does not let SES publish: no Allow statement for ses.amazonaws.com to "
        "sns:Publish on the topic"
    )
    assert (
        judge("SES143", posture(topics=(replace(COMPLIANT.topics[0], policy=Unknown("jsonencode of x")),)))[
            0
        ][0]
        == "unknown"
    )


@pytest.mark.parametrize(
    ("account", "region", "verdict"),
    [
        ("123456789012", "eu-west-1", []),  # the account a plan read through the topic's provider
        ("210987654321", "eu-west-1", ["fail"]),  # another account's topic of that name
        (None, "eu-west-1", ["unknown"]),  # the source alone does not know the account
        ("123456789012", "us-east-1", ["fail"]),  # another region's topic of that name
    ],
)
def test_ses143_written_out_arn_is_the_topics_when_its_account_is_known(
    account: str | None, region: str, verdict: list[str]
) -> None:
    """An inline policy cannot refer to its own topic's arn: a written-out ARN with the topic's name,
    region and account (known from a plan's aws_caller_identity) is the topic's."""
    document = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ses.amazonaws.com"},
                    "Action": "sns:Publish",
                    "Resource": "arn:aws:sns:eu-west-1:123456789012:feedback",
                }
            ]
        }
    )
    topic = replace(COMPLIANT.topics[0], name="feedback", policy=document, account=account, region=region)
    assert [status for status, *_ in judge("SES143", posture(topics=(topic,)))] == verdict


def test_ses144() -> None:
    assert judge("SES144", posture(subscriptions=())) == [
        ("fail", TOPIC, "topic feedback has no subscription: nobody reads the bounces and complaints", 60)
    ]
    pending = posture(subscriptions=(replace(COMPLIANT.subscriptions[0], confirmed=False),))
    assert judge("SES144", pending)[0][2] == (
        "topic feedback has no confirmed subscription (all are pending confirmation)"
    )


# -- configuration sets -----------------------------------------------------------------------------


def test_configuration_set_rules() -> None:
    cset = COMPLIANT.configuration_sets[0]
    assert judge("SES200", posture(identities=(identity(configuration_set=None),)))[0][:2] == ("fail", ID)
    assert judge("SES201", posture(configuration_sets=(replace(cset, tls_policy=TlsPolicy.OPTIONAL),))) == [
        (
            "fail",
            SET,
            "configuration set main lets SES deliver without TLS (TLS policy OPTIONAL); the policy "
            "requires REQUIRE",
            40,
        )
    ]
    assert (
        judge(
            "SES201",
            posture(configuration_sets=(replace(cset, tls_policy=TlsPolicy.OPTIONAL),)),
            require={"configuration_set": {"tls": "optional"}},
        )
        == []
    )
    assert judge(
        "SES202", posture(configuration_sets=(replace(cset, reputation_metrics=Unknown("var.r")),))
    ) == [("unknown", SET, "reputation metrics of main could not be verified: var.r", 40)]
    assert judge(
        "SES203", posture(configuration_sets=(replace(cset, suppressed_reasons=(SuppressionReason.BOUNCE,)),))
    ) == [
        (
            "fail",
            SET,
            "configuration set main overrides suppression without COMPLAINT: addresses that bounced or "
            "complained are mailed again",
            40,
        )
    ]
    dest = replace(COMPLIANT.event_destinations[0], enabled=False)
    assert judge("SES204", posture(event_destinations=(dest,)))[0][:3] == (
        "fail",
        "aws_ses_event_destination.f",
        "event destination feedback is disabled (on aws_ses_event_destination, enabled defaults to false)",
    )
    v2 = replace(dest, address="module.mail.aws_sesv2_configuration_set_event_destination.f")
    assert judge("SES204", posture(event_destinations=(v2,)))[0][2] == (
        "event destination feedback is disabled (on aws_sesv2_configuration_set_event_destination, enabled "
        "defaults to false)"
    )
    audited = replace(
        dest, address="arn:aws:ses:us-east-1:123456789012:configuration-set/main/event-destination/f"
    )
    assert (
        judge("SES204", posture(event_destinations=(audited,)))[0][2]
        == "event destination feedback is disabled"
    )


# -- account and alarms -----------------------------------------------------------------------------


def test_account_rules() -> None:
    live = replace(COMPLIANT, source=SourceKind.AWS)
    assert judge("SES300", replace(live, account=account(production_access=False)))[0][2].startswith(
        "the account is still in the SES sandbox"
    )
    assert judge("SES301", replace(live, account=account(enforcement_status="PROBATION"))) == [
        (
            "fail",
            "account 123456789012 eu-west-1",
            "enforcement status is PROBATION, not HEALTHY (under review: fix "
            "bounce and complaint rates before SES pauses sending)",
            None,
        )
    ]
    assert (
        judge("SES300", replace(live, account=account(production_access=Unknown("AccessDenied"))))[0][0]
        == "unknown"
    )
    weak: Account = account(suppressed_reasons=(SuppressionReason.BOUNCE,))
    assert judge("SES302", replace(live, account=weak))[0][2] == (
        "account-level suppression list does not cover COMPLAINT (it holds [BOUNCE])"
    )
    assert judge("SES302", posture(account_suppression=None))[0][0] == "unknown"


def test_alarm_rules() -> None:
    bounce, complaint = COMPLIANT.alarms
    assert judge("SES310", posture(alarms=(complaint,))) == [
        (
            "fail",
            "account",
            "no CloudWatch alarm on AWS/SES Reputation.BounceRate: nobody is warned before AWS "
            "reviews the account",
            10,
        )
    ]
    assert judge("SES311", posture(alarms=(bounce, replace(complaint, namespace=Unknown("var.ns"))))) == [
        (
            "unknown",
            "aws_cloudwatch_metric_alarm.c",
            "whether an alarm watches AWS/SES Reputation.ComplaintRate could not be verified: var.ns",
            90,
        )
    ]
    assert judge("SES312", posture(alarms=(replace(bounce, threshold=5), complaint))) == [
        (
            "fail",
            "aws_cloudwatch_metric_alarm.b",
            "alarm bounce on Reputation.BounceRate has threshold 5: the metric "
            "is a fraction (0.05 = 5%), so this looks like a percent and the alarm will never fire; use at most 0.05",
            80,
        )
    ]
    assert judge("SES312", posture(alarms=(bounce, replace(complaint, threshold=0.005))))[0][2] == (
        "alarm complaint on Reputation.ComplaintRate fires at 0.005 (0.50%), above the policy's maximum 0.001 (0.10%)"
    )
    assert judge("SES313", posture(alarms=(replace(bounce, actions_enabled=False), complaint)))[0][2] == (
        "alarm bounce has its actions disabled: it changes state and tells nobody"
    )
    assert judge("SES314", posture(alarms=(replace(bounce, comparison="LessThanThreshold"), complaint)))[0][
        2
    ] == (
        "alarm bounce cannot fire as intended: comparison LessThanThreshold fires when the rate falls, not when it "
        "rises"
    )
    count = replace(bounce, metric="Bounce", address="aws_cloudwatch_metric_alarm.n")
    assert judge("SES314", posture(alarms=(count, bounce, complaint)))[0][2] == (
        "alarm bounce watches the count metric Bounce, not the rate Reputation.BounceRate that AWS reviews"
    )


def test_alarms_not_required_of_dns_source() -> None:
    assert judge("SES310", posture(source=SourceKind.DNS, alarms=())) == []


def test_symbolic_set_reference_is_resolved_by_address() -> None:
    state = posture(identities=(identity(configuration_set=Ref(SET, "configuration_set_name")),))
    assert judge("SES140", state) == []
