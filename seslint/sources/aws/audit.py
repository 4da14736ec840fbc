"""Run an audit: sessions, accounts, regions, concurrency, snapshots."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from seslint import __version__
from seslint.bounded import input_json
from seslint.errors import InputError, UsageError
from seslint.model import Posture
from seslint.sources.aws.calls import Recorder, collect_region, guard
from seslint.sources.aws.mapping import build
from seslint.untrusted import say

SNAPSHOT_FORMAT = 1
MAX_SNAPSHOT_BYTES = 1024 * 1024 * 1024
MAX_WORKERS = 8
TIMEOUT = 20.0  # default of --timeout: seconds one attempt of an API call may wait for its answer
CONNECT_TIMEOUT = 5.0  # seconds to open the connection (or --timeout, if shorter)
ATTEMPTS = 9  # tries of each call (8 retries), unless AWS_MAX_ATTEMPTS or max_attempts says otherwise
NOT_ENABLED = ("UnrecognizedClientException", "InvalidClientTokenId", "OptInRequired", "AuthFailure")


def _session(profile: str | None) -> Any:
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile)
    except botocore.exceptions.ProfileNotFound:
        raise UsageError(f"--profile {profile}: no such AWS profile") from None


def _config(timeout: float, attempts: int, region: str | None = None) -> Any:
    """Adaptive retries; each attempt waits `timeout` seconds at most, so a dead region ends.
    `region`: for the clients created without one (STS) when the profile names none."""
    from botocore.config import Config

    return Config(
        region_name=region,
        retries={"mode": "adaptive", "total_max_attempts": attempts},
        connect_timeout=min(CONNECT_TIMEOUT, timeout),
        read_timeout=timeout,
        user_agent_extra=f"seslint/{__version__}",
    )


def _attempts(session: Any) -> int:
    """The AWS setting (AWS_MAX_ATTEMPTS, or max_attempts in the profile) when there is one.

    An explicit retry count in a client Config overrides it in botocore, so it is read here: the
    sessions of assumed roles carry no profile, and all of them use the base session's value.
    """
    configured = session._session.get_config_variable("max_attempts")
    return max(1, int(configured)) if configured is not None else ATTEMPTS


def _assume(session: Any, role_arn: str, external_id: str | None, config: Any) -> Any:
    """A session in the role, or the failed call's record (the snapshot keeps it as evidence)."""
    import boto3

    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": "seslint-audit"}
    if external_id:
        params["ExternalId"] = external_id
    try:
        credentials = guard(session.client("sts", config=config)).assume_role(**params)["Credentials"]
    except Exception as exc:
        return _failed_call("AssumeRole", {"RoleArn": role_arn}, exc)
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def _account(session: Any, config: Any) -> str | dict[str, Any]:
    """The session's account id, or the failed call's record."""
    try:
        return str(guard(session.client("sts", config=config)).get_caller_identity()["Account"])
    except Exception as exc:
        return _failed_call("GetCallerIdentity", {}, exc)


def _failed_call(
    operation: str, params: dict[str, Any], exc: Exception, service: str = "sts"
) -> dict[str, Any]:
    from seslint.sources.aws.calls import error_record

    return {"service": service, "operation": operation, "params": params, "error": error_record(exc)}


def _said(entry: dict[str, Any]) -> str:
    from seslint.sources.aws.calls import said

    return said(entry["error"])


def _regions(session: Any, regions: list[str], all_regions: bool) -> list[str]:
    if all_regions:
        return sorted(session.get_available_regions("sesv2"))
    if regions:
        return regions
    if session.region_name:
        return [session.region_name]
    raise UsageError("no region: pass --region, --all-regions, or set one in the AWS profile")


def _unit(session: Any, account: str, region: str, progress: bool, config: Any) -> dict[str, Any]:
    cache: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in cache:
            cache[service] = guard(session.client(service, region_name=region, config=config))
        return cache[service]

    recorder = Recorder(region=region, clients=client)
    first = recorder.call("sesv2", "GetAccount")
    error = recorder.calls[0].get("error", {}) if recorder.calls else {}
    if first is None and error.get("code") in NOT_ENABLED:
        return {
            "account": account,
            "region": region,
            "skipped": f"SES is not enabled in this region ({error['code']})",
            "calls": [],
            "api_calls": recorder.count,
        }
    collect_region(recorder)  # keeps the GetAccount answer it starts with
    if progress:
        say(f"seslint: {account} {region}: {recorder.count} calls")
    return {"account": account, "region": region, "calls": recorder.calls, "api_calls": recorder.count}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _own_account(session: Any, config: Any) -> str:
    account = _account(session, config)
    if isinstance(account, dict):
        raise UsageError(f"cannot identify the AWS account (sts:GetCallerIdentity): {_said(account)}")
    return account


