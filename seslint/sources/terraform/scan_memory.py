"""The text scans of a repository's module directories, kept between runs (discovery.py's Survey).

A pre-commit run walks the whole repository for the roots that call the changed module and for the
roots whose DNS records count: reading every file of a monorepo of thousands of modules on each
commit is most of a warm run. What a directory's files say as text (the module sources they name,
whether they name posture or DNS record types, the digest of their bytes) is kept in the cache, one
entry per repository, with the status of each file (inode, size, modification and change times). A
later run takes a directory's scan while each of its files has the same status, and scans it again
otherwise.

The change time cannot be set from user space (touch sets the other two), so a file rewritten with
the same size and modification time still reads as changed. Timestamps are coarse, so a file whose
status changed in the second before this run began is not kept: it could change again within the same
tick, unseen. Links and anything that is not a regular file are scanned on every run.
"""

from __future__ import annotations

import os
import stat
import time
from typing import Any

from seslint import cache
from seslint.sources.terraform.discovery import _Text

KIND = "scans"
_Status = list[int]


class Memory:
    """The scans an earlier run kept for one repository, and what this run adds to them."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._kept: dict[str, Any] | None = None  # loaded on first use
        self._new: dict[str, Any] = {}
        self._status: dict[str, list[_Status] | None] = {}
        self._since = time.time_ns() - 1_000_000_000  # a status this recent is not kept

    def recall(self, folder: str, names: list[str]) -> _Text | None:
        status = self._status[folder] = _status(folder, names)
        if status is None:
            return None
        if self._kept is None:
            stored = cache.get(self.key, KIND)
            self._kept = stored if isinstance(stored, dict) else {}
        entry = self._kept.get(folder)
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] == names and entry[1] == status):
            return None
        try:
            return _rebuilt(entry[2])
        except (TypeError, ValueError):
            return None  # not an entry this code wrote: scanned again, and replaced

    def keep(self, folder: str, names: list[str], text: _Text) -> None:
        status = self._status.get(folder)
        if status is not None and all(s[3] < self._since and s[2] < self._since for s in status):
            self._new[folder] = [
                names,
                status,
                [text.sources, text.blocks, text.digest, text.posture, text.records, text.opaque],
            ]

    def save(self) -> None:
        """Store what this run scanned anew, with what it took from the earlier runs."""
        if self._new:
            cache.put(self.key, {**(self._kept or {}), **self._new}, KIND)


def _status(folder: str, names: list[str]) -> list[_Status] | None:
    out = []
    for name in names:
        try:
            found = os.lstat(os.path.join(folder, name))
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):
            return None
        out.append([found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns])
    return out


def _rebuilt(stored: Any) -> _Text:
    sources, blocks, digest, posture, records, opaque = stored
    if not (
        isinstance(sources, list)
        and all(isinstance(s, str) for s in sources)
        and isinstance(blocks, list)
        and all(b is None or isinstance(b, str) for b in blocks)
        and isinstance(digest, str)
        and all(isinstance(flag, bool) for flag in (posture, records, opaque))
    ):
        raise TypeError("not a scan")
    text = _Text()
    text.sources, text.blocks, text.digest = sources, blocks, digest
    text.posture, text.records, text.opaque = posture, records, opaque
    return text
