"""The posture matrix: a cell passes only where its control's rules ran and found nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

from seslint import engine, posture_matrix
from seslint.model import Posture, SourceKind, TlsPolicy
from seslint.policy.loader import load_policy
from seslint.policy.model import Policy, Waiver
from seslint.rules import ALL_RULES, RULE_IDS, RULES_BY_ID
from seslint.rules.base import Context, Rule
from tests.rules import builders

STRICT = load_policy("strict", cwd=Path.cwd(), known_rules=RULE_IDS)
COLUMNS = [
    "verified",
    "dkim_signing",
    "dkim_records",
    "mail_from",
    "spf",
    "dmarc",
    "feedback",
    "configuration_set",
    "tls",
    "reputation",
    "alarms",
    "account",
]


def matrix(
    postures: list[Posture], policy: Policy = STRICT, rules: tuple[Rule, ...] = ALL_RULES
) -> tuple[posture_matrix.Matrix, list[str]]:
    origins: dict[engine.FindingKey, set[int]] = {}
    findings = engine.run(postures, policy, rules, today=date(2026, 1, 1), origins=origins)
    built = posture_matrix.build(postures, policy, rules, findings, origins)
    return built, [f"{f.rule} {f.resource}" for f in findings]


def cells(built: posture_matrix.Matrix) -> dict[str, dict[str, str]]:
    keys = [c.key for c in built.columns]
    return {
        f"{row.label} @ {row.where}": {k: c.status.value for k, c in zip(keys, row.cells, strict=True)}
        for row in built.rows
    }


def row(**changes: str) -> dict[str, str]:
    base = dict.fromkeys(COLUMNS[:10], "pass") | {"alarms": "n/a", "account": "n/a"}
    return base | changes


ACCOUNT_ROW = dict.fromkeys(COLUMNS[:10], "n/a") | {"alarms": "pass", "account": "pass"}


def good_alarms(posture: Posture) -> Posture:
    alarms = tuple(
        replace(a, threshold=0.0005 if "Complaint" in str(a.metric) else 0.02) for a in posture.alarms
    )
    return replace(posture, alarms=alarms, targets=("infra",))


def test_compliant_posture_passes_every_required_control() -> None:
    built, findings = matrix([good_alarms(builders.posture())])
    assert findings == []
    assert [c.key for c in built.columns] == COLUMNS
    assert cells(built) == {"example.com @ infra": row(), "account-level settings @ infra": ACCOUNT_ROW}
    assert built.groups == ()


def test_a_set_finding_counts_for_the_identities_that_send_through_it() -> None:
    base = good_alarms(builders.posture())
    weak = replace(base.configuration_sets[0], tls_policy=TlsPolicy.OPTIONAL)
    built, findings = matrix([replace(base, configuration_sets=(weak,))])
    assert findings == [f"SES201 {builders.SET}"]
    assert cells(built)["example.com @ infra"] == row(tls="fail")
    tls = built.rows[0].cells[COLUMNS.index("tls")]
    assert tls.findings == (0,)
    # The finding is listed once, under the set (not the identity), where the cell links to.
    assert [(g.title, g.findings) for g in built.groups] == [(builders.SET, (0,))]


def test_without_a_default_set_every_set_counts() -> None:
    base = good_alarms(builders.posture())
    setless = replace(base.identities[0], configuration_set=None)
    weak = replace(base.configuration_sets[0], tls_policy=TlsPolicy.OPTIONAL)
    built, findings = matrix([replace(base, identities=(setless,), configuration_sets=(weak,))])
    assert sorted(findings) == [
        f"SES140 {builders.ID}",
        f"SES141 {builders.ID}",
        f"SES200 {builders.ID}",
        f"SES201 {builders.SET}",
    ]
    # The set's TLS counts for the identity, which may send through any set.
    assert cells(built)["example.com @ infra"] == row(configuration_set="fail", tls="fail", feedback="fail")


def test_dns_controls_are_not_applicable_where_dns_was_not_read() -> None:
    live = replace(
        good_alarms(builders.posture()),
        source=SourceKind.AWS,
        judges_dns=False,
        dns_records=(),
        account=builders.account(),
    )
    built, _ = matrix([live])
    assert cells(built)["example.com @ infra"] == row(
        dkim_records="n/a", spf="n/a", dmarc="n/a", mail_from="pass"
    )


def test_a_rule_that_crashed_leaves_its_control_unknown() -> None:
    def boom(posture: Posture, ctx: Context) -> Iterator[object]:
        raise RuntimeError("bug")

    rules = tuple(Rule(r.meta, boom) if r.id == "SES202" else r for r in ALL_RULES)
    built, findings = matrix([good_alarms(builders.posture())], rules=rules)
    assert findings == ["SES002 SES202"]
    assert cells(built)["example.com @ infra"] == row(reputation="unknown")


def test_waived_and_off() -> None:
    base = good_alarms(builders.posture())
    unverified = replace(base, identities=(replace(base.identities[0], verified=False),))
    waived = replace(
        STRICT,
        waivers=(Waiver(rule="SES101", reason="OPS-7", resource="*", expires=date(2026, 3, 1)),),
        rules={**STRICT.rules, "SES202": "off"},
    )
    built, findings = matrix([unverified], policy=waived)
    assert findings == [f"SES101 {builders.ID}"]
    assert "reputation" not in [c.key for c in built.columns]  # the policy turned its only rule off
    assert cells(built)["example.com @ infra"] == {
        k: v for k, v in row(verified="waived").items() if k != "reputation"
    }


def test_same_address_in_two_roots_stays_apart() -> None:
    good = good_alarms(builders.posture())
    bad_identity = replace(good.identities[0], verified=False)
    other = replace(good, identities=(bad_identity,), targets=("other",))
    built, _ = matrix([good, other])
    assert cells(built)["example.com @ infra"] == row()
    assert cells(built)["example.com @ other"] == row(verified="fail")


def test_scope_out_identities_are_no_rows() -> None:
    """An identity out of the policy's scope is not judged, so it gets no row (no false passes); one
    the scope names but the source lacks gets a row of its own, failing verification (SES100)."""
    scoped = replace(STRICT, scope_identities=("mail.example.org",))
    built, findings = matrix([good_alarms(builders.posture())], policy=scoped)
    assert findings == ["SES100 mail.example.org"]
    assert list(cells(built)) == ["account-level settings @ infra", "mail.example.org @ infra"]
    assert cells(built)["mail.example.org @ infra"] == dict.fromkeys(COLUMNS, "n/a") | {"verified": "fail"}


def test_every_control_names_rules_that_exist() -> None:
    named = [rule for control in posture_matrix.CONTROLS for rule in control.rules]
    assert len(named) == len(set(named)) and set(named) <= set(RULES_BY_ID)
