"""Run the rules over postures and turn their results into findings.

The engine owns everything between a rule's verdict and a reporter: severities from the policy,
`on_unknown`, waivers (policy and inline, with expiry -> SES001), rule crashes (-> SES002),
fingerprints and the baseline. Rules never see the policy beyond `Context`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase

from seslint import fingerprint as fingerprints
from seslint.findings import Finding, Result, Severity, Status
from seslint.model import InlineWaiver, Location, Posture, SourceKind
from seslint.policy.model import Policy, Waiver
from seslint.rules.base import Context, Rule
from seslint.rules.common import if_it_exists

EXPIRED_WAIVER = "SES001"
RULE_CRASHED = "SES002"

FindingKey = tuple[object, ...]
_UNKNOWN_SEVERITY = {"error": Severity.ERROR, "warning": Severity.WARNING, "ignore": Severity.INFO}


@dataclass(frozen=True)
class _AnyWaiver:
    """Policy and inline waivers, seen the same way."""

    rule: str
    resource: str
    identity: str | None
    reason: str
    expires: date | None
    location: Location
    inline: bool

    def covers(self, finding: Finding) -> bool:
        if self.rule != finding.rule:
            return False
        if self.inline:
            # An inline waiver sits in one block: it covers that resource and its count/for_each instances.
            return finding.resource == self.resource or finding.resource.startswith(self.resource + "[")
        if not fnmatchcase(finding.resource, self.resource):
            return False
        return self.identity is None or fnmatchcase(finding.identity or "", self.identity)


def run(
    postures: Sequence[Posture],
    policy: Policy,
    rules: Sequence[Rule],
    *,
    today: date,
    debug: bool = False,
    origins: dict[FindingKey, set[int]] | None = None,
) -> list[Finding]:
    """Judge every posture with every enabled rule; findings sorted for stable output.

    `origins`, when given, is filled with the index of the posture(s) each finding came from (by
    `finding_key`): a report that places findings per account or root module needs it, because the
    same resource name can stand in two postures.
    """
    context = Context(
        require=policy.require,
        scope_identities=policy.scope_identities,
        scope_regions=policy.scope_regions,
    )
    enabled = [r for r in rules if r.check is not None and policy.rules.get(r.id) != "off"]
    for_source: dict[SourceKind, list[Rule]] = {}
    bare: dict[tuple[object, ...], list[Outcome]] = {}  # outcomes of the rules on bare postures
    findings: list[Finding] = []
    inline: list[InlineWaiver] = []
    for index, posture in enumerate(postures):
        scoped = within_regions(posture, policy.scope_regions)
        inline.extend(posture.waivers)
        judging = for_source.get(posture.source)
        if judging is None:
            judging = for_source[posture.source] = [r for r in enabled if posture.source in r.meta.sources]
        kind = _bare_kind(scoped)
        if kind is None:
            outcomes = [_outcome(rule, scoped, context) for rule in judging]
        elif (known := bare.get(kind)) is not None:
            outcomes = known
        else:
            outcomes = bare[kind] = [_outcome(rule, scoped, context) for rule in judging]
        subjects: dict[str, str] | None = None  # made for the first finding: most postures have none
        for rule, outcome in zip(judging, outcomes, strict=True):
            if not outcome and not isinstance(outcome, Exception):
                continue
            subjects = fingerprints.subjects(posture) if subjects is None else subjects
            judged = _findings(rule, outcome, posture, policy, debug, subjects)
            if origins is not None:
                for finding in judged:
                    origins.setdefault(finding_key(finding), set()).add(index)
            findings.extend(judged)
    waivers = [_from_policy(w) for w in policy.waivers] + [_from_inline(w) for w in inline]
    findings = _apply_waivers(findings, waivers, policy, rules, today)
    findings = [replace(f, fingerprint=fingerprints.fingerprint(f)) for f in _dedupe(findings)]
    return sorted(findings, key=sort_key)


Outcome = list[Result] | Exception  # what a rule said about a posture, or what it raised


def _bare_kind(posture: Posture) -> tuple[object, ...] | None:
    """A key for a posture that holds nothing but its targets and the DNS records (and lookups) it
    sees, as a root whose modules map to no SES resource sees the records other roots declare; None
    for any other posture. Rules never read the targets, so bare postures with the same key get the
    same outcomes, and they are computed once. The key holds the records' ids: the postures, alive
    for the whole run, hold the records."""
    records, lookups = posture.dns_records, posture.dns_lookups
    if posture != Posture(
        source=posture.source,
        targets=posture.targets,
        dns_records=records,
        dns_lookups=lookups,
        judges_dns=posture.judges_dns,
    ):
        return None
    return posture.source, posture.judges_dns, tuple(map(id, records)), tuple(map(id, lookups))


def _outcome(rule: Rule, posture: Posture, context: Context) -> Outcome:
    assert rule.check is not None
    try:
        results = list(rule.check(posture, context))
    except Exception as exc:  # a rule bug must not stop the run: it becomes SES002
        return exc
    absent = posture.maybe_absent
    return [if_it_exists(r, absent) for r in results] if absent and results else results


def _findings(
    rule: Rule, outcome: Outcome, posture: Posture, policy: Policy, debug: bool, subjects: dict[str, str]
) -> list[Finding]:
    if isinstance(outcome, Exception):
        detail = (
            "".join(traceback.format_exception(outcome)) if debug else f"{type(outcome).__name__}: {outcome}"
        )
        crash = Result(
            status=Status.FAIL,
            resource=rule.id,
            message=f"rule {rule.id} crashed on this input ({detail}); other rules ran. Please report it.",
            location=Location(name=", ".join(posture.targets) or None),
        )
        return [_finding(RULE_CRASHED, Severity.ERROR, crash, policy, subjects.get(crash.resource, ""))]
    return [_finding(rule.id, rule.meta.severity, r, policy, subjects.get(r.resource, "")) for r in outcome]


def _finding(rule_id: str, default: Severity, result: Result, policy: Policy, subject: str = "") -> Finding:
    return Finding(
        rule=rule_id,
        severity=_severity(rule_id, default, result.status, policy),
        status=result.status,
        resource=result.resource,
        message=result.message,
        location=result.location,
        identity=result.identity,
        subject=subject,
        key=result.key,
    )


def _severity(rule_id: str, default: Severity, status: Status, policy: Policy) -> Severity:
    """An explicit per-rule setting wins; otherwise unknowns follow `on_unknown`."""
    setting = policy.rules.get(rule_id)
    if setting is not None and setting != "off":
        return Severity(setting)
    if status is Status.UNKNOWN:
        return _UNKNOWN_SEVERITY[policy.on_unknown]
    return default


def within_regions(posture: Posture, regions: tuple[str, ...]) -> Posture:
    """Drop live entities of regions outside the policy scope (sources without regions keep all)."""
    if not regions:
        return posture

    def keep(region: str | None) -> bool:
        return region is None or any(fnmatchcase(region, pattern) for pattern in regions)

    return replace(
        posture,
        identities=tuple(i for i in posture.identities if keep(i.region)),
        configuration_sets=tuple(c for c in posture.configuration_sets if keep(c.region)),
        event_destinations=tuple(d for d in posture.event_destinations if keep(d.region)),
        topics=tuple(t for t in posture.topics if keep(t.region)),
        alarms=tuple(a for a in posture.alarms if keep(a.region)),
    )


def _from_policy(waiver: Waiver) -> _AnyWaiver:
    return _AnyWaiver(
        rule=waiver.rule,
        resource=waiver.resource,
        identity=waiver.identity,
        reason=waiver.reason,
        expires=waiver.expires,
        location=Location(file=waiver.file, line=waiver.line),
        inline=False,
    )


def _from_inline(waiver: InlineWaiver) -> _AnyWaiver:
    return _AnyWaiver(
        rule=waiver.rule,
        resource=waiver.resource,
        identity=None,
        reason=waiver.reason,
        expires=date.fromisoformat(waiver.expires) if waiver.expires else None,
        location=waiver.location,
        inline=True,
    )


def _apply_waivers(
    findings: list[Finding], waivers: list[_AnyWaiver], policy: Policy, rules: Sequence[Rule], today: date
) -> list[Finding]:
    active = [w for w in waivers if w.expires is None or w.expires >= today]
    expired = [w for w in waivers if w.expires is not None and w.expires < today]
    out: list[Finding] = []
    for finding in findings:
        waiver = next((w for w in active if w.covers(finding)), None)
        if waiver is not None:
            expires = waiver.expires.isoformat() if waiver.expires else None
            finding = replace(finding, waived=True, waiver_reason=waiver.reason, waiver_expires=expires)
        out.append(finding)
    if policy.rules.get(EXPIRED_WAIVER) != "off":
        default = next((r.meta.severity for r in rules if r.id == EXPIRED_WAIVER), Severity.ERROR)
        for waiver in expired:
            where = "inline waiver" if waiver.inline else "policy waiver"
            result = Result(
                status=Status.FAIL,
                resource=waiver.resource,
                message=(
                    f"{where} for {waiver.rule} on {waiver.resource} expired on {waiver.expires}"
                    f" (reason was: {waiver.reason}); fix the finding or renew the waiver"
                ),
                location=waiver.location,
                key=waiver.rule,
            )
            out.append(_finding(EXPIRED_WAIVER, default, result, policy))
    return out


def finding_key(f: Finding) -> FindingKey:
    """What makes two verdicts the same: kept by waivers, baselines and fingerprints."""
    return (f.rule, f.status, f.resource, f.message, f.location, f.identity)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """The same verdict reached twice (a module judged through two callers) is reported once."""
    seen: set[FindingKey] = set()
    out: list[Finding] = []
    for f in findings:
        key = finding_key(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def sort_key(finding: Finding) -> tuple[object, ...]:
    loc = finding.location
    return (loc.file or "", loc.line or 0, str(loc), finding.rule, finding.resource, finding.message)


def failing(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """Does any finding that counts reach the `--fail-on` threshold? (None: never fail.)"""
    if fail_on is None:
        return False
    return any(f.counts and f.severity.rank >= fail_on.rank for f in findings)