class _Plan:
    """The (session, account, region) units to audit, and the accounts that could not be entered."""

    def __init__(self, base: Any, regions: list[str], config: Any) -> None:
        self.base, self.regions, self.config = base, regions, config
        self.units: list[tuple[Any, str, str]] = []
        self.failed: list[dict[str, Any]] = []
        self.skipped: list[dict[str, str]] = []

    def session(self, session: Any, account: str) -> None:
        self.units += [(session, account, region) for region in self.regions]

    def roles(self, roles: list[str], external_id: str | None) -> None:
        """Assume each role (concurrently); a role that cannot be assumed is that account's SES003 and
        the other accounts are audited."""

        def enter(role: str) -> tuple[Any, str | dict[str, Any]]:
            session = _assume(self.base, role, external_id, self.config)
            return session, _account(session, self.config) if not isinstance(session, dict) else session

        with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
            entered = list(pool.map(enter, roles))
        for role, (session, account) in zip(roles, entered, strict=True):
            if isinstance(account, dict):
                self.unreadable(role, account)
            else:
                self.session(session, account)

    def unreadable(self, account: str, call: dict[str, Any]) -> None:
        self.failed += [
            {"account": account, "region": r, "calls": [call], "api_calls": 1} for r in self.regions
        ]


def run_audit(
    profile: str | None,
    regions: list[str],
    all_regions: bool,
    roles: list[str],
    external_id: str | None,
    progress: bool,
    timeout: float = TIMEOUT,
    organization_role: str | None = None,
) -> dict[str, Any]:
    started = _now()
    base = _session(profile)
    if base.get_credentials() is None:
        raise UsageError(
            "no AWS credentials found: use --profile, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            "or run where an instance or task role is available"
        )
    # STS needs a region even when the profile has none: the first one audited, else us-east-1.
    sts_region = None if base.region_name else (regions[0] if regions else "us-east-1")
    config = _config(timeout, _attempts(base), sts_region)  # one for every client of the run
    plan = _Plan(base, _regions(base, regions, all_regions), config)
    organization: dict[str, Any] | None = None
    if organization_role is not None:
        from seslint.sources.aws.organization import enter

        organization = enter(plan, organization_role, external_id, _own_account(base, config))
    elif not roles:
        plan.session(base, _own_account(base, config))
    plan.roles(roles, external_id)
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = list(pool.map(lambda u: _unit(u[0], u[1], u[2], progress, config), plan.units))
    results += plan.failed
    snapshot = {
        "seslint_snapshot": SNAPSHOT_FORMAT,
        "tool_version": __version__,
        "started_at": started,
        "taken_at": _now(),
        "units": [r for r in results if "skipped" not in r],
        "skipped": [{k: r[k] for k in ("account", "region", "skipped")} for r in results if "skipped" in r]
        + plan.skipped,
    }
    if organization is not None:
        snapshot["organization"] = organization
    return snapshot


def load_snapshot(path: str) -> dict[str, Any]:
    document = input_json(path, MAX_SNAPSHOT_BYTES, "snapshot")
    if not isinstance(document, dict) or document.get("seslint_snapshot") != SNAPSHOT_FORMAT:
        raise InputError(f'{path}: not a seslint snapshot (no "seslint_snapshot": {SNAPSHOT_FORMAT})')
    units = document.get("units")
    if not isinstance(units, list) or not all(
        isinstance(u, dict)
        and isinstance(u.get("region"), str)
        and isinstance(u.get("account"), str)
        and isinstance(u.get("calls"), list)
        and all(isinstance(c, dict) and isinstance(c.get("operation"), str) for c in u["calls"])
        for u in units
    ):
        raise InputError(f"{path}: units must be a list of {{account, region, calls}} (was the file edited?)")
    from seslint.sources.aws.shapes import problem

    for u, unit in enumerate(units):
        for c, call in enumerate(unit["calls"]):
            if "response" in call:
                where = f"units[{u}].calls[{c}].response"
                found = problem(str(call.get("service")), call["operation"], call["response"], where)
                if found:
                    raise InputError(f"{path}: {found} (was the file edited?)")
    skipped = document.get("skipped", [])
    if not isinstance(skipped, list) or not all(
        isinstance(s, dict) and all(isinstance(s.get(k), str) for k in ("account", "region", "skipped"))
        for s in skipped
    ):
        raise InputError(
            f"{path}: skipped must be a list of {{account, region, skipped}} (was the file edited?)"
        )
    return document


