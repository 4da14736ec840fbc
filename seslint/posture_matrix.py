"""The posture matrix of the auditor's report: one row per identity (and per account or root module
for account-level controls), one column per control the policy requires, each cell a verdict.

Findings say only what failed. A cell that says "pass" must mean that the rules behind its control
ran on that identity and found nothing, so the matrix is worked out here, from the postures the rules
judged, the policy, and the engine's findings with the posture each came from (`engine.run(...,
origins=)`): a control is "not applicable" where its rules do not run (a source that cannot judge
them, DNS not read, an email identity for DKIM records), "unknown" where one of them crashed, and a
finding about a configuration set or topic counts for every identity that sends through it.

The result is plain data for the HTML reporter, which stays a pure function of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from seslint import engine
from seslint.findings import Finding, Status
from seslint.model import ConfigurationSet, Identity, IdentityKind, Posture, SourceKind, describe
from seslint.policy.model import Policy
from seslint.rules.base import Context, Rule
from seslint.rules.common import enabled


class Cell(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"
    NOT_APPLICABLE = "n/a"


@dataclass(frozen=True)
class Control:
    key: str
    title: str
    rules: tuple[str, ...]
    required: Callable[[Context], bool]
    account_level: bool = False


def _on(section: str, *keys: str) -> Callable[[Context], bool]:
    return lambda ctx: any(enabled(ctx, section, key) for key in keys)


def _equals(section: str, key: str, wanted: str) -> Callable[[Context], bool]:
    return lambda ctx: ctx.setting(section, key, wanted) == wanted


def _alarms(ctx: Context) -> bool:
    def required(setting: str) -> bool:
        section = ctx.setting("alarms", setting, {})
        return not (isinstance(section, Mapping) and section.get("required") is False)

    return any(enabled(ctx, "alarms", s) and required(s) for s in ("bounce_rate", "complaint_rate"))


def _always(ctx: Context) -> bool:
    return True


# The controls a reviewer asks about, in the order they read; which rules decide each. Long titles
# carry a soft hyphen (U+00AD) where a narrow column may break them.
CONTROLS = (
    Control("verified", "Verified", ("SES100", "SES101"), _on("identity", "verified")),
    Control("dkim_signing", "DKIM signing", ("SES102", "SES104"), _on("dkim", "signing")),
    Control("dkim_records", "DKIM records", ("SES103",), _on("dkim", "dns_records")),
    Control("mail_from", "MAIL FROM", ("SES110", "SES111", "SES112"), _on("mail_from", "enabled")),
    Control("spf", "SPF", ("SES113", "SES130"), _always),
    Control("dmarc", "DMARC", ("SES120", "SES121", "SES122", "SES123"), _on("dmarc", "required")),
    Control(
        "feedback",
        "Bounce & complaint feed\u00adback",
        ("SES140", "SES141", "SES142", "SES143", "SES144", "SES204"),
        lambda ctx: any(ctx.setting("feedback", k, "sns") == "sns" for k in ("bounce", "complaint")),
    ),
    Control("configuration_set", "Configu\u00adration set", ("SES200", "SES203"), _always),
    Control("tls", "TLS", ("SES201",), _equals("configuration_set", "tls", "require")),
    Control(
        "reputation", "Reputa\u00adtion metrics", ("SES202",), _on("configuration_set", "reputation_metrics")
    ),
    Control("alarms", "Alarms", ("SES310", "SES311", "SES312", "SES313", "SES314"), _alarms, True),
    Control("account", "Account status", ("SES300", "SES301", "SES302"), _always, True),
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    rules: tuple[str, ...]
    account_level: bool


@dataclass(frozen=True)
class CellVerdict:
    status: Cell
    findings: tuple[int, ...] = ()  # indexes into the report's findings


@dataclass(frozen=True)
class Row:
    anchor: str
    label: str
    detail: str  # the source's handle: Terraform address, ARN, domain
    where: str  # the root module, account/region or targets the row was judged in
    account_level: bool
    cells: tuple[CellVerdict, ...]


@dataclass(frozen=True)
class Group:
    """Findings shown together: those of one identity, one account, or one other resource."""

    anchor: str
    title: str
    where: str
    handle: str  # the identity's or account's handle (address, ARN), or the other resource's name
    findings: tuple[int, ...]


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    groups: tuple[Group, ...]


@dataclass
class _Draft:
    index: int
    label: str
    detail: str
    where: str
    account_level: bool
    applicable: dict[str, bool]
    hits: dict[str, list[int]] = field(default_factory=dict)
    crashed: dict[str, list[int]] = field(default_factory=dict)


def build(
    postures: Sequence[Posture],
    policy: Policy,
    rules: Iterable[Rule],
    findings: Sequence[Finding],
    origins: Mapping[engine.FindingKey, set[int]],
) -> Matrix:
    ctx = Context(
        require=policy.require,
        scope_identities=policy.scope_identities,
        scope_regions=policy.scope_regions,
    )
    active = {r.id: r for r in rules if r.check is not None and policy.rules.get(r.id) != "off"}
    dns_rules = {r.id for r in active.values() if SourceKind.DNS in r.meta.sources and r.meta.family != "run"}
    columns = tuple(
        Column(c.key, c.title, c.rules, c.account_level)
        for c in CONTROLS
        if c.required(ctx) and any(rule in active for rule in c.rules)
    )
    column_of = {rule: column for column in columns for rule in column.rules}

    def runs(column: Column, posture: Posture) -> bool:
        return any(
            rule in active
            and posture.source in active[rule].meta.sources
            and (rule not in dns_rules or posture.judges_dns)
            for rule in column.rules
        )

    layout = _Layout()
    for index, posture in enumerate(postures):
        scoped = engine.within_regions(posture, policy.scope_regions)
        where = _where(posture.targets)
        relations = _Relations(scoped)
        for identity in scoped.identities:
            if not ctx.in_scope(identity.name):
                continue
            applicable = {
                c.key: not c.account_level and runs(c, scoped) and _applies(c.key, identity, scoped)
                for c in columns
            }
            layout.add_identity(index, identity, relations, where, applicable)
        if _has_account_level(scoped):
            applicable = {c.key: c.account_level and runs(c, scoped) for c in columns}
            if any(applicable.values()):
                layout.add_account(index, scoped, where, applicable)
    for position, finding in enumerate(findings):
        sources = sorted(origins.get(engine.finding_key(finding), ()))
        layout.place(position, finding, sources, column_of)
    return Matrix(columns, layout.rows(columns, findings), layout.groups(findings))


def _where(targets: tuple[str, ...]) -> str:
    """What a posture was read from, short: `seslint dns` reads every domain of a run into one."""
    return ", ".join(targets) if len(targets) <= 3 else f"{targets[0]} and {len(targets) - 1} more"


def _has_account_level(posture: Posture) -> bool:
    return bool(posture.identities or posture.account is not None or posture.alarms)


def _applies(column: str, identity: Identity, posture: Posture) -> bool:
    """False where the control's rules skip this identity by design (so silence is no pass)."""
    email = identity.kind is IdentityKind.EMAIL
    if column == "verified":
        return identity.verified is not None
    if column == "dkim_records":
        dkim = identity.dkim
        return not email and dkim is not None and dkim.declared and dkim.signing_enabled is not False
    if column == "mail_from":
        return not email or identity.mail_from is not None
    if column == "spf":
        # SPF is required on the MAIL FROM domain; without one, SES's own passes (and a broken record
        # on the domain is a finding, which shows whatever this says).
        return identity.mail_from is not None and identity.mail_from.domain is not None
    if column in ("tls", "reputation"):
        return bool(_sets_of(identity, posture))
    return True


