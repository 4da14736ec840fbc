"""A cache that cannot be turned against its user: private, checked before it is believed, pruned
without following links, left clean by a failed write."""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from seslint import cache
from tests.reliability.hostile import check_json, write

BROKEN = 'resource "aws_ses_configuration_set" "x" {\n  name = \n}\n'
GOOD = 'resource "aws_ses_configuration_set" "ok" {\n  name = "ok"\n}\n'
EXPECTED = [
    (
        "SES000",
        "a/main.tf",
        "a/main.tf",
        2,
        "HCL syntax error: unexpected STRING_CHARS '\\n}\\n\\n' at line 2, column 10",
    ),
    ("SES201", "aws_ses_configuration_set.ok", "b/main.tf", 1),
    ("SES202", "aws_ses_configuration_set.ok", "b/main.tf", 1),
]


def _check(tree: Path, folder: Path, *extra: str) -> tuple[int, list[tuple[object, ...]], str]:
    run = check_json(tree, {"SESLINT_CACHE_DIR": str(folder)}, *extra)
    findings = [f if f[0] == "SES000" else f[:4] for f in run.findings()]
    return run.code, sorted(findings), run.err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "tree", {"a/main.tf": BROKEN, "b/main.tf": GOOD})
    return tmp_path / "tree"


def test_the_cache_is_created_private(tree: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    assert _check(tree, folder)[:2] == (1, EXPECTED)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(shard.stat().st_mode) == 0o700 for shard in folder.glob("??"))


@pytest.mark.parametrize("how", ["group-writable", "other-writable", "another-user"])
def test_a_cache_others_can_write_is_not_used(tree: Path, tmp_path: Path, how: str) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    if how == "another-user":
        if os.geteuid() != 0:
            pytest.skip("giving a directory to another user needs root")
        os.chown(folder, 65534, 65534)
        note = "it belongs to another user"
    else:
        folder.chmod(0o770 if how == "group-writable" else 0o707)
        note = "group or other users may write to it"
    # What another user planted there: every file "parsed" to nothing, which would pass the run.
    for text in (BROKEN, GOOD):
        digest = cache.key(text)
        (folder / digest[:2]).mkdir(exist_ok=True)
        (folder / digest[:2] / f"{digest}.json").write_text(
            json.dumps({"seslint_cache": cache.FORMAT, "key": digest, "value": {}})
        )
    code, findings, err = _check(tree, folder)
    assert (code, findings, err) == (1, EXPECTED, "")
    code, findings, err = _check(tree, folder, "--debug")
    assert (code, findings) == (1, EXPECTED)
    assert err == f"seslint: debug: cache {folder} not used: {note}; this run uses a private one\n"


@pytest.mark.parametrize(
    "planted", ["{}", "[]", '{"truncated": ', '{"seslint_cache": 2, "key": "other", "value": {}}']
)
def test_entries_of_the_wrong_shape_are_parsed_again_and_rewritten(
    tree: Path, tmp_path: Path, planted: str
) -> None:
    folder = tmp_path / "cache"
    assert _check(tree, folder)[:2] == (1, EXPECTED)
    entries = sorted(folder.glob("??/*.json"))
    for entry in entries:
        entry.write_text(planted)
    assert _check(tree, folder)[:2] == (1, EXPECTED)
    for entry in entries:
        document = json.loads(entry.read_text())
        assert document["seslint_cache"] == cache.FORMAT and document["key"] == entry.stem


def test_pruning_never_follows_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = time.time() - 90 * 86400
    for name in ("precious.json", ".tmp-precious"):
        (elsewhere / name).write_text("{}")
        os.utime(elsewhere / name, (old, old))
    text = 'resource "aws_sns_topic" "t" {}\n'
    (folder / cache.key(text)[:2]).symlink_to(elsewhere)  # a shard replaced by a link
    (folder / ".files-link").symlink_to(elsewhere / "precious.json")
    os.utime(folder / ".files-link", (old, old), follow_symlinks=False)
    monkeypatch.setenv("SESLINT_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "_PRUNED", [])
    cache.directory.cache_clear()
    try:
        cache.put(text, {"resource": []})
    finally:
        cache.directory.cache_clear()
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(
        [".tmp-precious", "precious.json", f"{cache.key(text)}.json"]
    )
    assert (folder / ".files-link").is_symlink()  # a link is not a leftover of ours


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESLINT_CACHE_DIR", str(tmp_path / "cache"))
    cache.directory.cache_clear()
    try:
        cache.put("text", {"half": "written", "then": object()})  # json.dump fails half-way through
        assert cache.get("text") is None
    finally:
        cache.directory.cache_clear()
    assert [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()] == []


def test_cache_off_uses_a_private_directory_and_removes_it(tree: Path, tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = check_json(tree, {"SESLINT_CACHE_DIR": "off", "TMPDIR": str(temporary)})
    assert run.code == 1 and sorted(f if f[0] == "SES000" else f[:4] for f in run.findings()) == EXPECTED
    assert list(temporary.iterdir()) == []
