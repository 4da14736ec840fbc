"""Collect the raw API responses an audit needs, read only, into a snapshot.

Every call goes through `Recorder.call`, which stores the response (or the error) so that the same
snapshot can be audited again offline. A failed call never aborts the audit: it is recorded, and the
mapping turns it into SES003 plus Unknown for what it would have shown.

botocore retries throttling, timeouts and dropped connections itself. A response cut short in transit
it does not notice (it reads non-streaming bodies with urllib3's length check off and parses what
arrived: cut-off JSON parses as an empty answer, whose absent fields would read as API defaults such
as TLS policy OPTIONAL), so `refuse_unreadable` makes it an error and `Recorder.call` asks again.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from seslint.untrusted import masked

NOTIFICATION_BATCH = 100  # GetIdentityNotificationAttributes takes at most 100 identities
READ_PREFIXES = ("Get", "List", "Describe")
ALLOWED_OTHERS = frozenset({"AssumeRole"})  # sts: returns credentials, writes nothing
TRUNCATED_ATTEMPTS = 3  # a call whose response arrives cut short is made at most this many times
# After botocore's retries, these mean the region's endpoint does not answer at all: the unit's other
# calls are recorded as not attempted instead of each waiting out its own timeouts and retries.
NO_ANSWER = ("ReadTimeoutError", "ConnectTimeoutError", "EndpointConnectionError", "ConnectTimeout")
NOT_ATTEMPTED = "NotAttempted"

# The IAM actions the collector calls (sesv2 and ses share the `ses:` prefix); tested against
# `seslint permissions`.
AUDIT_OPERATIONS = (
    "cloudwatch:DescribeAlarms",
    "ses:GetAccount",
    "ses:GetConfigurationSet",
    "ses:GetConfigurationSetEventDestinations",
    "ses:GetEmailIdentity",
    "ses:GetIdentityNotificationAttributes",
    "ses:ListConfigurationSets",
    "ses:ListEmailIdentities",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sts:GetCallerIdentity",
)


class ReadOnlyViolation(RuntimeError):
    """Raised by the guard before a non-read call leaves the process."""


def refuse_writes(model: Any, **_: Any) -> None:
    """botocore 'before-call' hook: only Get/List/Describe (and sts AssumeRole) may be sent."""
    name = getattr(model, "name", "")
    if not (name.startswith(READ_PREFIXES) or name in ALLOWED_OTHERS):
        raise ReadOnlyViolation(f"seslint is read only: refused to call {name}")


def refuse_unreadable(response_dict: dict[str, Any], operation_model: Any = None, **_: Any) -> None:
    """botocore 'before-parse' hook: a body shorter than its Content-Length, or a success whose body
    is not in the API's format (a proxy's or captive portal's HTML page), is an error, not an answer:
    botocore would parse either as an empty answer, whose absent fields read as API defaults."""
    from botocore.exceptions import IncompleteReadError

    body = response_dict.get("body")
    length = str(response_dict.get("headers", {}).get("content-length", ""))
    if isinstance(body, bytes) and length.isdigit() and len(body) < int(length):
        raise IncompleteReadError(actual_bytes=len(body), expected_bytes=int(length))
    status = response_dict.get("status_code")
    if not isinstance(body, bytes) or not isinstance(status, int) or not 200 <= status < 300:
        return
    protocol = getattr(operation_model, "metadata", {}).get("protocol", "")
    head = body.lstrip()[:15].lower()
    if not head or protocol not in _TEXT_PROTOCOLS:
        return  # an empty body, or a binary protocol (CloudWatch speaks CBOR)
    if head[:1] != _TEXT_PROTOCOLS[protocol] or head.startswith(_HTML):
        raise _not_an_answer()(status=status)  # type: ignore[call-arg]  # BotoCoreError's fmt fields


_HTML = (b"<!doctype html", b"<html")
_TEXT_PROTOCOLS = {"json": b"{", "rest-json": b"{", "query": b"<", "rest-xml": b"<", "ec2": b"<"}


@lru_cache(maxsize=1)
def _not_an_answer() -> type[Exception]:
    """The error for a success that is not an AWS answer; made on first use, as botocore is imported
    only when an audit runs. A BotoCoreError, so Recorder.call records it like botocore's own."""
    from botocore.exceptions import BotoCoreError

    class NotAnAwsAnswer(BotoCoreError):
        fmt = "HTTP {status} with a body that is not an AWS answer (not shown)"

    answer: type[Exception] = NotAnAwsAnswer
    return answer


def guard(client: Any) -> Any:
    """Every client the audit makes: writes refused before they leave, unreadable answers refused."""
    client.meta.events.register("before-call.*.*", refuse_writes)
    client.meta.events.register("before-parse.*.*", refuse_unreadable)
    return client