def merge_snapshots(shards: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Shards of one audit (one per account, say, run in parallel) as one snapshot. Two shards that
    both hold an account and region are an error naming both files: the same unit twice is a
    duplicate, different answers for it are a conflict; either way the audit would not be one."""
    if len(shards) == 1:
        return shards[0][1]
    held: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
    units: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for path, snapshot in shards:
        for entry in snapshot["units"]:
            _claim(held, path, entry)
            units.append(entry)
        for entry in snapshot.get("skipped", []):
            _claim(held, path, entry)
            skipped.append(entry)
    units.sort(key=lambda u: (u["account"], u["region"]))
    merged: dict[str, Any] = {
        "seslint_snapshot": SNAPSHOT_FORMAT,
        "tool_version": ", ".join(sorted({str(s.get("tool_version", "?")) for _, s in shards})),
        "started_at": min(str(s.get("started_at") or s.get("taken_at") or "") for _, s in shards),
        "taken_at": max(str(s.get("taken_at") or "") for _, s in shards),
        "units": units,
        "skipped": skipped,
    }
    organizations = [s["organization"] for _, s in shards if isinstance(s.get("organization"), dict)]
    if organizations:
        merged["organization"] = organizations[0]
    return merged


def _claim(held: dict[str, dict[str, tuple[str, dict[str, Any]]]], path: str, entry: dict[str, Any]) -> None:
    """Note that `path` holds this account and region ("*": every region), or raise the clash."""
    account, region = _account_of(entry["account"]), entry["region"]
    regions = held.setdefault(account, {})
    if region == "*":
        clash = next(iter(regions.items()), None)
    else:
        clash = next(((r, regions[r]) for r in (region, "*") if r in regions), None)
    if clash is not None:
        other_region, (other_path, other) = clash
        what = "duplicate" if other == entry else "conflicting"
        shown = region if region != "*" else other_region
        raise InputError(
            f"{other_path} and {path}: {what} shards: both hold account {account} region {shown}; "
            "merge the shards of one audit, each account and region once"
        )
    regions[region] = (path, entry)


def _account_of(account: str) -> str:
    """The account id of a unit: a role that could not be assumed is named by its ARN."""
    parts = account.split(":")
    return parts[4] if account.startswith("arn:") and len(parts) > 4 and parts[4] else account


def facts(snapshot: dict[str, Any], read: list[str], saved: str | None) -> list[tuple[str, str]]:
    """The audit's run metadata for the report: accounts, regions, when, and the snapshots' SHA-256."""
    import hashlib

    units = snapshot["units"]
    skipped = snapshot.get("skipped", [])
    accounts = sorted({_account_of(u["account"]) for u in [*units, *skipped]})
    regions = sorted({u["region"] for u in [*units, *skipped] if u["region"] != "*"})
    out = [
        (f"accounts ({len(accounts)})", ", ".join(accounts) or "-"),
        (f"regions ({len(regions)})", ", ".join(regions) or "-"),
    ]
    organization = snapshot.get("organization")
    if isinstance(organization, dict):
        listed = organization.get("accounts", [])
        active = sum(isinstance(a, dict) and a.get("Status") == "ACTIVE" for a in listed)
        out.append(
            (
                "organization",
                f"role {organization.get('role')}: {len(listed)} accounts listed, {active} active",
            )
        )
    if snapshot.get("started_at"):
        out.append(("audit started", str(snapshot["started_at"])))
    out.append(("audit ended", str(snapshot.get("taken_at", "-"))))
    for label, paths in (("snapshot read", read), ("snapshot saved", [saved] if saved else [])):
        for path in paths:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            out.append((label, f"{path} (SHA-256 {digest})"))
    if skipped:
        out.append(("not audited", "; ".join(skipped_line(s) for s in skipped)))
    return out


def skipped_line(entry: dict[str, Any]) -> str:
    """`ACCOUNT REGION: why` for a unit not audited ("*": an account not audited in any region)."""
    region = "(every region)" if entry["region"] == "*" else entry["region"]
    return f"{entry['account']} {region}: {entry['skipped']}"


def postures(snapshot: dict[str, Any], judges_dns: bool = False, source: str = "live audit") -> list[Posture]:
    """One posture per unit; `source` names the snapshot file in the error for a malformed one."""
    out = []
    for unit in snapshot["units"]:
        try:
            out.append(build(unit["calls"], unit["region"], unit["account"], judges_dns))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"{source}: unit {unit['account']}/{unit['region']}: malformed response "
                f"({str(exc)[:200]}; was the file edited?)"
            ) from None
    return out


def with_dns(posture: Posture, nameserver: str | None) -> Posture:
    from seslint.sources.dns.lookup import Nameserver
    from seslint.sources.dns.observe import observe

    seen = observe(posture.identities, Nameserver.parse(nameserver), 5.0)
    return replace(
        posture,
        dns_records=seen.records,
        dns_lookups=seen.lookups,
        failures=(*posture.failures, *seen.failures),
        judges_dns=True,
    )
