"""One DNS view per run: records declared in any root count for the identities of every other root;
findings still name the file that declares the identity; references never cross roots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.terraform.trees import DNS_RULES, check, line_of, lint, messages, write

SES_STACK = """\
data "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}
"""

DNS_STACK = """\
resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.eu-west-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.com"]
}
"""

IDENTITY = 'resource "aws_sesv2_email_identity" "main"'
MAIL_FROM = 'resource "aws_sesv2_email_identity_mail_from_attributes" "main"'


def test_records_of_a_dns_stack_count_for_the_ses_stack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"ses/main.tf": SES_STACK, "dns/main.tf": DNS_STACK})
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_a_dns_stack_with_the_wrong_zone_fails_at_the_identitys_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(
        tmp_path, {"ses/main.tf": SES_STACK, "dns/main.tf": DNS_STACK.replace("example.com", "example.org")}
    )
    monkeypatch.chdir(tmp_path)
    identity = line_of(root, "ses/main.tf", IDENTITY)
    mail_from = line_of(root, "ses/main.tf", MAIL_FROM)
    assert lint(capsys, ".") == [
        ("SES120", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", identity),
        ("SES112", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
        ("SES113", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
    ]


UNKNOWN_ZONE_IDENTITY = """\
variable "zone_id" {
  type = string
}

resource "aws_ses_domain_identity" "this" {
  domain = "DOMAIN"
}

resource "aws_ses_domain_dkim" "this" {
  domain = aws_ses_domain_identity.this.domain
}
"""

DKIM_RECORDS = """\
resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_ses_domain_dkim.this.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_ses_domain_dkim.this.dkim_tokens[count.index]}.dkim.amazonses.com"]
}
"""


def test_references_do_not_cross_roots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both roots have an aws_ses_domain_dkim.this; only a/ declares records for its tokens.
    root = write(
        tmp_path,
        {
            "a/main.tf": UNKNOWN_ZONE_IDENTITY.replace("DOMAIN", "a.example.com") + DKIM_RECORDS,
            "b/main.tf": UNKNOWN_ZONE_IDENTITY.replace("DOMAIN", "b.example.com"),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".", rules=("SES101", "SES103")) == [
        (
            "SES101",
            "fail",
            "aws_ses_domain_identity.this",
            "b/main.tf",
            line_of(root, "b/main.tf", 'resource "aws_ses_domain_identity" "this"'),
        ),
        (
            "SES103",
            "fail",
            "aws_ses_domain_identity.this",
            "b/main.tf",
            line_of(root, "b/main.tf", 'resource "aws_ses_domain_dkim" "this"'),
        ),
    ]


MODULE_MX = """\
variable "zone_id" {
  type = string
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.zone_id
  name    = "bounce.example.com"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.eu-west-1.amazonses.com"]
}
"""

CALLER = """\
module "dns" {
  source  = "../modules/mx"
  zone_id = "Z123"
}
"""


def test_a_module_called_by_two_roots_declares_its_record_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = DNS_STACK[: DNS_STACK.index('resource "aws_route53_record" "mail_from_mx"')]
    others = DNS_STACK[DNS_STACK.index('resource "aws_route53_record" "mail_from_spf"') :]
    write(
        tmp_path,
        {
            "ses/main.tf": SES_STACK,
            "dns/main.tf": zone + others,
            "modules/mx/main.tf": MODULE_MX,
            "one/main.tf": CALLER,
            "two/main.tf": CALLER,
        },
    )
    monkeypatch.chdir(tmp_path)
    # Seen once, the MX is the one MX of bounce.example.com; seen twice, SES112 would count two.
    assert lint(capsys, ".", rules=("SES112",)) == []


BAD_ALARM = """\
resource "aws_cloudwatch_metric_alarm" "bounce" {
  alarm_name          = "bounce"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 1
  period              = 3600
}
"""


@pytest.mark.parametrize("zone", ["example.com", "example.org"])
def test_pre_commit_sees_the_records_of_the_repositorys_other_roots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    # pre-commit passes ses/main.tf alone: dns/ is not judged (its wrong alarm is not reported) but its
    # records answer for ses/'s identity as they do for `seslint check .`.
    root = write(
        tmp_path,
        {
            "ses/main.tf": SES_STACK,
            "dns/main.tf": DNS_STACK.replace("example.com", zone),
            "dns/alarms.tf": BAD_ALARM,
        },
    )
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    identity = line_of(root, "ses/main.tf", IDENTITY)
    mail_from = line_of(root, "ses/main.tf", MAIL_FROM)
    expected = (
        []
        if zone == "example.com"
        else [
            ("SES120", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", identity),
            ("SES112", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
            ("SES113", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
        ]
    )
    assert lint(capsys, "ses/main.tf", rules=(*DNS_RULES, "SES312")) == expected
    assert lint(capsys, ".", rules=("SES312",)) == [
        ("SES312", "fail", "aws_cloudwatch_metric_alarm.bounce", "dns/alarms.tf", 1)
    ]


VERIFICATION = """\
resource "aws_route53_record" "verification" {
  zone_id = var.zone_id
  name    = "_amazonses.${aws_ses_domain_identity.this.id}"
  type    = "TXT"
  ttl     = 600
  records = [aws_ses_domain_identity.this.verification_token]
}
"""


def test_a_record_named_after_another_roots_resource_is_that_roots_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a/'s _amazonses record is named after a/'s identity: it cannot verify b/'s, whose SES101 fails.
    root = write(
        tmp_path,
        {
            "a/main.tf": UNKNOWN_ZONE_IDENTITY.replace("DOMAIN", "a.example.com") + VERIFICATION,
            "b/main.tf": UNKNOWN_ZONE_IDENTITY.replace("DOMAIN", "b.example.com"),
        },
    )
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".", rules=("SES101",)) == [
        (
            "SES101",
            "fail",
            "aws_ses_domain_identity.this",
            "b/main.tf",
            line_of(root, "b/main.tf", 'resource "aws_ses_domain_identity" "this"'),
        )
    ]


SENDER = """\
resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}
"""

DMARC_IN_AN_UNNAMED_ZONE = """\
variable "zone_id" {
  type = string
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject"]
}
"""

DMARC_FROM_REMOTE_STATE = """\
data "terraform_remote_state" "dns" {
  backend = "local"
}

