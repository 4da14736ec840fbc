"""Which directories are modules, which are roots, and where pre-commit's files belong."""

from __future__ import annotations

import os
import re
from pathlib import Path

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

MAX_FILE_BYTES = 4 * 1024 * 1024  # larger files are not hand-written Terraform: reported, not parsed

_MODULE_SOURCE = re.compile(r'source\s*=\s*"(\.\.?/[^"]*)"')


def module_files(directory: Path) -> list[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.is_file() and (p.name.endswith(".tf") or p.name.endswith(".tf.json"))
    )


def _is_module_dir(directory: Path) -> bool:
    try:
        return any(n.endswith((".tf", ".tf.json")) for n in os.listdir(directory))
    except OSError:
        return False


def module_dirs(paths: list[str], cwd: Path) -> list[Path]:
    """Module directories under the given paths (files map to their directory); hidden and .terraform skipped."""
    found: list[Path] = []
    for raw in paths:
        path = (cwd / raw) if not Path(raw).is_absolute() else Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or directory")
        if path.is_file():
            path = path.parent  # a .tf, .tf.json or .tfvars file belongs to its directory's module
            if _is_module_dir(path):
                found.append(path.resolve())
            continue
        for root, dirs, _files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != ".terraform")
            if _is_module_dir(Path(root)):
                found.append(Path(root).resolve())
    return list(dict.fromkeys(found))


def _directory(path: Path) -> Path | None:
    """The resolved directory, or None for a source that names none (missing, a NUL byte, a name too
    long for the file system): evaluating the module call reports it."""
    try:
        resolved = path.resolve()
        return resolved if resolved.is_dir() else None
    except (OSError, ValueError):
        return None


def calls(directory: Path) -> list[Path]:
    """Local module directories this module calls (a cheap text scan, no parsing)."""
    out = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".tf"):
            continue
        try:
            text = (directory / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "module" not in text:
            continue
        for match in _MODULE_SOURCE.finditer(text):
            callee = _directory(directory / match.group(1))
            if callee is not None:
                out.append(callee)
    return out


def roots(dirs: list[Path], repository: Path, from_files: bool) -> list[Path]:
    """Roots to evaluate: given dirs that no other given dir calls. When the paths were files (as
    pre-commit passes them), a changed module is judged through the repository's roots that call it."""
    called = {c for d in dirs for c in calls(d)}
    tops = [d for d in dirs if d not in called]
    if not from_files:
        return tops
    callers = _caller_map(repository)
    result: list[Path] = []
    for directory in tops:
        result.extend(_top_callers(directory, callers, set()) or [directory])
    return list(dict.fromkeys(result))


def _caller_map(repository: Path) -> dict[Path, list[Path]]:
    """callee -> callers, from one walk of the repository (text scan of files that mention module)."""
    callers: dict[Path, list[Path]] = {}
    for root, dirs, files in os.walk(repository):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != ".terraform"]
        if any(f.endswith(".tf") for f in files):
            here = Path(root).resolve()
            for callee in calls(here):
                callers.setdefault(callee, []).append(here)
    return callers


def _top_callers(directory: Path, callers: dict[Path, list[Path]], seen: set[Path]) -> list[Path]:
    out: list[Path] = []
    for caller in callers.get(directory, []):
        if caller in seen:
            continue
        seen.add(caller)
        out.extend(_top_callers(caller, callers, seen) or [caller])
    return out


def may_hold_posture(directory: Path) -> bool:
    """False only when every file is readable text naming none of POSTURE_WORDS: a file that cannot be
    read could hold anything, so it is parsed and reported (SES000), never skipped."""
    for name in os.listdir(directory):
        if name.endswith((".tf", ".tf.json")):
            try:
                raw = (directory / name).read_bytes()
                text = raw.decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return True
            if "\x00" in text or any(word in text for word in POSTURE_WORDS):
                return True
    return False


def with_callees(directory: Path, seen: set[Path] | None = None) -> list[Path]:
    """The module and every local module it calls, transitively (by text scan)."""
    seen = seen if seen is not None else set()
    if directory in seen or not directory.is_dir():
        return []
    seen.add(directory)
    out = [directory]
    for callee in calls(directory):
        out.extend(with_callees(callee, seen))
    return out
