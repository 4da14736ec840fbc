"""A content-addressed cache of parsed files (HCL, policies) on disk, and parallel parsing for cold runs.

Keyed by the file's bytes, seslint's version and python-hcl2's version, so an entry can never be
stale; entries are written to a temporary file and renamed into place, so concurrent runs are safe;
the directory can be deleted at any time. Location: $SESLINT_CACHE_DIR, else $XDG_CACHE_HOME/seslint,
else ~/.cache/seslint. SESLINT_CACHE_DIR=off disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from seslint import __version__

PARALLEL_FROM = 64  # files; below this a process pool costs more than it saves


@lru_cache(maxsize=1)
def directory() -> Path | None:
    configured = os.environ.get("SESLINT_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seslint"


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """seslint's version and python-hcl2's, read from its version file without importing it (the
    warm path never loads the parser) nor importlib.metadata (slow to import)."""
    from importlib.util import find_spec

    spec = find_spec("hcl2")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    version_file = origin.with_name("version.py") if origin else None
    hcl2_version = version_file.read_text(encoding="utf-8") if version_file and version_file.exists() else "?"
    return f"seslint {__version__}\n{hcl2_version}\n".encode()


def key(text: str, kind: str = "hcl") -> str:
    return hashlib.sha256(_salt() + kind.encode() + b"\n" + text.encode("utf-8")).hexdigest()


def get(text: str, kind: str = "hcl") -> Any | None:
    folder = directory()
    if folder is None:
        return None
    digest = key(text, kind)
    try:
        return json.loads((folder / digest[:2] / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(text: str, document: Any, kind: str = "hcl") -> None:
    folder = directory()
    if folder is None:
        return
    digest = key(text, kind)
    target = folder / digest[:2] / f"{digest}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, separators=(",", ":"))
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


def parse_hcl(text: str) -> Any:
    """hcl2.loads through the cache; raises what hcl2 raises for bad syntax."""
    cached = get(text)
    if cached is not None:
        return cached
    import hcl2

    document = hcl2.loads(text)
    put(text, document)
    return document


def _warm_one(path: str) -> None:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        if get(text) is None:
            parse_hcl(text)
    except Exception:  # the real read reports every problem with its file and line
        pass


def warm(paths: list[Path]) -> None:
    """Parse files not in the cache yet across all cores (cold runs on large trees)."""
    if directory() is None:
        return
    missing = []
    for path in paths:
        try:
            if get(path.read_bytes().decode("utf-8-sig")) is None:
                missing.append(str(path))
        except (OSError, UnicodeDecodeError):
            continue
    if len(missing) < PARALLEL_FROM:
        return
    workers = os.cpu_count() or 1
    if workers < 2:
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_warm_one, missing, chunksize=16))
