"""Did-you-mean suggestions for rule ids and keys."""

from __future__ import annotations

import difflib
from collections.abc import Collection

# Characters people type for digits in an id: SES20l, SES2O1, SESI01.
_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "i": "1", "O": "0", "o": "0"})


def suggest(word: str, choices: Collection[str]) -> str | None:
    """The closest choice, trying look-alike characters in rule ids first."""
    fixed = word[:3].upper() + word[3:].translate(_LOOKALIKES) if word[:3].upper() == "SES" else word
    if fixed in choices:
        return fixed
    close = difflib.get_close_matches(fixed, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def hint(word: str, choices: Collection[str]) -> str:
    """'; did you mean X?' or ''."""
    found = suggest(word, choices)
    return f"; did you mean {found}?" if found else ""
