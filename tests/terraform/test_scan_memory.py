"""The text scans of module directories kept between runs (scan_memory.py): a directory whose files
have the status they had is not read again; any change of a file (even one that keeps its size and
modification time) is; paths in the scan are resolved anew on every run."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from seslint import cache
from seslint.sources.terraform import discovery, scan_memory

CALLER = (
    'resource "aws_ses_domain_identity" "x" {\n  domain = "a.com"\n}\n\nmodule "n" {\n  source = "../n"\n}\n'
)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the survey reads."""
    found: list[str] = []
    read_bytes = discovery.read_bytes

    def counted(path: Any, *args: Any) -> bytes:
        found.append(os.path.basename(str(path)))
        return read_bytes(path, *args)

    monkeypatch.setattr(discovery, "read_bytes", counted)
    return found


def _scan(tmp_path: Path, directory: Path) -> discovery.Scanned:
    memory = scan_memory.Memory(f"scans of {tmp_path}")
    scanned = discovery.Survey(None, None, memory).scanned(str(directory))
    memory.save()
    return scanned


def test_a_directory_as_it_was_is_not_read_again_and_its_calls_are_resolved_anew(
    tmp_path: Path, reads: list[str]
) -> None:
    caller = tmp_path / "m"
    caller.mkdir()
    (caller / "main.tf").write_text(CALLER)
    time.sleep(1.1)  # a file changed in the second before a run is not kept (coarse timestamps)
    first = _scan(tmp_path, caller)
    assert reads == ["main.tf"]
    assert (first.posture, first.records, first.opaque, first.calls) == (True, False, True, [])  # no ../n yet
    (tmp_path / "n").mkdir()
    (tmp_path / "n" / "main.tf").write_text("locals {}\n")
    reads.clear()
    second = _scan(tmp_path, caller)
    assert reads == []
    assert (second.posture, second.opaque, second.calls, second.digest) == (
        True,
        False,
        [os.path.realpath(tmp_path / "n")],
        first.digest,
    )


def test_a_file_rewritten_with_its_size_and_modification_time_is_read_again(
    tmp_path: Path, reads: list[str]
) -> None:
    caller = tmp_path / "m"
    caller.mkdir()
    path = caller / "main.tf"
    path.write_text(CALLER)
    time.sleep(1.1)
    first = _scan(tmp_path, caller)
    before = os.stat(path)
    path.write_text(
        CALLER.replace('resource "aws_ses_domain_identity" "x"', 'resource "aws_s3_bucket" "xxxxxxxxxxx"')
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time cannot be set back
    assert os.stat(path).st_size == before.st_size
    reads.clear()
    second = _scan(tmp_path, caller)
    assert reads == ["main.tf"]
    assert (second.posture, second.digest != first.digest) == (False, True)


@pytest.mark.parametrize(
    "stored",
    [[], {"x": 1}, "scans"],
)
def test_an_entry_this_code_did_not_write_is_a_scan_again(
    tmp_path: Path, reads: list[str], stored: Any
) -> None:
    caller = tmp_path / "m"
    caller.mkdir()
    (caller / "main.tf").write_text(CALLER)
    time.sleep(1.1)
    key = f"scans of {tmp_path}"
    cache.put(key, stored, scan_memory.KIND)
    _scan(tmp_path, caller)
    assert reads == ["main.tf"]
    entry = cache.get(key, scan_memory.KIND)
    entry[os.path.realpath(caller)][2][0] = [7]  # a source that is not text
    cache.put(key, entry, scan_memory.KIND)
    reads.clear()
    assert _scan(tmp_path, caller).posture is True
    assert reads == ["main.tf"]
