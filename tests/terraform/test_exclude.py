"""`exclude` and `--exclude`: an excluded path is neither judged nor read (directory discovery, the
repository's other roots in pre-commit's file mode, files given), matched while walking; a module an
excluded directory holds is still read when a judged root calls it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
from seslint.exclude import Excludes, compile_pattern
from seslint.sources.terraform import discovery
from tests.terraform.test_one_dns_view import DMARC_IN_AN_UNNAMED_ZONE, SENDER
from tests.terraform.trees import check, line_of, lint, messages, write

# A root with an identity of its own and a DMARC record in a zone known only by a variable: read for
# its records, it leaves SENDER's DMARC unknown.
FIXTURE = (
    DMARC_IN_AN_UNNAMED_ZONE
    + """
resource "aws_sesv2_email_identity" "fixture" {
  email_identity = "fixture.example.com"
}
"""
)

NO_DMARC = (
    "no DMARC record at _dmarc.example.com declared in this configuration; Gmail and Yahoo require bulk "
    "senders to publish one"
)


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "excluded"),
    [
        ("tests/**", "tests", True, False),  # what is inside, as in .gitignore
        ("tests/**", "tests/a", True, True),
        ("tests/**", "tests/a/b/main.tf", False, True),
        ("tests/**", "src/tests/a", True, False),
        ("legacy/*", "legacy/a", True, True),
        ("legacy/*", "legacy/main.tf", False, True),
        ("legacy/*", "legacy/a/b", True, False),  # below an excluded directory: not walked at all
        ("**/fixtures/**", "a/b/fixtures/x", True, True),
        ("**/fixtures/**", "fixtures/x", True, True),
        ("**/fixtures/**", "a/myfixtures/x", True, False),
        ("fixtures", "a/fixtures", True, True),  # a bare name, at any depth
        ("/fixtures", "a/fixtures", True, False),  # a leading / only anchors
        ("/fixtures", "fixtures", True, True),
        ("build/", "x/build", True, True),
        ("build/", "x/build", False, False),  # a trailing / matches directories only
        ("a/**/b", "a/b", True, True),
        ("a/**/b", "a/x/y/b", True, True),
        ("env-[0-9]", "stacks/env-3", True, True),
        ("env-[!0-9]", "stacks/env-3", True, False),
        ("*.tf", "a/main.tf", False, True),
        ("m?in.tf", "main.tf", False, True),
        ("a*b", "a/b", True, False),  # * stays within a name
    ],
)
def test_patterns_match_as_gitignore_does(pattern: str, path: str, is_dir: bool, excluded: bool) -> None:
    excludes = Excludes([("/r", [compile_pattern(pattern, "--exclude")])])
    assert (excludes.matching(f"/r/{path}", is_dir) is not None) is excluded


def test_covering_looks_at_the_directories_above() -> None:
    excludes = Excludes([("/r", [compile_pattern("legacy/*", ".seslint.yaml")])])
    assert str(excludes.covering("/r/legacy/a/b/main.tf", False)) == "legacy/* (.seslint.yaml)"
    assert excludes.covering("/r/legacy", True) is None
    assert excludes.covering("/elsewhere/legacy/a", True) is None  # not below the anchor


def _listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The directories os.scandir lists from now on."""
    seen: list[str] = []
    real = os.scandir

    def spy(path: Any) -> Iterator[os.DirEntry[str]]:
        seen.append(os.path.relpath(str(path)))
        return real(path)

    monkeypatch.setattr(os, "scandir", spy)
    return seen


def test_discovery_does_not_enter_an_excluded_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "ses/main.tf": SENDER,
            "tests/a/deep/main.tf": FIXTURE,
            "tests/b/main.tf": FIXTURE,
            "tests/top.tf": FIXTURE,
            "stacks/fixtures/x/main.tf": FIXTURE,
        },
    )
    monkeypatch.chdir(tmp_path)
    excludes = Excludes(
        [(str(tmp_path), [compile_pattern(p, "--exclude") for p in ("tests/**", "**/fixtures/**")])]
    )
    listed = _listed(monkeypatch)
    dirs = discovery.module_dirs(["."], tmp_path, excludes=excludes)
    monkeypatch.undo()
    assert dirs == [tmp_path / "ses"]
    assert sorted(listed) == [".", "ses", "stacks", "stacks/fixtures", "tests"]


