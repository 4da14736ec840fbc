"""DNS names as the providers build them: relative names qualified by their zone, Cloudflare v4 and v5,
the apex, case and trailing dots, and zones whose name is not known. Each correct tree has a broken twin."""

from __future__ import annotations

from pathlib import Path

import pytest

from seslint.model import Ref, Template, Unknown
from seslint.sources.terraform.dns_names import qualify
from tests.terraform.trees import check, line_of, lint, messages, of, write

IDENTITY = 'resource "aws_ses_domain_identity" "example"'
DKIM = 'resource "aws_ses_domain_dkim" "example"'
MAIL_FROM = 'resource "aws_ses_domain_mail_from" "example"'

# The hashicorp/aws documentation's aws_ses_domain_dkim example, word for word.
PROVIDER_DOC_EXAMPLE = """\
resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

resource "aws_ses_domain_dkim" "example" {
  domain = aws_ses_domain_identity.example.domain
}

resource "aws_route53_record" "example_amazonses_dkim_record" {
  count   = 3
  zone_id = "ABCDEFGHIJ123"
  name    = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = "600"
  records = ["${aws_ses_domain_dkim.example.dkim_tokens[count.index]}.dkim.amazonses.com"]
}
"""

SES = """\
resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

resource "aws_ses_domain_dkim" "example" {
  domain = aws_ses_domain_identity.example.domain
}

resource "aws_ses_domain_mail_from" "example" {
  domain                 = aws_ses_domain_identity.example.domain
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "RejectMessage"
}
"""


def route53(zone: str, dkim: str = "._domainkey", mx: str = "bounce", dmarc: str = "_dmarc") -> str:
    """Route53 records for example.com's identity in the zone `zone` (an expression), names as given."""
    return f"""\
resource "aws_route53_record" "dkim" {{
  count   = 3
  zone_id = {zone}
  name    = "${{aws_ses_domain_dkim.example.dkim_tokens[count.index]}}{dkim}"
  type    = "CNAME"
  ttl     = 600
  records = ["${{aws_ses_domain_dkim.example.dkim_tokens[count.index]}}.dkim.amazonses.com"]
}}

resource "aws_route53_record" "mail_from_mx" {{
  zone_id = {zone}
  name    = "{mx}"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.us-east-1.amazonses.com"]
}}

resource "aws_route53_record" "mail_from_spf" {{
  zone_id = {zone}
  name    = "{mx}"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}}

resource "aws_route53_record" "dmarc" {{
  zone_id = {zone}
  name    = "{dmarc}"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.com"]
}}
"""


def tree(tmp_path: Path, dns: str, zones: str = "") -> Path:
    return write(tmp_path, {"main.tf": SES + zones + "\n" + dns})


def record(root: Path, name: str) -> int:
    return line_of(root, "main.tf", f'resource "aws_route53_record" "{name}"')


def test_provider_doc_example_passes_ses103(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"main.tf": PROVIDER_DOC_EXAMPLE})
    monkeypatch.chdir(tmp_path)
    # DKIM proven (and with it the verification path); only the DMARC record the example lacks.
    assert lint(capsys, ".") == [("SES120", "fail", "aws_ses_domain_identity.example", "main.tf", 1)]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (
            ("count   = 3", "count   = 2"),
            5,
            "no DKIM CNAME record is declared for token(s) aws_ses_domain_dkim.example.dkim_tokens[2] of "
            "example.com (TOKEN._domainkey.example.com -> TOKEN.dkim.amazonses.com)",
        ),
        (
            ('.dkim.amazonses.com"]', '.dkim.amazonses.net"]'),
            9,
            "DKIM CNAME aws_route53_record.example_amazonses_dkim_record[0] is named after a token of "
            "aws_ses_domain_dkim.example.dkim_tokens but does not point to the token's dkim.amazonses.com host",
        ),
        (
            ("dkim_tokens[count.index]", "dkim_tokens[0]"),
            5,
            "no DKIM CNAME record is declared for token(s) aws_ses_domain_dkim.example.dkim_tokens[1], "
            "aws_ses_domain_dkim.example.dkim_tokens[2] of example.com "
            "(TOKEN._domainkey.example.com -> TOKEN.dkim.amazonses.com)",
        ),
    ],
    ids=["two-of-three-tokens", "wrong-target", "one-token-thrice"],
)
def test_provider_doc_example_broken_twins_fail(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, str],
    line: int,
    message: str,
) -> None:
    # The line: the aws_ses_domain_dkim block when a record is missing, the record when one is wrong.
    write(tmp_path, {"main.tf": PROVIDER_DOC_EXAMPLE.replace(*change)})
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, ".")
    assert of(findings, ("SES103",)) == [
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", line)
    ]
    assert messages(findings, "SES103") == [message]


