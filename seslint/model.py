"""The SES sending posture, independent of where it was read from.

Every source (Terraform source, plan JSON, live AWS, DNS) builds a `Posture`; rules judge only this.
All classes are frozen: a posture is a fact about one moment, rules must not change it.

Three kinds of value appear in fields typed `Value[T]`:
- a plain Python value: known;
- `Unknown(reason)`: could not be known (computed at apply, unresolved variable, access denied, DNS
  timeout...). A rule that meets one reports an `unknown` finding, never a pass;
- `Ref` / `Template`: known only by where it comes from ("token 2 of identity X's DKIM tokens"), so a
  rule can prove wiring between resources before apply gives the values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TypeAlias, TypeVar, Union

T = TypeVar("T")


@dataclass(frozen=True)
class Unknown:
    """A value that could not be known, and why (shown to the user in the finding).

    `cause` names the input behind it when there is one ("var.domain", "module.this"), so a source
    can report each cause once, however many values it hides. `origin` is the resource attribute the
    value was read from (`aws_sesv2_email_identity.x.email_identity` set from a variable without a
    value): the value is not known, but which resource it designates is. Neither takes part in
    equality.
    """

    reason: str
    cause: str = field(default="", compare=False)
    origin: Ref | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"a value that is not known because {self.reason}"


@dataclass(frozen=True)
class Ref:
    """A value known only by the resource attribute it comes from.

    `address` is the producing resource (Terraform address, e.g. `aws_sesv2_email_identity.this` or
    `module.ses.aws_ses_domain_dkim.this`); `attribute` the attribute path (`dkim_tokens`,
    `dkim_signing_attributes.tokens`, `arn`). `index` picks one element of a list attribute;
    `each` says the value stands for every element in turn (a `for_each`/`count` over the list).
    """

    address: str
    attribute: str
    index: int | None = None
    each: bool = False

    def __str__(self) -> str:
        text = f"{self.address}.{self.attribute}"
        if self.index is not None:
            text += f"[{self.index}]"
        elif self.each:
            text += "[*]"
        return text

    def same_source(self, other: Ref) -> bool:
        """True when both point at the same attribute of the same resource, whatever the index."""
        return self.address == other.address and self.attribute == other.attribute


@dataclass(frozen=True)
class Template:
    """A string built from literal text and references, e.g. `${token}._domainkey.example.com`."""

    parts: tuple[str | Ref | Unknown, ...]

    def __str__(self) -> str:
        # An unknown part shows as "…" (its reason is said where the value is judged).
        return "".join(
            p if isinstance(p, str) else "…" if isinstance(p, Unknown) else "${" + str(p) + "}"
            for p in self.parts
        )

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(p for p in self.parts if isinstance(p, Ref))

    @property
    def unknowns(self) -> tuple[Unknown, ...]:
        return tuple(p for p in self.parts if isinstance(p, Unknown))

    def after(self, separator: str) -> str | Ref | Unknown | Template:
        """What follows the last known `separator` ("no-reply@${var.domain}" after "@": the domain)."""
        for position in range(len(self.parts) - 1, -1, -1):
            part = self.parts[position]
            if isinstance(part, str) and separator in part:
                rest = (part.rsplit(separator, 1)[1], *self.parts[position + 1 :])
                rest = tuple(p for p in rest if p != "")
                if len(rest) == 1 and not isinstance(rest[0], Template):
                    return rest[0]
                return Template(rest) if rest else ""
        return self


# A generic alias over a TypeVar needs typing.Union: `T | X` is rejected by mypy as an alias target.
Value: TypeAlias = Union[T, Unknown, Ref, Template]  # noqa: UP007
"""A field that may be known (T), unknown, or symbolic."""


def describe(value: object) -> str:
    """Human text for any value, for messages."""
    if isinstance(value, tuple):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Template) and (value.unknowns or value.refs):
        return spell(value)
    return str(value)  # an Unknown says itself why it is not known


def written(value: object) -> str:
    """A value as Terraform writes it, for messages: "text" quoted, null, true, [a, b], {k = v}; a value
    not known, or known only by what it refers to, said in words (never a Python repr)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(written(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {written(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Unknown):
        return "a value that is not known"
    if isinstance(value, Template):
        return "a text built from " + (" and ".join(str(r) for r in value.refs) or "values not known")
    return str(value)


def after_apply(value: Ref | Template) -> str:
    """Why a value known only by what it refers to is not known, naming those attributes in words."""
    if isinstance(value, Ref):
        return f"{value} is known only after apply"
    refs = " and ".join(dict.fromkeys(str(r) for r in value.refs)) or "values"
    return f"the value built from {refs} is known only after apply"


GAP = "…"  # stands for the parts of a quoted name that are not known; `spell` says what they are


def spell(value: object) -> str:
    """A text with parts not known, for messages: its known text quoted, each run of parts not known as
    one "…", and what those stand for said after it: `'…._domainkey.example.com', where … is
    aws_ses_domain_dkim.x.dkim_tokens[0], known only after apply`, `'_dmarc.…', where … is not known
    because var.domain has no value: pass it with --var or a tfvars file`."""
    quoted, stands = spelled(value)
    return f"{quoted}, where {stands}" if stands else quoted


def spelled(value: object) -> tuple[str, str]:
    """`spell` in two: the quoted text, and what its "…" stand for ("" when all of it is known)."""
    items = value.parts if isinstance(value, Template) else (value,)
    text: list[str] = []
    runs: list[list[Ref | Unknown]] = []
    follows_gap = False  # the previous part was not known: one "…" for both
    for part in items:
        if not isinstance(part, (Ref, Unknown)):
            text.append(str(part))
            follows_gap = False
        elif follows_gap:
            runs[-1].append(part)
        else:
            text.append(GAP)
            runs.append([part])
            follows_gap = True
    quoted = "'" + "".join(text) + "'"
    if len(runs) <= 1:
        return quoted, f"{GAP} is {_stands_for(runs[0])}" if runs else ""
    ordinals = ("first", "second", "third")
    said = [
        f"the {ordinals[i] if i < len(ordinals) else f'{i + 1}th'} {GAP} is {_stands_for(run)}"
        for i, run in enumerate(runs)
    ]
    return quoted, "; ".join(said)


def _stands_for(run: list[Ref | Unknown]) -> str:
    """What one run of parts not known is: the attributes it reads, and why it is not known."""
    refs = list(dict.fromkeys(str(p) for p in run if isinstance(p, Ref)))
    unknowns = [p for p in run if isinstance(p, Unknown)]
    if not unknowns:
        return f"{' and '.join(refs)}, known only after apply"
    because = f"not known because {unknowns[0].reason}"
    return f"built from {' and '.join(refs)}, {because}" if refs else because


class SourceKind(str, Enum):
    TERRAFORM = "terraform"
    PLAN = "plan"
    AWS = "aws"
    DNS = "dns"


@dataclass(frozen=True)
class Location:
    """Where an entity was read from: file/line (Terraform), address (plan), ARN/region (live), name (DNS)."""

    file: str | None = None
    line: int | None = None
    address: str | None = None
    arn: str | None = None
    region: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        if self.file is not None:
            return f"{self.file}:{self.line}" if self.line is not None else self.file
        for part in (self.arn, self.address, self.name):
            if part:
                return f"{part} ({self.region})" if self.region and self.arn else part
        return self.region or "-"


NOWHERE = Location()


class DkimMode(str, Enum):
    EASY = "easy"
    BYODKIM = "byodkim"


class MxFailure(str, Enum):
    """MAIL FROM behaviour on MX failure, normalised from v1 `UseDefaultValue` / v2 `USE_DEFAULT_VALUE`."""

    USE_DEFAULT_VALUE = "USE_DEFAULT_VALUE"
    REJECT_MESSAGE = "REJECT_MESSAGE"


class TlsPolicy(str, Enum):
    """Configuration set TLS policy, normalised from v1 `Require`/`Optional` and v2 `REQUIRE`/`OPTIONAL`."""

    REQUIRE = "REQUIRE"
    OPTIONAL = "OPTIONAL"


class EventType(str, Enum):
    """Event types, normalised from v1 lower-case (`bounce`) and v2 upper-case (`BOUNCE`)."""

    SEND = "SEND"
    REJECT = "REJECT"
    BOUNCE = "BOUNCE"
    COMPLAINT = "COMPLAINT"
    DELIVERY = "DELIVERY"
    OPEN = "OPEN"
    CLICK = "CLICK"
    RENDERING_FAILURE = "RENDERING_FAILURE"
    DELIVERY_DELAY = "DELIVERY_DELAY"
    SUBSCRIPTION = "SUBSCRIPTION"


class SuppressionReason(str, Enum):
    BOUNCE = "BOUNCE"
    COMPLAINT = "COMPLAINT"


@dataclass(frozen=True)
class Dkim:
    """DKIM set-up of one identity.

    `tokens`: Easy DKIM tokens (usually three); a `Ref` with `each=False, index=None` stands for the
    whole token list when it is known only symbolically (Terraform source, first plan).
    `selectors`: BYODKIM selectors. `key_length`: bits (1024/2048) or Unknown.
    `declared`: False when the source has no DKIM resource at all for the identity (v1 family without
    aws_ses_domain_dkim); then `signing_enabled` is False.
    """

    mode: Value[DkimMode] = DkimMode.EASY
    signing_enabled: Value[bool] = False
    status: Value[str] | None = None  # live: SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE, NOT_STARTED
    tokens: Value[tuple[Value[str], ...]] = ()
    selectors: tuple[Value[str], ...] = ()
    key_length: Value[int] | None = None
    signing_hosted_zone: Value[str] | None = None  # live: e.g. dkim.amazonses.com
    declared: bool = True
    location: Location = NOWHERE


@dataclass(frozen=True)
class MailFrom:
    domain: Value[str] | None = None  # None: no custom MAIL FROM
    behavior_on_mx_failure: Value[MxFailure] = MxFailure.USE_DEFAULT_VALUE
    status: Value[str] | None = None  # live: SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE
    location: Location = NOWHERE


@dataclass(frozen=True)
class NotificationTopics:
    """Identity notification topics (v1 API only). Values are topic ARNs or references to topics."""

    bounce: Value[str] | None = None
    complaint: Value[str] | None = None
    delivery: Value[str] | None = None
    forwarding_enabled: Value[bool] = True
    location: Location = NOWHERE


class IdentityKind(str, Enum):
    DOMAIN = "domain"
    EMAIL = "email"


@dataclass(frozen=True)
class Identity:
    """A sending identity (domain or email address).

    `name`: the domain or address; Unknown when unresolved. `address`: the source's handle for it
    (Terraform resource address, identity ARN) so references can be matched to it.
    `verified`: live, True/False; in Terraform, True when a verification path is declared.
    `aliases`: other addresses that stand for this identity (a v1 identity is wired to its separate
    aws_ses_domain_dkim / mail_from / notification resources through them).
    """

    name: Value[str]
    kind: IdentityKind
    address: str
    verified: Value[bool] | None = None
    verification_status: Value[str] | None = None
    dkim: Dkim | None = None
    mail_from: MailFrom | None = None
    notifications: NotificationTopics | None = None
    configuration_set: Value[str] | None = None  # default configuration set name or Ref
    region: str | None = None
    aliases: tuple[str, ...] = ()
    location: Location = NOWHERE
    presence: Unknown | None = None  # set when whether it exists is not known (count/for_each)

    @property
    def domain(self) -> Value[str]:
        """The domain part: the name itself for a domain identity, after @ for an email identity."""
        if self.kind is IdentityKind.EMAIL and isinstance(self.name, str) and "@" in self.name:
            return self.name.rsplit("@", 1)[1]
        if self.kind is IdentityKind.EMAIL and isinstance(self.name, Template):
            return self.name.after("@")
        return self.name


@dataclass(frozen=True)
class ConfigurationSet:
    name: Value[str]
    address: str
    tls_policy: Value[TlsPolicy] = TlsPolicy.OPTIONAL
    reputation_metrics: Value[bool] = False
    sending_enabled: Value[bool] = True
    # None: no override (account-level list applies); a tuple: the set's own suppressed reasons.
    suppressed_reasons: Value[tuple[SuppressionReason, ...]] | None = None
    region: str | None = None
    location: Location = NOWHERE
    presence: Unknown | None = None  # set when whether it exists is not known (count/for_each)


@dataclass(frozen=True)
class EventDestination:
    name: Value[str]
    address: str
    configuration_set: Value[str]  # set name or Ref to the set
    enabled: Value[bool] = False
    event_types: Value[tuple[EventType, ...]] = ()
    sns_topic: Value[str] | None = None  # topic ARN or Ref; None: not an SNS destination
    region: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class Topic:
    name: Value[str]
    address: str
    arn: Value[str]
    fifo: Value[bool] = False
    policy: Value[str] | None = None  # the JSON policy document, None when none is declared/set
    region: str | None = None
    account: str | None = None  # the account it is created in, when known (a plan that read it)
    location: Location = NOWHERE
    presence: Unknown | None = None  # set when whether it exists is not known (count/for_each)


@dataclass(frozen=True)
class Subscription:
    topic: Value[str]  # topic ARN or Ref
    protocol: Value[str]
    endpoint: Value[str]
    address: str
    confirmed: Value[bool] = True  # live: False while PendingConfirmation
    location: Location = NOWHERE


@dataclass(frozen=True)
class TopicPolicy:
    """A separately declared topic policy (aws_sns_topic_policy)."""

    topic: Value[str]  # topic ARN or Ref
    policy: Value[str]
    address: str
    location: Location = NOWHERE


@dataclass(frozen=True)
class Alarm:
    name: Value[str]
    address: str
    namespace: Value[str]
    metric: Value[str]
    dimensions: Value[tuple[tuple[str, Value[str]], ...]] = ()
    statistic: Value[str] | None = None
    threshold: Value[float] | None = None
    comparison: Value[str] | None = None
    actions: Value[tuple[Value[str], ...]] = ()
    actions_enabled: Value[bool] = True
    region: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class DnsRecord:
    """A DNS record, declared in Terraform or observed in DNS.

    `name` is fully qualified without the trailing dot; `values` holds the record data (CNAME target,
    MX `PREF HOST`, TXT text with strings joined). `observed`: True when read from DNS.
    `zone`: set when the record is declared in a zone whose name is not known (its id comes from a
    variable without a value, remote state...): `name` is then the name as written, which the provider
    qualifies by that zone unless it already ends with it, and `zone` says which zone (records of the
    same zone have the same `zone`), in words fit for a message.
    `presence`: None when the record exists; Unknown(why) when whether it exists is not known (a count
    or for_each seslint cannot resolve): such a record proves nothing and hides nothing, and its
    `values` are that Unknown too, so a verdict that needs it is unknown, never a pass.
    """

    name: Value[str]
    type: str
    values: Value[tuple[Value[str], ...]]
    address: str
    observed: bool = False
    location: Location = NOWHERE
    zone: str | None = None
    presence: Unknown | None = None


class LookupStatus(str, Enum):
    """How a DNS question was answered: NXDOMAIN and NODATA are answers; the rest are UNKNOWN."""

    ANSWER = "answer"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    TIMEOUT = "timeout"
    SERVFAIL = "servfail"
    ERROR = "error"


@dataclass(frozen=True)
class DnsLookup:
    """One DNS question asked in live mode and its outcome.

    Kept so a rule can tell 'no record' (NXDOMAIN/NODATA, an answer) from 'no answer' (timeout).
    """

    name: str
    type: str
    status: LookupStatus
    detail: str = ""


@dataclass(frozen=True)
class Account:
    production_access: Value[bool]
    enforcement_status: Value[str]  # HEALTHY, PROBATION, SHUTDOWN
    sending_enabled: Value[bool] = True
    suppressed_reasons: Value[tuple[SuppressionReason, ...]] = ()
    account_id: str | None = None
    region: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class ReadFailure:
    """Something a source could not read (becomes SES003 or SES000)."""

    what: str  # e.g. "sesv2:GetAccount" or "DNS TXT _dmarc.example.com"
    reason: str
    location: Location = NOWHERE
    parse_error: bool = False  # True: an input could not be parsed (SES000)
    resource: str = ""


@dataclass(frozen=True)
class InlineWaiver:
    """A waiver written in the source (`# seslint:ignore SES201 -- reason`)."""

    rule: str
    resource: str
    reason: str
    expires: str | None = None  # YYYY-MM-DD
    location: Location = NOWHERE


@dataclass(frozen=True)
class Posture:
    source: SourceKind
    targets: tuple[str, ...] = ()
    identities: tuple[Identity, ...] = ()
    configuration_sets: tuple[ConfigurationSet, ...] = ()
    event_destinations: tuple[EventDestination, ...] = ()
    topics: tuple[Topic, ...] = ()
    topic_policies: tuple[TopicPolicy, ...] = ()
    subscriptions: tuple[Subscription, ...] = ()
    alarms: tuple[Alarm, ...] = ()
    dns_records: tuple[DnsRecord, ...] = ()
    dns_lookups: tuple[DnsLookup, ...] = ()
    # Account-level state: None when the source cannot tell (Terraform declares only suppression).
    account: Account | None = None
    account_suppression: Value[tuple[SuppressionReason, ...]] | None = None
    account_suppression_location: Location = NOWHERE
    regions: tuple[str, ...] = ()
    failures: tuple[ReadFailure, ...] = ()
    waivers: tuple[InlineWaiver, ...] = ()
    # True when DNS records are judged from this source (Terraform/plan declare them; live DNS observes).
    judges_dns: bool = True
    unresolved: tuple[tuple[str, Location, str], ...] = field(default=())  # (resource, location, reason)

    # -- lookups shared by rules ------------------------------------------------------------------

    def topic_for(self, reference: object) -> Topic | None:
        """The topic a notification/destination value points at (ARN, name or Ref), if declared."""
        for topic in self.topics:
            if matches(reference, topic.arn, topic.address, topic.name):
                return topic
        return None

    def configuration_set_named(self, reference: object) -> ConfigurationSet | None:
        for cset in self.configuration_sets:
            if matches(reference, cset.name, cset.address, cset.name):
                return cset
        return None

    def destinations_of(self, cset: ConfigurationSet) -> Iterator[EventDestination]:
        for dest in self.event_destinations:
            if matches(dest.configuration_set, cset.name, cset.address, cset.name):
                yield dest

    def records(self, rtype: str) -> Iterator[DnsRecord]:
        return iter(self._records_by_type.get(rtype, ()))

    def records_named(self, name: str, rtype: str) -> tuple[DnsRecord, ...]:
        """Records of rtype whose (known) name is `name`, compared as DNS compares names."""
        return self._records_by_name.get((dns_name(name), rtype), ())

    def relative_records(self, name: str, rtype: str) -> tuple[DnsRecord, ...]:
        """Records of rtype written as `name` in a zone whose name is not known (see DnsRecord.zone)."""
        return self._relative_by_name.get((dns_name(name), rtype), ())

    def records_below(self, parent: str, rtype: str) -> tuple[DnsRecord, ...]:
        """Records of rtype whose known name is one label below `parent` (`X._domainkey.example.com`)."""
        return self._records_by_parent.get((dns_name(parent), rtype), ())

    def records_named_after(self, ref: Ref) -> tuple[DnsRecord, ...]:
        """Records whose name is built from an element of this attribute (DKIM CNAMEs named after
        tokens), or from the resource when which of its attributes is not known (see `named_after`)."""
        found = self._named_after.get((ref.address, ref.attribute), ()) + self._named_after.get(
            (ref.address, ""), ()
        )
        loose = any_instance(ref.address)
        return found + self._named_after.get((loose, ""), ()) if loose != ref.address else found

    def lookup(self, name: str, rtype: str) -> DnsLookup | None:
        return self._lookups.get((name.rstrip(".").lower(), rtype))

    # Indexes built on first use: rules ask per identity, so a scan per question is quadratic.
    @cached_property
    def _records_by_type(self) -> dict[str, tuple[DnsRecord, ...]]:
        return _group(self.dns_records, lambda r: r.type)

    @cached_property
    def _records_by_name(self) -> dict[tuple[str, str], tuple[DnsRecord, ...]]:
        return _group(
            self.dns_records, lambda r: (dns_name(r.name), r.type) if isinstance(r.name, str) else None
        )

    @cached_property
    def _records_by_parent(self) -> dict[tuple[str, str], tuple[DnsRecord, ...]]:
        def parent(r: DnsRecord) -> tuple[str, str] | None:
            if isinstance(r.name, str) and r.zone is None and "." in r.name:
                return dns_name(r.name).split(".", 1)[1], r.type
            return None

        return _group(self.dns_records, parent)

    @cached_property
    def _relative_by_name(self) -> dict[tuple[str, str], tuple[DnsRecord, ...]]:
        def written(r: DnsRecord) -> tuple[str, str] | None:
            return (dns_name(r.name), r.type) if r.zone is not None and isinstance(r.name, str) else None

        return _group(self.dns_records, written)

    @cached_property
    def _named_after(self) -> dict[tuple[str, str], tuple[DnsRecord, ...]]:
        def source(r: DnsRecord) -> tuple[str, str] | None:
            first = named_after(r.name)
            return (first.address, first.attribute) if first is not None else None

        return _group(self.dns_records, source)

    @cached_property
    def open_records(self) -> dict[str, tuple[DnsRecord, ...]]:
        """Records whose full name is not known (unknown parts, or an unknown zone), except those named
        after one of this posture's identities' DKIM tokens, which are that identity's: by type."""
        tokens = {
            (i.dkim.tokens.address, i.dkim.tokens.attribute)
            for i in self.identities
            if i.dkim is not None and isinstance(i.dkim.tokens, Ref)
        }

        token_resources = {a for address, _ in tokens for a in (address, any_instance(address))}

        def still_open(r: DnsRecord) -> str | None:
            first = named_after(r.name)
            if first is not None and (
                (first.address, first.attribute) in tokens
                or (first.attribute == "" and first.address in token_resources)
            ):
                return None  # judged with its identity's tokens (dkim.py)
            return r.type if r.zone is not None or not isinstance(r.name, str) else None

        return _group(self.dns_records, still_open)

    @cached_property
    def maybe_absent(self) -> dict[str, Unknown]:
        """Identities, configuration sets and topics whose existence is not known (a count or for_each
        seslint cannot resolve), by address, with why: a fail about one of them is unknown (it may not
        exist), and a pass that needs one is unknown (it may not be there)."""
        out: dict[str, Unknown] = {}
        entities: tuple[Identity | ConfigurationSet | Topic, ...] = (
            *self.identities,
            *self.configuration_sets,
            *self.topics,
        )
        for entity in entities:
            if entity.presence is not None:
                out[entity.address] = entity.presence
        return out

    @cached_property
    def unnamed_records(self) -> dict[str, tuple[DnsRecord, ...]]:
        return _group(self.dns_records, lambda r: None if isinstance(r.name, str) else r.type)

    @cached_property
    def _lookups(self) -> dict[tuple[str, str], DnsLookup]:
        out: dict[tuple[str, str], DnsLookup] = {}
        for entry in self.dns_lookups:
            out.setdefault((entry.name.rstrip(".").lower(), entry.type), entry)
        return out


K = TypeVar("K")


def _group(
    records: tuple[DnsRecord, ...], key: Callable[[DnsRecord], K | None]
) -> dict[K, tuple[DnsRecord, ...]]:
    """Records by key, in order; a record whose key is None is left out."""
    out: dict[K, list[DnsRecord]] = {}
    for record in records:
        k = key(record)
        if k is not None:
            out.setdefault(k, []).append(record)
    return {k: tuple(v) for k, v in out.items()}


def sources(value: object) -> tuple[Ref, ...]:
    """The resource attributes a value is built from: its references, and the resources its unknown
    parts were read from (Unknown.origin)."""
    items = value.parts if isinstance(value, Template) else (value,)
    found: list[Ref] = []
    for part in items:
        if isinstance(part, Ref):
            found.append(part)
        elif isinstance(part, Unknown) and part.origin is not None:
            found.append(part.origin)
    return tuple(found)


def any_instance(address: str) -> str:
    """'aws_x.y[0]' / 'aws_x.y["k"]' -> 'aws_x.y[*]': some instance of the block, unknown which (a plan
    that refers to the block and picks an instance by an expression it does not keep); else as is."""
    if address.endswith("]") and "[" in address:
        return address[: address.rindex("[")] + "[*]"
    return address


def named_after(name: object) -> Ref | None:
    """The resource attribute a record's name is built from, as a DKIM CNAME is named after a token:
    its first part when that is a reference (or read from one), else the first token (or resource
    referred to as a whole, attribute "": a plan that does not say which attribute) it holds. A name
    that holds identity X's token, known only after apply, is X's record or no identity's: identity Z's
    DKIM CNAME is Z's token and `._domainkey.` and Z's domain, and holds nothing else."""
    items = name.parts if isinstance(name, Template) else (name,)
    first = items[0] if items else None
    if isinstance(first, Unknown) and first.origin is not None:
        return first.origin
    if isinstance(first, Ref):
        return first
    return next((r for r in sources(name) if "token" in r.attribute or r.attribute == ""), None)


def dns_name(name: str) -> str:
    """A DNS name as DNS compares it: no surrounding space, no trailing dot, lower case."""
    return name.strip().rstrip(".").lower()


def matches(reference: object, value: object, address: str, name: object) -> bool:
    """Does `reference` (an ARN, name or Ref) designate the entity with this arn/address/name?"""
    if isinstance(reference, Unknown) and reference.origin is not None:
        reference = reference.origin  # not known, but read from that resource
    if isinstance(reference, Ref):
        if reference.address == address:
            return True
        return isinstance(value, Ref) and reference.same_source(value)
    if isinstance(reference, str):
        if isinstance(value, str) and reference == value:
            return True
        if isinstance(name, str) and reference == name:
            return True
        # A topic ARN ends with ":NAME"; match by name when the declared ARN is symbolic.
        return isinstance(name, str) and reference.startswith("arn:") and reference.endswith(":" + name)
    return False
