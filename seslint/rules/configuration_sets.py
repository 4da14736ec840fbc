"""SES200-SES204: configuration sets that require TLS, keep reputation metrics and feed back events."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import ConfigurationSet, Posture, SuppressionReason, TlsPolicy
from seslint.rules.base import A, Context, P, Rule, T, family
from seslint.rules.common import called, enabled, fail, identities, name_of, unknown, why_unknown

_SET_READS = ("ses:ListConfigurationSets", "ses:GetConfigurationSet")


def _set_result(cset: ConfigurationSet, status: Status, message: str) -> Result:
    return Result(status, cset.address, message, cset.location)


def _default_set(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "configuration_set", "default_set"):
        return
    for identity in identities(posture.identities, ctx):
        value = identity.configuration_set
        if value is None:
            yield fail(
                identity,
                f"{name_of(identity)} has no default configuration set: its event destinations "
                "apply only when every sender names the set",
            )
        elif why_unknown(value) is not None and not posture.configuration_set_named(value):
            reason = why_unknown(value) or ""
            if "after apply" not in reason:
                yield unknown(identity, "default configuration set", reason)
        elif (cset := posture.configuration_set_named(value)) is not None and cset.presence is not None:
            yield unknown(
                identity, f"default configuration set {called(cset.name, cset.address)}", cset.presence.reason
            )


def _tls(posture: Posture, ctx: Context) -> Iterator[Result]:
    if ctx.setting("configuration_set", "tls", "require") != "require":
        return
    for cset in posture.configuration_sets:
        reason = why_unknown(cset.tls_policy)
        if reason is not None:
            yield _set_result(
                cset,
                Status.UNKNOWN,
                f"TLS policy of {called(cset.name, cset.address)} could not be verified: {reason}",
            )
        elif cset.tls_policy != TlsPolicy.REQUIRE:
            yield _set_result(
                cset,
                Status.FAIL,
                f"configuration set {called(cset.name, cset.address)} lets SES deliver "
                "without TLS (TLS policy OPTIONAL); the policy requires REQUIRE",
            )


def _reputation(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "configuration_set", "reputation_metrics"):
        return
    for cset in posture.configuration_sets:
        reason = why_unknown(cset.reputation_metrics)
        if reason is not None:
            yield _set_result(
                cset,
                Status.UNKNOWN,
                f"reputation metrics of {called(cset.name, cset.address)} could not be verified: {reason}",
            )
        elif cset.reputation_metrics is not True:
            yield _set_result(
                cset,
                Status.FAIL,
                f"configuration set {called(cset.name, cset.address)} does not publish "
                "reputation metrics (bounce and complaint rates) to CloudWatch",
            )


def required_reasons(ctx: Context, section: str) -> list[SuppressionReason]:
    wanted = ctx.setting(section, "suppression", ["BOUNCE", "COMPLAINT"]) or []
    return [SuppressionReason(r) for r in wanted]


def _suppression(posture: Posture, ctx: Context) -> Iterator[Result]:
    wanted = required_reasons(ctx, "configuration_set")
    for cset in posture.configuration_sets:
        reasons = cset.suppressed_reasons
        if reasons is None:
            continue  # no override: the account-level list applies (SES302)
        why = why_unknown(reasons)
        if why is not None:
            yield _set_result(
                cset,
                Status.UNKNOWN,
                f"suppression override of {called(cset.name, cset.address)} could not be verified: {why}",
            )
            continue
        assert isinstance(reasons, tuple)
        missing = [r.value for r in wanted if r not in reasons]
        if missing:
            yield _set_result(
                cset,
                Status.FAIL,
                f"configuration set {called(cset.name, cset.address)} overrides suppression "
                f"without {' and '.join(missing)}: addresses that bounced or complained are mailed "
                "again",
            )


def _destination_enabled(posture: Posture, ctx: Context) -> Iterator[Result]:
    for dest in posture.event_destinations:
        reason = why_unknown(dest.enabled)
        if reason is not None:
            yield Result(
                Status.UNKNOWN,
                dest.address,
                f"whether event destination {called(dest.name, dest.address)} is enabled could not be verified: {reason}",
                dest.location,
            )
        elif dest.enabled is not True:
            yield Result(
                Status.FAIL,
                dest.address,
                f"event destination {called(dest.name, dest.address)} is disabled{_default_off(dest.address)}",
                dest.location,
            )


def _default_off(address: str) -> str:
    """Why a Terraform destination without `enabled` is off: both providers' resources default it to
    false. An audited destination (an ARN-like address) says only what the API answered."""
    for resource_type in ("aws_sesv2_configuration_set_event_destination", "aws_ses_event_destination"):
        if address.startswith(resource_type + ".") or f".{resource_type}." in address:
            return f" (on {resource_type}, enabled defaults to false)"
    return ""


_meta = family("configuration sets", frozenset({T, P, A}))


SES200 = Rule(
    _meta(
        "SES200",
        "default-configuration-set-missing",
        "Identity has no default configuration set",
        Severity.WARNING,
        ("ses:ListEmailIdentities", "ses:GetEmailIdentity"),
        "Checks that every identity names a default configuration set (configuration_set_name).",
        "Event destinations, TLS and reputation settings apply only to mail sent through a configuration set. "
        "Without a default, every sender must remember to name it, and mail that does not escapes them.",
        'resource "aws_sesv2_email_identity" "main" {\n  email_identity = "example.com"\n}',
        "configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name",
    ),
    _default_set,
)

SES201 = Rule(
    _meta(
        "SES201",
        "tls-not-required",
        "TLS policy is not REQUIRE",
        Severity.ERROR,
        _SET_READS,
        "Checks that every configuration set requires TLS for delivery (delivery_options tls_policy REQUIRE; "
        "v1 Require).",
        "With OPTIONAL, SES delivers in clear text when the receiving server offers no TLS; REQUIRE makes SES "
        "retry and then bounce instead.",
        'resource "aws_ses_configuration_set" "main" {\n  name = "main"\n  delivery_options {\n'
        '    tls_policy = "Optional"\n  }\n}',
        'delivery_options {\n  tls_policy = "REQUIRE"   # v1: "Require"\n}',
    ),
    _tls,
)

SES202 = Rule(
    _meta(
        "SES202",
        "reputation-metrics-disabled",
        "Reputation metrics disabled",
        Severity.WARNING,
        _SET_READS,
        "Checks that every configuration set publishes reputation metrics to CloudWatch.",
        "Per-set bounce and complaint rates are what alarms and reviewers look at; without them a bad sender "
        "is found only when the whole account is under review.",
        'resource "aws_sesv2_configuration_set" "main" {\n  configuration_set_name = "main"\n}',
        "reputation_options {\n  reputation_metrics_enabled = true\n}",
    ),
    _reputation,
)

SES203 = Rule(
    _meta(
        "SES203",
        "suppression-override-weak",
        "Suppression override drops BOUNCE or COMPLAINT",
        Severity.WARNING,
        _SET_READS,
        "Checks that a configuration set that overrides the suppression list still suppresses BOUNCE and "
        "COMPLAINT (or what `require.configuration_set.suppression` lists).",
        "Mailing addresses that hard-bounced or complained again is the fastest way to the review thresholds.",
        'suppression_options {\n  suppressed_reasons = ["BOUNCE"]\n}',
        'suppression_options {\n  suppressed_reasons = ["BOUNCE", "COMPLAINT"]\n}',
    ),
    _suppression,
)

SES204 = Rule(
    _meta(
        "SES204",
        "event-destination-disabled",
        "Event destination disabled",
        Severity.ERROR,
        ("ses:GetConfigurationSetEventDestinations",),
        "Checks that every event destination is enabled.",
        "A disabled destination delivers nothing. On aws_sesv2_configuration_set_event_destination, "
        "`enabled` defaults to false, so a destination declared without it is silently off.",
        'event_destination {\n  matching_event_types = ["BOUNCE", "COMPLAINT"]\n  sns_destination {\n'
        "    topic_arn = aws_sns_topic.feedback.arn\n  }\n}",
        "event_destination {\n  enabled = true\n  ...\n}",
    ),
    _destination_enabled,
)

RULES = (SES200, SES201, SES202, SES203, SES204)