def test_a_directory_run_judges_nothing_excluded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path, {"ses/main.tf": SENDER, "tests/fixture/main.tf": FIXTURE})
    monkeypatch.chdir(tmp_path)
    assert {f["file"] for f in check(capsys, ".")} == {"ses/main.tf", "tests/fixture/main.tf"}
    found = check(capsys, ".", "--exclude", "tests/**")
    assert {f["file"] for f in found} == {"ses/main.tf"}
    assert messages(found, "SES120") == [NO_DMARC]
    identity = line_of(root, "ses/main.tf", 'resource "aws_sesv2_email_identity" "main"')
    assert lint(capsys, ".", "--exclude", "tests/**", rules=("SES120",)) == [
        ("SES120", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", identity)
    ]


@pytest.mark.parametrize("configured", ["--exclude", ".seslint.yaml"])
def test_pre_commit_reads_no_excluded_root_for_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, configured: str
) -> None:
    root = write(tmp_path, {"ses/main.tf": SENDER, "tests/fixture/main.tf": FIXTURE})
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    record = line_of(root, "tests/fixture/main.tf", 'resource "aws_route53_record" "dmarc"')
    assert messages(check(capsys, "ses/main.tf"), "SES120") == [
        "DMARC record of example.com could not be verified: aws_route53_record.dmarc "
        f"(tests/fixture/main.tf:{record}) is named '_dmarc' in the zone of var.zone_id, "
        "whose name is not known because var.zone_id has no value: pass it with --var or a tfvars file"
    ]
    if configured == "--exclude":
        argv = ["ses/main.tf", "--exclude", "tests/**"]
    else:
        (root / ".seslint.yaml").write_text("version: 1\nextends: baseline\nexclude: [tests/**]\n")
        argv = ["ses/main.tf"]  # and check() passes --policy strict: the repository's exclude holds
    assert messages(check(capsys, *argv), "SES120") == [NO_DMARC]


def test_files_given_that_are_excluded_are_not_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"ses/main.tf": SENDER, "tests/fixture/main.tf": FIXTURE})
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    found = check(capsys, "ses/main.tf", "tests/fixture/main.tf", "--exclude", "tests/**")
    assert {f["file"] for f in found} == {"ses/main.tf"}


def test_when_every_path_given_is_excluded_the_run_passes_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"ses/main.tf": SENDER, "tests/a/main.tf": FIXTURE, "tests/b/main.tf": FIXTURE})
    (tmp_path / ".git").mkdir()
    (tmp_path / ".seslint.yaml").write_text("version: 1\nextends: baseline\nexclude: [tests/**]\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "tests/a/main.tf", "tests/b/main.tf", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert '"findings": []' in out
    assert (
        err
        == "seslint: tests/a/main.tf tests/b/main.tf: excluded by tests/** (.seslint.yaml); nothing to check\n"
    )
    monkeypatch.chdir(tmp_path / "tests")  # --exclude is anchored at the working directory
    assert cli.main(["check", "a", "--exclude", "a/"]) == 0
    assert capsys.readouterr().err == "seslint: a: excluded by a/ (--exclude); nothing to check\n"


def test_a_directory_holding_only_excluded_terraform_is_nothing_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"stacks/fixtures/a/main.tf": FIXTURE, "stacks/fixtures/b/main.tf": FIXTURE})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "stacks", "--exclude", "**/fixtures/**"]) == 2
    assert capsys.readouterr() == (
        "",
        "seslint: stacks: all 2 Terraform modules here are excluded, by **/fixtures/** (--exclude); "
        "nothing was checked\n",
    )
    assert cli.main(["check", "stacks/fixtures/a", "--exclude", "**/*.tf"]) == 2
    assert capsys.readouterr().err == (
        "seslint: stacks/fixtures/a: the one Terraform module here is excluded, by **/*.tf (--exclude); "
        "nothing was checked\n"
    )


CALLER = """\
module "ses" {
  source = "../tests/modules/ses"
}
"""


def test_a_module_in_an_excluded_directory_is_still_read_for_the_root_that_calls_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"stack/main.tf": CALLER, "tests/modules/ses/main.tf": SENDER})
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".", "--exclude", "tests/**", rules=("SES120",)) == [
        ("SES120", "fail", "module.ses.aws_sesv2_email_identity.main", "tests/modules/ses/main.tf", 1)
    ]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("!tests", "negation (!) is not supported; list only what to exclude"),
        ("../x", "'..' would leave the directory the pattern is anchored at"),
        ("/", "an empty pattern"),
    ],
)
def test_an_exclude_that_cannot_be_honoured_is_a_usage_error(
    pattern: str,
    why: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(tmp_path, {"ses/main.tf": SENDER})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", ".", f"--exclude={pattern}"]) == 2
    assert capsys.readouterr() == ("", f"seslint: --exclude {pattern!r}: {why}\n")
