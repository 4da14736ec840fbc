"""Small helpers shared by rules: turning unknown values into unknown results, scope, names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from seslint.findings import Result, Status
from seslint.model import (
    Identity,
    IdentityKind,
    Location,
    Posture,
    Ref,
    SourceKind,
    Template,
    Unknown,
    after_apply,
)
from seslint.rules.base import Context


def why_unknown(value: object) -> str | None:
    """None when the value is known; else the reason it is not (for the finding's message)."""
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Ref):
        return after_apply(value)
    if isinstance(value, Template):
        unknowns = value.unknowns
        if unknowns:
            return unknowns[0].reason
        return after_apply(value)
    if isinstance(value, tuple):
        for item in value:
            reason = why_unknown(item)
            if reason is not None:
                return reason
    return None


def if_it_exists(result: Result, absent: Mapping[str, Unknown]) -> Result:
    """A fail about an identity, configuration set or topic that may not exist (its count/for_each is
    not known) is unknown: it holds only if the entity exists."""
    return if_present(result, absent.get(result.resource))


def if_present(result: Result, presence: Unknown | None) -> Result:
    """A fail that holds only if something that may not exist does (`presence` says why not known)."""
    if presence is None or result.status is not Status.FAIL:
        return result
    return replace(result, status=Status.UNKNOWN, message=f"{presence.reason}; if it does: {result.message}")


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
    """The identity as a message names it: its name, or its resource address when the name is not known."""
    return called(identity.name, identity.address)


def called(name: object, address: str) -> str:
    """An entity as a message names it: its name when known, else its resource address (never an
    'unknown (...)' in the middle of a sentence; the reason belongs after the colon)."""
    return name if isinstance(name, str) else address


def enabled(ctx: Context, section: str, key: str, default: object = True) -> bool:
    """Is a boolean/enum requirement switched on? false, "none", "optional", "use_default" switch it off."""
    value = ctx.setting(section, key, default)
    return value not in (False, None, "none", "optional", "use_default")


ACCOUNT_SUPPRESSION = "aws_sesv2_account_suppression_attributes"  # the resource when none is declared


def account_resource(posture: Posture) -> str:
    """How account-level findings name the account: `account ID REGION` live, `account` otherwise."""
    account = posture.account
    if account is not None and account.account_id:
        return f"account {account.account_id} {account.region or ''}".strip()
    return f"account {posture.regions[0]}" if posture.regions else "account"


# Calls whose failure leaves open whether a region holds SES resources.
_LISTINGS = ("sesv2:ListEmailIdentities", "sesv2:ListConfigurationSets")


def unused_region(posture: Posture) -> bool:
    """Live: the account has nothing in this region: no identity, no configuration set, and no
    production access, all three read. Nothing sends from such a region, so what guards sending
    (alarms, production access) is not asked of it; `audit --all-regions` would otherwise fail every
    region the account never used. A Terraform tree without SES is exempted by the rules themselves."""
    account = posture.account
    if posture.source is not SourceKind.AWS or account is None:
        return False
    if posture.identities or posture.configuration_sets or account.production_access is not False:
        return False
    return not any(f.what in _LISTINGS for f in posture.failures)
