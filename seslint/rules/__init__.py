"""The rule registry: every rule module, listed explicitly (no registration by import side effect)."""

from __future__ import annotations

from seslint.rules import (
    account,
    alarms,
    configuration_sets,
    dkim,
    dmarc,
    feedback,
    identity,
    mail_from,
    mail_from_dns,
    run,
    spf,
)
from seslint.rules.base import Rule

_MODULES = (
    run,
    identity,
    dkim,
    mail_from,
    mail_from_dns,
    dmarc,
    spf,
    feedback,
    configuration_sets,
    account,
    alarms,
)

ALL_RULES: tuple[Rule, ...] = tuple(sorted((r for m in _MODULES for r in m.RULES), key=lambda r: r.id))
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in ALL_RULES}
RULE_IDS: frozenset[str] = frozenset(RULES_BY_ID)


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; KeyError when there is none."""
    return RULES_BY_ID[rule_id]
