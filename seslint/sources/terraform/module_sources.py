"""Modules that `terraform init` downloaded: `.terraform/modules/modules.json`, read as tflint and Checkov do.

Terraform records every module call it installed in the root module's `.terraform/modules/modules.json`:

    {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                 {"Key": "ses", "Source": "registry.terraform.io/cloudposse/ses/aws", "Version": "0.25.0",
                  "Dir": ".terraform/modules/ses"},
                 {"Key": "ses.label", "Source": "registry.terraform.io/cloudposse/label/null", ...}]}

`Key` is the call's path of module names from the root (`ses.label`: call `label` inside call `ses`,
whatever their count or for_each), `Dir` the directory, relative to the root module, holding the code.

The file is pull-request content like any other (a `.terraform/` can be committed): it is read only as a
regular file of bounded size inside the root's `.terraform/modules/`, and a `Dir` is followed only to a
directory inside that `.terraform/modules/` or inside the repository. Anything else leaves the module
call unread, with the reason, never a read elsewhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from seslint import repository
from seslint.bounded import Boundary, JsonError, Unreadable, load_json, read_text

MANIFEST = Path(".terraform") / "modules" / "modules.json"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_RECORDS = 10_000

# One step of a module instance address: module.NAME, then an optional [0] or ["key"] (with escapes).
_STEP = re.compile(r'module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?(?:\.|$)')


@dataclass(frozen=True)
class Manifest:
    """The records of one root's modules.json (key -> Dir, key -> Source), or why there are none."""

    dirs: dict[str, str]
    sources: dict[str, str]
    problem: str | None = None


def manifest_key(address: str) -> str | None:
    """'module.ses["eu"].module.label' -> 'ses.label'; None for an address that is not a module path."""
    names = []
    position = 0
    while position < len(address):
        step = _STEP.match(address, position)
        if step is None:
            return None
        names.append(step.group(1))
        position = step.end()
    return ".".join(names) if names else None


def installed(root: Path, address: str, source: str) -> Path | str:
    """The directory holding the code of the module call at `address` of the root module `root`, as
    `terraform init` installed it; or, when it cannot be read, why (one line, for an unknown finding)."""
    name = address.rsplit("module.", 1)[-1].split("[", 1)[0]
    found = _manifest(root)
    if found.problem is not None:
        return f"module {name} comes from {source!r}, which terraform init downloads, and {found.problem}"
    key = manifest_key(address)
    if key is None or key not in found.dirs:
        return (
            f"module {name} comes from {source!r} and is not in .terraform/modules/modules.json: "
            "run terraform init to have it checked"
        )
    recorded = found.sources.get(key, "")
    if recorded and _normal(recorded) != _normal(source):
        return (
            f"module {name} comes from {source!r}, but terraform init installed {recorded!r}: "
            "run terraform init again to have it checked"
        )
    directory = _inside(root / found.dirs[key], root)
    if directory is None:
        return (
            f"module {name}: .terraform/modules/modules.json sends it to {found.dirs[key]!r}, which is not a "
            "directory inside .terraform/modules or the repository; it was not read"
        )
    return directory


def installed_dirs(root: Path) -> list[Path]:
    """Every directory `terraform init` installed for the root that may be read (for parsing ahead)."""
    found = _manifest(root)
    dirs = (_inside(root / d, root) for k, d in found.dirs.items() if k)
    return [d for d in dict.fromkeys(dirs) if d is not None]


def downloaded(directory: Path, root: Path) -> bool:
    """Is this module directory code that terraform init downloaded (under the root's .terraform/)?"""
    try:
        return directory.resolve().is_relative_to((root / ".terraform").resolve())
    except (OSError, ValueError):
        return False


def contained(directory: Path, root: Path) -> bool:
    """Is the (resolved) directory inside the root's .terraform/modules or the repository?"""
    return _inside(directory, root) is not None


def _inside(path: Path, root: Path) -> Path | None:
    try:
        resolved = path.resolve()
        if not resolved.is_dir():
            return None
    except (OSError, ValueError):  # a loop of links, a NUL byte, a name too long
        return None
    return resolved if any(resolved.is_relative_to(base) for base in _bases(root)) else None


@lru_cache(maxsize=256)
def _bases(root: Path) -> tuple[Path, ...]:
    """Where downloaded code may be read from: the root's .terraform/modules (when it is itself inside
    the root or the repository, not a link elsewhere) and the repository holding the root."""
    top = repository.root(root).resolve()
    bases = [top]
    modules = (root / MANIFEST.parent).resolve()
    if modules.is_relative_to(top) or modules.is_relative_to(root.resolve()):
        bases.append(modules)
    return tuple(bases)


@lru_cache(maxsize=256)
def _manifest(root: Path) -> Manifest:
    path = root / MANIFEST
    if not os.path.lexists(path):
        return Manifest(
            {}, {}, "there is no .terraform/modules/modules.json: run terraform init to have it checked"
        )
    modules = (root / MANIFEST.parent).resolve()
    if modules not in _bases(root):
        return Manifest({}, {}, ".terraform/modules leads out of the tree: modules.json not read")
    try:
        data = load_json(read_text(path, MAX_MANIFEST_BYTES, Boundary((modules,))))
    except Unreadable as exc:
        return Manifest({}, {}, f".terraform/modules/modules.json is not read: {exc.reason}")
    except JsonError as exc:
        return Manifest({}, {}, f".terraform/modules/modules.json is not usable: {exc.reason}")
    return _records(data)


def _records(data: object) -> Manifest:
    bad = Manifest({}, {}, ".terraform/modules/modules.json is not a module manifest")
    records = data.get("Modules") if isinstance(data, dict) else None
    if not isinstance(records, list) or len(records) > MAX_RECORDS:
        return bad
    dirs: dict[str, str] = {}
    sources: dict[str, str] = {}
    for record in records:
        if not isinstance(record, dict):
            return bad
        key, directory, source = record.get("Key"), record.get("Dir"), record.get("Source", "")
        if not isinstance(key, str) or not isinstance(directory, str) or not isinstance(source, str):
            return bad
        if key in dirs:
            # Terraform refuses such a file too: which record holds is not defined.
            return Manifest({}, {}, f".terraform/modules/modules.json has two records for module {key!r}")
        dirs[key] = directory
        sources[key] = source
    return Manifest(dirs, sources)


def _normal(source: str) -> str:
    """A source address without the spellings Terraform adds when it records one (the default registry
    host, the git:: forcing, https://, a .git suffix) and without a trailing slash."""
    text = source.strip()
    text = text.removeprefix("registry.terraform.io/").removeprefix("git::").removeprefix("https://")
    address, sep, query = text.partition("?")
    path, sub, rest = address.partition("//")
    return path.removesuffix(".git").rstrip("/") + sub + rest + sep + query
