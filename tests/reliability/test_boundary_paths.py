"""The run's path resolution (Boundary.real) is os.path.realpath, remembered: on a tree of every kind of
link (relative, absolute, chained, through `..`, dangling, looping, leading out of the tree) it gives
realpath's answer for every path, and what leads out of the tree stays out whatever was resolved before."""

from __future__ import annotations

import errno
import itertools
import os
from pathlib import Path

import pytest

from seslint.bounded import OUTSIDE, Boundary, Unreadable, read_bytes


def _links(tmp_path: Path) -> tuple[Path, Path]:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "a" / "b").mkdir(parents=True)
    (repo / "c").mkdir()
    (outside / "secret").mkdir(parents=True)
    (outside / "secret" / "credentials").write_text("aws_secret_access_key = x\n")
    (repo / "a" / "b" / "main.tf").write_text("# ok\n")
    (repo / "c" / "main.tf").write_text("# ok\n")
    (repo / "rel").symlink_to("a/b")
    (repo / "abs").symlink_to(repo / "c")
    (repo / "chain").symlink_to("rel")
    (repo / "up").symlink_to("a/b/..")  # -> repo/a
    (repo / "a" / "b" / "back").symlink_to("../../c")
    (repo / "a" / "dotdot").symlink_to("b/../../c")
    (repo / "dangling").symlink_to("nowhere/x")
    (repo / "loop1").symlink_to("loop2")
    (repo / "loop2").symlink_to("loop1")
    (repo / "self").symlink_to("self")
    (repo / "out").symlink_to("../outside/secret")
    (repo / "a" / "out2").symlink_to(outside)
    (repo / "a" / "b" / "cred.tf").symlink_to(outside / "secret" / "credentials")
    (repo / "via").symlink_to("a/out2/secret")
    return repo, outside


NAMES = (
    "a",
    "b",
    "c",
    "rel",
    "abs",
    "chain",
    "up",
    "back",
    "dotdot",
    "dangling",
    "loop1",
    "self",
    "out",
    "out2",
    "via",
    "main.tf",
    "cred.tf",
    "credentials",
    "secret",
    "..",
    ".",
    "missing",
)


def _through_a_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as exc:
        return exc.errno == errno.ELOOP
    return False


def test_real_is_realpath_for_every_path_through_the_links(tmp_path: Path) -> None:
    repo, _ = _links(tmp_path)
    boundary = Boundary([repo])
    checked = 0
    for length in (1, 2, 3):
        for parts in itertools.product(NAMES, repeat=length):
            path = os.path.join(repo, *parts)
            expected = os.path.realpath(path)
            if _through_a_loop(path) or _through_a_loop(expected):
                # realpath leaves a loop as it likes; what the run gets names no file either (ELOOP)
                assert boundary.real(path) == expected or not os.path.exists(boundary.real(path))
                continue
            assert boundary.real(path) == expected, path
            assert boundary.holds(path) == Boundary([repo]).holds(expected)
            checked += 1
    assert checked > 5000


def test_relative_paths_resolve_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = _links(tmp_path)
    monkeypatch.chdir(repo / "a")
    boundary = Boundary([repo])
    for path in ("b/main.tf", "../rel/back", "dotdot/main.tf", "../out"):
        assert boundary.real(path) == os.path.realpath(path)


def test_what_leads_out_is_never_read_whatever_was_resolved_before(tmp_path: Path) -> None:
    repo, outside = _links(tmp_path)
    boundary = Boundary([repo])
    assert read_bytes(repo / "rel" / "main.tf", 100, boundary) == b"# ok\n"
    assert read_bytes(repo / "chain" / "back" / "main.tf", 100, boundary) == b"# ok\n"
    for path in (
        repo / "a" / "b" / "cred.tf",
        repo / "rel" / "cred.tf",
        repo / "out" / "credentials",
        repo / "via" / "credentials",
        repo / "a" / "out2" / "secret" / "credentials",
        repo / "rel" / ".." / ".." / ".." / "outside" / "secret" / "credentials",
    ):
        with pytest.raises(Unreadable) as caught:
            read_bytes(path, 100, boundary)
        assert caught.value.reason == OUTSIDE, path
    assert not boundary.holds(outside)
    assert not boundary.holds(repo / "out")
    assert boundary.holds(repo / "up")
    assert not boundary.holds("bad\x00name")
    with pytest.raises(Unreadable):
        read_bytes(repo / "loop1", 100, boundary)
