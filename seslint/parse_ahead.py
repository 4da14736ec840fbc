"""Parsing HCL within a budget, ahead of the run that needs it.

Files are parsed by tree-sitter's HCL grammar where its document is certain to be python-hcl2's
(hcl_document.py), else by python-hcl2, which is loaded only then. Both can be made slow: python-hcl2
(about 100 KB/s) by ordinary input (3.8 MB of locals: 76 s and 1.9 GB; 800 KB of nested
parentheses: 17 s), and the document built from tree-sitter's tree by 3.6 MB of lists (12 s, 0.9 GB).
A pull request may hold such a file, so wherever fork exists no file is parsed in the seslint process
itself: a forked worker parses, each file under a CPU-time budget (a SIGPROF timer) and the worker under an
address-space limit (RLIMIT_AS). A file past either is "too large or too complex to parse" (SES000),
kept in the cache like a syntax error. The parent watches the worker: one that dies (the kernel's
verdict on memory, a crash) or stops reporting (stuck where no signal reaches) is killed with its
process group, the file it was on gets that verdict, and a new worker parses the rest.

The same worker makes a cold `check` fast: forked as soon as the command is known, it loads
tree-sitter's parser (about 10 ms) while the parent finds the roots, then parses the files it is
handed into the cache (in a process pool on every core for large trees; a small set's files left to
python-hcl2 are shared with a helper once python-hcl2 has loaded, about 200 ms), which the parent
reads once it needs the documents. A warm run stops it at once. Results go through the cache: the
user's, or a directory of the run's own when that is off or not safe (see cache.py).

Budgets: SESLINT_PARSE_SECONDS (CPU seconds per file, default 10) and SESLINT_PARSE_MEMORY_MB
(address space of the worker, default 1536). Without fork (Windows) or with threads running (fork
would copy their locks), files are parsed in the process, under the CPU budget where timers exist.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seslint import cache
from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_text

PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves
TOO_COMPLEX = "too large or too complex to parse; not checked"
_VERDICT = "__seslint_syntax_error__"  # a cached failure: a file that stays broken costs one parse

Item = Path | str  # a file to read and parse, or a text already read


class HclSyntaxError(Exception):
    """A file python-hcl2 did not parse: why (an excerpt at most), and the line it names."""

    def __init__(self, reason: str, line: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def describe(self) -> str:
        """The reason as a finding says it."""
        return self.reason if self.reason == TOO_COMPLEX else f"HCL syntax error: {self.reason}"


class _OverBudget(BaseException):
    """The CPU budget of one parse is spent (BaseException: python-hcl2's handlers must not catch it)."""


# -- budgets ----------------------------------------------------------------------------------------


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def budget() -> tuple[float, int]:
    """CPU seconds per file, and bytes of address space per worker."""
    megabytes = _setting("SESLINT_PARSE_MEMORY_MB", 1536)
    return _setting("SESLINT_PARSE_SECONDS", 10.0), int(megabytes * 1024 * 1024)


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = budget()[1]
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):  # below what is in use already: the parse finds out
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _timer_possible() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_budget(signum: int, frame: Any) -> None:
    raise _OverBudget


# -- parsing one text -------------------------------------------------------------------------------


# Verdicts the parent gave this run (a worker that died or stalled on a file): not cached, because
# what killed it (the kernel's out-of-memory killer, a machine too busy to answer) may not be the file.
_THIS_RUN: set[str] = set()


def _cached(text: str) -> Any | None:
    """The cached document of `text`, None when there is none (or only a verdict of a smaller budget);
    raises HclSyntaxError for a cached verdict."""
    if cache.key(text) in _THIS_RUN:
        raise HclSyntaxError(TOO_COMPLEX, None)
    document = cache.get(text)
    if not isinstance(document, dict):
        return None  # a wrong shape is a miss: parsed again, written again
    verdict = document.get(_VERDICT)
    if verdict is None:
        return document
    if not isinstance(verdict, dict):
        return None
    given = verdict.get("budget")
    if given is not None and not (
        isinstance(given, list)
        and len(given) == 2
        and all(isinstance(g, (int, float)) and now <= g for now, g in zip(budget(), given, strict=True))
    ):
        return None  # judged under a smaller budget than this run's: tried again
    line = verdict.get("line")
    raise HclSyntaxError(str(verdict.get("reason")), line if isinstance(line, int) and line > 0 else None)