ZONE_BY_NAME = """\
data "aws_route53_zone" "main" {
  name         = "Example.COM."
  private_zone = false
}
"""


def test_relative_names_in_a_zone_looked_up_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, route53("data.aws_route53_zone.main.zone_id"), ZONE_BY_NAME)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_relative_names_in_another_zone_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(tmp_path, route53("data.aws_route53_zone.main.zone_id"), ZONE_BY_NAME.replace("COM", "org"))
    monkeypatch.chdir(tmp_path)
    identity = line_of(root, "main.tf", IDENTITY)
    assert lint(capsys, ".") == [
        ("SES101", "fail", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES120", "fail", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", DKIM)),
        ("SES112", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", MAIL_FROM)),
        ("SES113", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", MAIL_FROM)),
    ]


ZONE_RESOURCE = """\
resource "aws_route53_zone" "main" {
  name = "example.com"
}

data "aws_route53_zone" "by_id" {
  zone_id = aws_route53_zone.main.zone_id
}
"""


@pytest.mark.parametrize(
    "zone",
    ["aws_route53_zone.main.zone_id", "aws_route53_zone.main.id", "data.aws_route53_zone.by_id.zone_id"],
)
def test_zone_resource_and_data_source_by_zone_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    tree(tmp_path, route53(zone), ZONE_RESOURCE)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_names_that_already_end_with_the_zone_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Route53 keeps a name that ends with the zone's name; case and a trailing dot do not matter.
    dns = route53(
        "aws_route53_zone.main.zone_id",
        dkim="._domainkey.example.com.",
        mx="Bounce.Example.com",
        dmarc="_DMARC.example.com.",
    )
    tree(tmp_path, dns, ZONE_RESOURCE)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_a_typo_in_a_full_name_is_qualified_again_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "_dmarc.example.co" does not end with example.com: Route53 makes it _dmarc.example.co.example.com.
    root = tree(tmp_path, route53("aws_route53_zone.main.zone_id", dmarc="_dmarc.example.co"), ZONE_RESOURCE)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == [
        ("SES120", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", IDENTITY))
    ]


def test_qualify_follows_each_provider() -> None:
    assert qualify("_dmarc", "example.com.", labelwise=False, what="r") == "_dmarc.example.com"
    assert qualify("", "example.com", labelwise=False, what="r") == "example.com"
    assert qualify("notexample.com", "example.com", labelwise=False, what="r") == "notexample.com"
    assert qualify("notexample.com", "example.com", labelwise=True, what="r") == "notexample.com.example.com"
    assert qualify("@", "Example.com", labelwise=True, what="r") == "example.com"
    assert qualify("WWW.example.com.", "example.com", labelwise=True, what="r") == "www.example.com"
    token = Ref("aws_ses_domain_dkim.x", "dkim_tokens", 1)
    name = Template((token, "._domainkey"))
    assert qualify(name, "example.com", labelwise=False, what="r") == Template(
        (token, "._domainkey.example.com")
    )
    # Whether an unknown name already ends with the zone is not known: the doubt stays in the name.
    sub = Unknown("var.sub has no value")
    doubt = qualify(Template((sub, ".com")), "example.com", labelwise=False, what="r")
    assert isinstance(doubt, Template) and doubt.parts[:2] == (sub, ".com")
    assert isinstance(doubt.parts[2], Unknown) and doubt.parts[3:] == ("example.com",)


CLOUDFLARE_V4 = """\
data "cloudflare_zone" "main" {
  name = "example.com"
}

resource "cloudflare_record" "dkim" {
  count   = 3
  zone_id = data.cloudflare_zone.main.id
  name    = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
  value   = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}.dkim.amazonses.com"
}

resource "cloudflare_record" "mail_from_mx" {
  zone_id  = data.cloudflare_zone.main.id
  name     = "bounce"
  type     = "MX"
  content  = "feedback-smtp.us-east-1.amazonses.com"
  priority = 10
}

resource "cloudflare_record" "mail_from_spf" {
  zone_id = data.cloudflare_zone.main.id
  name    = "bounce"
  type    = "TXT"
  value   = "v=spf1 include:amazonses.com -all"
}

resource "cloudflare_record" "dmarc" {
  zone_id = data.cloudflare_zone.main.id
  name    = "_dmarc"
  type    = "TXT"
  content = "v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.com"
}
"""


def test_cloudflare_v4_relative_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, CLOUDFLARE_V4)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_cloudflare_v4_mx_at_the_apex_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "@" is the apex, example.com: the MAIL FROM domain bounce.example.com has no MX then.
    root = tree(tmp_path, CLOUDFLARE_V4.replace('name     = "bounce"', 'name     = "@"'))
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == [
        ("SES112", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", MAIL_FROM))
    ]


CLOUDFLARE_V5 = """\
data "cloudflare_zone" "main" {
  filter = {
    name = "example.com"
  }
}

resource "cloudflare_dns_record" "dkim" {
  count   = 3
  zone_id = data.cloudflare_zone.main.zone_id
  name    = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}._domainkey.example.com"
  type    = "CNAME"
  content = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}.dkim.amazonses.com"
  ttl     = 1
}

resource "cloudflare_dns_record" "mail_from_mx" {
  zone_id  = data.cloudflare_zone.main.zone_id
  name     = "bounce.example.com"
  type     = "MX"
  content  = "feedback-smtp.us-east-1.amazonses.com"
  priority = 10
  ttl      = 1
}

resource "cloudflare_dns_record" "mail_from_spf" {
  zone_id = data.cloudflare_zone.main.zone_id
  name    = "bounce"
  type    = "TXT"
  content = "v=spf1 include:amazonses.com -all"
  ttl     = 1
}

resource "cloudflare_dns_record" "dmarc" {
  zone_id = data.cloudflare_zone.main.zone_id
  name    = "_dmarc.example.com"
  type    = "TXT"
  content = "v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.com"
  ttl     = 1
}
"""


def test_cloudflare_v5_full_and_relative_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, CLOUDFLARE_V5)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_cloudflare_v5_zone_filter_of_another_domain_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In zone example.org, "bounce" is bounce.example.org and "_dmarc.example.com" is relative too.
    root = tree(tmp_path, CLOUDFLARE_V5.replace('name = "example.com"', 'name = "example.org"'))
    monkeypatch.chdir(tmp_path)
    mail_from = line_of(root, "main.tf", MAIL_FROM)
    identity = line_of(root, "main.tf", IDENTITY)
    assert lint(capsys, ".") == [
        ("SES101", "fail", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES120", "fail", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", DKIM)),
        ("SES112", "fail", "aws_ses_domain_identity.example", "main.tf", mail_from),
        ("SES113", "fail", "aws_ses_domain_identity.example", "main.tf", mail_from),
    ]


