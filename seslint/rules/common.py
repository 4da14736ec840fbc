"""Small helpers shared by rules: turning unknown values into unknown results, scope, names."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Status
from seslint.model import Identity, IdentityKind, Location, Ref, Template, Unknown, describe
from seslint.rules.base import Context


def why_unknown(value: object) -> str | None:
    """None when the value is known; else the reason it is not (for the finding's message)."""
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Ref):
        return f"{value} is known only after apply"
    if isinstance(value, Template):
        unknowns = value.unknowns
        if unknowns:
            return unknowns[0].reason
        return f"{value} is known only after apply"
    if isinstance(value, tuple):
        for item in value:
            reason = why_unknown(item)
            if reason is not None:
                return reason
    return None


def label(identity: Identity) -> str | None:
    """The identity's name for Result.identity (only when it is known)."""
    return identity.name if isinstance(identity.name, str) else None


def fail(identity: Identity, message: str, location: Location | None = None) -> Result:
    return Result(Status.FAIL, identity.address, message, location or identity.location, label(identity))


def unknown(identity: Identity, what: str, reason: str, location: Location | None = None) -> Result:
    return Result(
        Status.UNKNOWN,
        identity.address,
        f"{what} could not be verified: {reason}",
        location or identity.location,
        label(identity),
    )


def identities(
    posture_identities: tuple[Identity, ...], ctx: Context, *, domains_only: bool = False
) -> Iterator[Identity]:
    for identity in posture_identities:
        if domains_only and identity.kind is not IdentityKind.DOMAIN:
            continue
        if ctx.in_scope(identity.name):
            yield identity


def name_of(identity: Identity) -> str:
    return describe(identity.name)


def enabled(ctx: Context, section: str, key: str, default: object = True) -> bool:
    """Is a boolean/enum requirement switched on? false, "none", "optional", "use_default" switch it off."""
    value = ctx.setting(section, key, default)
    return value not in (False, None, "none", "optional", "use_default")
