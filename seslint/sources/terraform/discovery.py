"""Which directories are modules, which are roots, and where pre-commit's files belong.

Everything here reads what a pull request controls: directories are walked without recursion (a tree
1,500 deep is only deep) and without following links, files are read through bounded.read_bytes
inside the run's Boundary, and what cannot be walked is reported, never skipped in silence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from seslint import repository
from seslint.bounded import MAX_FILE_BYTES, Boundary, Unreadable, read_bytes, read_text
from seslint.errors import UsageError

# Words without which a module can hold no SES posture: the resource types seslint maps, and module
# calls (a caller may pass posture through). A module with none of them is not parsed at all.
POSTURE_WORDS = (
    "aws_ses",
    "aws_sns_topic",
    "aws_cloudwatch_metric_alarm",
    "aws_route53_record",
    "cloudflare_record",
    "cloudflare_dns_record",
    "module",
)

_MODULE_SOURCE = re.compile(r'source\s*=\s*"(\.\.?/[^"]*)"')
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


def walk(top: Path, problems: list[Problem]) -> Iterator[tuple[Path, list[str]]]:
    """(directory, names of its files) for `top` and every directory below it, depth first in name
    order, without recursion; hidden directories and links to directories are not entered; a
    directory that cannot be listed is a problem."""
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as exc:
            problems.append((directory, f"directory cannot be read: {exc.strerror or type(exc).__name__}"))
            continue
        files, below = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if not _skipped(entry.name):
                    below.append(entry.name)
            else:
                files.append(entry.name)
        yield directory, sorted(files)
        stack.extend(directory / name for name in sorted(below, reverse=True))


def module_dirs(paths: list[str], cwd: Path, problems: list[Problem] | None = None) -> list[Path]:
    """Module directories under the given paths (files map to their directory); hidden and .terraform skipped."""
    problems = problems if problems is not None else []
    found: list[Path] = []
    for raw in paths:
        path = (cwd / raw) if not Path(raw).is_absolute() else Path(raw)
        if not os.path.lexists(path):
            raise UsageError(f"{raw}: no such file or directory")
        if not path.is_dir():
            path = path.parent  # a .tf, .tf.json or .tfvars file belongs to its directory's module
            if _terraform_names(path):
                found.append(path.resolve())
            continue
        for directory, files in walk(path, problems):
            if any(name.endswith(_SUFFIXES) for name in files):
                found.append(directory.resolve())
    return list(dict.fromkeys(found))


def _text(path: Path, bounds: Boundary | None) -> str | None:
    """The file as text for a scan, or None when it is not read (the real read reports why)."""
    try:
        return read_bytes(path, MAX_FILE_BYTES, bounds).decode("utf-8", errors="replace")
    except Unreadable:
        return None


def _directory(path: Path) -> Path | None:
    """The resolved directory, or None for a source that names none (missing, a NUL byte, a name too
    long for the file system): evaluating the module call reports it."""
    try:
        resolved = path.resolve()
        return resolved if resolved.is_dir() else None
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a loop of links (Python < 3.13)
        return None


def calls(directory: Path, bounds: Boundary | None = None) -> list[Path]:
    """Local module directories this module calls, inside the boundary (a cheap text scan, no
    parsing); a call that leaves it is reported when the module is evaluated."""
    out = []
    for name in _terraform_names(directory):
        if not name.endswith(".tf"):
            continue
        text = _text(directory / name, bounds)
        if text is None or "module" not in text:
            continue
        for match in _MODULE_SOURCE.finditer(text):
            callee = _directory(directory / match.group(1))
            if callee is not None and (bounds is None or bounds.holds(callee)):
                out.append(callee)
    return out


def roots(dirs: list[Path], repository: Path, from_files: bool, bounds: Boundary | None = None) -> list[Path]:
    """Roots to evaluate: given dirs that no other given dir calls. When the paths were files (as
    pre-commit passes them), a changed module is judged through the repository's roots that call it."""
    called = {c for d in dirs for c in calls(d, bounds)}
    tops = [d for d in dirs if d not in called]
    if not from_files:
        return tops
    callers = _caller_map(repository, bounds)
    result: list[Path] = []
    for directory in tops:
        result.extend(_top_callers(directory, callers) or [directory])
    return list(dict.fromkeys(result))


def _caller_map(repository: Path, bounds: Boundary | None) -> dict[Path, list[Path]]:
    """callee -> callers, from one walk of the repository (text scan of files that mention module)."""
    callers: dict[Path, list[Path]] = {}
    for directory, files in walk(repository, []):
        if any(f.endswith(".tf") for f in files):
            here = directory.resolve()
            for callee in calls(here, bounds):
                callers.setdefault(callee, []).append(here)
    return callers


def _top_callers(directory: Path, callers: dict[Path, list[Path]]) -> list[Path]:
    """The callers of `directory` that nothing calls, through any chain of calls (cycles ignored)."""
    out: list[Path] = []
    seen: set[Path] = set()
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


def may_hold_posture(directory: Path, bounds: Boundary | None = None) -> bool:
    """False only when every file is readable text naming none of POSTURE_WORDS: a file that cannot be
    read could hold anything, so it is parsed and reported (SES000), never skipped."""
    for name in _terraform_names(directory):
        try:
            text = read_text(directory / name, MAX_FILE_BYTES, bounds)
        except Unreadable:
            return True
        if "\x00" in text or any(word in text for word in POSTURE_WORDS):
            return True
    return False


def with_callees(directory: Path, bounds: Boundary | None = None) -> list[Path]:
    """The module and every local module it calls, transitively (by text scan), without recursion."""
    out: list[Path] = []
    seen: set[Path] = set()
    stack = [directory]
    while stack:
        current = stack.pop()
        if current in seen or not current.is_dir():
            continue
        seen.add(current)
        out.append(current)
        stack.extend(reversed(calls(current, bounds)))
    return out