UNKNOWN_ZONE = """\
variable "zone_id" {
  type = string
}
"""


def test_unknown_zone_is_told_by_the_identitys_own_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The DKIM records carry example.com's own tokens: their zone is example.com, and so is the zone of
    # the _dmarc and MAIL FROM records beside them.
    tree(tmp_path, route53("var.zone_id"), UNKNOWN_ZONE)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == []


def test_unknown_zone_without_tokens_is_unknown_never_a_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dns = route53("var.zone_id").replace("var.zone_id", "aws_route53_zone.main.zone_id", 1)
    root = tree(tmp_path, dns, UNKNOWN_ZONE + ZONE_RESOURCE.replace("example.com", "example.net"))
    monkeypatch.chdir(tmp_path)
    identity = line_of(root, "main.tf", IDENTITY)
    mail_from = line_of(root, "main.tf", MAIL_FROM)
    # The DKIM records are in example.net: refuted, and no verification path is left. The others are
    # relative in a zone nothing tells.
    findings = check(capsys, ".")
    assert of(findings) == [
        ("SES101", "fail", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES120", "unknown", "aws_ses_domain_identity.example", "main.tf", identity),
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", DKIM)),
        ("SES112", "unknown", "aws_ses_domain_identity.example", "main.tf", mail_from),
        ("SES113", "unknown", "aws_ses_domain_identity.example", "main.tf", mail_from),
    ]
    [message] = messages(findings, "SES120")
    assert message == (
        "DMARC record of example.com could not be verified: aws_route53_record.dmarc is named '_dmarc' in the "
        "zone of var.zone_id, whose name is not known because var.zone_id has no value: pass it with --var or "
        "a tfvars file"
    )


def test_dmarc_in_another_zone_than_the_tokens_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dns = route53("var.zone_id")
    dmarc_at = dns.index('resource "aws_route53_record" "dmarc"')
    dns = dns[:dmarc_at] + dns[dmarc_at:].replace("var.zone_id", "aws_route53_zone.main.zone_id")
    root = tree(tmp_path, dns, UNKNOWN_ZONE + ZONE_RESOURCE.replace("example.com", "example.net"))
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == [
        ("SES120", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", IDENTITY))
    ]


def test_two_of_three_tokens_in_an_unknown_zone_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(tmp_path, route53("var.zone_id").replace("count   = 3", "count   = 2"), UNKNOWN_ZONE)
    monkeypatch.chdir(tmp_path)
    assert lint(capsys, ".") == [
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", DKIM))
    ]


def test_tokens_copied_by_hand_are_unknown_and_other_dkim_keys_do_not_hide_a_missing_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = """\
resource "aws_route53_record" "copied" {
  for_each = toset(["abcdefghijklmnopqrstuvwxyz234567", "bcdefghijklmnopqrstuvwxyz2345672", "cdefghijklmnopqrstuvwxyz23456723"])
  zone_id  = aws_route53_zone.main.zone_id
  name     = "${each.value}._domainkey"
  type     = "CNAME"
  ttl      = 600
  records  = ["${each.value}.dkim.amazonses.com"]
}
"""
    microsoft = """\
resource "aws_route53_record" "selector1" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "selector1._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["selector1-example-com._domainkey.example.onmicrosoft.com"]
}
"""
    dns = route53("aws_route53_zone.main.zone_id")
    without_dkim = dns[dns.index('resource "aws_route53_record" "mail_from_mx"') :]
    root = tree(tmp_path, without_dkim + copied, ZONE_RESOURCE)
    monkeypatch.chdir(tmp_path)
    dkim = line_of(root, "main.tf", DKIM)
    # The tokens are known only after apply: records written with literal tokens may be them.
    assert lint(capsys, ".", rules=("SES101", "SES103")) == [
        (
            "SES101",
            "unknown",
            "aws_ses_domain_identity.example",
            "main.tf",
            line_of(root, "main.tf", IDENTITY),
        ),
        ("SES103", "unknown", "aws_ses_domain_identity.example", "main.tf", dkim),
    ]
    # read_module caches a directory for the process: the twin goes in a directory of its own.
    write(tmp_path / "twin", {"main.tf": SES + ZONE_RESOURCE + without_dkim + microsoft})
    monkeypatch.chdir(tmp_path / "twin")
    assert lint(capsys, ".", rules=("SES101", "SES103")) == [
        ("SES101", "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", IDENTITY)),
        ("SES103", "fail", "aws_ses_domain_identity.example", "main.tf", dkim),
    ]


def test_an_unknown_name_hides_only_names_in_its_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A TXT record whose name comes from a variable without a value ends with its zone's name either
    # way: in example.net it may be anything there, but not _dmarc.example.com.
    unknown_name = """\
variable "record" {
  type = string
}

resource "aws_route53_record" "any" {
  zone_id = aws_route53_zone.main.zone_id
  name    = var.record
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject; pct=100; rua=mailto:dmarc@example.com"]
}
"""
    for zone, status in (("example.net", "fail"), ("example.com", "unknown")):
        root = write(
            tmp_path / zone,
            {"main.tf": PROVIDER_DOC_EXAMPLE + ZONE_RESOURCE.replace("example.com", zone) + unknown_name},
        )
        monkeypatch.chdir(root)
        assert lint(capsys, ".", rules=("SES120",)) == [
            ("SES120", status, "aws_ses_domain_identity.example", "main.tf", 1)
        ]


DOMAIN_FROM_A_VARIABLE = """\
variable "domain" {
  type = string
}

variable "zone_id" {
  type = string
}

resource "aws_ses_domain_identity" "example" {
  domain = var.domain
}

resource "aws_ses_domain_dkim" "example" {
  domain = aws_ses_domain_identity.example.domain
}

resource "aws_ses_domain_mail_from" "example" {
  domain                 = aws_ses_domain_identity.example.domain
  mail_from_domain       = "mail.${var.domain}"
  behavior_on_mx_failure = "RejectMessage"
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_ses_domain_dkim.example.dkim_tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_ses_domain_dkim.example.dkim_tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.zone_id
  name    = "mail.${var.domain}"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.us-east-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.zone_id
  name    = "mail.${var.domain}"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}
"""


@pytest.mark.parametrize(
    ("change", "rule", "block"),
    [
        (("", ""), None, None),
        (("count   = 3", "count   = 2"), "SES103", DKIM),
        (("10 feedback-smtp", "10 inbound-smtp"), "SES112", 'resource "aws_route53_record" "mail_from_mx"'),
        (("include:amazonses.com -all", "-all"), "SES113", MAIL_FROM),
    ],
    ids=["ok", "two-of-three-tokens", "mx-not-feedback", "spf-without-amazonses"],
)
def test_names_built_from_a_variable_without_value_are_the_identitys(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, str],
    rule: str | None,
    block: str | None,
) -> None:
    # Whatever var.domain is, "${token}._domainkey.${var.domain}" and "mail.${var.domain}" are the
    # identity's DKIM and MAIL FROM names: proven or refuted without knowing it.
    root = write(
        tmp_path,
        {"main.tf": DOMAIN_FROM_A_VARIABLE.replace(*change) if change[0] else DOMAIN_FROM_A_VARIABLE},
    )
    monkeypatch.chdir(tmp_path)
    expected = (
        []
        if rule is None or block is None
        else [(rule, "fail", "aws_ses_domain_identity.example", "main.tf", line_of(root, "main.tf", block))]
    )
    assert lint(capsys, ".", rules=("SES103", "SES112", "SES113")) == expected
