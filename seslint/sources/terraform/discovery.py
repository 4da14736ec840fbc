"""Which directories are modules, which are roots, and where pre-commit's files belong.

Everything here reads what a pull request controls: directories are walked without recursion (a tree
1,500 deep is only deep) and without following links, files are read through bounded.read_bytes
inside the run's Boundary, and what cannot be walked is reported, never skipped in silence.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from seslint import repository
from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_bytes
from seslint.errors import UsageError

if TYPE_CHECKING:
    from seslint.exclude import Excludes
    from seslint.sources.terraform.scan_memory import Memory

# Resource types seslint maps (mapping.py) or reads for the DNS view (source.py): a module whose text
# names none of them declares no posture, and a root none of whose modules (by a text scan of their
# calls) names one is not parsed at all.
DNS_RECORD_WORDS = ("aws_route53_record", "cloudflare_record", "cloudflare_dns_record")
POSTURE_WORDS = ("aws_ses", "aws_sns_topic", "aws_cloudwatch_metric_alarm", *DNS_RECORD_WORDS)

_MODULE_SOURCE = re.compile(r'source\s*=\s*"(\.\.?/[^"]*)"')
# A module block (an identifier or a quoted label), and the first source argument after it.
_MODULE_BLOCK = re.compile(r'module\s+(?:"[^"\n]*"|[A-Za-z_][\w-]*)\s*\{')  # (any such text counts)
_SOURCE_ARGUMENT = re.compile(r'(?<![\w.])source\s*=\s*(?:"([^"\n]*)")?')
_SUFFIXES = (".tf", ".tf.json")

Problem = tuple[Path, str]  # a path that could not be walked, and why


def boundary(paths: list[str], cwd: Path) -> Boundary:
    """What a run may read: the repository holding each checked path; outside any repository, the
    working directory when the path is inside it, else the path itself (its directory for a file)."""
    roots = []
    for raw in paths or ["."]:
        path = Path(os.path.realpath(Path(raw) if Path(raw).is_absolute() else cwd / raw))
        directory = path if path.is_dir() else path.parent
        top = repository.holding(directory)
        if top is None:
            top = cwd if Boundary([cwd]).holds(directory) else directory
        roots.append(top)
    return Boundary(roots)


def _terraform_names(directory: Path) -> list[str]:
    """Names of the entries that Terraform would read as files: *.tf and *.tf.json that are not
    directories (links, FIFOs and devices included: reading them reports what they are)."""
    names = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.name.endswith(_SUFFIXES) and not entry.is_dir(follow_symlinks=False):
                    names.append(entry.name)
    except OSError:
        return []
    return sorted(names)


def module_files(directory: Path) -> list[Path]:
    return [directory / name for name in _terraform_names(directory)]


def automatic_variables(root: Path) -> list[Path]:
    """The variables files Terraform loads from a root module by itself, in its order (later ones
    win): terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars and *.auto.tfvars.json by name."""
    names = ["terraform.tfvars", "terraform.tfvars.json"]
    found = [root / n for n in names if os.path.lexists(root / n)]
    return found + sorted(root.glob("*.auto.tfvars")) + sorted(root.glob("*.auto.tfvars.json"))


def _skipped(name: str) -> bool:
    return name.startswith(".") or name == ".terraform"


def walk(
    top: str, problems: list[Problem], excludes: Excludes | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(directory, names of its files) for `top` and every directory below it, depth first in name
    order, without recursion; hidden directories and links to directories are not entered; a
    directory that cannot be listed is a problem. Directories are text: a tree of thousands of them
    makes no Path each. With `excludes`, an excluded directory is not entered and an excluded
    Terraform file is not listed (`top` itself is the caller's to judge)."""
    excluding = excludes is not None and bool(excludes)
    # Real paths to match patterns against: links below `top` are not followed, so a child's real
    # path is its parent's and its name.
    stack = [(top, os.path.realpath(top) if excluding else "")]
    while stack:
        directory, real = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            reason = f"directory cannot be read: {exc.strerror or type(exc).__name__}"
            problems.append((Path(directory), reason))
            continue
        files, below = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not _skipped(entry.name) and not (
                    excluding and _excluded(excludes, real, entry.name, True)
                ):
                    below.append((entry.path, os.path.join(real, entry.name) if excluding else ""))
            elif not (
                excluding and entry.name.endswith(_SUFFIXES) and _excluded(excludes, real, entry.name, False)
            ):
                files.append(entry.name)
        files.sort()
        yield directory, files
        below.sort(reverse=True)
        stack.extend(below)


def _excluded(excludes: Excludes | None, real: str, name: str, is_dir: bool) -> bool:
    return excludes is not None and excludes.matching(os.path.join(real, name), is_dir) is not None


def _real(path: Path, bounds: Boundary | None) -> Path:
    """The path with every link followed (through the run's remembered resolutions when it has them)."""
    return Path(bounds.real(path)) if bounds is not None else path.resolve()