def _sets_of(identity: Identity, posture: Posture) -> tuple[ConfigurationSet, ...]:
    """The configuration sets an identity's mail goes through: its default set, or, without one
    (or one that cannot be resolved), any set a sender may name."""
    own = _default_set(identity, posture)
    return (own,) if own is not None else posture.configuration_sets


def _default_set(identity: Identity, posture: Posture) -> ConfigurationSet | None:
    if identity.configuration_set is None:
        return None
    return posture.configuration_set_named(identity.configuration_set)


class _Relations:
    """Which resources' findings count for an identity of one posture: itself, its notification
    topics, and its configuration sets with their event destinations and topics. Worked out once per
    set, so thousands of identities over hundreds of sets stay linear."""

    def __init__(self, posture: Posture) -> None:
        self.posture = posture
        self.by_set: dict[str, set[str]] = {}
        self._any: set[str] | None = None

    def topics(self, refs: Iterable[object]) -> set[str]:
        names: set[str] = set()
        for ref in refs:
            if ref is None:
                continue
            names.add(str(ref))
            topic = self.posture.topic_for(ref)
            if topic is not None:
                names.add(topic.address)
        return names

    def of_set(self, cset: ConfigurationSet) -> set[str]:
        if cset.address not in self.by_set:
            destinations = list(self.posture.destinations_of(cset))
            self.by_set[cset.address] = (
                {cset.address}
                | {d.address for d in destinations}
                | self.topics(d.sns_topic for d in destinations)
            )
        return self.by_set[cset.address]

    def any_set(self) -> set[str]:
        """What every set of the posture names: the sets of an identity without a default set."""
        if self._any is None:
            self._any = set().union(*(self.of_set(c) for c in self.posture.configuration_sets))
        return self._any

    def own(self, identity: Identity) -> set[str]:
        """The identity, its notification topics and, when it has one, its default set's resources."""
        notes = identity.notifications
        names = {identity.address} | self.topics((notes.bounce, notes.complaint) if notes else ())
        cset = _default_set(identity, self.posture)
        return names | self.of_set(cset) if cset is not None else names


