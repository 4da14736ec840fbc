"""Run an audit: sessions, accounts, regions, concurrency, snapshots."""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from seslint import __version__
from seslint.errors import InputError, UsageError
from seslint.model import Posture
from seslint.sources.aws.calls import Recorder, collect_region, guard
from seslint.sources.aws.mapping import build

SNAPSHOT_FORMAT = 1
MAX_WORKERS = 8
NOT_ENABLED = ("UnrecognizedClientException", "InvalidClientTokenId", "OptInRequired", "AuthFailure")


def _session(profile: str | None) -> Any:
    import boto3
    import botocore.exceptions

    try:
        return boto3.Session(profile_name=profile)
    except botocore.exceptions.ProfileNotFound:
        raise UsageError(f"--profile {profile}: no such AWS profile") from None


def _config() -> Any:
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "max_attempts": 8},
        connect_timeout=5,
        read_timeout=20,
        user_agent_extra=f"seslint/{__version__}",
    )


def _assume(session: Any, role_arn: str, external_id: str | None) -> Any:
    import boto3

    sts = guard(session.client("sts", config=_config()))
    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": "seslint-audit"}
    if external_id:
        params["ExternalId"] = external_id
    credentials = sts.assume_role(**params)["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def _regions(session: Any, regions: list[str], all_regions: bool) -> list[str]:
    if all_regions:
        return sorted(session.get_available_regions("sesv2"))
    if regions:
        return regions
    if session.region_name:
        return [session.region_name]
    raise UsageError("no region: pass --region, --all-regions, or set one in the AWS profile")


def _unit(session: Any, account: str, region: str, progress: bool) -> dict[str, Any]:
    config = _config()
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
    recorder.calls.clear()
    collect_region(recorder)
    if progress:
        print(f"seslint: {account} {region}: {recorder.count} calls", file=sys.stderr)
    return {"account": account, "region": region, "calls": recorder.calls, "api_calls": recorder.count + 1}


def run_audit(
    profile: str | None,
    regions: list[str],
    all_regions: bool,
    roles: list[str],
    external_id: str | None,
    progress: bool,
) -> dict[str, Any]:
    base = _session(profile)
    sessions = [(base, None)] if not roles else [(_assume(base, role, external_id), role) for role in roles]
    units: list[tuple[Any, str, str]] = []
    for session, _role in sessions:
        sts = guard(session.client("sts", config=_config()))
        account = sts.get_caller_identity()["Account"]
        for region in _regions(session if session.region_name else base, regions, all_regions):
            units.append((session, account, region))
    with ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        results = list(pool.map(lambda u: _unit(u[0], u[1], u[2], progress), units))
    return {
        "seslint_snapshot": SNAPSHOT_FORMAT,
        "tool_version": __version__,
        "taken_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "units": [r for r in results if "skipped" not in r],
        "skipped": [{k: r[k] for k in ("account", "region", "skipped")} for r in results if "skipped" in r],
    }


def load_snapshot(path: str) -> dict[str, Any]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such snapshot file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read snapshot: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not a seslint snapshot: {exc.msg}") from None
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
    return document


def postures(snapshot: dict[str, Any], judges_dns: bool = False) -> list[Posture]:
    out = []
    for unit in snapshot["units"]:
        try:
            out.append(build(unit["calls"], unit["region"], unit["account"], judges_dns))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(
                f"snapshot unit {unit['account']}/{unit['region']}: malformed response ({exc})"
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
