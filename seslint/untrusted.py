"""Text that came from a pull request (file names, resource names, values, policy keys) made safe to show.

One place for every output: the reporters get a Report whose every string went through `shown` (see
reporters.render), and every line seslint writes to standard error goes through `stderr_line`. What
they neutralise: characters that drive a terminal or reorder what a reader sees (C0 and C1 controls,
the bidi controls U+202A-U+202E and U+2066-U+2069 and marks, the line and paragraph separators
U+2028/U+2029), lone surrogates (a JSON "\\ud800", or the bytes of a file name that is not UTF-8, which
Python carries as U+DC80-U+DCFF: shown as the byte, \\xff), and, on standard error, lines a CI system
would read as a command (`::error ...` on GitHub, `##vso[...]` on Azure Pipelines, `##teamcity[...]`).
Credentials in a URL (`https://user:password@host`, as AWS_ENDPOINT_URL may hold) are masked.

Newline and tab are kept by `shown`: each format places them (JSON escapes them, the table and markdown
make them spaces, GitHub's workflow commands encode them); `one_line` and `stderr_line` remove them.
Only the standard library's `re` is imported: the CLI uses this before anything else is loaded.
"""

from __future__ import annotations

import re
import sys

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff]"
)
EXCERPT = 60  # characters of a file's content a message may quote at most


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# user:password@ in a URL (AWS_ENDPOINT_URL, an SNS endpoint): the credentials are never shown.
_USERINFO = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/?#\s@]*@", re.IGNORECASE)


def masked(text: str) -> str:
    """`text` with the user information of every URL masked (https://***@host)."""
    return _USERINFO.sub(r"\1***@", text) if "@" in text else text


def shown(text: str) -> str:
    """`text` with every unsafe character as a visible escape (\\x1b, \\u202e, \\xff for a bad byte)
    and the user information of any URL masked."""
    text = masked(text)
    # Most text is safe: one scan to find out, a second only when there is something to escape.
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`shown`, on one line: newlines and tabs become spaces."""
    return shown(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """At most `limit` characters of `text` (file content quoted in a message), on one line."""
    text = text if len(text) <= limit else text[:limit] + "..."
    return shown(text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))


# Line starts that CI systems take as commands when a step prints them (on stdout or stderr).
_COMMAND = re.compile(r"^\s*(::|##\[|##vso\[|##teamcity\[)", re.IGNORECASE)


def stderr_line(text: str) -> str:
    """One line for standard error: no control character, and no line that reads as a CI command."""
    line = shown(text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " "))
    return "seslint: " + line if _COMMAND.match(line) else line


def say(line: str) -> None:
    """Print one line on standard error through `stderr_line`: every line seslint writes there."""
    print(stderr_line(line), file=sys.stderr)