def error_record(exc: Exception) -> dict[str, Any]:
    """What the audit keeps of a failed call: the error code, the AWS error message and the HTTP
    status. Never the body of an answer that is not an AWS error: a proxy's page can name internal
    hosts, and it would reach the report. Raises exc again when it is no API error at all."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    if isinstance(exc, ClientError):
        response: dict[str, Any] = dict(exc.response)
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        error = response.get("Error") or {}
        code = str(error.get("Code") or status or "Unknown")
        record: dict[str, Any] = {"code": code, "message": _line(masked(str(error.get("Message", ""))))}
        if isinstance(status, int):
            record["http_status"] = status
        return record
    if isinstance(exc, ResponseParserError):
        return {"code": type(exc).__name__, "message": "the answer is not in the API's format"}
    if isinstance(exc, (BotoCoreError, OSError)):
        # masked: a connection error names the endpoint URL, which may carry credentials
        return {"code": type(exc).__name__, "message": _line(masked(str(exc)))}
    raise exc


def said(error: dict[str, Any]) -> str:
    """A recorded error as one line: `HTTP 403 AccessDeniedException: message`. A code that is only
    the HTTP status means botocore found no AWS error in the body (an HTML page, a proxy's text):
    its status is shown, its body never (snapshots written before this rule held the body)."""
    import http.client

    code = str(error.get("code", "Unknown"))
    status = error.get("http_status")
    if code.isdigit():
        phrase = http.client.responses.get(int(code), "error") if len(code) < 5 else "error"
        return f"HTTP {code} ({phrase}), an answer that is not an AWS error"
    if code == "ResponseParserError":
        return f"{code}: the answer is not in the API's format"
    prefix = f"HTTP {status} " if isinstance(status, int) else ""
    message = _line(str(error.get("message", "")))
    return f"{prefix}{code}: {message}" if message else f"{prefix}{code}"


def _line(text: str, limit: int = 300) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 3] + "..."


@dataclass
class Recorder:
    """Calls the API and keeps every response or error, keyed for the mapping."""

    region: str
    clients: Callable[[str], Any]
    calls: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    unreachable: str | None = None  # set when a call got no answer at all: the rest are not tried
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, service: str, operation: str, **params: Any) -> dict[str, Any] | None:
        from botocore.exceptions import BotoCoreError, ClientError, IncompleteReadError
        from botocore.parsers import ResponseParserError  # not a BotoCoreError: an answer that is no answer

        entry: dict[str, Any] = {"service": service, "operation": operation, "params": params}
        if self.unreachable is not None:
            entry["error"] = {"code": NOT_ATTEMPTED, "message": f"not tried: {self.unreachable}"}
            with self._lock:
                self.calls.append(entry)
            return None
        for _attempt in range(TRUNCATED_ATTEMPTS):
            entry.pop("error", None)
            try:
                method = getattr(self.clients(service), _snake(operation))
                response = method(**params)
                response.pop("ResponseMetadata", None)
                # Through JSON and back: the live audit sees exactly what a saved snapshot will hold.
                entry["response"] = json.loads(json.dumps(response, default=_encode))
            except ClientError as exc:
                entry["error"] = error_record(exc)
            except (BotoCoreError, ResponseParserError, OSError) as exc:
                entry["error"] = error_record(exc)
                if isinstance(exc, IncompleteReadError):
                    continue  # cut short in transit, which botocore does not retry: ask again
                if type(exc).__name__ in NO_ANSWER:
                    self.unreachable = (
                        f"{self.region} did not answer {service}:{operation} ({type(exc).__name__})"
                    )
            break
        with self._lock:
            self.calls.append(entry)
            self.count += 1
        return entry.get("response")


def _encode(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)


def _snake(operation: str) -> str:
    out = ""
    for index, char in enumerate(operation):
        if char.isupper() and index:
            out += "_"
        out += char.lower()
    return out


def collect_region(recorder: Recorder) -> None:
    """Every read the rules need in one region; bounded by identities, sets and topics, not by retries."""
    if not any(c["operation"] == "GetAccount" for c in recorder.calls):
        recorder.call("sesv2", "GetAccount")
    names: list[str] = []
    token: str | None = None
    while True:
        page = recorder.call(
            "sesv2", "ListEmailIdentities", PageSize=1000, **({"NextToken": token} if token else {})
        )
        if page is None:
            break
        names += [i["IdentityName"] for i in page.get("EmailIdentities", []) if "IdentityName" in i]
        token = page.get("NextToken")
        if not token:
            break
    for name in names:
        recorder.call("sesv2", "GetEmailIdentity", EmailIdentity=name)
    for start in range(0, len(names), NOTIFICATION_BATCH):
        recorder.call(
            "ses", "GetIdentityNotificationAttributes", Identities=names[start : start + NOTIFICATION_BATCH]
        )
    sets: list[str] = []
    token = None
    while True:
        page = recorder.call(
            "sesv2", "ListConfigurationSets", PageSize=1000, **({"NextToken": token} if token else {})
        )
        if page is None:
            break
        sets += page.get("ConfigurationSets", [])
        token = page.get("NextToken")
        if not token:
            break
    for name in sets:
        recorder.call("sesv2", "GetConfigurationSet", ConfigurationSetName=name)
        recorder.call("sesv2", "GetConfigurationSetEventDestinations", ConfigurationSetName=name)
    for topic in sorted(_topics(recorder.calls)):
        recorder.call("sns", "GetTopicAttributes", TopicArn=topic)
        recorder.call("sns", "ListSubscriptionsByTopic", TopicArn=topic)
    token = None
    while True:
        params: dict[str, Any] = {"AlarmTypes": ["MetricAlarm"], "MaxRecords": 100}
        if token:
            params["NextToken"] = token
        page = recorder.call("cloudwatch", "DescribeAlarms", **params)
        if page is None:
            break
        token = page.get("NextToken")
        if not token:
            break


def _topics(calls: list[dict[str, Any]]) -> set[str]:
    """Topic ARNs named by notification attributes and SNS event destinations."""
    found: set[str] = set()
    for entry in calls:
        response = entry.get("response") or {}
        if entry["operation"] == "GetIdentityNotificationAttributes":
            for attributes in response.get("NotificationAttributes", {}).values():
                for key in ("BounceTopic", "ComplaintTopic", "DeliveryTopic"):
                    if attributes.get(key):
                        found.add(attributes[key])
        if entry["operation"] == "GetConfigurationSetEventDestinations":
            for destination in response.get("EventDestinations", []):
                arn = (destination.get("SnsDestination") or {}).get("TopicArn")
                if arn:
                    found.add(arn)
    return found