def _fresh(text: str, quick_only: bool = False) -> bool:
    """Parse `text` here, now, and put the document or the verdict in the cache; False when
    `quick_only` and only python-hcl2 can parse it (nothing is cached then). Only the CPU timer
    interrupts it (SIGPROF, set by the caller); memory runs out as MemoryError under RLIMIT_AS."""
    from seslint.hcl_document import document

    quick = document(text)  # tree-sitter's parse, where it is certain to agree with python-hcl2
    if quick is not None:
        cache.put(text, quick)
        return True
    if quick_only:
        return False
    import hcl2

    try:
        parsed = hcl2.loads(text)
    except (_OverBudget, MemoryError, RecursionError):
        raise
    except Exception as exc:  # python-hcl2 raises lark errors of many kinds for bad syntax
        wrapped = getattr(exc, "orig_exc", None)  # lark wraps what its transformer callbacks raise
        if isinstance(wrapped, (MemoryError, RecursionError)):
            raise wrapped from None
        line = getattr(exc, "line", None)
        line = line if isinstance(line, int) and line > 0 else None
        cache.put(text, {_VERDICT: {"reason": syntax_reason(exc), "line": line}})
        return True
    cache.put(text, parsed)
    return True


def syntax_reason(exc: Exception) -> str:
    """What a parse error says, quoting at most a short excerpt of the file: lark's message quotes the
    whole rest of the file as one token when the file is not HCL at all (a linked credentials file)."""
    from seslint.untrusted import excerpt

    token = getattr(exc, "token", None)
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    where = f" at line {line}, column {column}" if isinstance(line, int) else ""
    if token is not None and hasattr(token, "type"):
        if token.type == "$END":
            return f"unexpected end of file{where}"
        return f"unexpected {token.type} '{excerpt(str(token), 30)}'{where}"
    char = getattr(exc, "char", None)
    if isinstance(char, str):
        return f"unexpected character '{excerpt(char)}'{where}"
    if "integer string conversion" in str(exc):  # Python's limit on digits (sys.get_int_max_str_digits)
        return "a number with thousands of digits"
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return excerpt(first, 120)


def too_complex(text: str) -> None:
    """Record that `text` is past the budget (in the cache: the worker saw it spend the budget)."""
    cache.put(text, {_VERDICT: {"reason": TOO_COMPLEX, "line": None, "budget": list(budget())}})


def _within_budget(text: str, quick_only: bool = False) -> bool:
    """`_fresh` under the CPU budget (where a timer can be set), the verdict when it is spent."""
    timed = _timer_possible()
    previous = signal.signal(signal.SIGPROF, _on_budget) if timed else None
    try:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, budget()[0])
        return _fresh(text, quick_only)
    except (_OverBudget, MemoryError, RecursionError):
        too_complex(text)
        return True
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)


def parse_hcl(text: str) -> Any:
    """The document of `text`: from the cache, else parsed within the budget (in a worker where fork
    exists). HclSyntaxError for text that is not HCL or is too large or too complex to parse."""
    document = _cached(text)
    if document is not None:
        return document
    if can_fork():
        from seslint.hcl_document import load

        load()  # once here, so that each worker forked for a miss starts with it
        wait = _worker([text], serial=True)
        if wait is not None:
            wait()
            document = _cached(text)
            if document is not None:
                return document
    _within_budget(text)  # no fork, or the cache could not carry the result back
    document = _cached(text)
    if document is None:  # nowhere to keep it: the cache is unwritable; parse once more, unbudgeted
        from seslint import hcl_document

        document = hcl_document.document(text)
        if document is not None:
            return document
        import hcl2  # only where tree-sitter left the text to it

        try:
            document = hcl2.loads(text)
        except Exception as exc:
            raise HclSyntaxError(syntax_reason(exc), getattr(exc, "line", None)) from None
    return document


