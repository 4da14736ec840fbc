"""Run the rules over postures and turn their results into findings.

The engine owns everything between a rule's verdict and a reporter: severities from the policy,
`on_unknown`, waivers (policy and inline, with expiry -> SES001), rule crashes (-> SES002),
fingerprints and the baseline. Rules never see the policy beyond `Context`.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from fnmatch import fnmatchcase

from seslint.findings import Finding, Result, Severity, Status
from seslint.model import InlineWaiver, Location, Posture, SourceKind
from seslint.policy.model import Policy, Waiver
from seslint.rules.base import Context, Rule

EXPIRED_WAIVER = "SES001"
RULE_CRASHED = "SES002"

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
) -> list[Finding]:
    """Judge every posture with every enabled rule; findings sorted for stable output."""
    context = Context(
        require=policy.require,
        scope_identities=policy.scope_identities,
        scope_regions=policy.scope_regions,
    )
    enabled = [r for r in rules if r.check is not None and policy.rules.get(r.id) != "off"]
    for_source: dict[SourceKind, list[Rule]] = {}
    blank: dict[Posture, list[Outcome]] = {}  # outcomes of the rules on each kind of blank posture
    findings: list[Finding] = []
    inline: list[InlineWaiver] = []
    for posture in postures:
        scoped = _within_regions(posture, policy.scope_regions)
        inline.extend(posture.waivers)
        judging = for_source.get(posture.source)
        if judging is None:
            judging = for_source[posture.source] = [r for r in enabled if posture.source in r.meta.sources]
        kind = _blank_kind(scoped)
        if kind is None:
            outcomes = [_outcome(rule, scoped, context) for rule in judging]
        elif (known := blank.get(kind)) is not None:
            outcomes = known
        else:
            outcomes = blank[kind] = [_outcome(rule, kind, context) for rule in judging]
        for rule, outcome in zip(judging, outcomes, strict=True):
            if isinstance(outcome, Exception) or outcome:
                findings.extend(_findings(rule, outcome, posture, policy, debug))
    waivers = [_from_policy(w) for w in policy.waivers] + [_from_inline(w) for w in inline]
    findings = _apply_waivers(findings, waivers, policy, rules, today)
    return sorted(_dedupe(findings), key=sort_key)


Outcome = list[Result] | Exception  # what a rule said about a posture, or what it raised


def _blank_kind(posture: Posture) -> Posture | None:
    """The posture without its targets when it holds nothing else (a root whose modules map to no SES
    resource): the rules see only what is left, so every such posture of a kind gets the same outcomes
    and they are computed once. None for a posture that holds anything."""
    if posture != Posture(source=posture.source, targets=posture.targets, judges_dns=posture.judges_dns):
        return None
    return Posture(source=posture.source, judges_dns=posture.judges_dns)


def _outcome(rule: Rule, posture: Posture, context: Context) -> Outcome:
    assert rule.check is not None
    try:
        return list(rule.check(posture, context))
    except Exception as exc:  # a rule bug must not stop the run: it becomes SES002
        return exc


def _findings(rule: Rule, outcome: Outcome, posture: Posture, policy: Policy, debug: bool) -> list[Finding]:
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
        return [_finding(RULE_CRASHED, Severity.ERROR, crash, policy)]
    return [_finding(rule.id, rule.meta.severity, r, policy) for r in outcome]


def _finding(rule_id: str, default: Severity, result: Result, policy: Policy) -> Finding:
    return Finding(
        rule=rule_id,
        severity=_severity(rule_id, default, result.status, policy),
        status=result.status,
        resource=result.resource,
        message=result.message,
        location=result.location,
        identity=result.identity,
        fingerprint=_fingerprint(rule_id, result),
    )


def _severity(rule_id: str, default: Severity, status: Status, policy: Policy) -> Severity:
    """An explicit per-rule setting wins; otherwise unknowns follow `on_unknown`."""
    setting = policy.rules.get(rule_id)
    if setting is not None and setting != "off":
        return Severity(setting)
    if status is Status.UNKNOWN:
        return _UNKNOWN_SEVERITY[policy.on_unknown]
    return default


def _within_regions(posture: Posture, regions: tuple[str, ...]) -> Posture:
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
            finding = replace(finding, waived=True, waiver_reason=waiver.reason)
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
            )
            out.append(_finding(EXPIRED_WAIVER, default, result, policy))
    return out


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """The same verdict reached twice (a module judged through two callers) is reported once."""
    seen: set[tuple[object, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.rule, f.status, f.resource, f.message, f.location, f.identity)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def fingerprint(finding: Finding) -> str:
    """Identity of a finding that survives moved lines: rule, resource, identity, file and message.

    The line is left out on purpose (an edit above a resource must not make old findings new); the
    resource and message are in, so a new violation of the same rule elsewhere is a new fingerprint.
    Waivers and baselines do not change it: it is computed when the finding is made.
    """
    return _fingerprint(finding.rule, finding)


def _fingerprint(rule_id: str, result: Result | Finding) -> str:
    loc = result.location
    where = loc.file or loc.arn or loc.address or loc.name or ""
    text = "\x1f".join((rule_id, result.resource, result.identity or "", where, result.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def sort_key(finding: Finding) -> tuple[object, ...]:
    loc = finding.location
    return (loc.file or "", loc.line or 0, str(loc), finding.rule, finding.resource, finding.message)


def failing(findings: Iterable[Finding], fail_on: Severity | None) -> bool:
    """Does any finding that counts reach the `--fail-on` threshold? (None: never fail.)"""
    if fail_on is None:
        return False
    return any(f.counts and f.severity.rank >= fail_on.rank for f in findings)
