"""SES140-SES144: bounces and complaints reach an SNS topic that SES may publish to and someone reads."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import (
    EventType,
    Identity,
    Location,
    Posture,
    Ref,
    SourceKind,
    Template,
    Topic,
    Unknown,
    describe,
)
from seslint.rules.base import A, Context, P, Rule, T, family
from seslint.rules.common import called, enabled, fail, identities, name_of, unknown, why_unknown

SES_PRINCIPAL = "ses.amazonaws.com"


def _fed(event: EventType, setting: str) -> Callable[[Posture, Context], Iterator[Result]]:
    def check(posture: Posture, ctx: Context) -> Iterator[Result]:
        if ctx.setting("feedback", setting, "sns") != "sns":
            return
        for identity in identities(posture.identities, ctx):
            yield from _judge_fed(posture, identity, event)

    return check


def _judge_fed(posture: Posture, identity: Identity, event: EventType) -> Iterator[Result]:
    kind = event.value.lower()
    notes = identity.notifications
    topic = getattr(notes, kind, None) if notes is not None else None
    if topic is not None and not isinstance(topic, Unknown):
        return
    reasons = [topic.reason] if isinstance(topic, Unknown) else []
    cset_name = identity.configuration_set
    if cset_name is not None:
        cset = posture.configuration_set_named(cset_name)
        if cset is None and isinstance(cset_name, (Unknown, Ref, Template)):
            reasons.append(f"its default configuration set is not known because {why_unknown(cset_name)}")
        elif cset is not None:
            for dest in posture.destinations_of(cset):
                verdict = _destination_feeds(dest.enabled, dest.event_types, dest.sns_topic, event)
                if verdict is True and cset.presence is not None:
                    verdict = cset.presence.reason  # "whether aws_x.y exists is not known: ..."
                if verdict is True:
                    return
                if isinstance(verdict, str):
                    reasons.append(f"{dest.address} may send them, but {verdict}")
    if reasons:
        yield unknown(identity, f"{kind} feedback to SNS", reasons[0])
        return
    if cset_name is None:
        via = "no default configuration set to send events"
    else:
        cset = posture.configuration_set_named(cset_name)
        shown = called(cset.name, cset.address) if cset is not None else describe(cset_name)
        via = f"its default configuration set {shown} has no enabled SNS event destination matching {event.value}"
    yield fail(
        identity,
        f"{event.value} notifications of {name_of(identity)} reach no SNS topic: no {kind} "
        f"notification topic on the identity, and {via}",
    )


def _destination_feeds(enabled_: object, types: object, topic: object, event: EventType) -> bool | str:
    """True when the destination delivers `event` to SNS, a reason when it cannot be told, else False."""
    if topic is None:
        return False
    if isinstance(types, tuple) and event not in types:
        return False
    for value in (enabled_, types, topic):
        if isinstance(value, (Unknown,)) or (isinstance(value, tuple) and why_unknown(value)):
            return why_unknown(value) or "unknown"
    if isinstance(enabled_, (Ref, Template)):
        return why_unknown(enabled_) or "unknown"
    return enabled_ is True


def _feedback_topics(
    posture: Posture, ctx: Context
) -> Iterator[tuple[object, str, Identity | None, Location, str]]:
    """(topic reference, what uses it, identity, location, the user's address) for every feedback topic
    in scope."""
    for identity in identities(posture.identities, ctx):
        notes = identity.notifications
        if notes is None:
            continue
        for kind in ("bounce", "complaint"):
            ref = getattr(notes, kind)
            if ref is not None:
                user = f"{kind} notifications of {name_of(identity)}"
                yield ref, user, identity, notes.location, identity.address
    for dest in posture.event_destinations:
        if dest.sns_topic is not None:
            user = f"event destination {called(dest.name, dest.address)}"
            yield dest.sns_topic, user, None, dest.location, dest.address


def _topic_exists(posture: Posture, ctx: Context) -> Iterator[Result]:
    seen: set[str] = set()
    for ref, user, identity, location, user_address in _feedback_topics(posture, ctx):
        # A topic not known is named by what uses it (its text changes with the run); one declared or
        # written out is named by that topic.
        resource = identity.address if identity else user_address if isinstance(ref, Unknown) else str(ref)
        name = identity.name if identity and isinstance(identity.name, str) else None
        topic = posture.topic_for(ref)
        if topic is not None and topic.presence is not None:
            yield Result(
                Status.UNKNOWN,
                resource if identity else user_address,
                f"the topic used by {user}, {called(topic.name, topic.address)}, may not exist: "
                f"{topic.presence.reason}",
                location,
                name,
                key=user,
            )
        if topic is not None:
            if topic.fifo is True and topic.address not in seen:
                seen.add(topic.address)
                yield Result(
                    Status.FAIL,
                    topic.address,
                    f"topic {called(topic.name, topic.address)} used by {user} is FIFO; SES cannot publish to FIFO topics",
                    topic.location,
                    name,
                )
            continue
        if isinstance(ref, Unknown):
            yield Result(
                Status.UNKNOWN,
                resource,
                f"the topic used by {user} could not be verified: {ref.reason}",
                location,
                name,
                key=user,
            )
        elif isinstance(ref, Ref):
            yield Result(
                Status.FAIL,
                resource,
                f"the topic of {user}, {ref.address}, is not declared",
                location,
                name,
                key=user,
            )
        elif posture.source is SourceKind.AWS:
            yield Result(
                Status.FAIL,
                resource,
                f"topic {describe(ref)} used by {user} does not exist",
                location,
                name,
                key=user,
            )
        else:
            yield Result(
                Status.UNKNOWN,
                resource,
                f"topic {describe(ref)} used by {user} is not declared in this "
                "configuration, so it could not be checked",
                location,
                name,
                key=user,
            )


def _used_topics(posture: Posture, ctx: Context) -> Iterator[tuple[Topic, str | None]]:
    seen: set[str] = set()
    for ref, _user, identity, _location, _address in _feedback_topics(posture, ctx):
        topic = posture.topic_for(ref)
        if topic is not None and topic.address not in seen:
            seen.add(topic.address)
            yield topic, identity.name if identity and isinstance(identity.name, str) else None


def _policy_allows(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "feedback", "topic_policy_allows_ses"):
        return
    for topic, name in _used_topics(posture, ctx):
        documents = [topic.policy] if topic.policy is not None else []
        documents += [p.policy for p in posture.topic_policies if posture.topic_for(p.topic) is topic]
        if not documents:
            yield Result(
                Status.FAIL,
                topic.address,
                f"topic {called(topic.name, topic.address)} has no policy letting "
                f"{SES_PRINCIPAL} publish (the default policy lets only the owner account publish)",
                topic.location,
                name,
            )
            continue
        verdicts = [_allows_ses(doc, topic) for doc in documents]
        if any(v is True for v in verdicts):
            continue
        reasons = [v for v in verdicts if isinstance(v, str)]
        if reasons and reasons[0].startswith("?"):
            yield Result(
                Status.UNKNOWN,
                topic.address,
                f"the policy of topic {called(topic.name, topic.address)} could not be verified: {reasons[0][1:]}",
                topic.location,
                name,
            )
        else:
            detail = reasons[0] if reasons else f"no Allow statement for {SES_PRINCIPAL} to sns:Publish"
            yield Result(
                Status.FAIL,
                topic.address,
                f"the policy of topic {called(topic.name, topic.address)} does not let SES publish: {detail}",
                topic.location,
                name,
            )


def _allows_ses(document: object, topic: Topic) -> bool | str:
    """True if allowed; '?reason' if it cannot be told; a plain reason if the policy is wrong."""
    if isinstance(document, (Unknown, Ref, Template)):
        return "?" + (why_unknown(document) or "unknown")
    if not isinstance(document, str):
        return "?the policy is not a JSON document"
    try:
        policy = json.loads(document)
    except json.JSONDecodeError as exc:
        return f"the policy is not valid JSON ({exc.msg})"
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    unsure: list[str] = []
    for statement in statements if isinstance(statements, list) else []:
        verdict = _statement_allows(statement, topic) if isinstance(statement, dict) else False
        if verdict is True:
            return True
        if isinstance(verdict, str):
            unsure.append(verdict)
    if unsure:
        return "?" + unsure[0]
    return f"no Allow statement for {SES_PRINCIPAL} to sns:Publish on the topic"


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _statement_allows(statement: dict[str, object], topic: Topic) -> bool | str:
    """True if the statement lets SES publish to the topic, a reason when that cannot be told."""
    if statement.get("Effect") != "Allow":
        return False
    principal = statement.get("Principal")
    services = _as_list(principal.get("Service")) if isinstance(principal, dict) else []
    if SES_PRINCIPAL not in services:
        return False
    actions = [str(a).lower() for a in _as_list(statement.get("Action"))]
    if not any(a in ("sns:publish", "sns:*", "*") for a in actions):
        return False
    resources = [str(r) for r in _as_list(statement.get("Resource", "*"))]
    own = {"*", f"${{{topic.address}.arn}}", f"${{{topic.address}.id}}"}
    if isinstance(topic.arn, str):
        own.add(topic.arn)
    if any(r in own for r in resources):
        return True
    verdicts = [_built_arn(r, topic) for r in resources]
    return True if True in verdicts else next((v for v in verdicts if isinstance(v, str)), False)


_PLACEHOLDER = re.compile(r"\$\{data\.(aws_region|aws_caller_identity|aws_partition)\.[^}]*\}")


def _built_arn(resource: str, topic: Topic) -> bool | str:
    """An ARN written out for the topic (it cannot refer to its own arn in its inline policy):
    arn:PARTITION:sns:REGION:ACCOUNT:NAME with the topic's name, the region, account and partition
    from the provider's data sources or written out. A written-out account is checked against the
    account a plan read for the topic's provider; without one it cannot be checked."""
    parts = resource.split(":")
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sns" or parts[5] != topic.name:
        return False
    partition, region, account = parts[1], parts[3], parts[4]
    kinds = {m.group(1) for m in _PLACEHOLDER.finditer(resource)}
    if not (partition.startswith("aws") and "$" not in partition) and "aws_partition" not in kinds:
        return False
    if "$" in region:
        if "aws_region" not in kinds:
            return False
    elif isinstance(topic.region, str) and region != topic.region:
        return False  # another region's topic of that name
    if "$" in account:
        return "aws_caller_identity" in kinds
    if topic.account is not None:
        return account == topic.account  # the account a plan read through the topic's provider
    return f"the policy grants {resource}; whether {account} is this topic's account is not known here"


def _subscribed(posture: Posture, ctx: Context) -> Iterator[Result]:
    if not enabled(ctx, "feedback", "subscriptions"):
        return
    for topic, name in _used_topics(posture, ctx):
        subs = [s for s in posture.subscriptions if posture.topic_for(s.topic) is topic]
        if not subs:
            yield Result(
                Status.FAIL,
                topic.address,
                f"topic {called(topic.name, topic.address)} has no subscription: nobody reads the bounces and complaints",
                topic.location,
                name,
            )
            continue
        if any(s.confirmed is True for s in subs):
            continue
        pending = [s for s in subs if isinstance(s.confirmed, (Unknown, Ref, Template))]
        if pending:
            yield Result(
                Status.UNKNOWN,
                topic.address,
                f"subscriptions of topic {called(topic.name, topic.address)} could not "
                f"be verified: {why_unknown(pending[0].confirmed)}",
                topic.location,
                name,
            )
        else:
            yield Result(
                Status.FAIL,
                topic.address,
                f"topic {called(topic.name, topic.address)} has no confirmed subscription (all are pending confirmation)",
                topic.location,
                name,
            )


_meta = family("feedback", frozenset({T, P, A}))


_IDENTITY_READS = (
    "ses:ListEmailIdentities",
    "ses:GetEmailIdentity",
    "ses:GetIdentityNotificationAttributes",
    "ses:GetConfigurationSet",
    "ses:GetConfigurationSetEventDestinations",
)

_FEEDBACK_WHY = (
    "AWS asks how bounces and complaints are handled before granting production access, and "
    "places accounts under review at a 5% bounce or 0.1% complaint rate. Without feedback "
    "nobody removes bad addresses, and the rates climb."
)

SES140 = Rule(
    _meta(
        "SES140",
        "bounce-feedback-missing",
        "No bounce feedback to SNS (no notification topic, no enabled BOUNCE event destination)",
        Severity.ERROR,
        _IDENTITY_READS,
        "Checks that every identity's bounces reach SNS: a bounce notification topic on the identity, or an "
        "enabled SNS event destination matching BOUNCE on the identity's default configuration set.",
        _FEEDBACK_WHY,
        'resource "aws_sesv2_configuration_set_event_destination" "feedback" {\n'
        '  event_destination {\n    matching_event_types = ["DELIVERY"]   # no BOUNCE\n  }\n}',
        'matching_event_types = ["BOUNCE", "COMPLAINT"] with enabled = true and an sns_destination, on the '
        "identity's default configuration set (configuration_set_name on the identity).",
    ),
    _fed(EventType.BOUNCE, "bounce"),
)

SES141 = Rule(
    _meta(
        "SES141",
        "complaint-feedback-missing",
        "No complaint feedback to SNS (no notification topic, no enabled COMPLAINT event destination)",
        Severity.ERROR,
        _IDENTITY_READS,
        "The same as SES140, for complaints: a complaint notification topic or an enabled SNS event "
        "destination matching COMPLAINT on the identity's default configuration set.",
        _FEEDBACK_WHY + " Gmail asks senders to keep the spam rate under 0.3%.",
        "# an identity with a bounce topic but no complaint topic and no configuration set",
        "Add COMPLAINT to matching_event_types, or an aws_ses_identity_notification_topic with "
        'notification_type = "Complaint".',
    ),
    _fed(EventType.COMPLAINT, "complaint"),
)

SES142 = Rule(
    _meta(
        "SES142",
        "feedback-topic-missing",
        "The feedback topic does not exist / is not declared / is FIFO",
        Severity.ERROR,
        ("sns:GetTopicAttributes",),
        "Checks that each topic bounces and complaints are sent to exists (live) or is declared (Terraform), "
        "and is a standard topic.",
        "SES cannot publish to FIFO topics or to topics that do not exist; the feedback is then lost.",
        'resource "aws_sns_topic" "feedback" {\n  name       = "ses-feedback.fifo"\n  fifo_topic = true\n}',
        "Use a standard SNS topic (fifo_topic = false) and refer to it by its arn attribute.",
    ),
    _topic_exists,
)

SES143 = Rule(
    _meta(
        "SES143",
        "topic-policy-denies-ses",
        "The topic's policy does not let ses.amazonaws.com publish",
        Severity.ERROR,
        ("sns:GetTopicAttributes",),
        "Checks that the feedback topic's policy has an Allow statement for the service principal "
        "ses.amazonaws.com to sns:Publish on the topic (ideally scoped with aws:SourceAccount / aws:SourceArn).",
        "Without the grant, SES's publish calls are denied and every bounce and complaint is dropped.",
        'resource "aws_sns_topic" "feedback" {\n  name = "ses-feedback"\n}\n# no policy, no aws_sns_topic_policy',
        'resource "aws_sns_topic_policy" "feedback" {\n  arn    = aws_sns_topic.feedback.arn\n'
        '  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", '
        'Principal = {Service = "ses.amazonaws.com"}, Action = "SNS:Publish", '
        'Resource = aws_sns_topic.feedback.arn, Condition = {StringEquals = {"aws:SourceAccount" = '
        "data.aws_caller_identity.current.account_id}}}]})\n}",
    ),
    _policy_allows,
)

SES144 = Rule(
    _meta(
        "SES144",
        "topic-unsubscribed",
        "The feedback topic has no subscription (live: no confirmed subscription)",
        Severity.WARNING,
        ("sns:ListSubscriptionsByTopic",),
        "Checks that each feedback topic has at least one subscription; live, at least one confirmed one.",
        "A topic nobody subscribes to swallows the feedback: bounces and complaints are published and dropped.",
        'resource "aws_sns_topic" "feedback" {\n  name = "ses-feedback"\n}\n# no aws_sns_topic_subscription',
        'resource "aws_sns_topic_subscription" "ops" {\n  topic_arn = aws_sns_topic.feedback.arn\n'
        '  protocol  = "sqs"\n  endpoint  = aws_sqs_queue.feedback.arn\n}',
    ),
    _subscribed,
)

RULES = (SES140, SES141, SES142, SES143, SES144)
