"""The `tree` fuzz target: a pull request's tree as an attacker writes it, built from the fuzzer's bytes.

Each input becomes a small repository next to a directory it must not read (a credentials file and a
module, both holding SECRET): files with the input's bytes, module calls and policies the input
writes, names of any bytes (not UTF-8, control and bidi characters), links out of the tree (to the
secret, to a directory, to /dev/zero), links in it and to themselves, FIFOs, sockets, sparse files,
deep directories. `seslint check` runs on it in one of the output formats. A run fails the target
when it ends in exit 3, when the secret appears in any byte of its output or standard error, when an
output carries a raw control, bidi or separator character, or when it does not end (libFuzzer's
-timeout).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SECRET = "AKIAFUZZSECRET0LEAK9"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
SUFFIXES = (".tf", ".tf.json", ".tfvars", ".auto.tfvars", ".auto.tfvars.json", ".tfvars.json", "", ".yaml")
SNIPPETS = (  # pieces the input can put together into a .tf file that parses
    'resource "aws_ses_configuration_set" "%s" {\n  name = "%s"\n}\n',
    'module "m%s" {\n  source = "%s"\n}\n',
    'variable "%s" {\n  default = "%s"\n}\n',
    'resource "aws_cloudwatch_metric_alarm" "a%s" {\n  namespace = "AWS/SES"\n  threshold = "%s"\n}\n',
    "locals {\n  %s = %s\n}\n",
)


class Leak(Exception):
    """The target's failure: what went wrong, and the output that shows it."""


def _name(data: Any) -> str:
    raw = data.ConsumeBytes(data.ConsumeIntInRange(1, 40)).replace(b"/", b"_").replace(b"\x00", b"_")
    name = os.fsdecode(raw or b"x")
    name = "_" + name if name in (".", "..") else name
    return name + SUFFIXES[data.ConsumeIntInRange(0, len(SUFFIXES) - 1)]


def _text(data: Any) -> bytes:
    if data.ConsumeBool():
        return data.ConsumeBytes(data.ConsumeIntInRange(0, 2000))
    parts = []
    for _ in range(data.ConsumeIntInRange(1, 4)):
        snippet = SNIPPETS[data.ConsumeIntInRange(0, len(SNIPPETS) - 1)]
        words = [
            data.ConsumeUnicodeNoSurrogates(data.ConsumeIntInRange(0, 30)) for _ in range(snippet.count("%s"))
        ]
        parts.append(snippet % tuple(w.replace("\\", "\\\\").replace('"', '\\"') for w in words))
    return "".join(parts).encode("utf-8", "surrogateescape")


def _outside(base: Path) -> Path:
    outside = base / "outside"
    (outside / "module").mkdir(parents=True)
    (outside / "credentials").write_text(f"[default]\naws_access_key_id = {SECRET}\n")
    (outside / "module" / "main.tf").write_text(
        f'resource "aws_ses_configuration_set" "{SECRET}" {{\n  name = "{SECRET}"\n}}\n'
    )
    return outside


def build(data: Any, base: Path) -> Path:
    """The repository the input describes, in `base` (beside `base/outside`)."""
    outside = _outside(base)
    repo = base / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "m").mkdir()
    (repo / "m" / "main.tf").write_text('resource "aws_ses_configuration_set" "good" {\n  name = "good"\n}\n')
    folders = [repo, repo / "m"]
    for _ in range(data.ConsumeIntInRange(1, 8)):
        folder = folders[data.ConsumeIntInRange(0, len(folders) - 1)]
        target = folder / _name(data)
        if os.path.lexists(target):
            continue
        with contextlib.suppress(OSError):
            _entry(data, data.ConsumeIntInRange(0, 11), target, outside, repo, folders)
    return repo


def _entry(data: Any, kind: int, target: Path, outside: Path, repo: Path, folders: list[Path]) -> None:
    makers: dict[int, Callable[[], object]] = {
        0: lambda: target.write_bytes(_text(data)),
        1: lambda: target.symlink_to(outside / "credentials"),
        2: lambda: target.symlink_to(outside / "module"),
        3: lambda: target.symlink_to("/dev/zero"),
        4: lambda: os.mkfifo(target),
        5: lambda: _socket(target),
        6: lambda: target.symlink_to(target.name),  # a link to itself
        7: lambda: target.symlink_to(os.path.relpath(repo / "m" / "main.tf", target.parent)),
        8: lambda: _sparse(target, data.ConsumeIntInRange(1, 64) * 1024 * 1024),
        9: lambda: _deep(target, data.ConsumeIntInRange(1, 300), folders),
        10: lambda: (repo / ".seslint.yaml").write_bytes(
            b"version: 1\nextends: ../outside/credentials\n" if data.ConsumeBool() else _text(data)
        ),
        11: lambda: target.write_text(
            f'module "out" {{\n  source = "{os.path.relpath(outside / "module", target.parent)}"\n}}\n'
        ),
    }
    makers[kind]()


def _socket(target: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(target))
    finally:
        server.close()


def _sparse(target: Path, size: int) -> None:
    with open(target, "wb") as handle:
        handle.write(b'resource "aws_sns_topic" "t" {\n')
        handle.truncate(size)


def _deep(target: Path, depth: int, folders: list[Path]) -> None:
    for _ in range(depth):
        target.mkdir()
        target = target / "d"
    target.mkdir()
    (target / "main.tf").write_text('module "up" {\n  source = "../"\n}\n')
    folders.append(target)


def check(repo: Path, fmt: str) -> None:
    """Run `seslint check` on the tree in one format; Leak when a promise is broken."""
    from seslint import cli, parse_ahead
    from seslint.sources.terraform.parse import forget

    forget()  # a new tree under the same names on every run
    parse_ahead._THIS_RUN.clear()
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(repo)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["check", ".", "--format", fmt, "--policy", "strict"])
    finally:
        os.chdir(previous)
    for stream, text in (("stdout", out.getvalue()), ("stderr", err.getvalue())):
        if code not in (0, 1, 2):
            raise Leak(f"exit {code}: {err.getvalue()[-2000:]}")
        if SECRET in text:
            raise Leak(f"the secret is in {stream} ({fmt})")
        found = UNSAFE.search(text)
        if found:
            raise Leak(f"{found.group()!r} raw in {stream} ({fmt})")
        text.encode("utf-8")  # every byte printable as UTF-8


def target() -> Callable[[bytes], None]:
    """The function libFuzzer calls with each input."""
    import atheris

    from seslint.reporters import FORMATS

    os.environ["SESLINT_CACHE_DIR"] = "off"  # every tree parsed, in a private directory of this process
    os.environ["SESLINT_PARSE_SECONDS"] = "2"

    def run(raw: bytes) -> None:
        data = atheris.FuzzedDataProvider(raw)
        fmt = FORMATS[data.ConsumeIntInRange(0, len(FORMATS) - 1)]
        base = Path(tempfile.mkdtemp(prefix="seslint-fuzz-tree-"))
        try:
            check(build(data, base), fmt)
        finally:
            shutil.rmtree(base, ignore_errors=True)

    return run
