"""A moto server on 127.0.0.1, reached over HTTP, with the gaps moto leaves filled in a WSGI layer.

moto (5.x) lacks or fakes some calls the audit makes. `GapFiller` answers them in front of moto's
own application, over the same HTTP connection the client uses, so nothing bypasses HTTP:

- sesv2 GetAccount (GET /v2/email/account): not implemented by moto;
- sesv2 GetConfigurationSetEventDestinations (GET /v2/email/configuration-sets/NAME/event-destinations):
  not implemented by moto;
- sesv2 GetEmailIdentity (GET /v2/email/identities/NAME): moto returns no DKIM tokens, status or key
  length, and VerifiedForSendingStatus false; the layer merges in the fields a test seeds.

- ses GetIdentityNotificationAttributes (query protocol, POST Action=...): moto never returns topics;
  the layer answers with the topics a test seeds, in the API's XML shape;
- sns ListSubscriptionsByTopic: moto confirms every subscription at once; for the topics a test marks
  pending, the layer answers with SubscriptionArn "PendingConfirmation", as SNS does.

The plain-moto test (no layer data) asserts the gaps surface as SES003 and Unknown, never as passes.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


class GapFiller:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.account: dict[str, Any] | None = None
        self.destinations: dict[str, list[dict[str, Any]]] = {}
        self.identities: dict[str, dict[str, Any]] = {}
        self.notifications: dict[str, dict[str, str]] = {}
        # Faults: request path regex -> [remaining count, HTTP status, error code] (count -1: always).
        self.faults: dict[str, list[Any]] = {}
        self.pending: set[str] = set()
        self.requests: list[str] = []

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        self.requests.append(f"{method} {path}")
        for pattern, fault in self.faults.items():
            if fault[0] != 0 and re.fullmatch(pattern, f"{method} {path}"):
                fault[0] -= 1 if fault[0] > 0 else 0
                payload = json.dumps({"__type": fault[2], "message": f"injected {fault[2]}"}).encode()
                start_response(
                    f"{fault[1]} Fault",
                    [
                        ("Content-Type", "application/json"),
                        ("x-amzn-ErrorType", fault[2]),
                        ("Content-Length", str(len(payload))),
                    ],
                )
                return [payload]
        if method == "GET" and path == "/v2/email/account" and self.account is not None:
            return self._json(start_response, self.account)
        if method == "POST" and path == "/" and (self.notifications or self.pending):
            form = self._form(environ)
            if form.get("Action") == "GetIdentityNotificationAttributes" and self.notifications:
                names = [v for k, v in sorted(form.items()) if k.startswith("Identities.member.")]
                return self._xml(start_response, _notification_xml(names, self.notifications))
            if form.get("Action") == "ListSubscriptionsByTopic" and form.get("TopicArn") in self.pending:
                return self._xml(start_response, _pending_xml(form["TopicArn"]))
        match = re.fullmatch(r"/v2/email/configuration-sets/([^/]+)/event-destinations", path)
        if method == "GET" and match and self.destinations:
            return self._json(
                start_response, {"EventDestinations": self.destinations.get(match.group(1), [])}
            )
        match = re.fullmatch(r"/v2/email/identities/([^/]+)", path)
        if method == "GET" and match and match.group(1) in self.identities:
            status, headers, body = self._through(environ)
            document = json.loads(body or b"{}")
            document.update(self.identities[match.group(1)])
            payload = json.dumps(document).encode()
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(status, [*headers, ("Content-Length", str(len(payload)))])
            return [payload]
        return self.app(environ, start_response)  # type: ignore[no-any-return]

    @staticmethod
    def _form(environ: Environ) -> dict[str, str]:
        """Read the form body, and put it back so moto can read it too."""
        from urllib.parse import parse_qsl

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        return dict(parse_qsl(body.decode()))

    def _xml(self, start_response: StartResponse, payload: bytes) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(payload)))])
        return [payload]

    def _json(self, start_response: StartResponse, document: Any) -> list[bytes]:
        payload = json.dumps(document).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]

    def _through(self, environ: Environ) -> tuple[str, list[tuple[str, str]], bytes]:
        captured: dict[str, Any] = {}

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, start))
        return captured["status"], captured["headers"], body


def _notification_xml(names: list[str], seeded: dict[str, dict[str, str]]) -> bytes:
    entries = ""
    for name in names:
        attributes = seeded.get(name, {})
        inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in attributes.items())
        entries += f"<entry><key>{escape(name)}</key><value>{inner}<ForwardingEnabled>true</ForwardingEnabled></value></entry>"
    return (
        '<GetIdentityNotificationAttributesResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">'
        f"<GetIdentityNotificationAttributesResult><NotificationAttributes>{entries}</NotificationAttributes>"
        "</GetIdentityNotificationAttributesResult><ResponseMetadata><RequestId>gap-layer</RequestId>"
        "</ResponseMetadata></GetIdentityNotificationAttributesResponse>"
    ).encode()


def _pending_xml(topic: str) -> bytes:
    return (
        '<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
        "<ListSubscriptionsByTopicResult><Subscriptions><member>"
        f"<TopicArn>{escape(topic)}</TopicArn><Protocol>email</Protocol><SubscriptionArn>PendingConfirmation"
        "</SubscriptionArn><Owner>123456789012</Owner><Endpoint>ops@example.com</Endpoint></member>"
        "</Subscriptions></ListSubscriptionsByTopicResult><ResponseMetadata><RequestId>gap-layer</RequestId>"
        "</ResponseMetadata></ListSubscriptionsByTopicResponse>"
    ).encode()


@contextmanager
def moto_server() -> Iterator[tuple[str, GapFiller]]:
    filler = GapFiller(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, filler, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", filler
    finally:
        server.shutdown()
        thread.join(timeout=5)


def state(endpoint: str) -> bytes:
    """moto's whole in-memory state, to prove an audit changed nothing."""
    import urllib.request

    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        return bytes(response.read())


def reset(endpoint: str) -> None:
    import urllib.request

    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10):
        pass
