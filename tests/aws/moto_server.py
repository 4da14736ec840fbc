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

It also injects faults (`GapFiller.faults`, see `Fault`): HTTP errors, dropped connections, truncated
responses and hangs, by request path, operation and signing region; and it notes the credentials it
sees (`tokens`, `issued`) so a test can prove none of them reaches a report.

The plain-moto test (no layer data) asserts the gaps surface as SES003 and Unknown, never as passes.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn
from xml.sax.saxutils import escape

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


@dataclass
class Fault:
    """What the layer does instead of answering a matching request, `count` more times (-1: always).

    kind "error": an HTTP error response (`status`, `code`); "html": an HTTP error whose body is an HTML
    page, as a proxy or load balancer in front of the endpoint answers; "drop": close the TCP connection with no
    response at all; "truncate": send the status, the headers and half of the real body, then close;
    "hang": say nothing for `seconds` (bounded, so the server thread ends by itself), then close.
    `region` limits the fault to requests signed for that region (the SigV4 credential scope: with
    AWS_ENDPOINT_URL every region reaches the same host); `action` to one operation of the query
    protocol (Action=, SES v1 and SNS) or the JSON protocol (X-Amz-Target, CloudWatch), on "POST /";
    `form` to query-protocol requests whose form fields include these values (one role of several).
    """

    count: int
    kind: str = "error"
    status: int = 500
    code: str = "InternalFailure"
    region: str | None = None
    action: str | None = None
    seconds: float = 3.0
    form: dict[str, str] | None = None


SCOPE = re.compile(r"Credential=[^/,]+/\d{8}/([^/,]+)/([^/,]+)/aws4_request")


class GapFiller:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.account: dict[str, Any] | None = None
        self.regional_accounts: dict[str, dict[str, Any]] = {}  # region -> GetAccount, over `account`
        self.destinations: dict[str, list[dict[str, Any]]] = {}
        self.identities: dict[str, dict[str, Any]] = {}
        self.notifications: dict[str, dict[str, str]] = {}
        # Faults: "METHOD /path" regex -> a Fault, or [remaining count, HTTP status, error code]
        # (count -1: always) for an HTTP error.
        self.faults: dict[str, Fault | list[Any]] = {}
        self.pending: set[str] = set()
        self.requests: list[str] = []
        # (region, "METHOD /path") of every request a fault answered: the attempts a client made.
        self.hits: list[tuple[str, str]] = []
        self.cuts: list[tuple[int, int]] = []  # (bytes sent, bytes announced) of each truncated answer
        self.released = threading.Event()  # set at shutdown: hanging handlers stop at once
        # Credentials seen: session tokens the clients sent, secrets and tokens AssumeRole issued.
        self.tokens: set[str] = set()
        self.issued: set[str] = set()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        self.requests.append(f"{method} {path}")
        if environ.get("HTTP_X_AMZ_SECURITY_TOKEN"):
            self.tokens.add(environ["HTTP_X_AMZ_SECURITY_TOKEN"])
        scope = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        region = scope.group(1) if scope else ""
        for pattern, fault in list(self.faults.items()):
            if isinstance(fault, list):
                fault = Fault(fault[0], status=fault[1], code=fault[2])
                counter = self.faults[pattern]
            else:
                counter = None
            if fault.count == 0 or not re.fullmatch(pattern, f"{method} {path}"):
                continue
            if fault.region is not None and fault.region != region:
                continue
            if fault.action is not None and self._action(environ) != fault.action:
                continue
            if fault.form is not None and not fault.form.items() <= self._form(environ).items():
                continue
            if isinstance(counter, list):
                counter[0] -= 1 if counter[0] > 0 else 0
            elif fault.count > 0:
                fault.count -= 1
            self.hits.append((region, f"{method} {path}"))
            return self._inject(fault, environ, start_response)
        return self._answer(environ, start_response)

    def _inject(self, fault: Fault, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if fault.kind == "error":
            content_type = "application/json"
            payload = json.dumps({"__type": fault.code, "message": f"injected {fault.code}"}).encode()
            if "Action" in self._form(environ):  # the query protocol (STS, SNS, SES v1) answers in XML
                content_type = "text/xml"
                payload = (
                    f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault.code}</Code>"
                    f"<Message>injected {fault.code}</Message></Error></ErrorResponse>"
                ).encode()
            start_response(
                f"{fault.status} Fault",
                [
                    ("Content-Type", content_type),
                    ("x-amzn-ErrorType", fault.code),
                    ("Content-Length", str(len(payload))),
                ],
            )
            return [payload]
        if fault.kind == "html":
            payload = (
                b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
                b"<p>upstream 10.0.3.7:8443 (internal-ses-proxy) refused the connection</p></body></html>"
            )
            start_response(
                f"{fault.status} {http.client.responses.get(fault.status, 'Error')}",
                [("Content-Type", "text/html"), ("Content-Length", str(len(payload)))],
            )
            return [payload]
        if fault.kind == "drop":
            _hang_up(environ)
        if fault.kind == "hang":
            self.released.wait(fault.seconds)
            _hang_up(environ)
        if fault.kind == "truncate":
            status, headers, body = self._capture(self._answer, environ)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            start_response(status, [*headers, ("Content-Length", str(len(body)))])
            self.cuts.append((len(body) // 2, len(body)))

            def half() -> Iterator[bytes]:
                yield body[: len(body) // 2]
                _hang_up(environ)

            return half()
        raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _answer(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "POST" and path == "/" and self._form(environ).get("Action") == "AssumeRole":
            status, headers, body = self._through(environ)
            found = re.findall(rb"<(?:SecretAccessKey|SessionToken)>([^<]+)<", body)
            self.issued.update(value.decode() for value in found)
            start_response(status, headers)
            return [body]
        if method == "GET" and path == "/v2/email/account":
            scope = SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
            account = self.regional_accounts.get(scope.group(1) if scope else "", self.account)
            if account is not None:
                return self._json(start_response, account)
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

    def _action(self, environ: Environ) -> str:
        target = environ.get("HTTP_X_AMZ_TARGET")
        return target.rsplit(".", 1)[-1] if target else self._form(environ).get("Action", "")

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
        return self._capture(self.app, environ)

    @staticmethod
    def _capture(app: Any, environ: Environ) -> tuple[str, list[tuple[str, str]], bytes]:
        captured: dict[str, Any] = {}

        def start(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, start))
        return captured["status"], captured["headers"], body


def _hang_up(environ: Environ) -> NoReturn:
    """Close the client's TCP connection mid-request: no response, or none past what was sent.

    werkzeug hands the application its socket; after shutdown() the client reads end-of-file, and
    the ConnectionResetError makes werkzeug give up on the request as a dropped connection, quietly.
    """
    connection: socket.socket = environ["werkzeug.socket"]
    with contextlib.suppress(OSError):
        # Read the request body first, or werkzeug would take it for the next request line.
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        connection.shutdown(socket.SHUT_RDWR)
    raise ConnectionResetError("injected: connection dropped")


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
        filler.released.set()
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