class _Layout:
    """Rows and groups as they are built: postures first, then each finding placed."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.by_resource: dict[tuple[int, str], list[_Draft]] = {}
        self.owner: dict[tuple[int, str], _Draft] = {}  # identity address or account ARN -> row
        self.account: dict[int, _Draft] = {}
        self.identity_rows: dict[int, list[_Draft]] = {}
        self.where: dict[int, str] = {}
        self.grouped: dict[int, list[int]] = {}  # draft index -> findings
        self.others: dict[tuple[str, str], list[int]] = {}  # (where, resource) -> findings
        self.named: dict[tuple[int, str], list[_Draft]] = {}  # identity rows by label
        self.setless: dict[int, list[_Draft]] = {}  # identities without a (known) default set
        self.any_set: dict[int, set[str]] = {}  # what the sets of the posture name

    def _draft(
        self, label: str, detail: str, where: str, account: bool, applicable: dict[str, bool]
    ) -> _Draft:
        draft = _Draft(len(self.drafts), label, detail, where, account, applicable)
        self.drafts.append(draft)
        return draft

    def add_identity(
        self, index: int, identity: Identity, relations: _Relations, where: str, applicable: dict[str, bool]
    ) -> None:
        draft = self._draft(describe(identity.name), identity.address, where, False, applicable)
        self.where[index] = where
        self.named.setdefault((index, draft.label), []).append(draft)
        self.identity_rows.setdefault(index, []).append(draft)
        self.owner[(index, identity.address)] = draft
        for name in relations.own(identity):
            self.by_resource.setdefault((index, name), []).append(draft)
        if _default_set(identity, relations.posture) is None:
            # Its mail may go through any set: findings of every set count for it (looked up by
            # set, not copied to each such identity).
            self.setless.setdefault(index, []).append(draft)
            self.any_set[index] = relations.any_set()

    def add_account(self, index: int, posture: Posture, where: str, applicable: dict[str, bool]) -> None:
        account = posture.account
        if account is not None and account.account_id:
            label = f"account {account.account_id} {account.region or ''}".strip()
        else:
            label = "account-level settings"
        detail = (account.location.arn or "") if account is not None else ""
        draft = self._draft(label, detail, where, True, applicable)
        self.where[index] = where
        self.account[index] = draft
        if account is not None and account.location.arn:
            self.owner[(index, account.location.arn)] = draft

    def place(
        self, position: int, finding: Finding, sources: list[int], column_of: Mapping[str, Column]
    ) -> None:
        owners: list[_Draft] = []
        for index in sources:
            column = column_of.get(finding.rule)
            if finding.rule == engine.RULE_CRASHED:
                self._crashed(index, finding.resource, position, column_of)
            elif column is not None:
                for draft in self._cells_for(index, finding, column):
                    draft.hits.setdefault(column.key, []).append(position)
            owner = self._owner(index, finding, column)
            if owner is not None and owner not in owners:
                owners.append(owner)
        if owners:
            for owner in owners:
                self.grouped.setdefault(owner.index, []).append(position)
        else:
            where = ", ".join(self.where.get(i, "") for i in sources if self.where.get(i))
            self.others.setdefault((where, finding.resource), []).append(position)

    def _cells_for(self, index: int, finding: Finding, column: Column) -> list[_Draft]:
        if column.account_level:
            account = self.account.get(index)
            return [account] if account is not None else []
        rows = list(self.by_resource.get((index, finding.resource), []))
        if finding.resource in self.any_set.get(index, ()):
            rows += [d for d in self.setless.get(index, []) if d not in rows]
        if not rows and finding.identity is not None:
            rows = self.named.get((index, finding.identity), [])
        if not rows and finding.identity is not None:
            # An identity the policy names but the source does not hold (SES100): a row of its own.
            draft = self._draft(finding.identity, "not found", self.where.get(index, ""), False, {})
            self.named[(index, finding.identity)] = [draft]
            self.identity_rows.setdefault(index, []).append(draft)
            self.owner[(index, finding.resource)] = draft
            rows = [draft]
        return rows

    def _owner(self, index: int, finding: Finding, column: Column | None) -> _Draft | None:
        """The row whose group lists the finding: an account-level control's account, else the
        identity (or account) the finding's resource or ARN names."""
        if column is not None and column.account_level and index in self.account:
            return self.account[index]
        for handle in (finding.resource, finding.location.arn):
            if handle and (index, handle) in self.owner:
                return self.owner[(index, handle)]
        return None

    def _crashed(self, index: int, rule: str, position: int, column_of: Mapping[str, Column]) -> None:
        """A rule that crashed decided nothing: every cell of its control in that posture is unknown."""
        column = column_of.get(rule)
        if column is None:
            return
        rows = [self.account[index]] if column.account_level and index in self.account else []
        rows += [] if column.account_level else self.identity_rows.get(index, [])
        for draft in rows:
            draft.crashed.setdefault(column.key, []).append(position)

    def rows(self, columns: Sequence[Column], findings: Sequence[Finding]) -> tuple[Row, ...]:
        out = []
        for draft in self.drafts:
            cells = tuple(_verdict(draft, column.key, findings) for column in columns)
            out.append(
                Row(f"r{draft.index}", draft.label, draft.detail, draft.where, draft.account_level, cells)
            )
        return tuple(out)

    def groups(self, findings: Sequence[Finding]) -> tuple[Group, ...]:
        out = []
        for draft in self.drafts:
            held = self.grouped.get(draft.index)
            if held:
                out.append(Group(f"g{draft.index}", draft.label, draft.where, draft.detail, tuple(held)))
        for number, ((where, resource), held) in enumerate(sorted(self.others.items())):
            out.append(Group(f"o{number}", resource, where, resource, tuple(held)))
        return tuple(out)


def _verdict(draft: _Draft, column: str, findings: Sequence[Finding]) -> CellVerdict:
    """A finding always shows; without one, the cell passes only where the control applies."""
    crashed = draft.crashed.get(column)
    if crashed and draft.applicable.get(column, False):
        return CellVerdict(Cell.UNKNOWN, tuple(crashed))
    hits = draft.hits.get(column, [])
    if not hits:
        return CellVerdict(Cell.PASS if draft.applicable.get(column, False) else Cell.NOT_APPLICABLE)
    # The decisive findings first: the cell links to the first. A baselined finding is still a fact
    # about the posture: it keeps its status here.
    ordered = tuple(sorted(hits, key=lambda i: (findings[i].waived, findings[i].status is not Status.FAIL)))
    found = [findings[i] for i in ordered]
    if any(not f.waived and f.status is Status.FAIL for f in found):
        return CellVerdict(Cell.FAIL, ordered)
    if any(not f.waived and f.status is Status.UNKNOWN for f in found):
        return CellVerdict(Cell.UNKNOWN, ordered)
    return CellVerdict(Cell.WAIVED, ordered)
