"""Raw API responses of one (account, region) -> a Posture. Failed calls become SES003 and Unknown."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from seslint.model import (
    Account,
    Alarm,
    ConfigurationSet,
    Dkim,
    DkimMode,
    EventDestination,
    EventType,
    Identity,
    IdentityKind,
    Location,
    MailFrom,
    MxFailure,
    NotificationTopics,
    Posture,
    ReadFailure,
    SourceKind,
    Subscription,
    SuppressionReason,
    TlsPolicy,
    Topic,
    Unknown,
)
from seslint.sources.aws.calls import said

KEY_LENGTHS = {"RSA_1024_BIT": 1024, "RSA_2048_BIT": 2048}


class Calls:
    """The calls of one unit, indexed: an account of thousands of identities is looked up per
    identity, so a scan per lookup would make the mapping quadratic."""

    def __init__(self, calls: list[dict[str, Any]], region: str, account: str) -> None:
        self.calls = calls
        self.region = region
        self.account = account
        self._by_operation: dict[Any, list[dict[str, Any]]] = {}
        self._by_param: dict[tuple[Any, str, str], list[dict[str, Any]]] = {}
        for entry in calls:
            operation = entry.get("operation")
            self._by_operation.setdefault(operation, []).append(entry)
            params = entry.get("params")
            for key, value in params.items() if isinstance(params, dict) else ():
                if isinstance(value, str):
                    self._by_param.setdefault((operation, key, value), []).append(entry)

    def find(self, operation: str, **params: Any) -> dict[str, Any] | None:
        first = next(((k, v) for k, v in params.items() if isinstance(v, str)), None)
        candidates = (
            self._by_param.get((operation, *first), []) if first else self._by_operation.get(operation, [])
        )
        for entry in candidates:
            if all(entry.get("params", {}).get(k) == v for k, v in params.items()):
                return entry
        return None

    def all(self, operation: str) -> list[dict[str, Any]]:
        return list(self._by_operation.get(operation, []))


def _missing(entry: dict[str, Any] | None, what: str) -> Unknown | None:
    if entry is None:
        return Unknown(f"{what} was not read")
    if "error" in entry:
        code = str(entry["error"].get("code"))
        return Unknown(f"{what}: {'HTTP ' + code if code.isdigit() else code}")
    return None


def _get(mapping: Any, *keys: str, what: str) -> Any:
    """A nested field, or Unknown when the response lacks it (partial data is never a pass)."""
    value = mapping
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return Unknown(f"{what}: the response has no {'.'.join(keys)}")
        value = value[key]
    return value


def build(calls: list[dict[str, Any]], region: str, account: str, judges_dns: bool = False) -> Posture:
    index = Calls(calls, region, account)
    failures = tuple(
        ReadFailure(
            what=f"{e['service']}:{e['operation']}",
            reason=said(e["error"]),
            location=Location(region=region, arn=_arn_of(e, region, account)),
            resource=_resource_of(e),
        )
        for e in calls
        if "error" in e
    )
    topics, subscriptions = _topics(index)
    return Posture(
        source=SourceKind.AWS,
        targets=(f"{account}/{region}",),
        identities=_identities(index),
        configuration_sets=_sets(index),
        event_destinations=_destinations(index),
        topics=topics,
        subscriptions=subscriptions,
        alarms=_alarms(index),
        account=_account(index),
        regions=(region,),
        failures=failures,
        judges_dns=judges_dns,
    )


def _resource_of(entry: dict[str, Any]) -> str:
    params = entry.get("params", {})
    for key in ("EmailIdentity", "ConfigurationSetName", "TopicArn"):
        if key in params:
            return str(params[key])
    return f"{entry['service']}:{entry['operation']}"


def _arn_of(entry: dict[str, Any], region: str, account: str) -> str | None:
    params = entry.get("params", {})
    if "EmailIdentity" in params:
        return f"arn:aws:ses:{region}:{account}:identity/{params['EmailIdentity']}"
    if "TopicArn" in params:
        return str(params["TopicArn"])
    return None


def _account(index: Calls) -> Account:
    entry = index.find("GetAccount")
    where = Location(arn=f"arn:aws:ses:{index.region}:{index.account}:account", region=index.region)
    missing = _missing(entry, "sesv2:GetAccount")
    if missing is not None or entry is None:
        reason = missing or Unknown("sesv2:GetAccount was not read")
        return Account(
            production_access=reason,
            enforcement_status=reason,
            sending_enabled=reason,
            suppressed_reasons=reason,
            account_id=index.account,
            region=index.region,
            location=where,
        )
    r = entry["response"]
    reasons = _get(r, "SuppressionAttributes", "SuppressedReasons", what="GetAccount")
    return Account(
        production_access=_get(r, "ProductionAccessEnabled", what="GetAccount"),
        enforcement_status=_get(r, "EnforcementStatus", what="GetAccount"),
        sending_enabled=_get(r, "SendingEnabled", what="GetAccount"),
        suppressed_reasons=tuple(SuppressionReason(x) for x in reasons)
        if isinstance(reasons, list)
        else reasons,
        account_id=index.account,
        region=index.region,
        location=where,
    )


def _identities(index: Calls) -> tuple[Identity, ...]:
    names: list[tuple[str, str]] = []
    for page in index.all("ListEmailIdentities"):
        for item in (page.get("response") or {}).get("EmailIdentities", []):
            names.append((item.get("IdentityName", ""), item.get("IdentityType", "")))
    notes: dict[str, Any] = {}
    note_errors: dict[str, Unknown] = {}
    for entry in index.all("GetIdentityNotificationAttributes"):
        missing = _missing(entry, "ses:GetIdentityNotificationAttributes")
        for name in entry.get("params", {}).get("Identities", []):
            if missing is not None:
                note_errors[name] = missing
            else:
                notes[name] = (entry["response"].get("NotificationAttributes") or {}).get(name)
    out = []
    for name, kind in names:
        arn = f"arn:aws:ses:{index.region}:{index.account}:identity/{name}"
        where = Location(arn=arn, region=index.region)
        found = index.find("GetEmailIdentity", EmailIdentity=name)
        missing = _missing(found, f"sesv2:GetEmailIdentity {name}")
        email = kind == "EMAIL_ADDRESS" or "@" in name
        identity = Identity(
            name=name,
            kind=IdentityKind.EMAIL if email else IdentityKind.DOMAIN,
            address=arn,
            region=index.region,
            location=where,
        )
        if missing is not None or found is None:
            unknown = missing or Unknown("not read")
            identity = Identity(
                name=name,
                kind=identity.kind,
                address=arn,
                verified=unknown,
                dkim=Dkim(signing_enabled=unknown, tokens=unknown, key_length=unknown, location=where),
                mail_from=MailFrom(domain=unknown, behavior_on_mx_failure=unknown, location=where),
                configuration_set=unknown,
                region=index.region,
                location=where,
            )
        else:
            identity = _identity(found["response"], identity, email, where)
        if name in note_errors:
            reason = note_errors[name]
            identity = _with_notes(
                identity,
                NotificationTopics(
                    bounce=reason,
                    complaint=reason,
                    delivery=reason,
                    forwarding_enabled=reason,
                    location=where,
                ),
            )
        elif notes.get(name):
            attrs = notes[name]
            identity = _with_notes(
                identity,
                NotificationTopics(
                    bounce=attrs.get("BounceTopic"),
                    complaint=attrs.get("ComplaintTopic"),
                    delivery=attrs.get("DeliveryTopic"),
                    forwarding_enabled=attrs.get("ForwardingEnabled", True),
                    location=where,
                ),
            )
        out.append(identity)
    return tuple(out)


def _with_notes(identity: Identity, notes: NotificationTopics) -> Identity:
    return replace(identity, notifications=notes)


def _identity(r: dict[str, Any], base: Identity, email: bool, where: Location) -> Identity:
    what = f"GetEmailIdentity {base.name}"
    dkim_raw = r.get("DkimAttributes")
    dkim = None
    if not email:
        if isinstance(dkim_raw, dict):
            origin = dkim_raw.get("SigningAttributesOrigin", "AWS_SES")
            # The key that signs; before the first key exists (pending), the one SES will create.
            length = dkim_raw.get("CurrentSigningKeyLength") or dkim_raw.get("NextSigningKeyLength")
            tokens = dkim_raw.get("Tokens")
            dkim = Dkim(
                mode=DkimMode.BYODKIM if origin == "EXTERNAL" else DkimMode.EASY,
                signing_enabled=_get(dkim_raw, "SigningEnabled", what=what),
                status=_get(dkim_raw, "Status", what=what),
                tokens=tuple(tokens)
                if isinstance(tokens, list)
                else Unknown(f"{what}: the response has no DKIM tokens"),
                key_length=KEY_LENGTHS.get(
                    length or "", Unknown(f"{what}: key length {length!r} not reported")
                )
                if isinstance(length, str) or length is None
                else length,
                signing_hosted_zone=dkim_raw.get("SigningHostedZone"),
                location=where,
            )
        else:
            dkim = Dkim(
                signing_enabled=Unknown(f"{what}: the response has no DkimAttributes"),
                tokens=Unknown(f"{what}: no DkimAttributes"),
                key_length=Unknown(f"{what}: no DkimAttributes"),
                location=where,
            )
    mail = r.get("MailFromAttributes")
    mail_from = None
    if isinstance(mail, dict) and mail.get("MailFromDomain"):
        behaviour = mail.get("BehaviorOnMxFailure")
        mail_from = MailFrom(
            domain=mail["MailFromDomain"],
            behavior_on_mx_failure=MxFailure(behaviour)
            if behaviour in ("USE_DEFAULT_VALUE", "REJECT_MESSAGE")
            else Unknown(f"{what}: no BehaviorOnMxFailure"),
            status=mail.get("MailFromDomainStatus"),
            location=where,
        )
    verified = r.get("VerifiedForSendingStatus")
    return replace(
        base,
        verified=verified if isinstance(verified, bool) else Unknown(f"{what}: no VerifiedForSendingStatus"),
        verification_status=r.get("VerificationStatus"),
        dkim=dkim,
        mail_from=mail_from,
        configuration_set=r.get("ConfigurationSetName"),
    )


def _sets(index: Calls) -> tuple[ConfigurationSet, ...]:
    out = []
    for entry in index.all("GetConfigurationSet"):
        name = entry["params"]["ConfigurationSetName"]
        arn = f"arn:aws:ses:{index.region}:{index.account}:configuration-set/{name}"
        where = Location(arn=arn, region=index.region)
        missing = _missing(entry, f"sesv2:GetConfigurationSet {name}")
        if missing is not None:
            out.append(
                ConfigurationSet(
                    name=name,
                    address=arn,
                    tls_policy=missing,
                    reputation_metrics=missing,
                    sending_enabled=missing,
                    region=index.region,
                    location=where,
                )
            )
            continue
        r = entry["response"]
        tls = (r.get("DeliveryOptions") or {}).get("TlsPolicy", "OPTIONAL")
        suppression = r.get("SuppressionOptions")
        reasons = None
        if isinstance(suppression, dict) and "SuppressedReasons" in suppression:
            reasons = tuple(SuppressionReason(x) for x in suppression["SuppressedReasons"])
        out.append(
            ConfigurationSet(
                name=name,
                address=arn,
                tls_policy=TlsPolicy(tls) if tls in ("REQUIRE", "OPTIONAL") else Unknown(f"TlsPolicy {tls}"),
                reputation_metrics=(r.get("ReputationOptions") or {}).get("ReputationMetricsEnabled", False),
                sending_enabled=(r.get("SendingOptions") or {}).get("SendingEnabled", True),
                suppressed_reasons=reasons,
                region=index.region,
                location=where,
            )
        )
    return tuple(out)


def _destinations(index: Calls) -> tuple[EventDestination, ...]:
    out = []
    for entry in index.all("GetConfigurationSetEventDestinations"):
        name = entry["params"]["ConfigurationSetName"]
        set_arn = f"arn:aws:ses:{index.region}:{index.account}:configuration-set/{name}"
        missing = _missing(entry, f"sesv2:GetConfigurationSetEventDestinations {name}")
        if missing is not None:
            # What the destinations would have shown is unknown: one placeholder keeps it visible.
            out.append(
                EventDestination(
                    name=missing,
                    address=f"{set_arn}/event-destinations",
                    configuration_set=name,
                    enabled=missing,
                    event_types=missing,
                    sns_topic=missing,
                    region=index.region,
                    location=Location(arn=set_arn, region=index.region),
                )
            )
            continue
        for d in entry["response"].get("EventDestinations", []):
            types = tuple(EventType(t) for t in d.get("MatchingEventTypes", []) if t in EventType.__members__)
            out.append(
                EventDestination(
                    name=d.get("Name", "?"),
                    address=f"{set_arn}/event-destination/{d.get('Name')}",
                    configuration_set=name,
                    enabled=d.get("Enabled", False),
                    event_types=types,
                    sns_topic=(d.get("SnsDestination") or {}).get("TopicArn"),
                    region=index.region,
                    location=Location(arn=set_arn, region=index.region),
                )
            )
    return tuple(out)


def _topics(index: Calls) -> tuple[tuple[Topic, ...], tuple[Subscription, ...]]:
    topics = []
    subscriptions = []
    for entry in index.all("GetTopicAttributes"):
        arn = entry["params"]["TopicArn"]
        where = Location(arn=arn, region=index.region)
        name = arn.rsplit(":", 1)[-1]
        error = entry.get("error", {}).get("code")
        if error in ("NotFound", "NotFoundException"):
            continue  # absent: SES142 says the topic does not exist
        missing = _missing(entry, f"sns:GetTopicAttributes {arn}")
        if missing is not None:
            topics.append(
                Topic(
                    name=name,
                    address=arn,
                    arn=arn,
                    fifo=missing,
                    policy=missing,
                    region=index.region,
                    location=where,
                )
            )
        else:
            attrs = entry["response"].get("Attributes", {})
            topics.append(
                Topic(
                    name=name,
                    address=arn,
                    arn=arn,
                    fifo=attrs.get("FifoTopic") == "true",
                    policy=attrs.get("Policy"),
                    region=index.region,
                    location=where,
                )
            )
    for entry in index.all("ListSubscriptionsByTopic"):
        arn = entry["params"]["TopicArn"]
        missing = _missing(entry, f"sns:ListSubscriptionsByTopic {arn}")
        if missing is not None:
            subscriptions.append(
                Subscription(
                    topic=arn,
                    protocol=missing,
                    endpoint=missing,
                    address=f"{arn}/?",
                    confirmed=missing,
                    location=Location(arn=arn, region=index.region),
                )
            )
            continue
        for s in entry["response"].get("Subscriptions", []):
            sub_arn = s.get("SubscriptionArn", "")
            subscriptions.append(
                Subscription(
                    topic=arn,
                    protocol=s.get("Protocol", "?"),
                    endpoint=s.get("Endpoint", "?"),
                    address=sub_arn,
                    confirmed=sub_arn not in ("PendingConfirmation", "Deleted"),
                    location=Location(arn=arn, region=index.region),
                )
            )
    return tuple(topics), tuple(subscriptions)


def _alarms(index: Calls) -> tuple[Alarm, ...]:
    out = []
    pages: list[dict[str, Any] | None] = [*index.all("DescribeAlarms")] or [None]  # never read: unknown
    for entry in pages:
        missing = _missing(entry, "cloudwatch:DescribeAlarms")
        if missing is not None:
            out.append(
                Alarm(
                    name=missing,
                    address="cloudwatch:DescribeAlarms",
                    namespace=missing,
                    metric=missing,
                    region=index.region,
                    location=Location(region=index.region),
                )
            )
            continue
        assert entry is not None  # _missing is None only for a call that was answered
        for a in entry["response"].get("MetricAlarms", []):
            namespace, metric, statistic, dims = (
                a.get("Namespace"),
                a.get("MetricName"),
                a.get("Statistic"),
                a.get("Dimensions", []),
            )
            if namespace is None and a.get("Metrics"):
                for query in a["Metrics"]:
                    stat = query.get("MetricStat")
                    if stat and query.get("ReturnData", True):
                        namespace = stat["Metric"].get("Namespace")
                        metric = stat["Metric"].get("MetricName")
                        statistic = stat.get("Stat")
                        dims = stat["Metric"].get("Dimensions", [])
            if namespace != "AWS/SES":
                continue
            out.append(
                Alarm(
                    name=a.get("AlarmName", "?"),
                    address=a.get("AlarmArn", a.get("AlarmName", "?")),
                    namespace=namespace,
                    metric=metric or Unknown("metric math alarm"),
                    dimensions=tuple((d["Name"], d["Value"]) for d in dims),
                    statistic=statistic,
                    threshold=a.get("Threshold"),
                    comparison=a.get("ComparisonOperator"),
                    actions=tuple(a.get("AlarmActions", [])),
                    actions_enabled=a.get("ActionsEnabled", True),
                    region=index.region,
                    location=Location(arn=a.get("AlarmArn"), region=index.region),
                )
            )
    return tuple(out)
