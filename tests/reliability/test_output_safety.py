"""Clean output everywhere: no raw control, bidi or separator character and no lone surrogate in any
format or on standard error, no forged CI command, no ping or autolink in markdown; odd CLI cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from seslint import cli
from seslint.reporters import FORMATS
from seslint.untrusted import excerpt, shown, stderr_line

# What must never reach an output raw: C0 (but newline and tab), DEL, C1, bidi controls and marks, line
# and paragraph separators, lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
EVIL = "a\x1b[2J\x07\x85\u202eevil\u2066\u2028b\ud800"


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_shown_escapes_every_unsafe_character() -> None:
    assert shown(EVIL) == "a\\x1b[2J\\x07\\x85\\u202eevil\\u2066\\u2028b\\ud800"
    assert shown("bad\udcffname.tf") == "bad\\xffname.tf"  # a byte that is not UTF-8, as the byte
    assert shown("tab\tnew\nline") == "tab\tnew\nline"  # each format places these itself
    assert excerpt("x" * 100) == "x" * 60 + "..."
    assert excerpt("a\nb") == "a\\nb"
    assert shown("to https://user:pa55@sns.example/hook, not a@b.example") == (
        "to https://***@sns.example/hook, not a@b.example"
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("::error file=main.tf,line=1::owned", "seslint: ::error file=main.tf,line=1::owned"),
        ("  ::warning::x", "seslint:   ::warning::x"),
        ("##vso[task.setvariable variable=x]1", "seslint: ##vso[task.setvariable variable=x]1"),
        ("##[error]x", "seslint: ##[error]x"),
        ("##teamcity[buildStatus text='x']", "seslint: ##teamcity[buildStatus text='x']"),
        ("k\n::error::forged", "k\\n::error::forged"),
        ("seslint: fine", "seslint: fine"),
    ],
)
def test_stderr_lines_never_read_as_ci_commands(line: str, expected: str) -> None:
    assert stderr_line(line) == expected


def _module(resource_name_escapes: str) -> None:
    Path("main.tf").write_text(
        f'resource "aws_ses_configuration_set" "x" {{\n  name = "{resource_name_escapes}"\n}}\n'
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_unsafe_character_in_any_format(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    # HCL escapes put every unsafe character in the name, which every message repeats.
    _module("n\\u001b[2J\\u0007\\u0085\\u202e\\u2066\\u2028\\u2029z")
    code = cli.main(["check", ".", "--policy", "strict", "--format", fmt])
    captured = capsys.readouterr()
    assert code == 1 and captured.err == ""
    assert UNSAFE.search(captured.out) is None
    text = captured.out.replace("\\\\", "\\")  # JSON and markdown double a backslash
    assert all(f"\\{e}" in text for e in ("x1b", "x07", "x85", "u202e", "u2066", "u2028", "u2029"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_name_that_is_not_utf8_is_shown_escaped(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    Path(b"bad\xffname.tf".decode("utf-8", "surrogateescape")).write_text(
        'resource "aws_ses_configuration_set" "x" {\n  name = "x"\n}\n'
    )
    code = cli.main(["check", ".", "--policy", "strict", "--format", fmt])
    captured = capsys.readouterr()
    assert code == 1 and captured.err == ""
    assert UNSAFE.search(captured.out) is None
    captured.out.encode("utf-8")  # printable as UTF-8
    assert "bad\\xffname.tf" in captured.out.replace("\\\\", "\\")


def test_markdown_makes_mentions_links_and_references_inert(capsys: pytest.CaptureFixture[str]) -> None:
    _module("@octocat https://evil.example/x www.evil.example #12 team@example.com")
    cli.main(["check", ".", "--policy", "strict", "--format", "markdown"])
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "SES201" in line)
    assert (
        "@&#8203;octocat https&#8203;://evil.example/x www&#8203;.evil.example \\#&#8203;12 "
        "team@&#8203;example.com"
    ) in row
    assert re.search(r"@\w|https?://|www\.", out) is None


def test_policy_key_cannot_forge_a_github_annotation(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".git").mkdir()
    Path(".seslint.yaml").write_text(
        'version: 1\nrequire:\n  "x\\n::error file=main.tf,line=1::forged\\u001b[2J": {}\n'
    )
    _module("x")
    code = cli.main(["check", ".", "--format", "github"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.splitlines() == [
        ".seslint.yaml:3: require.x\\n::error file=main.tf,line=1::forged\\x1b[2J: unknown key"
    ]


def test_debug_before_the_command_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted bug")

    monkeypatch.setattr("seslint.engine.run", broken)
    _module("x")
    assert cli.main(["check", ".", "--policy", "strict"]) == 3
    assert capsys.readouterr().err == (
        "seslint: internal error: RuntimeError: planted bug (run with --debug for the traceback)\n"
    )
    for argv in (["--debug", "check", "."], ["check", ".", "--debug"]):
        with pytest.raises(RuntimeError, match="planted bug"):
            cli.main([*argv, "--policy", "strict"])


def test_json_output_is_json_with_escaped_text(capsys: pytest.CaptureFixture[str]) -> None:
    _module("q\\u0085\\u202e")
    cli.main(["check", ".", "--policy", "strict", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert {f["resource"] for f in document["findings"]} == {"aws_ses_configuration_set.x"}
    assert all("q\\x85\\u202e" in f["message"] for f in document["findings"])


def test_every_line_on_standard_error_goes_through_say() -> None:
    """The one way to standard error is untrusted.say: no other module writes there (argparse's usage
    line, which quotes nothing of the input, and closing a broken pipe aside)."""
    import seslint

    allowed = {"self.print_usage(sys.stderr)", "sys.stderr.close()", "sys.stderr.isatty(),"}
    found = []
    for path in Path(seslint.__file__).parent.rglob("*.py"):
        if path.name == "untrusted.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"sys\.stderr|file=sys\.stderr|stderr\.write", line) and line.strip() not in allowed:
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []
