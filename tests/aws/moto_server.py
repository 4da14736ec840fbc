"""A moto server on 127.0.0.1, reached over HTTP, with the gaps moto leaves filled in a WSGI layer.

moto (5.x) lacks or fakes some calls the audit makes. `GapFiller` answers them in front of moto's
own application, over the same HTTP connection the client uses, so nothing bypasses HTTP:

- sesv2 GetAccount (GET /v2/email/account): not implemented by moto;
- sesv2 GetConfigurationSetEventDestinations (GET /v2/email/configuration-sets/NAME/event-destinations):
  not implemented by moto;
- sesv2 GetEmailIdentity (GET /v2/email/identities/NAME): moto returns no DKIM tokens, status or key
  length, and VerifiedForSendingStatus false; the layer merges in the fields a test seeds.

Left unfilled (the plain-moto test asserts they surface as SES003/Unknown): ses GetIdentityNotificationAttributes
never returns topics in moto, and SNS subscriptions are always confirmed in moto.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

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
        self.requests: list[str] = []

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        self.requests.append(f"{method} {path}")
        if method == "GET" and path == "/v2/email/account" and self.account is not None:
            return self._json(start_response, self.account)
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