# -- workers ----------------------------------------------------------------------------------------


def _text_of(item: Item) -> str | None:
    """The text to parse, or None when there is nothing to do (unreadable: the real read reports it)."""
    if isinstance(item, str):
        text = item
    else:
        try:
            text = read_text(item, MAX_FILE_BYTES)
        except Unreadable:
            return None
    return None if "\x00" in text or cache.contains(text) else text


def _parse_item(item: Item) -> None:
    text = _text_of(item)
    if text is not None:
        _within_budget(text)


def _report(channel: int, line: str) -> None:
    os.write(channel, (line + "\n").encode())


def _work(items: list[Item], channel: int, serial: bool) -> None:
    """The worker's part: parse every item into the cache, saying on `channel` which item it starts
    ("s I"; a pool reports "+" as items end), and "end" when done."""
    _limit_memory()
    workers = os.cpu_count() or 1
    if not serial and len(items) >= PARALLEL_FROM and workers >= 2:
        from concurrent.futures import ProcessPoolExecutor  # multiprocessing costs ~8 ms to import
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for _ in pool.map(_parse_item, items, chunksize=16):
                    _report(channel, "+")
            _report(channel, "end")
            return
        except BrokenProcessPool:
            pass  # a pool worker died: the serial pass below finds the file that killed it
    numbered = _parse_reporting(list(enumerate(items)), channel, quick_only=True)
    if not numbered:
        _report(channel, "end")
        return
    _load_hcl2()  # before the helper is forked, so that it starts with the parser
    mine, theirs = _halves(numbered) if not serial and workers >= 2 else (numbered, [])
    helper = _fork_helper(theirs) if theirs else None
    _parse_reporting(mine if helper is not None else numbered, channel)
    if helper is not None:
        _wait_for_helper(helper)
        _parse_reporting(theirs, channel)  # what the helper left: it died, or was stopped
    _report(channel, "end")


def _load_hcl2() -> None:
    from hcl2.parser import parser

    parser()


def _parse_reporting(
    numbered: list[tuple[int, Item]], channel: int, quick_only: bool = False
) -> list[tuple[int, Item]]:
    """Parse each item, saying on `channel` which one it starts (a file may kill the worker); with
    `quick_only`, only what tree-sitter can parse: returns the items left for python-hcl2."""
    left = []
    for index, item in numbered:
        text = _text_of(item)
        if text is not None:
            _report(channel, f"s {index}")
            if not _within_budget(text, quick_only):
                left.append((index, item))
    return left


def _halves(numbered: list[tuple[int, Item]]) -> tuple[list[tuple[int, Item]], list[tuple[int, Item]]]:
    """A set too small for a pool (a cold run of one stack: a dozen files) in two halves of about the
    same size, the largest file first to the lighter half, each in its first order; (all, []) for
    fewer than two files."""
    if len(numbered) < 2:
        return numbered, []
    sizes = {index: _size(item) for index, item in numbered}
    halves: tuple[list[tuple[int, Item]], list[tuple[int, Item]]] = ([], [])
    loads = [0, 0]
    for entry in sorted(numbered, key=lambda n: -sizes[n[0]]):
        lighter = 0 if loads[0] <= loads[1] else 1
        halves[lighter].append(entry)
        loads[lighter] += sizes[entry[0]]
    return sorted(halves[0]), sorted(halves[1])


def _fork_helper(theirs: list[tuple[int, Item]]) -> int | None:
    """Fork a helper, once the parser is loaded, that parses `theirs` (its pid; None when fork fails).

    It parses silently, each file under the same budget, and leaves: what it finishes is in the cache
    and skipped by the worker; what it did not (it died, or took too long) the worker parses after its
    own half, reporting each, so a file that kills a process is still named by the one the parent
    watches."""
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the helper: same process group (stopped with the worker), leaves by os._exit
        status = 0
        try:
            for _index, item in theirs:
                _parse_item(item)
        except BaseException:
            status = 1
        os._exit(status)
    return pid