resource "aws_route53_record" "dmarc" {
  zone_id = "Z123"
  name    = "_dmarc.example.com"
  type    = "TXT"
  ttl     = 600
  records = [data.terraform_remote_state.dns.outputs.dmarc]
}
"""


@pytest.mark.parametrize("path", [".", "ses/main.tf"])
def test_an_unknown_that_another_roots_record_leaves_names_its_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    # Directory mode (another judged root) and pre-commit's file mode (a root read for its records)
    # alike: the record is not in the file the finding names, so the message says where it is.
    root = write(tmp_path, {"ses/main.tf": SENDER, "fixtures/dmarc/main.tf": DMARC_IN_AN_UNNAMED_ZONE})
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    record = line_of(root, "fixtures/dmarc/main.tf", 'resource "aws_route53_record" "dmarc"')
    assert messages(check(capsys, path), "SES120") == [
        "DMARC record of example.com could not be verified: aws_route53_record.dmarc "
        f"(fixtures/dmarc/main.tf:{record}) is named '_dmarc' in the zone of var.zone_id, "
        "whose name is not known because var.zone_id has no value: pass it with --var or a tfvars file"
    ]


def test_a_value_of_another_roots_record_known_only_after_apply_names_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write(tmp_path, {"ses/main.tf": SENDER, "dns/main.tf": DMARC_FROM_REMOTE_STATE})
    monkeypatch.chdir(tmp_path)
    record = line_of(root, "dns/main.tf", 'resource "aws_route53_record" "dmarc"')
    assert messages(check(capsys, "."), "SES120") == [
        "DMARC record of example.com could not be verified: "
        f"data.terraform_remote_state.dns.outputs.dmarc (dns/main.tf:{record}) is known only after apply"
    ]


def test_a_record_of_the_same_root_keeps_its_address_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"ses/main.tf": SENDER + DMARC_IN_AN_UNNAMED_ZONE})
    monkeypatch.chdir(tmp_path)
    assert messages(check(capsys, "."), "SES120") == [
        "DMARC record of example.com could not be verified: aws_route53_record.dmarc is named "
        "'_dmarc' in the zone of var.zone_id, whose name is not known because var.zone_id has no value: "
        "pass it with --var or a tfvars file"
    ]


def test_only_records_a_posture_can_read_are_added_to_it() -> None:
    """Another root's record at a known name is added only when it is under a judged domain (identity
    or MAIL FROM) or is the `_dmarc` record of one of their parents; a record whose full name is not
    known is added to every posture, and to a posture with an identity whose name is not known, all are."""
    from seslint.model import (
        DnsRecord,
        Identity,
        IdentityKind,
        Location,
        MailFrom,
        Posture,
        SourceKind,
        Unknown,
    )
    from seslint.sources.terraform.dns_view import one_dns_view

    def record(name: object, rtype: str, line: int, zone: str | None = None) -> DnsRecord:
        return DnsRecord(
            name=name,  # type: ignore[arg-type]
            type=rtype,
            values=("v",),
            address=f"aws_route53_record.r{line}",
            location=Location(file="dns/main.tf", line=line),
            zone=zone,
        )

    dns = Posture(
        source=SourceKind.TERRAFORM,
        targets=("dns",),
        dns_records=(
            record("_dmarc.example.com", "TXT", 1),  # _dmarc of a parent of mail.example.com
            record("_dmarc.other.org", "TXT", 2),
            record("abc._domainkey.mail.example.com", "CNAME", 3),
            record("bounce.mail-from.net", "MX", 4),  # the MAIL FROM domain, not under the identity
            record("www.example.com", "CNAME", 5),  # under a parent, not under a judged domain
            record("_dmarc", "TXT", 6, zone="the zone of var.zone_id"),
            record(Unknown("var.name has no value"), "TXT", 7),
            record("_amazonses.other.org", "TXT", 8),
        ),
    )
    ses = Posture(
        source=SourceKind.TERRAFORM,
        targets=("ses",),
        identities=(
            Identity(
                name="Mail.Example.com.",
                kind=IdentityKind.DOMAIN,
                address="aws_ses_domain_identity.main",
                mail_from=MailFrom(domain="bounce.mail-from.net"),
            ),
        ),
    )
    unnamed = Posture(
        source=SourceKind.TERRAFORM,
        targets=("unnamed",),
        identities=(
            Identity(
                name=Unknown("var.domain has no value"),
                kind=IdentityKind.DOMAIN,
                address="aws_ses_domain_identity.x",
            ),
        ),
    )
    _, ses_view, unnamed_view = one_dns_view([dns, ses, unnamed])
    assert [r.location.line for r in ses_view.dns_records] == [1, 3, 4, 6, 7]
    assert [r.location.line for r in unnamed_view.dns_records] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_pre_commit_keeps_the_other_roots_records_between_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # dns/ is read only for its records: the second run takes them from the cache, without evaluating
    # dns/; an edit of dns/ is a new key, so the third run evaluates it again and sees the wrong zone.
    from seslint.sources.terraform import parse, source

    root = write(tmp_path, {"ses/main.tf": SES_STACK, "dns/main.tf": DNS_STACK})
    (root / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    evaluated: list[str] = []
    evaluate_root = source.evaluate_root

    def counted(directory: Path, *args: Any) -> Any:
        evaluated.append(directory.name)
        return evaluate_root(directory, *args)

    monkeypatch.setattr(source, "evaluate_root", counted)
    assert lint(capsys, "ses/main.tf") == []
    assert evaluated == ["ses", "dns"]
    evaluated.clear()
    assert lint(capsys, "ses/main.tf") == []
    assert evaluated == ["ses"]
    (root / "dns/main.tf").write_text(DNS_STACK.replace("example.com", "example.org"))
    parse.forget()  # what this process read of dns/ (a new process reads it anew)
    evaluated.clear()
    identity = line_of(root, "ses/main.tf", IDENTITY)
    mail_from = line_of(root, "ses/main.tf", MAIL_FROM)
    assert lint(capsys, "ses/main.tf") == [
        ("SES120", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", identity),
        ("SES112", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
        ("SES113", "fail", "aws_sesv2_email_identity.main", "ses/main.tf", mail_from),
    ]
    assert evaluated == ["ses", "dns"]


def test_a_stored_record_list_is_rebuilt_only_from_model_classes() -> None:
    from seslint import cache
    from seslint.model import DnsRecord, Location, Ref, Template, Unknown
    from seslint.sources.terraform import records_cache

    record = DnsRecord(
        name=Template((Unknown("var.zone has no value", origin=Ref("aws_x.y", "token", 1)), "._domainkey")),
        type="CNAME",
        values=(Ref("aws_x.y", "token", 1, True), "a.dkim.amazonses.com"),
        address="aws_route53_record.r",
        location=Location(file="dns/main.tf", line=3),
        zone="the zone of var.zone_id",
    )
    records_cache.store("good", (record,))
    assert records_cache.load("good") == (record,)
    assert records_cache.load("good")[0].name.parts[0].origin == Ref("aws_x.y", "token", 1)  # type: ignore[index,union-attr]
    assert records_cache.load("missing") is None
    for damaged in (
        [{"$": "Posture", "source": "terraform"}],  # not a class an entry may hold
        [{"$": "DnsRecord", "name": "a", "type": "TXT", "values": [], "address": "x", "extra": 1}],
        [{"name": "a"}],
        [["not", "a", "record"]],
        {"$": "DnsRecord"},
    ):
        cache.put("damaged", damaged, records_cache.KIND)
        assert records_cache.load("damaged") is None
