"""The engine: severities, on_unknown, off, waivers and expiry, rule crashes, region scope."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from seslint import engine
from seslint.findings import Finding, Result, Severity, Status
from seslint.fingerprint import fingerprint
from seslint.model import (
    ConfigurationSet,
    DnsRecord,
    Identity,
    IdentityKind,
    InlineWaiver,
    Location,
    Posture,
    SourceKind,
)
from seslint.policy.model import Policy, Waiver
from seslint.rules.base import ALL_SOURCES, Context, Rule, RuleMeta

TODAY = date(2026, 11, 24)


def meta(rule_id: str, severity: Severity = Severity.ERROR) -> RuleMeta:
    return RuleMeta(
        id=rule_id,
        slug=f"test-{rule_id.lower()}",
        summary="test rule",
        severity=severity,
        sources=ALL_SOURCES,
        permissions=(),
        what="w",
        why="y",
        example="e",
        fix="f",
    )


def each_identity(status: Status) -> Rule:
    def check(posture: Posture, ctx: Context) -> Iterator[Result]:
        for identity in posture.identities:
            if ctx.in_scope(identity.name):
                yield Result(
                    status, identity.address, f"{identity.name} is bad", identity.location, str(identity.name)
                )

    return Rule(meta("SES901" if status is Status.FAIL else "SES902", Severity.WARNING), check)


def crashing() -> Rule:
    def check(posture: Posture, ctx: Context) -> Iterator[Result]:
        raise ZeroDivisionError("division by zero")

    return Rule(meta("SES903"), check)


RUN_RULES = (
    Rule(meta("SES001"), None),
    Rule(meta("SES002"), None),
    each_identity(Status.FAIL),
    each_identity(Status.UNKNOWN),
)


def identity(name: str, line: int, region: str | None = None) -> Identity:
    return Identity(
        name=name,
        kind=IdentityKind.DOMAIN,
        address=f"aws_sesv2_email_identity.{name.split('.')[0]}",
        region=region,
        location=Location(file="main.tf", line=line),
    )


POSTURE = Posture(
    source=SourceKind.TERRAFORM,
    targets=("infra",),
    identities=(identity("a.example", 3), identity("b.example", 9)),
)


def brief(findings: list[Finding]) -> list[tuple[str, str, str, str, int | None, bool]]:
    return [
        (f.rule, f.severity.value, f.status.value, f.resource, f.location.line, f.waived) for f in findings
    ]


def test_default_severity_and_on_unknown() -> None:
    findings = engine.run([POSTURE], Policy(name="p", on_unknown="error"), RUN_RULES, today=TODAY)
    assert brief(findings) == [
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.a", 3, False),
        ("SES902", "error", "unknown", "aws_sesv2_email_identity.a", 3, False),
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.b", 9, False),
        ("SES902", "error", "unknown", "aws_sesv2_email_identity.b", 9, False),
    ]


def test_on_unknown_ignore_reports_as_info_never_drops() -> None:
    findings = engine.run([POSTURE], Policy(name="p", on_unknown="ignore"), RUN_RULES[3:], today=TODAY)
    assert [(f.rule, f.severity.value) for f in findings] == [("SES902", "info"), ("SES902", "info")]
    assert not engine.failing(findings, Severity.WARNING)


def test_policy_severity_override_and_off() -> None:
    policy = Policy(name="p", rules={"SES901": "error", "SES902": "off"})
    findings = engine.run([POSTURE], policy, RUN_RULES, today=TODAY)
    assert brief(findings) == [
        ("SES901", "error", "fail", "aws_sesv2_email_identity.a", 3, False),
        ("SES901", "error", "fail", "aws_sesv2_email_identity.b", 9, False),
    ]


def test_policy_waiver_glob_and_identity() -> None:
    policy = Policy(
        name="p",
        rules={"SES902": "off"},
        waivers=(
            Waiver(rule="SES901", resource="aws_sesv2_email_identity.*", identity="b.*", reason="OPS-1"),
        ),
    )
    findings = engine.run([POSTURE], policy, RUN_RULES, today=TODAY)
    assert brief(findings) == [
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.a", 3, False),
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.b", 9, True),
    ]
    assert findings[1].waiver_reason == "OPS-1"
    assert not findings[1].counts


def test_expired_policy_waiver_is_ses001_and_no_longer_waives() -> None:
    waiver = Waiver(
        rule="SES901",
        resource="aws_sesv2_email_identity.a",
        reason="OPS-2",
        expires=date(2026, 11, 23),
        file=".seslint.yaml",
        line=7,
    )
    policy = Policy(name="p", rules={"SES902": "off"}, waivers=(waiver,))
    findings = engine.run([POSTURE], policy, RUN_RULES, today=TODAY)
    assert brief(findings) == [
        ("SES001", "error", "fail", "aws_sesv2_email_identity.a", 7, False),
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.a", 3, False),
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.b", 9, False),
    ]
    assert findings[0].location.file == ".seslint.yaml"
    assert findings[0].message == (
        "policy waiver for SES901 on aws_sesv2_email_identity.a expired on 2026-11-23"
        " (reason was: OPS-2); fix the finding or renew the waiver"
    )


def test_waiver_expiring_today_still_applies() -> None:
    waiver = Waiver(rule="SES901", resource="*", reason="r", expires=TODAY)
    findings = engine.run([POSTURE], Policy(name="p", waivers=(waiver,)), RUN_RULES[:3], today=TODAY)
    assert [f.waived for f in findings] == [True, True]


def test_inline_waiver_covers_its_block_and_instances_only() -> None:
    posture = Posture(
        source=SourceKind.TERRAFORM,
        identities=(identity("a.example", 3), identity("a.example", 3)),
        configuration_sets=(),
        waivers=(
            InlineWaiver(
                rule="SES901",
                resource="aws_sesv2_email_identity.a",
                reason="legacy",
                location=Location(file="main.tf", line=4),
            ),
        ),
    )
    posture = Posture(
        source=posture.source,
        identities=(
            Identity(
                name="x",
                kind=IdentityKind.DOMAIN,
                address='aws_sesv2_email_identity.a["x"]',
                location=Location(file="main.tf", line=3),
            ),
            Identity(
                name="y",
                kind=IdentityKind.DOMAIN,
                address="aws_sesv2_email_identity.ab",
                location=Location(file="main.tf", line=20),
            ),
        ),
        waivers=posture.waivers,
    )
    findings = engine.run([posture], Policy(name="p"), RUN_RULES[:3], today=TODAY)
    assert [(f.resource, f.waived, f.waiver_reason) for f in findings] == [
        ('aws_sesv2_email_identity.a["x"]', True, "legacy"),
        ("aws_sesv2_email_identity.ab", False, None),
    ]


def test_expired_inline_waiver() -> None:
    posture = Posture(
        source=SourceKind.TERRAFORM,
        identities=(identity("a.example", 3),),
        waivers=(
            InlineWaiver(
                rule="SES901",
                resource="aws_sesv2_email_identity.a",
                reason="legacy",
                expires="2025-01-01",
                location=Location(file="main.tf", line=4),
            ),
        ),
    )
    findings = engine.run([posture], Policy(name="p"), RUN_RULES[:3], today=TODAY)
    assert brief(findings) == [
        ("SES901", "warning", "fail", "aws_sesv2_email_identity.a", 3, False),
        ("SES001", "error", "fail", "aws_sesv2_email_identity.a", 4, False),
    ]
    assert findings[1].message.startswith("inline waiver for SES901")


def test_rule_crash_is_ses002_and_run_goes_on() -> None:
    rules = (*RUN_RULES[:3], crashing())
    findings = engine.run([POSTURE], Policy(name="p"), rules, today=TODAY)
    assert [(f.rule, f.resource) for f in findings] == [
        ("SES002", "SES903"),
        ("SES901", "aws_sesv2_email_identity.a"),
        ("SES901", "aws_sesv2_email_identity.b"),
    ]
    assert findings[0].message == (
        "rule SES903 crashed on this input (ZeroDivisionError: division by zero); other rules ran."
        " Please report it."
    )
    assert findings[0].location.name == "infra"


def test_bare_postures_are_judged_once_each_kind() -> None:
    """Roots that hold nothing but the DNS records they see (other roots') are judged once per view."""
    seen: list[tuple[str, ...]] = []

    def counting(posture: Posture, ctx: Context) -> Iterator[Result]:
        seen.append(posture.targets)
        for record in posture.dns_records:
            yield Result(Status.FAIL, record.address, "a record", record.location)

    rules = (*RUN_RULES[:2], Rule(meta("SES905"), counting), crashing())
    one = DnsRecord("a.example", "TXT", ("x",), address="r.a", location=Location(file="dns.tf", line=1))
    two = DnsRecord("b.example", "TXT", ("y",), address="r.b", location=Location(file="dns.tf", line=5))
    bare = [Posture(SourceKind.TERRAFORM, (f"stack{i}",), dns_records=(one, two)) for i in range(3)]
    other_view = Posture(SourceKind.TERRAFORM, ("stack3",), dns_records=(one,))
    not_judging = Posture(SourceKind.TERRAFORM, ("stack4",), dns_records=(one, two), judges_dns=False)
    postures = [*bare, POSTURE, other_view, not_judging]
    findings = engine.run(postures, Policy(name="p"), rules, today=TODAY)
    assert seen == [("stack0",), ("infra",), ("stack3",), ("stack4",)]
    # The crash is reported where each posture is; the same verdicts from several postures once.
    assert [(f.rule, f.location.name or str(f.location)) for f in findings] == [
        ("SES002", "infra"),
        ("SES002", "stack0"),
        ("SES002", "stack1"),
        ("SES002", "stack2"),
        ("SES002", "stack3"),
        ("SES002", "stack4"),
        ("SES905", "dns.tf:1"),
        ("SES905", "dns.tf:5"),
    ]


def test_rules_never_read_the_targets() -> None:
    """The engine judges postures that differ only in their targets once: no rule may read them."""
    rules = Path(engine.__file__).parent / "rules"
    assert [p.name for p in sorted(rules.glob("*.py")) if re.search(r"\.targets\b", p.read_text())] == []


def test_rules_only_judge_their_sources() -> None:
    only_aws = Rule(
        RuleMeta(**{**meta("SES904").__dict__, "sources": frozenset({SourceKind.AWS})}),
        each_identity(Status.FAIL).check,
    )
    assert engine.run([POSTURE], Policy(name="p"), (only_aws,), today=TODAY) == []


def test_region_scope_drops_other_regions() -> None:
    posture = Posture(
        source=SourceKind.AWS,
        identities=(identity("a.example", 1, "us-east-1"), identity("b.example", 2, "eu-west-1")),
        configuration_sets=(ConfigurationSet(name="s", address="s", region="eu-west-1"),),
    )
    policy = Policy(name="p", scope_regions=("us-*",))
    findings = engine.run([posture], policy, RUN_RULES[:3], today=TODAY)
    assert [f.resource for f in findings] == ["aws_sesv2_email_identity.a"]


def test_identity_scope_through_context() -> None:
    policy = Policy(name="p", scope_identities=("b.*",))
    findings = engine.run([POSTURE], policy, RUN_RULES[:3], today=TODAY)
    assert [f.identity for f in findings] == ["b.example"]


def test_same_verdict_from_two_postures_reported_once() -> None:
    findings = engine.run([POSTURE, POSTURE], Policy(name="p"), RUN_RULES[:3], today=TODAY)
    assert len({f.fingerprint for f in findings}) == len(findings) == 2


def test_fingerprint_ignores_line_and_message_but_not_resource() -> None:
    base = Finding(
        rule="SES901",
        severity=Severity.ERROR,
        status=Status.FAIL,
        resource="r",
        message="m",
        location=Location(file="main.tf", line=3),
    )
    moved = Finding(**{**base.__dict__, "location": Location(file="main.tf", line=30)})
    other = Finding(**{**base.__dict__, "resource": "r2"})
    reworded = Finding(**{**base.__dict__, "message": "m, in other words"})
    assert fingerprint(base) == fingerprint(moved) == fingerprint(reworded)
    assert fingerprint(base) != fingerprint(other)


def test_failing_threshold() -> None:
    findings = engine.run([POSTURE], Policy(name="p"), RUN_RULES[:3], today=TODAY)
    assert not engine.failing(findings, Severity.ERROR)
    assert engine.failing(findings, Severity.WARNING)
    assert not engine.failing(findings, None)
