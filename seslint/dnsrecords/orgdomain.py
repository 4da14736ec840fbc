"""The organisational domain of a name (RFC 7489 3.2), from the Public Suffix List.

The list comes with the publicsuffixlist package (refreshed with its releases); nothing is
downloaded at run time. The package loads its data when first used, so it is imported lazily.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _list() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def organisational_domain(name: str) -> str:
    """example.co.uk for mail.example.co.uk; the name itself when it is a public suffix or unknown."""
    name = name.strip().rstrip(".").lower()
    found = _list().privatesuffix(name)
    return str(found) if found else name
