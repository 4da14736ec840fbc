"""A real headless Chromium for the report tests, driven over the DevTools protocol through a pipe.

`--remote-debugging-pipe` makes Chromium read protocol messages (JSON, each ended by a NUL byte) on
its file descriptor 3 and answer on 4: no port, no websocket library, nothing on the network. Each
page records every request it makes (Network.requestWillBeSent), so a test can prove that a report
fetches nothing but itself.

Chromium is installed with apt-get when missing and the tests run as root (as NSD is); in CI
(CI=true) a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often give /dev/shm 64 MB, too little for a large page
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0


def ensure_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-headless-shell")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], check=False, capture_output=True, env=env
        )
        found = shutil.which("chromium")
        if found:
            return found
    message = "Chromium is not installed and could not be installed (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError("unreachable")


class BrowserError(RuntimeError):
    pass


class Browser:
    """One Chromium process; `page()` opens a tab, talks to it, and closes it."""

    def __init__(self, executable: str, profile: Path) -> None:
        ours_to_chrome, chrome_reads = os.pipe()[::-1]  # (write end, read end)
        chrome_writes, ours_from_chrome = os.pipe()[::-1]
        # Chromium wants its ends on exactly 3 and 4; move them there in the child, whatever they are.
        ends = (chrome_reads, chrome_writes)

        def place() -> None:
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in ends]  # out of the way of 3 and 4
            for target, fd in zip((3, 4), high, strict=True):
                os.dup2(fd, target, inheritable=True)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=place,
            close_fds=False,  # our other descriptors are not inheritable (PEP 446); 3 and 4 must stay
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in ends:
            os.close(fd)
        self.send_fd, self.recv_fd = ours_to_chrome, ours_from_chrome
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.send_fd, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                raise BrowserError("Chromium stopped answering")
            if not select.select([self.recv_fd], [], [], min(remaining, 1.0))[0]:
                continue
            chunk = os.read(self.recv_fd, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        """The first event `method` of this session, waiting for it if it has not come yet."""
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(index)
            self.events.append(self._receive())

    @contextmanager
    def page(
        self, path: Path, *, javascript: bool = True, width: int = 1280, height: int = 900
    ) -> Iterator[Page]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        try:
            page = Page(self, session)
            for domain in ("Page", "Network", "Runtime"):
                self.call(f"{domain}.enable", session=session)
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session,
            )
            if not javascript:
                self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session)
            page.open(path.resolve().as_uri())
            yield page
        finally:
            self.call("Target.closeTarget", {"targetId": target})
            self.events = [e for e in self.events if e.get("sessionId") != session]

    def close(self) -> None:
        with suppress(BrowserError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.send_fd)
        os.close(self.recv_fd)


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session
        self.requests: list[str] = []
        self.load_seconds = 0.0

    def open(self, url: str) -> None:
        started = time.perf_counter()
        self.browser.call("Page.navigate", {"url": url}, self.session)
        self.browser.wait_for("Page.loadEventFired", self.session)
        self.load_seconds = time.perf_counter() - started
        self.requests = [
            e["params"]["request"]["url"]
            for e in self.browser.events
            if e.get("sessionId") == self.session and e.get("method") == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable values only)."""
        result = self.browser.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def settle(self) -> float:
        """Seconds until the page has laid out and painted once after loading (two animation frames)."""
        started = time.perf_counter()
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
        return time.perf_counter() - started

    def screenshot(self, path: Path) -> None:
        data = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)["data"]
        path.write_bytes(base64.b64decode(data))

    def pdf(self, **options: Any) -> bytes:
        data = self.browser.call("Page.printToPDF", options, self.session)["data"]
        return base64.b64decode(data)


@contextmanager
def chromium() -> Iterator[Browser]:
    executable = ensure_chromium()
    with tempfile.TemporaryDirectory(prefix="seslint-chromium-") as profile:
        browser = Browser(executable, Path(profile))
        try:
            yield browser
        finally:
            browser.close()
