"""A finding's fingerprint: what it is about, in terms every source shares.

A baseline written by `check` must hold for `plan` and `audit` of the same infrastructure, so the
fingerprint leaves out everything that differs between sources or between runs: the line (moving
code keeps a finding), the message (wording improves; sources word values differently) and the
source's own handle (a Terraform address in `check` and `plan`, an ARN in `audit`). What stays:

- the rule;
- the subject: the SES-level name of the entity the finding is about ("identity example.com",
  "configuration-set main", "topic ses-feedback", "alarm ses-bounce-rate", "account"), taken from
  the posture the finding was judged on; the resource string itself when the posture does not name
  it (a name Terraform could not resolve, an input file);
- the identity the finding concerns, when known;
- the rule's discriminator (`Result.key`), for a rule that reports several things about one subject.

Names are compared as SES compares them: identities (domains and addresses) without case.
"""

from __future__ import annotations

import hashlib

from seslint.findings import Finding
from seslint.model import Posture
from seslint.rules.common import ACCOUNT_SUPPRESSION, account_resource

VERSION = 2  # of the scheme; baseline files record it (format 1 hashed the message and file too)


def subjects(posture: Posture) -> dict[str, str]:
    """resource string -> the subject of findings about it, for every entity the posture names."""
    out = dict.fromkeys((account_resource(posture), "account", ACCOUNT_SUPPRESSION), "account")
    if posture.account_suppression_location.address:
        out[posture.account_suppression_location.address] = "account"
    for identity in posture.identities:
        if isinstance(identity.name, str):
            subject = f"identity {identity.name.lower()}"
            out[identity.address] = subject
            out.update(dict.fromkeys(identity.aliases, subject))
    sets: dict[str, str] = {}
    for cset in posture.configuration_sets:
        if isinstance(cset.name, str):
            sets[cset.address] = cset.name
            out[cset.address] = f"configuration-set {cset.name}"
    for destination in posture.event_destinations:
        cset_found = posture.configuration_set_named(destination.configuration_set)
        set_name = sets.get(cset_found.address) if cset_found is not None else None
        if isinstance(destination.name, str) and set_name is not None:
            out[destination.address] = f"event-destination {set_name}/{destination.name}"
    for topic in posture.topics:
        if isinstance(topic.name, str):
            out[topic.address] = f"topic {topic.name}"
    for alarm in posture.alarms:
        if isinstance(alarm.name, str):
            out[alarm.address] = f"alarm {alarm.name}"
    return out


def fingerprint(finding: Finding) -> str:
    """sha256 of rule, subject, identity and key (see the module's docstring), 32 hex digits."""
    subject = finding.subject or finding.resource
    identity = (finding.identity or "").lower()
    text = "\x1f".join((f"v{VERSION}", finding.rule, subject, identity, finding.key))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def legacy_fingerprint(finding: Finding) -> str:
    """The format-1 fingerprint (seslint 0.1): rule, resource, identity, file or handle, message.
    Kept only to read baseline files written then."""
    loc = finding.location
    where = loc.file or loc.arn or loc.address or loc.name or ""
    text = "\x1f".join((finding.rule, finding.resource, finding.identity or "", where, finding.message))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
