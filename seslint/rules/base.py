"""What every rule is made of: metadata (data, not code) and a check over the posture model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from seslint.findings import Result, Severity
from seslint.model import Posture, SourceKind

T, P, A, D = SourceKind.TERRAFORM, SourceKind.PLAN, SourceKind.AWS, SourceKind.DNS
ALL_SOURCES = frozenset({T, P, A, D})


@dataclass(frozen=True)
class RuleMeta:
    """Everything a user or a reporter needs to know about a rule; docs/rules.md is built from it."""

    id: str
    slug: str
    summary: str
    severity: Severity
    sources: frozenset[SourceKind]
    permissions: tuple[str, ...]  # IAM actions the live source needs to judge it
    what: str  # "What it does"
    why: str
    example: str  # a failing example (HCL or record)
    fix: str
    family: str = ""


@dataclass(frozen=True)
class Context:
    """The policy settings a rule may read: the merged `require` section and `scope`."""

    require: Mapping[str, Any] = field(default_factory=dict)
    scope_identities: tuple[str, ...] = ()
    scope_regions: tuple[str, ...] = ()

    def setting(self, section: str, key: str, default: Any = None) -> Any:
        """A `require.SECTION.KEY` value from the policy, or the default when the policy is silent."""
        value = self.require.get(section)
        if isinstance(value, Mapping) and key in value:
            return value[key]
        return default

    def in_scope(self, name: object) -> bool:
        """Is an identity name in the policy scope? An unresolved name may be: keep it."""
        if not self.scope_identities or not isinstance(name, str):
            return True
        return any(fnmatchcase(name.lower(), pattern.lower()) for pattern in self.scope_identities)


# A check reads the posture's entities, never its targets (what was read): the engine judges postures
# that differ only in their targets once.
CheckFn = Callable[[Posture, Context], Iterable[Result]]

_META_FIELDS = ("id", "slug", "summary", "severity", "permissions", "what", "why", "example", "fix")


def family(name: str, sources: frozenset[SourceKind], **shared: Any) -> Callable[..., RuleMeta]:
    """A RuleMeta maker for one family of rules: the family's name, sources and any field its rules
    share are filled in; the others are given in _META_FIELDS order."""
    fields = [f for f in _META_FIELDS if f not in shared]

    def make(*values: Any) -> RuleMeta:
        if len(values) != len(fields):
            raise TypeError(f"{name} rule metadata needs {', '.join(fields)}")
        return RuleMeta(**dict(zip(fields, values, strict=True)), **shared, sources=sources, family=name)

    return make


@dataclass(frozen=True)
class Rule:
    """A rule: metadata plus a check. `check` is None for the run rules the engine itself emits
    (SES001 expired waiver, SES002 rule crash)."""

    meta: RuleMeta
    check: CheckFn | None

    @property
    def id(self) -> str:
        return self.meta.id
