"""Small builders for postures in rule tests: defaults are a compliant set-up, tests change one thing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from seslint.findings import Result
from seslint.model import (
    Account,
    Alarm,
    ConfigurationSet,
    Dkim,
    DkimMode,
    DnsRecord,
    EventDestination,
    EventType,
    Identity,
    IdentityKind,
    Location,
    MailFrom,
    MxFailure,
    Posture,
    Ref,
    SourceKind,
    Subscription,
    SuppressionReason,
    Template,
    TlsPolicy,
    Topic,
)
from seslint.rules import RULES_BY_ID
from seslint.rules.base import Context

ID = "aws_sesv2_email_identity.main"
TOKENS = Ref(ID, "dkim_signing_attributes.tokens")
TOPIC = "aws_sns_topic.feedback"
SET = "aws_sesv2_configuration_set.main"
POLICY = (
    '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ses.amazonaws.com"}, '
    '"Action": "SNS:Publish", "Resource": "${aws_sns_topic.feedback.arn}"}]}'
)
STRICT = {
    "dkim": {"min_key_length": 2048},
    "dmarc": {"min_policy": "reject", "pct": 100, "rua": True},
    "alarms": {"bounce_rate": {"max_threshold": 0.05}, "complaint_rate": {"max_threshold": 0.001}},
}


def at(line: int) -> Location:
    return Location(file="main.tf", line=line)


def token_record(index: int, target: str = ".dkim.amazonses.com") -> DnsRecord:
    ref = Ref(ID, "dkim_signing_attributes.tokens", index)
    return DnsRecord(
        name=Template((ref, "._domainkey.example.com")),
        type="CNAME",
        values=(Template((ref, target)),),
        address=f"aws_route53_record.dkim[{index}]",
        location=at(30),
    )


def txt(name: str, text: str, line: int) -> DnsRecord:
    return DnsRecord(
        name=name, type="TXT", values=(text,), address=f"aws_route53_record.r{line}", location=at(line)
    )


def identity(**changes: Any) -> Identity:
    base = Identity(
        name="example.com",
        kind=IdentityKind.DOMAIN,
        address=ID,
        verified=True,
        dkim=Dkim(mode=DkimMode.EASY, signing_enabled=True, tokens=TOKENS, key_length=2048, location=at(10)),
        mail_from=MailFrom(
            domain="bounce.example.com", behavior_on_mx_failure=MxFailure.REJECT_MESSAGE, location=at(20)
        ),
        configuration_set="main",
        location=at(10),
    )
    return replace(base, **changes)


def posture(**changes: Any) -> Posture:
    base = Posture(
        source=SourceKind.TERRAFORM,
        identities=(identity(),),
        configuration_sets=(
            ConfigurationSet(
                name="main",
                address=SET,
                tls_policy=TlsPolicy.REQUIRE,
                reputation_metrics=True,
                location=at(40),
            ),
        ),
        event_destinations=(
            EventDestination(
                name="feedback",
                address="aws_ses_event_destination.f",
                configuration_set=Ref(SET, "configuration_set_name"),
                enabled=True,
                event_types=(EventType.BOUNCE, EventType.COMPLAINT),
                sns_topic=Ref(TOPIC, "arn"),
                location=at(50),
            ),
        ),
        topics=(
            Topic(name="feedback", address=TOPIC, arn=Ref(TOPIC, "arn"), policy=POLICY, location=at(60)),
        ),
        subscriptions=(
            Subscription(
                topic=Ref(TOPIC, "arn"),
                protocol="email",
                endpoint="ops@example.com",
                address="aws_sns_topic_subscription.s",
                location=at(70),
            ),
        ),
        alarms=(
            Alarm(
                name="bounce",
                address="aws_cloudwatch_metric_alarm.b",
                namespace="AWS/SES",
                metric="Reputation.BounceRate",
                statistic="Average",
                threshold=0.05,
                comparison="GreaterThanOrEqualToThreshold",
                actions=("arn:aws:sns:x",),
                location=at(80),
            ),
            Alarm(
                name="complaint",
                address="aws_cloudwatch_metric_alarm.c",
                namespace="AWS/SES",
                metric="Reputation.ComplaintRate",
                statistic="Average",
                threshold=0.001,
                comparison="GreaterThanThreshold",
                actions=("arn:aws:sns:x",),
                location=at(90),
            ),
        ),
        dns_records=(
            token_record(0),
            token_record(1),
            token_record(2),
            DnsRecord(
                name="bounce.example.com",
                type="MX",
                values=("10 feedback-smtp.eu-west-1.amazonses.com",),
                address="aws_route53_record.mx",
                location=at(100),
            ),
            txt("bounce.example.com", "v=spf1 include:amazonses.com -all", 101),
            txt("_dmarc.example.com", "v=DMARC1; p=reject; pct=100; rua=mailto:d@example.com", 102),
        ),
        account_suppression=(SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT),
        account_suppression_location=at(110),
    )
    return replace(base, **changes)


def judge(
    rule_id: str, state: Posture, require: dict[str, Any] | None = None, scope: tuple[str, ...] = ()
) -> list[tuple[str, str, str, int | None]]:
    """(status, resource, message, line) of every result of one rule."""
    rule = RULES_BY_ID[rule_id]
    assert rule.check is not None
    context = Context(require=require if require is not None else STRICT, scope_identities=scope)
    results: list[Result] = list(rule.check(state, context))
    return [(r.status.value, r.resource, r.message, r.location.line) for r in results]


def account(**changes: Any) -> Account:
    return replace(
        Account(
            production_access=True,
            enforcement_status="HEALTHY",
            suppressed_reasons=(SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT),
            account_id="123456789012",
            region="eu-west-1",
            location=Location(arn="arn:aws:ses:eu-west-1:123456789012:", region="eu-west-1"),
        ),
        **changes,
    )