def module_dirs(
    paths: list[str],
    cwd: Path,
    problems: list[Problem] | None = None,
    bounds: Boundary | None = None,
    excludes: Excludes | None = None,
) -> list[Path]:
    """Module directories under the given paths (files map to their directory); hidden and .terraform
    skipped, and what `excludes` names."""
    problems = problems if problems is not None else []
    found: list[Path] = []
    for raw in paths:
        path = (cwd / raw) if not Path(raw).is_absolute() else Path(raw)
        if not os.path.lexists(path):
            raise UsageError(f"{raw}: no such file or directory")
        if excludes and excludes.covering(os.path.realpath(path), path.is_dir()) is not None:
            continue
        if not path.is_dir():
            path = path.parent  # a .tf, .tf.json or .tfvars file belongs to its directory's module
            if _terraform_names(path):
                found.append(_real(path, bounds))
            continue
        for directory, files in walk(str(path), problems, excludes):
            if any(name.endswith(_SUFFIXES) for name in files):
                found.append(_real(Path(directory), bounds))
    return list(dict.fromkeys(found))


class Scanned:
    """What the text of one module directory's files tells, without parsing them."""

    __slots__ = ("calls", "digest", "opaque", "posture", "records")

    def __init__(self) -> None:
        self.calls: list[str] = []  # local module directories it calls (resolved), inside the boundary
        self.digest = ""  # SHA-256 of its files' names and bytes, as read (records_cache.py keys on it)
        self.posture = False  # a file names a posture resource type (POSTURE_WORDS)
        self.records = False  # a file names a DNS record type (DNS_RECORD_WORDS)
        # A file that a scan cannot judge (not read, binary, escapes in JSON), or a module call it cannot
        # follow (from the registry or git, a .tf.json call, a source that is not a directory in the
        # tree): anything may be there, so the module is parsed and the evaluation says what it finds.
        self.opaque = False


class _Text:
    """What a module directory's files say as text, before any path in them is resolved: what a
    later run may take from scan_memory.py while the files are as they were."""

    __slots__ = ("blocks", "digest", "opaque", "posture", "records", "sources")

    def __init__(self) -> None:
        self.sources: list[str] = []  # the source of each local module call, as written
        self.blocks: list[str | None] = []  # the source argument of each module block (None: none)
        self.digest = ""
        self.posture = False
        self.records = False
        self.opaque = False


