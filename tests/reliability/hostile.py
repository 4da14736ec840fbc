"""Running seslint on hostile input as CI would: a fresh process, limited to 60 s and 2.5 GB of address
space, in each of the six formats; and the promises every such run keeps."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from seslint.reporters import FORMATS  # every format, html included

SECONDS = 60
ADDRESS_SPACE = 2560 * 1024 * 1024
# A credential planted outside the checked tree: no byte of it may appear in any output.
SECRET = "AKIAPLANTEDSECRET7Q"
CREDENTIALS = f"[default]\naws_access_key_id = {SECRET}\naws_secret_access_key = s3cr3t/{SECRET}\n"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float

    def findings(self) -> list[tuple[str, str, str | None, int | None, str]]:
        """(rule, resource, file, line, message) of a --format json run."""
        return [
            (f["rule"], f["resource"], f["file"], f["line"], f["message"])
            for f in json.loads(self.out)["findings"]
        ]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def seslint(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """One run in a new process under the limits; fails the test if it outlives them."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "seslint", *argv],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        timeout=SECONDS,
        preexec_fn=_limits,
        check=False,
    )
    out = result.stdout.decode("utf-8")  # every byte seslint writes is UTF-8
    err = result.stderr.decode("utf-8")
    return Run(result.returncode, out, err, time.monotonic() - started)


def check_json(cwd: Path, env: dict[str, str] | None = None, *extra: str) -> Run:
    """`seslint check . --policy baseline --format json` in `cwd`."""
    return seslint("check", ".", "--policy", "baseline", "--format", "json", *extra, cwd=cwd, env=env)


def every_format(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> dict[str, Run]:
    """The run in each format, each checked against the promises: exit 0, 1 or 2, no traceback, no
    planted secret, no raw control or bidi character, on stdout or stderr."""
    runs = {fmt: seslint(*argv, "--format", fmt, cwd=cwd, env=env) for fmt in FORMATS}
    for fmt, run in runs.items():
        assert run.code in (0, 1, 2), (fmt, run.code, run.err)
        assert "Traceback" not in run.err and "internal error" not in run.err, (fmt, run.err)
        for text in (run.out, run.err):
            assert SECRET not in text and "s3cr3t" not in text, (fmt, text)
            assert UNSAFE.search(text) is None, (fmt, text)
    return runs


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def json_of(run: Run) -> Any:
    return json.loads(run.out)
