"""Findings: what the engine hands to reporters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from seslint.model import Location


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Status(str, Enum):
    FAIL = "fail"
    UNKNOWN = "unknown"  # could not be verified: never a pass


@dataclass(frozen=True)
class Result:
    """What a rule says about one resource; the engine adds severity, waivers and fingerprint."""

    status: Status
    resource: str
    message: str
    location: Location
    identity: str | None = None


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    status: Status
    resource: str
    message: str
    location: Location
    identity: str | None = None
    waived: bool = False
    waiver_reason: str | None = None
    fingerprint: str = ""
    baselined: bool = False
    waiver_expires: str | None = None  # YYYY-MM-DD of the waiver that covers it, if it expires

    @property
    def counts(self) -> bool:
        """True when the finding can fail the run (not waived, not in the baseline)."""
        return not self.waived and not self.baselined


@dataclass(frozen=True)
class Summary:
    error: int
    warning: int
    info: int
    unknown: int
    waived: int
    baselined: int

    @classmethod
    def of(cls, findings: tuple[Finding, ...] | list[Finding]) -> Summary:
        live = [f for f in findings if f.counts]
        return cls(
            error=sum(f.severity is Severity.ERROR for f in live),
            warning=sum(f.severity is Severity.WARNING for f in live),
            info=sum(f.severity is Severity.INFO for f in live),
            unknown=sum(f.status is Status.UNKNOWN for f in live),
            waived=sum(f.waived for f in findings),
            baselined=sum(f.baselined and not f.waived for f in findings),
        )
