"""Which API call and which response field each rule's live verdict rests on: the evidence line of an
audit finding in the auditor's report. Data only; nothing here calls AWS or imports boto3.
"""

from __future__ import annotations

from seslint.findings import Finding

# What a call is asked about, read back from the finding: the identity, the configuration set, the
# topic, or nothing (account-wide calls).
IDENTITY, SET, TOPIC, ACCOUNT = "identity", "set", "topic", "account"

_IDENTITY = "sesv2:GetEmailIdentity"
_SET = "sesv2:GetConfigurationSet"
_DESTINATIONS = "sesv2:GetConfigurationSetEventDestinations"
_NOTIFICATIONS = "ses:GetIdentityNotificationAttributes"
_ALARMS = "cloudwatch:DescribeAlarms"
_ACCOUNT = "sesv2:GetAccount"

# rule -> ((operation, response field(s), what it is asked about), ...)
API_EVIDENCE: dict[str, tuple[tuple[str, str, str], ...]] = {
    "SES100": (("sesv2:ListEmailIdentities", "EmailIdentities[].IdentityName", ACCOUNT),),
    "SES101": ((_IDENTITY, "VerifiedForSendingStatus, VerificationStatus", IDENTITY),),
    "SES102": ((_IDENTITY, "DkimAttributes.SigningEnabled, DkimAttributes.Status", IDENTITY),),
    "SES103": ((_IDENTITY, "DkimAttributes.Tokens, DkimAttributes.SigningHostedZone", IDENTITY),),
    "SES104": ((_IDENTITY, "DkimAttributes.CurrentSigningKeyLength", IDENTITY),),
    "SES110": ((_IDENTITY, "MailFromAttributes.MailFromDomain", IDENTITY),),
    "SES111": ((_IDENTITY, "MailFromAttributes.BehaviorOnMxFailure", IDENTITY),),
    "SES140": (
        (_NOTIFICATIONS, "NotificationAttributes.BounceTopic", IDENTITY),
        (_DESTINATIONS, "EventDestinations", SET),
    ),
    "SES141": (
        (_NOTIFICATIONS, "NotificationAttributes.ComplaintTopic", IDENTITY),
        (_DESTINATIONS, "EventDestinations", SET),
    ),
    "SES142": (("sns:GetTopicAttributes", "Attributes.FifoTopic (NotFound: no topic)", TOPIC),),
    "SES143": (("sns:GetTopicAttributes", "Attributes.Policy", TOPIC),),
    "SES144": (("sns:ListSubscriptionsByTopic", "Subscriptions[].SubscriptionArn", TOPIC),),
    "SES200": ((_IDENTITY, "ConfigurationSetName", IDENTITY),),
    "SES201": ((_SET, "DeliveryOptions.TlsPolicy", SET),),
    "SES202": ((_SET, "ReputationOptions.ReputationMetricsEnabled", SET),),
    "SES203": ((_SET, "SuppressionOptions.SuppressedReasons", SET),),
    "SES204": ((_DESTINATIONS, "EventDestinations[].Enabled", SET),),
    "SES300": ((_ACCOUNT, "ProductionAccessEnabled", ACCOUNT),),
    "SES301": ((_ACCOUNT, "EnforcementStatus", ACCOUNT),),
    "SES302": ((_ACCOUNT, "SuppressionAttributes.SuppressedReasons", ACCOUNT),),
    "SES310": ((_ALARMS, "MetricAlarms[].Namespace, MetricName (AWS/SES Reputation.BounceRate)", ACCOUNT),),
    "SES311": (
        (_ALARMS, "MetricAlarms[].Namespace, MetricName (AWS/SES Reputation.ComplaintRate)", ACCOUNT),
    ),
    "SES312": ((_ALARMS, "MetricAlarms[].Threshold", ACCOUNT),),
    "SES313": ((_ALARMS, "MetricAlarms[].AlarmActions, ActionsEnabled", ACCOUNT),),
    "SES314": ((_ALARMS, "MetricAlarms[].ComparisonOperator, Statistic, MetricName", ACCOUNT),),
}


def api_evidence(finding: Finding) -> tuple[str, ...]:
    """`OPERATION(PARAM=VALUE) → FIELD` for each call the verdict read. The account and region are
    the report's (the finding's group names them); the identity's own calls name no parameter, as the
    finding is listed under the identity."""
    arn = finding.location.arn or ""
    lines = []
    for operation, fields, about in API_EVIDENCE.get(finding.rule, ()):
        asked = _asked(finding, about, arn)
        call = f"{operation}({asked})" if asked else operation
        lines.append(f"{call} → {fields}")
    return tuple(lines)


def _asked(finding: Finding, about: str, arn: str) -> str:
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    if about == IDENTITY:
        name = resource.partition("identity/")[2]
        return f"EmailIdentity={name}" if name and name != finding.identity else ""
    if about == SET:
        name = resource.partition("configuration-set/")[2].split("/")[0]
        return f"ConfigurationSetName={name}" if name else ""
    if about == TOPIC:
        return f"TopicArn={finding.resource}" if finding.resource.startswith("arn:") else ""
    return ""
