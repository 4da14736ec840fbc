"""Parse .tf files into the cache ahead of the run that needs them: in a forked child on cold runs,
on every core for large trees.

A cold `check` spends most of its time in python-hcl2: importing it and loading its Lark parser
(about 100 ms) and parsing. The parent meanwhile finds the roots, imports the rules and loads the
policy. A child forked as soon as the command is known loads the parser while the parent finds the
files, then parses the files the parent hands it into the cache, which the parent reads once it
needs the documents. Without fork (Windows), with one core, with threads running (fork would copy
their locks) or with the cache off (a child could not hand its results back), nothing runs ahead:
files are parsed where they are read, and large trees in a process pool.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from seslint import cache
from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_text

PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves


def _parse_one(path: str) -> None:
    with contextlib.suppress(Exception):  # the real read reports every problem with its file and line
        cache.parse_hcl(read_text(path, MAX_FILE_BYTES))


def missing(paths: list[Path], max_bytes: int, bounds: Boundary | None = None) -> list[str]:
    """The .tf files worth parsing ahead: not cached, and ones the real read will parse (regular,
    inside the boundary, not too large, UTF-8, no NUL byte)."""
    out = []
    for path in paths:
        if not path.name.endswith(".tf"):
            continue
        try:
            text = read_text(path, max_bytes, bounds)
        except Unreadable:
            continue
        if "\x00" not in text and not cache.contains(text):
            out.append(str(path))
    return out


def parse_all(paths: list[str]) -> None:
    workers = os.cpu_count() or 1
    if len(paths) < PARALLEL_FROM or workers < 2:
        for path in paths:
            _parse_one(path)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs ~8 ms to import

    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_parse_one, paths, chunksize=16))


def _nothing() -> None:
    return None


def can_fork() -> bool:
    return (
        cache.directory() is not None
        and hasattr(os, "fork")
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


class Child:
    """A forked child that loads the parser at once, then parses the files it is handed.

    A plain class, not a dataclass: everything imported before the fork delays the parse, and
    dataclasses costs ~6 ms to import.
    """

    def __init__(self, pid: int, channel: int) -> None:
        self.pid = pid
        self.channel = channel  # the write end of the pipe the list of files goes through

    def hand(self, paths: list[str]) -> Callable[[], None]:
        """Give the child its files; returns the wait for it (nothing to hand: the child is stopped)."""
        if not paths:
            self.stop()
            return _nothing
        import tempfile

        folder = cache.directory()
        assert folder is not None  # no child is started without a cache
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, listing = tempfile.mkstemp(dir=folder, prefix=".files-")
            with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write("\n".join(paths))  # a file name need not be UTF-8
            # A path is far shorter than a pipe's buffer: this write never blocks.
            os.write(self.channel, listing.encode())
        except OSError:
            pass  # the child finds no list and leaves; the files are parsed where they are read
        os.close(self.channel)
        return self.wait

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.channel)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.wait()

    def wait(self) -> None:
        with contextlib.suppress(ChildProcessError):  # already reaped
            os.waitpid(self.pid, 0)


def start() -> Child | None:
    """Fork the child, or None where nothing can run ahead."""
    if not can_fork():
        return None
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: leaves through os._exit, never through the parent's code
        os.close(writer)
        status = 0
        try:
            _serve(reader)
        except BaseException:  # Ctrl-C, or anything else: the parent parses what is missing
            status = 1
        os._exit(status)
    os.close(reader)
    return Child(pid, writer)


def _serve(reader: int) -> None:
    from hcl2.parser import parser

    parser()  # the slow part, done while the parent finds the files
    received = b""
    while chunk := os.read(reader, 4096):
        received += chunk
    if not received:
        return  # the parent had nothing to parse, or went away
    listing = Path(received.decode())
    try:
        paths = listing.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
    finally:
        listing.unlink(missing_ok=True)
    parse_all([p for p in paths if p])


def in_background(
    paths: list[Path], max_bytes: int, child: Child | None = None, bounds: Boundary | None = None
) -> Callable[[], None]:
    """Parse the files not in the cache ahead (in `child`, or in one forked now); returns the wait."""
    if not can_fork():
        if child is not None:
            child.stop()
        return lambda: warm(paths, max_bytes, bounds)
    todo = missing(paths, max_bytes, bounds)
    if child is None and todo:
        child = start()
    if child is None:
        return _nothing
    return child.hand(todo)


def warm(paths: list[Path], max_bytes: int, bounds: Boundary | None = None) -> None:
    """Without a child: parse large cold sets on every core (small ones are parsed where read)."""
    if cache.directory() is None:
        return
    todo = missing(paths, max_bytes, bounds)
    if len(todo) >= PARALLEL_FROM:
        parse_all(todo)
