"""SES310-SES314: CloudWatch alarms that fire before AWS reviews the account."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import NOWHERE, Alarm, Posture, SourceKind
from seslint.rules.base import A, Context, P, Rule, T, family
from seslint.rules.common import account_resource, called, enabled, unused_region, why_unknown

NAMESPACE = "AWS/SES"
BOUNCE_RATE = "Reputation.BounceRate"
COMPLAINT_RATE = "Reputation.ComplaintRate"
RATE_METRICS = {BOUNCE_RATE: "bounce_rate", COMPLAINT_RATE: "complaint_rate"}
COUNT_METRICS = {"Bounce": BOUNCE_RATE, "Complaint": COMPLAINT_RATE}
DEFAULT_MAX = {"bounce_rate": 0.05, "complaint_rate": 0.001}
RISING = ("GreaterThanThreshold", "GreaterThanOrEqualToThreshold")
STATISTICS = ("Average", "Maximum")
SET_DIMENSION = "ses:configuration-set"


def _alarm_result(alarm: Alarm, status: Status, message: str) -> Result:
    return Result(status, alarm.address, message, alarm.location)


def _reputation_alarms(posture: Posture, metric: str) -> list[Alarm]:
    out = []
    for alarm in posture.alarms:
        if alarm.namespace != NAMESPACE or alarm.metric != metric:
            continue
        dims = alarm.dimensions if isinstance(alarm.dimensions, tuple) else ()
        if all(name == SET_DIMENSION for name, _ in dims):
            out.append(alarm)
    return out


def _exists(metric: str) -> Callable[[Posture, Context], Iterator[Result]]:
    setting = RATE_METRICS[metric]

    def check(posture: Posture, ctx: Context) -> Iterator[Result]:
        if (
            posture.source is SourceKind.DNS
            or not enabled(ctx, "alarms", setting)
            or not _required(ctx, setting)
            or unused_region(posture)
        ):
            return
        if _reputation_alarms(posture, metric):
            return
        where = (
            posture.identities[0].location
            if posture.identities
            else (posture.account.location if posture.account else None)
        )
        opaque = [a for a in posture.alarms if why_unknown(a.namespace) or why_unknown(a.metric)]
        if opaque:
            reason = why_unknown(opaque[0].namespace) or why_unknown(opaque[0].metric)
            yield Result(
                Status.UNKNOWN,
                opaque[0].address,
                f"whether an alarm watches {NAMESPACE} {metric} could not be verified: {reason}",
                opaque[0].location,
            )
            return
        if not posture.identities and posture.account is None:
            return  # nothing sends here: alarms are not required of a tree without SES
        yield Result(
            Status.FAIL,
            account_resource(posture),
            f"no CloudWatch alarm on {NAMESPACE} {metric}: nobody is warned before AWS reviews the account",
            where or NOWHERE,
        )

    return check


def _required(ctx: Context, setting: str) -> bool:
    section = ctx.setting("alarms", setting, {})
    return not (isinstance(section, dict) and section.get("required") is False)


def _threshold(posture: Posture, ctx: Context) -> Iterator[Result]:
    for metric, setting in RATE_METRICS.items():
        section = ctx.setting("alarms", setting, {})
        maximum = (
            float(section.get("max_threshold", DEFAULT_MAX[setting]))
            if isinstance(section, dict)
            else DEFAULT_MAX[setting]
        )
        for alarm in _reputation_alarms(posture, metric):
            value = alarm.threshold
            reason = why_unknown(value) if value is not None else "no threshold is set"
            if reason is not None:
                yield _alarm_result(
                    alarm,
                    Status.UNKNOWN,
                    f"threshold of alarm {called(alarm.name, alarm.address)} could not be verified: {reason}",
                )
                continue
            assert isinstance(value, (int, float))
            if not math.isfinite(value):  # NaN compares false with everything: such an alarm never fires
                yield _alarm_result(
                    alarm,
                    Status.FAIL,
                    f"alarm {called(alarm.name, alarm.address)} on {metric} has threshold {value}, "
                    "which is not a finite number: the alarm can never fire",
                )
                continue
            if value >= 1:
                yield _alarm_result(
                    alarm,
                    Status.FAIL,
                    f"alarm {called(alarm.name, alarm.address)} on {metric} has threshold "
                    f"{value:g}: the metric is a fraction (0.05 = 5%), so this looks like a "
                    f"percent and the alarm will never fire; use at most {maximum:g}",
                )
            elif value > maximum:
                yield _alarm_result(
                    alarm,
                    Status.FAIL,
                    f"alarm {called(alarm.name, alarm.address)} on {metric} fires at "
                    f"{value:g} ({value:.2%}), above the policy's maximum {maximum:g} "
                    f"({maximum:.2%})",
                )


def _actions(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "alarms", "actions"):
        return
    for metric in RATE_METRICS:
        for alarm in _reputation_alarms(posture, metric):
            for value in (alarm.actions_enabled, alarm.actions):
                reason = why_unknown(value) if not isinstance(value, tuple) or not value else None
                if reason is not None:
                    yield _alarm_result(
                        alarm,
                        Status.UNKNOWN,
                        f"actions of alarm {called(alarm.name, alarm.address)} could not be verified: {reason}",
                    )
                    break
            else:
                if alarm.actions_enabled is False:
                    yield _alarm_result(
                        alarm,
                        Status.FAIL,
                        f"alarm {called(alarm.name, alarm.address)} has its actions "
                        "disabled: it changes state and tells nobody",
                    )
                elif not alarm.actions:
                    yield _alarm_result(
                        alarm,
                        Status.FAIL,
                        f"alarm {called(alarm.name, alarm.address)} has no alarm actions: "
                        "it changes state and tells nobody",
                    )


def _fires(posture: Posture, ctx: Context) -> Iterator[Result]:
    for alarm in posture.alarms:
        if alarm.namespace != NAMESPACE:
            continue
        if alarm.metric in COUNT_METRICS:
            yield _alarm_result(
                alarm,
                Status.FAIL,
                f"alarm {called(alarm.name, alarm.address)} watches the count metric "
                f"{alarm.metric}, not the rate {COUNT_METRICS[str(alarm.metric)]} that AWS reviews",
            )
            continue
        if alarm.metric not in RATE_METRICS:
            continue
        problems = []
        if isinstance(alarm.comparison, str) and alarm.comparison not in RISING:
            problems.append(f"comparison {alarm.comparison} fires when the rate falls, not when it rises")
        if isinstance(alarm.statistic, str) and alarm.statistic not in STATISTICS:
            problems.append(f"statistic {alarm.statistic} is meaningless for a rate (use Average or Maximum)")
        for value, what in ((alarm.comparison, "comparison"), (alarm.statistic, "statistic")):
            reason = why_unknown(value) if value is not None else None
            if reason is not None:
                yield Result(
                    Status.UNKNOWN,
                    alarm.address,
                    f"{what} of alarm {called(alarm.name, alarm.address)} could not be verified: {reason}",
                    alarm.location,
                    key=what,
                )
        if problems:
            yield _alarm_result(
                alarm,
                Status.FAIL,
                f"alarm {called(alarm.name, alarm.address)} cannot fire as intended: " + "; ".join(problems),
            )


_ALARM_READS = ("cloudwatch:DescribeAlarms",)
_REVIEW = (
    "SES places an account under review at a 5% bounce rate or a 0.1% complaint rate, and may "
    "pause sending at 10% / 0.5%. The metrics are fractions in the AWS/SES namespace: "
    "Reputation.BounceRate and Reputation.ComplaintRate."
)


_meta = family("alarms", frozenset({T, P, A}), permissions=_ALARM_READS, why=_REVIEW)


_ALARM_FIX = (
    'resource "aws_cloudwatch_metric_alarm" "bounce_rate" {\n  alarm_name          = "ses-bounce-rate"\n'
    '  namespace           = "AWS/SES"\n  metric_name         = "Reputation.BounceRate"\n'
    '  statistic           = "Average"\n  period              = 3600\n  evaluation_periods  = 1\n'
    '  threshold           = 0.02\n  comparison_operator = "GreaterThanOrEqualToThreshold"\n'
    "  alarm_actions       = [aws_sns_topic.alerts.arn]\n}"
)

SES310 = Rule(
    _meta(
        "SES310",
        "bounce-alarm-missing",
        "No CloudWatch alarm on AWS/SES Reputation.BounceRate",
        Severity.ERROR,
        "Checks that an alarm watches the account's (or a configuration set's) bounce rate. Not asked of "
        "a Terraform tree without identities, nor, live, of a region the account does not use (no "
        "identity, no configuration set, no production access).",
        "# alarms on Bounce counts only, or none at all",
        _ALARM_FIX,
    ),
    _exists(BOUNCE_RATE),
)
SES311 = Rule(
    _meta(
        "SES311",
        "complaint-alarm-missing",
        "No CloudWatch alarm on AWS/SES Reputation.ComplaintRate",
        Severity.ERROR,
        "Checks that an alarm watches the account's (or a configuration set's) complaint rate.",
        "# no alarm on Reputation.ComplaintRate",
        _ALARM_FIX.replace("bounce", "complaint").replace("Bounce", "Complaint").replace("0.02", "0.0005"),
    ),
    _exists(COMPLAINT_RATE),
)
SES312 = Rule(
    _meta(
        "SES312",
        "alarm-threshold-high",
        "Alarm threshold above the policy's maximum",
        Severity.ERROR,
        "Checks reputation alarm thresholds against `require.alarms.bounce_rate."
        "max_threshold` (0.05) and `complaint_rate.max_threshold` (0.001). A threshold of 1 or more "
        "is a percent/fraction mistake: the alarm never fires.",
        "threshold = 5   # meant 5%, but the metric is 0.05 at 5%",
        "threshold = 0.05",
    ),
    _threshold,
)
SES313 = Rule(
    _meta(
        "SES313",
        "alarm-without-actions",
        "Alarm has no actions, or actions are disabled",
        Severity.ERROR,
        "Checks that reputation alarms have alarm actions and that actions are enabled.",
        "actions_enabled = false",
        "alarm_actions = [aws_sns_topic.alerts.arn]",
    ),
    _actions,
)
SES314 = Rule(
    _meta(
        "SES314",
        "alarm-cannot-fire",
        "Alarm cannot fire as intended (direction, count metric, statistic)",
        Severity.WARNING,
        "Checks that reputation alarms compare upwards "
        "(GreaterThan...), use Average or Maximum, and that AWS/SES alarms watch the rate, not the "
        "Bounce/Complaint counts.",
        'comparison_operator = "LessThanThreshold"\nstatistic = "Sum"',
        'comparison_operator = "GreaterThanOrEqualToThreshold"\nstatistic = "Average"',
    ),
    _fires,
)

RULES = (SES310, SES311, SES312, SES313, SES314)
