"""Inline waivers: `# seslint:ignore SES201[,SES202] [expires=YYYY-MM-DD] -- reason` inside a block."""

from __future__ import annotations

import bisect
import re
from datetime import date

from seslint.model import InlineWaiver, Location, ReadFailure
from seslint.untrusted import excerpt

_COMMENT = re.compile(r"(?:#|//)\s*seslint:ignore\b(?P<rest>.*)$")
# Each part begins with what ends the one before (no two runs of spaces meet): a line of spaces
# and no `--` is one pass, not a retry of every way to split the spaces (minutes for 100 KB).
_SPEC = re.compile(
    r"^\s*(?P<rules>SES\d{3}(?:\s*,\s*SES\d{3})*)(?:\s+expires=(?P<expires>\S+))?(?:\s*--(?P<reason>.*))?\s*$"
)


def scan(text: str, file: str, blocks: list[tuple[int, str]]) -> tuple[list[InlineWaiver], list[ReadFailure]]:
    """Waivers in a file; `blocks` are (start line, resource address) of its resource blocks."""
    waivers: list[InlineWaiver] = []
    failures: list[ReadFailure] = []
    starts = sorted(blocks)
    lines = [start for start, _ in starts]
    for number, line in enumerate(text.splitlines(), start=1):
        match = _COMMENT.search(line)
        if not match:
            continue
        where = Location(file=file, line=number)
        spec = _SPEC.match(match.group("rest"))
        above = bisect.bisect_right(lines, number)  # blocks that start at or before this line
        owner = starts[above - 1][1] if above else None
        if not spec:
            failures.append(
                _bad(
                    file,
                    number,
                    "malformed seslint:ignore comment; write `# seslint:ignore SES201 -- reason`",
                )
            )
            continue
        reason = (spec.group("reason") or "").strip()
        if not reason:
            failures.append(_bad(file, number, "seslint:ignore needs a reason after `--`"))
            continue
        expires = spec.group("expires")
        if expires is not None:
            try:
                date.fromisoformat(expires)
            except ValueError:
                failures.append(
                    _bad(
                        file, number, f"seslint:ignore expires={excerpt(expires)} is not a date (YYYY-MM-DD)"
                    )
                )
                continue
        if owner is None:
            failures.append(_bad(file, number, "seslint:ignore must be inside the resource block it waives"))
            continue
        for rule in re.split(r"\s*,\s*", spec.group("rules")):
            waivers.append(
                InlineWaiver(rule=rule, resource=owner, reason=reason, expires=expires, location=where)
            )
    return waivers, failures


def _bad(file: str, line: int, reason: str) -> ReadFailure:
    return ReadFailure(
        what=f"{file}:{line}",
        reason=reason,
        location=Location(file=file, line=line),
        parse_error=True,
        resource=f"{file}:{line}",
    )
