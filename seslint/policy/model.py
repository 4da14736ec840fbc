"""A loaded, merged, validated policy: what the engine and the rules read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SEVERITY_SETTINGS = ("error", "warning", "info", "off")
ON_UNKNOWN = ("error", "warning", "ignore")


@dataclass(frozen=True)
class Waiver:
    """A policy waiver: `resource` and `identity` are glob patterns (fnmatch); expiry is inclusive."""

    rule: str
    reason: str
    resource: str = "*"
    identity: str | None = None
    expires: date | None = None
    file: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Exclusion:
    """Paths `check` neither judges nor reads (seslint/exclude.py), as `file` declares them: anchored
    at `anchor`, that file's directory."""

    patterns: tuple[str, ...]
    anchor: str
    file: str


@dataclass(frozen=True)
class Policy:
    name: str
    files: tuple[str, ...] = ()  # every file merged, the extended ones first
    require: Mapping[str, Any] = field(default_factory=dict)
    scope_identities: tuple[str, ...] = ()
    scope_regions: tuple[str, ...] = ()
    on_unknown: str = "warning"  # error | warning | ignore (ignore: reported as info, never fails)
    rules: Mapping[str, str] = field(default_factory=dict)  # rule id -> error|warning|info|off
    waivers: tuple[Waiver, ...] = ()
    exclude: tuple[Exclusion, ...] = ()