def _size(item: Item) -> int:
    if isinstance(item, str):
        return len(item)
    try:
        return os.path.getsize(item)
    except OSError:
        return 0


def _wait_for_helper(pid: int) -> None:
    """Wait for the helper, for less than the parent waits for a word from this worker: one that
    takes longer is stopped, and its files are parsed here, one by one, each reported."""
    import time

    deadline = time.monotonic() + _stall_seconds() / 2
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.005)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _stall_seconds() -> float:
    """How long the parent waits for a word from the worker before it takes it for stuck."""
    return 3 * budget()[0] + 5


def _fork(run: Callable[[int], None], parents: tuple[int, ...] = ()) -> tuple[int, int] | None:
    """Fork a worker in a process group of its own running `run(channel)`; (pid, read end).
    `parents`: descriptors only the parent keeps (the write end of a pipe to the worker)."""
    try:
        reader, writer = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the worker: leaves through os._exit, never through the parent's code
        status = 0
        try:
            for descriptor in (reader, *parents):
                os.close(descriptor)
            os.setpgid(0, 0)  # so that the parent can stop it with its own pool, all at once
            run(writer)
        except BaseException:  # Ctrl-C, or anything else: the parent parses what is missing
            status = 1
        os._exit(status)
    os.close(writer)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # both sides set it: whichever runs first
    _LIVE.add(pid)
    return pid, reader


_LIVE: set[int] = set()  # process groups of workers not yet reaped (stopped if the parent leaves)


def _stop(pid: int) -> None:
    for kill in (os.killpg, os.kill):  # the group (a pool's workers too), and the worker itself
        with contextlib.suppress(OSError):
            kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # already reaped
        os.waitpid(pid, 0)
    _LIVE.discard(pid)


@atexit.register
def _stop_all() -> None:
    """Workers left when the parent leaves early (Ctrl-C, an error): they parse for no one."""
    for pid in list(_LIVE):
        _stop(pid)


def _watch(pid: int, channel: int) -> tuple[int | None, bool]:
    """Follow a worker until it ends or stalls: (the item it was on, whether it finished)."""
    import select

    current: int | None = None
    finished = False
    pending = b""
    try:
        while True:
            ready, _, _ = select.select([channel], [], [], _stall_seconds())
            if not ready:  # no word for too long: stuck where the CPU timer cannot reach
                _stop(pid)
                return current, False
            chunk = os.read(channel, 65536)
            if not chunk:
                _reap(pid)
                return current, finished
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.startswith(b"s "):
                    current = int(line[2:])
                elif line == b"end":
                    finished = True
    finally:
        os.close(channel)


def _supervise(pid: int, channel: int, items: list[Item]) -> None:
    """Wait for the worker; when it dies or stalls on an item, that item is too complex and a new
    worker parses the ones after it (one by one: a pool that died is not told which file killed it).
    A one-by-one worker that dies before any item ends it all: the rest is parsed where it is read."""
    serial = False
    while True:
        current, finished = _watch(pid, channel)
        if finished or (current is None and serial):
            return
        if current is not None:
            text = _text_of(items[current])
            if text is not None:
                _THIS_RUN.add(cache.key(text))
            items = items[current + 1 :]
        serial = True
        started = _fork(_serial_work(items)) if items else None
        if started is None:
            return
        pid, channel = started


def _serial_work(items: list[Item]) -> Callable[[int], None]:
    return lambda channel: _work(items, channel, serial=True)


def _worker(items: list[Item], serial: bool) -> Callable[[], None] | None:
    """Fork a worker for `items` now; returns the wait for it (None when fork failed)."""
    started = _fork(lambda out: _work(items, out, serial))
    if started is None:
        return None
    pid, channel = started
    return lambda: _supervise(pid, channel, items)


def can_fork() -> bool:
    return cache.directory() is not None and hasattr(os, "fork") and threading.active_count() == 1


