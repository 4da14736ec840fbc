"""Resource instances (Terraform source or plan) -> the posture model.

Argument names, defaults and enum spellings follow the hashicorp/aws provider documentation for each
resource; v1 (aws_ses_*) and v2 (aws_sesv2_*) spellings are normalised to the model's enums.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from seslint.model import (
    Alarm,
    ConfigurationSet,
    Dkim,
    DkimMode,
    EventDestination,
    EventType,
    Identity,
    IdentityKind,
    MailFrom,
    MxFailure,
    NotificationTopics,
    Ref,
    Subscription,
    SuppressionReason,
    Template,
    TlsPolicy,
    Topic,
    TopicPolicy,
    Unknown,
    written,
)
from seslint.sources.terraform.modules import Evaluation, Instance

KEY_LENGTHS = {"RSA_1024_BIT": 1024, "RSA_2048_BIT": 2048}


def nested(values: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """A nested block: python-hcl2 gives a list of dicts, plan JSON a list, .tf.json a dict."""
    value = values.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


def text(value: Any) -> Any:
    """A string argument as the model wants it: str, or symbolic, or Unknown for a wrong type."""
    if isinstance(value, (str, Unknown, Ref, Template)):
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, tuple)):
        return Unknown(f"expected a string, got {written(value)}"[:200])
    return str(value)  # Terraform converts numbers to strings where a string is expected


def required_text(values: Mapping[str, Any], name: str) -> Any:
    """A required string argument (an identity's name): Unknown, never None, when it is not set."""
    value = text(values.get(name))
    return Unknown(f"{name} is not set") if value is None else value


def flag(value: Any, default: bool) -> Any:
    if value is None:
        return default
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    if isinstance(value, (bool, Unknown, Ref, Template)):
        return value
    return Unknown(f"expected true or false, got {written(value)}"[:200])


def number(value: Any, what: str) -> Any:
    """A number argument: int or float, symbolic, or Unknown for text that is no number or a wrong type."""
    if value is None or isinstance(value, (Unknown, Ref, Template)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value if math.isfinite(value) else Unknown(f"{what} {written(value)} is not a finite number")
    if isinstance(value, str):
        try:
            parsed = float(value)
        except ValueError:
            pass
        else:  # float() takes "nan" and "inf"; Terraform's numbers are finite
            return (
                parsed
                if math.isfinite(parsed)
                else Unknown(f"{what} {written(value)} is not a finite number")
            )
    return Unknown(f"{what} {written(value)} is not a number"[:200])


def enum(value: Any, kind: type[Any], aliases: dict[str, str] | None = None) -> Any:
    if value is None or isinstance(value, (Unknown, Ref, Template)):
        return value
    key = str(value)
    normal = (aliases or {}).get(key, key).upper()
    try:
        return kind(normal)
    except ValueError:
        return Unknown(f"{written(value)} is not a valid {kind.__name__}")


def strings(value: Any) -> Any:
    if isinstance(value, (Unknown, Ref, Template)):
        return value
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(text(v) for v in value)
    return (text(value),)


def literal_text(value: Any) -> str:
    """The known text of a partly known string (a Template); "" for anything else."""
    return "".join(p for p in value.parts if isinstance(p, str)) if isinstance(value, Template) else ""


def region_of(instance: Instance) -> str | None:
    """The region of the instance's provider configuration, when the configuration sets it."""
    return instance.region if isinstance(instance.region, str) else None


def refers_to(value: Any, instance: Instance) -> bool:
    """Does a value point at this instance (a reference to any of its attributes)?"""
    if isinstance(value, Ref):
        return value.address == instance.address
    if isinstance(value, Template):
        return any(r.address == instance.address for r in value.refs)
    return False


class Mapper:
    def __init__(self, instances: Evaluation) -> None:
        # Only the types asked for are expanded: resources that carry no posture are never evaluated.
        self.instances = instances

    def of(self, *types: str) -> list[Instance]:
        return [i for t in types for i in self.instances.of_type(t)]

    # -- SNS ----------------------------------------------------------------------------------------

    def topics(self) -> tuple[Topic, ...]:
        out = []
        for i in self.of("aws_sns_topic"):
            name = text(i.values.get("name"))
            fifo = flag(i.values.get("fifo_topic"), False)
            if isinstance(name, str) and name.endswith(".fifo"):
                fifo = True
            out.append(
                Topic(
                    name=name if name is not None else i.address,
                    address=i.address,
                    arn=Ref(i.address, "arn"),
                    fifo=fifo,
                    policy=text(i.values.get("policy")),
                    region=region_of(i),
                    account=i.account,
                    location=i.location,
                    presence=i.presence,
                )
            )
        return tuple(out)

    def topic_policies(self) -> tuple[TopicPolicy, ...]:
        return tuple(
            TopicPolicy(
                topic=text(i.values.get("arn")),
                policy=text(i.values.get("policy")),
                address=i.address,
                location=i.location,
            )
            for i in self.of("aws_sns_topic_policy")
        )

    def subscriptions(self) -> tuple[Subscription, ...]:
        return tuple(
            Subscription(
                topic=text(i.values.get("topic_arn")),
                protocol=text(i.values.get("protocol")),
                endpoint=text(i.values.get("endpoint")),
                address=i.address,
                confirmed=i.presence or True,  # a subscription that may not exist delivers nothing sure
                location=i.location,
            )
            for i in self.of("aws_sns_topic_subscription")
        )

    # -- configuration sets -------------------------------------------------------------------------

    def configuration_sets(self) -> tuple[ConfigurationSet, ...]:
        out = []
        for i in self.of("aws_ses_configuration_set"):
            delivery = nested(i.values, "delivery_options") or {}
            out.append(
                ConfigurationSet(
                    name=text(i.values.get("name")),
                    address=i.address,
                    tls_policy=enum(delivery.get("tls_policy", "Optional"), TlsPolicy),
                    reputation_metrics=flag(i.values.get("reputation_metrics_enabled"), False),
                    sending_enabled=flag(i.values.get("sending_enabled"), True),
                    location=i.location,
                    presence=i.presence,
                )
            )
        for i in self.of("aws_sesv2_configuration_set"):
            delivery = nested(i.values, "delivery_options") or {}
            reputation = nested(i.values, "reputation_options") or {}
            sending = nested(i.values, "sending_options") or {}
            suppression = nested(i.values, "suppression_options")
            reasons: Any = None
            if suppression is not None:
                raw = strings(suppression.get("suppressed_reasons"))
                reasons = tuple(enum(r, SuppressionReason) for r in raw) if isinstance(raw, tuple) else raw
            out.append(
                ConfigurationSet(
                    name=text(i.values.get("configuration_set_name")),
                    address=i.address,
                    tls_policy=enum(delivery.get("tls_policy", "OPTIONAL"), TlsPolicy),
                    reputation_metrics=flag(reputation.get("reputation_metrics_enabled"), False),
                    sending_enabled=flag(sending.get("sending_enabled"), True),
                    suppressed_reasons=reasons,
                    location=i.location,
                    presence=i.presence,
                )
            )
        return tuple(out)

    def event_destinations(self) -> tuple[EventDestination, ...]:
        out = []
        for i in self.of("aws_ses_event_destination"):
            sns = nested(i.values, "sns_destination")
            out.append(
                EventDestination(
                    name=text(i.values.get("name")),
                    address=i.address,
                    configuration_set=text(i.values.get("configuration_set_name")),
                    enabled=i.presence or flag(i.values.get("enabled"), False),
                    event_types=self._types(i.values.get("matching_types")),
                    sns_topic=text(sns.get("topic_arn")) if sns else None,
                    location=i.location,
                )
            )
        for i in self.of("aws_sesv2_configuration_set_event_destination"):
            destination = nested(i.values, "event_destination") or {}
            sns = nested(destination, "sns_destination")
            out.append(
                EventDestination(
                    name=text(i.values.get("event_destination_name")),
                    address=i.address,
                    configuration_set=text(i.values.get("configuration_set_name")),
                    enabled=i.presence or flag(destination.get("enabled"), False),
                    event_types=self._types(destination.get("matching_event_types")),
                    sns_topic=text(sns.get("topic_arn")) if sns else None,
                    location=i.location,
                )
            )
        return tuple(out)

    @staticmethod
    def _types(value: Any) -> Any:
        raw = strings(value)
        if not isinstance(raw, tuple):
            return raw
        aliases = {"renderingFailure": "RENDERING_FAILURE", "deliveryDelay": "DELIVERY_DELAY"}
        return tuple(enum(v, EventType, aliases) for v in raw)

    # -- alarms -------------------------------------------------------------------------------------

    def alarms(self) -> tuple[Alarm, ...]:
        out = []
        for i in self.of("aws_cloudwatch_metric_alarm"):
            v = i.values
            namespace, metric, statistic, dims = (
                v.get("namespace"),
                v.get("metric_name"),
                v.get("statistic"),
                v.get("dimensions"),
            )
            if namespace is None and "metric_query" in v:
                namespace, metric, statistic, dims = self._metric_query(v["metric_query"])
            threshold = number(v.get("threshold"), "threshold")
            dimensions: Any = ()
            if isinstance(dims, dict):
                dimensions = tuple(sorted((k, text(val)) for k, val in dims.items()))
            elif isinstance(dims, (Unknown, Ref, Template)):
                dimensions = dims
            out.append(
                Alarm(
                    name=text(v.get("alarm_name")),
                    address=i.address,
                    # An alarm that may not exist watches nothing for sure: its metric is not known.
                    namespace=i.presence or text(namespace),
                    metric=i.presence or text(metric),
                    dimensions=dimensions,
                    statistic=text(statistic),
                    threshold=threshold if threshold is not None else Unknown("no threshold is set"),
                    comparison=text(v.get("comparison_operator")),
                    actions=strings(v.get("alarm_actions")),
                    actions_enabled=flag(v.get("actions_enabled"), True),
                    location=i.location,
                )
            )
        return tuple(out)

    @staticmethod
    def _metric_query(queries: Any) -> tuple[Any, Any, Any, Any]:
        items = queries if isinstance(queries, list) else [queries]
        for query in items:
            if not isinstance(query, dict):
                continue
            metric = query.get("metric")
            metric = metric[0] if isinstance(metric, list) and metric else metric
            if isinstance(metric, dict) and flag(query.get("return_data"), False) is not False:
                return (
                    metric.get("namespace"),
                    metric.get("metric_name"),
                    metric.get("stat"),
                    metric.get("dimensions"),
                )
        reason = Unknown("the alarm uses a metric math expression seslint does not evaluate")
        return reason, reason, None, ()

    # -- identities ---------------------------------------------------------------------------------

    def identities(self) -> tuple[Identity, ...]:
        """The identities with their DKIM, MAIL FROM and notification set-up; `verified` is left to the
        DNS records (dns_records.with_verification)."""
        identities: list[Identity] = []
        for i in self.of("aws_ses_domain_identity"):
            identities.append(
                Identity(
                    name=required_text(i.values, "domain"),
                    kind=IdentityKind.DOMAIN,
                    address=i.address,
                    dkim=Dkim(declared=False, signing_enabled=False, location=i.location),
                    region=region_of(i),
                    location=i.location,
                    presence=i.presence,
                )
            )
        for i in self.of("aws_ses_email_identity"):
            identities.append(
                Identity(
                    name=required_text(i.values, "email"),
                    kind=IdentityKind.EMAIL,
                    address=i.address,
                    region=region_of(i),
                    location=i.location,
                    presence=i.presence,
                )
            )
        for i in self.of("aws_sesv2_email_identity"):
            identities.append(self._v2_identity(i))
        return tuple(self._attach(identity) for identity in identities)

    def _v2_identity(self, i: Instance) -> Identity:
        name = required_text(i.values, "email_identity")
        # "no-reply@${var.domain}" is an e-mail address even when the domain has no value.
        email = "@" in (name if isinstance(name, str) else literal_text(name))
        signing = nested(i.values, "dkim_signing_attributes") or {}
        dkim = None
        if not email:
            if signing.get("domain_signing_private_key") is not None:
                # BYODKIM: the private key is a secret and never enters the model.
                dkim = Dkim(
                    mode=DkimMode.BYODKIM,
                    signing_enabled=True,
                    tokens=(),
                    selectors=(text(signing.get("domain_signing_selector")),),
                    key_length=Unknown("the BYODKIM key length is known from its DNS record"),
                    location=i.location,
                )
            else:
                length = signing.get("next_signing_key_length")
                key_length = KEY_LENGTHS.get(length) if isinstance(length, str) else None
                dkim = Dkim(
                    mode=DkimMode.EASY,
                    signing_enabled=True,
                    tokens=Ref(i.address, "dkim_signing_attributes.tokens"),
                    key_length=key_length
                    if key_length
                    else (
                        Unknown(f"next_signing_key_length {written(length)} is not known")
                        if length is not None
                        else Unknown("next_signing_key_length is not set, so SES chooses the key length")
                    ),
                    location=i.location,
                )
        return Identity(
            name=name,
            kind=IdentityKind.EMAIL if email else IdentityKind.DOMAIN,
            address=i.address,
            dkim=dkim,
            configuration_set=text(i.values.get("configuration_set_name")),
            region=region_of(i),
            location=i.location,
            presence=i.presence,
        )

    def _matches(self, value: Any, identity: Identity) -> bool:
        if isinstance(value, Unknown) and value.origin is not None:
            value = value.origin  # not known, but read from that resource
        if isinstance(value, Ref):
            return value.address == identity.address or value.address in identity.aliases
        return (
            isinstance(value, str)
            and isinstance(identity.name, str)
            and value.lower() == identity.name.lower()
        )

    def _attach(self, identity: Identity) -> Identity:
        for i in self.of("aws_ses_domain_dkim"):
            if self._matches(i.values.get("domain"), identity):
                identity = replace(
                    identity,
                    aliases=(*identity.aliases, i.address),
                    dkim=Dkim(
                        mode=DkimMode.EASY,
                        signing_enabled=i.presence or True,  # one that may not exist may sign nothing
                        tokens=Ref(i.address, "dkim_tokens"),
                        key_length=Unknown("aws_ses_domain_dkim cannot set a key length; SES chooses it"),
                        location=i.location,
                    ),
                )
        for i in self.of("aws_ses_domain_identity_verification"):
            if self._matches(i.values.get("domain"), identity):
                identity = replace(identity, aliases=(*identity.aliases, i.address))
        for i in self.of("aws_ses_domain_mail_from"):
            if self._matches(i.values.get("domain"), identity):
                identity = replace(
                    identity,
                    aliases=(*identity.aliases, i.address),
                    mail_from=MailFrom(
                        domain=i.presence or text(i.values.get("mail_from_domain")),
                        behavior_on_mx_failure=i.presence
                        or enum(
                            i.values.get("behavior_on_mx_failure", "UseDefaultValue"),
                            MxFailure,
                            {"UseDefaultValue": "USE_DEFAULT_VALUE", "RejectMessage": "REJECT_MESSAGE"},
                        ),
                        location=i.location,
                    ),
                )
        for i in self.of("aws_sesv2_email_identity_mail_from_attributes"):
            if self._matches(i.values.get("email_identity"), identity):
                identity = replace(
                    identity,
                    aliases=(*identity.aliases, i.address),
                    mail_from=MailFrom(
                        domain=i.presence or text(i.values.get("mail_from_domain")),
                        behavior_on_mx_failure=i.presence
                        or enum(i.values.get("behavior_on_mx_failure", "USE_DEFAULT_VALUE"), MxFailure),
                        location=i.location,
                    ),
                )
        topics: dict[str, Any] = {}
        where = None
        for i in self.of("aws_ses_identity_notification_topic"):
            if self._matches(i.values.get("identity"), identity):
                kind = text(i.values.get("notification_type"))
                if isinstance(kind, str):
                    topics[kind.lower()] = i.presence or text(i.values.get("topic_arn"))
                where = where or i.location
        forwarding: Any = True
        for i in self.of("aws_sesv2_email_identity_feedback_attributes"):
            if self._matches(i.values.get("email_identity"), identity):
                forwarding = i.presence or flag(i.values.get("email_forwarding_enabled"), True)
                where = where or i.location
        if topics or forwarding is not True:
            identity = replace(
                identity,
                notifications=NotificationTopics(
                    bounce=topics.get("bounce"),
                    complaint=topics.get("complaint"),
                    delivery=topics.get("delivery"),
                    forwarding_enabled=forwarding,
                    location=where or identity.location,
                ),
            )
        return identity

    def account_suppression(self) -> tuple[Any, Any]:
        for i in self.of("aws_sesv2_account_suppression_attributes"):
            raw = i.presence or strings(i.values.get("suppressed_reasons"))
            reasons = tuple(enum(r, SuppressionReason) for r in raw) if isinstance(raw, tuple) else raw
            return reasons, i.location
        return None, None