class Survey:
    """One run's text scan of the tree: each module directory's files are read once, for the local
    modules it calls and the resource types it names; which roots to judge follows from it.
    (Directories are kept as text, resolved: a repository of thousands of modules makes no Path each.)"""

    def __init__(
        self, bounds: Boundary | None = None, excludes: Excludes | None = None, memory: Memory | None = None
    ) -> None:
        self.bounds = bounds
        self.memory = memory  # the scans of an earlier run, reused for files as they were
        self.excludes = excludes  # the repository's walk (pre-commit's callers, other roots) skips them
        self._scanned: dict[str, Scanned] = {}
        self._closures: dict[str, list[str]] = {}
        self._repository: dict[Path, tuple[list[str], dict[str, list[str]]]] = {}
        self._directories: dict[str, str | None] = {}

    def _resolved(self, path: str) -> str:
        return self.bounds.real(path) if self.bounds is not None else os.path.realpath(path)

    def scanned(self, directory: Path | str, names: list[str] | None = None) -> Scanned:
        """The scan of a (resolved) module directory; `names`: its Terraform files, when known."""
        key = str(directory)
        found = self._scanned.get(key)
        if found is None:
            listed = _terraform_names(Path(key)) if names is None else names
            found = self._scanned[key] = self._resolve(key, self._text_of(key, listed))
        return found

    def _text_of(self, folder: str, names: list[str]) -> _Text:
        """What the files' text says (scan_memory.py keeps it between runs, by the files' status)."""
        remembered = self.memory.recall(folder, names) if self.memory is not None else None
        if remembered is not None:
            return remembered
        text = self._scan(folder, names)
        if self.memory is not None:
            self.memory.keep(folder, names, text)
        return text

    def _resolve(self, folder: str, text: _Text) -> Scanned:
        result = Scanned()
        result.posture, result.records, result.digest = text.posture, text.records, text.digest
        result.calls = [c for c in (self._directory(folder, s) for s in text.sources) if c is not None]
        result.opaque = text.opaque or not all(
            value is not None
            and value.startswith(("./", "../"))
            and self._directory(folder, value) is not None
            for value in text.blocks
        )
        return result

    def _scan(self, folder: str, names: list[str]) -> _Text:
        result = _Text()
        digest = hashlib.sha256()
        for name in names:
            try:
                raw = read_bytes(os.path.join(folder, name), MAX_FILE_BYTES, self.bounds)
            except Unreadable:
                result.opaque = True  # reported (SES000) when the module is read
                continue
            digest.update(f"{len(name)}:{name}:{len(raw)}:".encode("utf-8", "surrogateescape") + raw)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                result.opaque = True  # not UTF-8: reported when read; its calls still count for roots
                text = raw.decode("utf-8", errors="replace")
            result.opaque = result.opaque or "\x00" in text  # binary: reported when read
            if any(word in text for word in POSTURE_WORDS):
                result.posture = True
                result.records = result.records or any(word in text for word in DNS_RECORD_WORDS)
            if name.endswith(".json"):
                # A call in JSON is not followed here; a \\u escape could spell a resource type.
                result.opaque = result.opaque or "module" in text or "\\u" in text
                continue
            if "module" not in text:
                continue
            result.sources.extend(match.group(1) for match in _MODULE_SOURCE.finditer(text))
            # Every module block must have a local source naming a directory in the tree (_resolve).
            for block in _MODULE_BLOCK.finditer(text):
                source = _SOURCE_ARGUMENT.search(text, block.end())
                result.blocks.append(source.group(1) if source is not None else None)
        result.digest = digest.hexdigest()
        return result

    def _directory(self, folder: str, source: str) -> str | None:
        """The resolved directory a local source names, inside the boundary; None for a source that
        names none (missing, outside, a NUL byte, a name too long): evaluating the call reports it."""
        key = os.path.join(folder, source)
        if key not in self._directories:
            self._directories[key] = self._find_directory(key)
        return self._directories[key]

    def _find_directory(self, path: str) -> str | None:
        try:
            resolved = self._resolved(path)
            if not os.path.isdir(resolved):
                return None
        except (OSError, ValueError):
            return None
        return resolved if self.bounds is None or self.bounds.holds_real(resolved) else None

    def calls(self, directory: Path) -> list[Path]:
        """Local module directories this module calls, inside the boundary."""
        return [Path(c) for c in self.scanned(directory).calls]

    def closure(self, directory: Path) -> list[Path]:
        """The module and every local module it calls, transitively."""
        return [Path(d) for d in self._closure(str(directory))]

    def _closure(self, directory: str) -> list[str]:
        found = self._closures.get(directory)
        if found is not None:
            return found
        out: list[str] = []
        seen: set[str] = set()
        stack = [directory]
        while stack:  # without recursion
            current = stack.pop()
            if current in seen or not os.path.isdir(current):
                continue
            seen.add(current)
            out.append(current)
            stack.extend(reversed(self.scanned(current).calls))
        self._closures[directory] = out
        return out

    def may_hold_posture(self, root: Path) -> bool:
        """False only when the root and every module it calls are readable text naming no posture
        resource type, and every call is to a local module: nothing there can be judged."""
        return any(s.posture or s.opaque for s in map(self.scanned, self._closure(str(root))))

    def may_hold_records(self, root: Path) -> bool:
        """False only when nothing the root evaluates can declare a DNS record (as may_hold_posture)."""
        return any(s.records or s.opaque for s in map(self.scanned, self._closure(str(root))))

    def roots(self, dirs: list[Path], repository: Path, from_files: bool) -> list[Path]:
        """Roots to evaluate: given dirs that no other given dir calls. When the paths were files (as
        pre-commit passes them), a changed module is judged through the repository's roots that call it."""
        return [Path(r) for r in self._roots([str(d) for d in dirs], repository, from_files)]

    def _roots(self, dirs: list[str], repository: Path, from_files: bool) -> list[str]:
        called = {c for d in dirs for c in self.scanned(d).calls}
        tops = [d for d in dirs if d not in called]
        if not from_files:
            return tops
        callers = self._walked(repository)[1]
        result: list[str] = []
        for directory in tops:
            result.extend(_top_callers(directory, callers) or [directory])
        return list(dict.fromkeys(result))

    def roots_with_records(self, top: Path, judged: tuple[Path, ...]) -> list[Path]:
        """The repository's roots, other than `judged`, that may declare a DNS record."""
        skip = {str(j) for j in judged}
        found = self._roots(self._walked(top)[0], top, False)
        return [Path(r) for r in found if r not in skip and self.may_hold_records(Path(r))]

    def _walked(self, top: Path) -> tuple[list[str], dict[str, list[str]]]:
        """The module directories below `top`, and callee -> callers among them."""
        found = self._repository.get(top)
        if found is None:
            dirs: list[str] = []
            callers: dict[str, list[str]] = {}
            for directory, files in walk(str(top), [], self.excludes):
                names = [f for f in files if f.endswith(_SUFFIXES)]
                if names:
                    here = self._resolved(directory)
                    dirs.append(here)
                    for callee in self.scanned(here, names).calls:
                        callers.setdefault(callee, []).append(here)
            found = self._repository[top] = (list(dict.fromkeys(dirs)), callers)
        return found


def calls(directory: Path, bounds: Boundary | None = None) -> list[Path]:
    """Local module directories this module calls, inside the boundary (a cheap text scan, no
    parsing); a call that leaves it is reported when the module is evaluated."""
    return Survey(bounds).calls(directory)


def _top_callers(directory: str, callers: dict[str, list[str]]) -> list[str]:
    """The callers of `directory` that nothing calls, through any chain of calls (cycles ignored)."""
    out: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(callers.get(directory, [])))
    while stack:
        caller = stack.pop()
        if caller in seen:
            continue
        seen.add(caller)
        above = [c for c in callers.get(caller, []) if c not in seen]
        if above:
            stack.extend(reversed(above))
        else:
            out.append(caller)
    return out
