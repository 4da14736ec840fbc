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
    # Tells apart several findings of one rule about one resource (which call, which waiver); part
    # of the fingerprint, so it must not depend on the source or on wording.
    key: str = ""


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
    subject: str = ""  # what the finding is about, named as every source names it (fingerprint.py)
    key: str = ""  # Result.key
    waiver_expires: str | None = None  # YYYY-MM-DD of the waiver that covers it, if it expires

    @property
    def counts(self) -> bool:
        """True when the finding can fail the run (not waived, not in the baseline)."""
        return not self.waived and not self.baselined


@dataclass(frozen=True)
class Summary:
    """Counts of the findings that count. `error`, `warning` and `info` include the unknowns at that
    severity (JSON contract v1); `failed` and `unknowns` split each severity into the two statuses."""

    error: int
    warning: int
    info: int
    unknown: int
    waived: int
    baselined: int
    failed: dict[str, int]
    unknowns: dict[str, int]

    @classmethod
    def of(cls, findings: tuple[Finding, ...] | list[Finding]) -> Summary:
        live = [f for f in findings if f.counts]

        def count(severity: Severity, status: Status) -> int:
            return sum(f.severity is severity and f.status is status for f in live)

        return cls(
            error=sum(f.severity is Severity.ERROR for f in live),
            warning=sum(f.severity is Severity.WARNING for f in live),
            info=sum(f.severity is Severity.INFO for f in live),
            unknown=sum(f.status is Status.UNKNOWN for f in live),
            waived=sum(f.waived for f in findings),
            baselined=sum(f.baselined and not f.waived for f in findings),
            failed={s.value: count(s, Status.FAIL) for s in Severity},
            unknowns={s.value: count(s, Status.UNKNOWN) for s in Severity},
        )