# -- the worker forked ahead of a cold run ----------------------------------------------------------


def missing(paths: list[Path], max_bytes: int, bounds: Boundary | None = None) -> list[Path]:
    """The .tf and .tfvars files worth parsing ahead: not cached, and ones the real read will parse
    (regular, inside the boundary, not too large, UTF-8, no NUL byte)."""
    out = []
    for path in paths:
        if not path.name.endswith((".tf", ".tfvars")):
            continue
        try:
            text = read_text(path, max_bytes, bounds)
        except Unreadable:
            continue
        if "\x00" not in text and not cache.contains(text):
            out.append(path)
    return out


def _nothing() -> None:
    return None


class Child:
    """A worker forked before its files are known: it loads the parser at once, then parses the
    files it is handed (through a pipe: the name of a listing file in the cache directory).

    A plain class, not a dataclass: everything imported before the fork delays the parse, and
    dataclasses costs ~6 ms to import.
    """

    def __init__(self, pid: int, channel: int, listing: int) -> None:
        self.pid = pid
        self.channel = channel  # what the worker reports
        self.listing = listing  # the write end of the pipe the list of files goes through

    def hand(self, paths: list[Path]) -> Callable[[], None]:
        """Give the child its files; returns the wait for it (nothing to hand: the child is stopped)."""
        if not paths:
            self.stop()
            return _nothing
        import tempfile

        folder = cache.directory()
        assert folder is not None  # no child is started without a cache
        try:
            handle, listing = tempfile.mkstemp(dir=folder, prefix=".files-")
            with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as out:
                out.write("\n".join(map(str, paths)))  # a file name need not be UTF-8
            # A path is far shorter than a pipe's buffer: this write never blocks.
            os.write(self.listing, listing.encode("utf-8", "surrogateescape"))
        except OSError:
            pass  # the child finds no list and leaves; the files are parsed where they are read
        os.close(self.listing)
        items: list[Item] = list(paths)
        pid, channel = self.pid, self.channel
        return lambda: _supervise(pid, channel, items)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.listing)
        os.close(self.channel)
        _stop(self.pid)


def start() -> Child | None:
    """Fork the child that waits for its files, or None where nothing can run ahead."""
    if not can_fork():
        return None
    try:
        listing_read, listing_write = os.pipe()
    except OSError:
        return None
    started = _fork(lambda out: _serve(listing_read, out), parents=(listing_write,))
    if started is None:
        os.close(listing_read)
        os.close(listing_write)
        return None
    os.close(listing_read)
    pid, channel = started
    return Child(pid, channel, listing_write)


def _serve(listing_read: int, channel: int) -> None:
    from seslint.hcl_document import load

    load()  # tree-sitter's parser, while the parent finds the files (python-hcl2's when needed)
    received = b""
    while chunk := os.read(listing_read, 4096):
        received += chunk
    if not received:
        _report(channel, "end")
        return  # the parent had nothing to parse, or went away
    listing = Path(received.decode("utf-8", "surrogateescape"))
    try:
        names = listing.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
    finally:
        listing.unlink(missing_ok=True)
    _work([Path(n) for n in names if n], channel, serial=False)


def in_background(
    paths: list[Path], max_bytes: int, child: Child | None = None, bounds: Boundary | None = None
) -> Callable[[], None]:
    """Parse the files not in the cache ahead (in `child`, or in a worker forked now); returns the wait."""
    if not can_fork():
        if child is not None:
            child.stop()
        return lambda: warm(paths, max_bytes, bounds)
    todo = missing(paths, max_bytes, bounds)
    if child is None:
        return (_worker(list(todo), serial=False) or _nothing) if todo else _nothing
    return child.hand(todo)


def warm(paths: list[Path], max_bytes: int, bounds: Boundary | None = None) -> None:
    """Without fork: parse large cold sets on every core (small ones are parsed where read)."""
    todo = missing(paths, max_bytes, bounds)
    if len(todo) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(_parse_item, todo, chunksize=16))
