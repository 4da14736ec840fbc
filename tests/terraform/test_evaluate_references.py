"""References resolve to what Terraform knows at plan time: configured arguments to their values,
computed attributes to symbolic references that keep identity and shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seslint.model import Ref, Template, Unknown
from seslint.sources.terraform.modules import Evaluation, evaluate_root
from seslint.sources.terraform.source import read_tree
from tests.terraform.test_source import findings, write


def evaluated(tmp_path: Path, main: str, variables: dict[str, Any] | None = None) -> Evaluation:
    write(tmp_path, {"main.tf": main})
    return evaluate_root(tmp_path, variables or {}, tmp_path)


def local(evaluation: Evaluation, name: str) -> Any:
    return evaluation.contexts[0].scope.local(name)


IDENTITIES = """\
variable "domain" {
  default = "example.com"
}
resource "aws_ses_domain_identity" "x" {
  domain = var.domain
}
resource "aws_ses_domain_dkim" "x" {
  domain = aws_ses_domain_identity.x.domain
}
resource "aws_ses_domain_mail_from" "x" {
  domain           = aws_ses_domain_identity.x.domain
  mail_from_domain = "mail.${aws_ses_domain_identity.x.domain}"
}
resource "aws_sesv2_email_identity" "v2" {
  email_identity = "example.org"
}
resource "aws_route53_zone" "z" {
  name = "example.com"
}
data "aws_route53_zone" "z" {
  name = "example.org."
}
"""


def test_configured_arguments_resolve_to_their_values(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        IDENTITIES
        + """\
locals {
  domain    = aws_ses_domain_identity.x.domain
  mail_from = aws_ses_domain_mail_from.x.mail_from_domain
  v2        = aws_sesv2_email_identity.v2.email_identity
  zone      = aws_route53_zone.z.name
  data_zone = data.aws_route53_zone.z.name
  dkim_on   = aws_ses_domain_dkim.x.domain
}
""",
    )
    assert {
        n: local(evaluation, n) for n in ("domain", "mail_from", "v2", "zone", "data_zone", "dkim_on")
    } == {
        "domain": "example.com",
        "mail_from": "mail.example.com",
        "v2": "example.org",
        "zone": "example.com",
        "data_zone": "example.org.",
        "dkim_on": "example.com",
    }


def test_computed_attributes_stay_symbolic_with_identity_and_shape(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        IDENTITIES
        + """\
locals {
  tokens      = aws_ses_domain_dkim.x.dkim_tokens
  count       = length(aws_ses_domain_dkim.x.dkim_tokens)
  v2_tokens   = aws_sesv2_email_identity.v2.dkim_signing_attributes[0].tokens
  second      = aws_sesv2_email_identity.v2.dkim_signing_attributes[0].tokens[1]
  arn         = aws_sesv2_email_identity.v2.arn
  id          = aws_ses_domain_identity.x.id
  token       = aws_ses_domain_identity.x.verification_token
  zone_id     = data.aws_route53_zone.z.zone_id
  zone_of_res = aws_route53_zone.z.zone_id
  optional    = aws_sesv2_email_identity.v2.configuration_set_name
}
""",
    )
    v1 = [Ref("aws_ses_domain_dkim.x", "dkim_tokens", i) for i in range(3)]
    v2 = [Ref("aws_sesv2_email_identity.v2", "dkim_signing_attributes.tokens", i) for i in range(3)]
    assert local(evaluation, "tokens") == v1
    assert local(evaluation, "count") == 3
    assert local(evaluation, "v2_tokens") == v2
    assert local(evaluation, "second") == v2[1]
    assert local(evaluation, "arn") == Ref("aws_sesv2_email_identity.v2", "arn")
    assert local(evaluation, "id") == Ref("aws_ses_domain_identity.x", "id")
    assert local(evaluation, "token") == Ref("aws_ses_domain_identity.x", "verification_token")
    assert local(evaluation, "zone_id") == Ref("data.aws_route53_zone.z", "zone_id")
    assert local(evaluation, "zone_of_res") == Ref("aws_route53_zone.z", "zone_id")
    assert local(evaluation, "optional") is None  # optional, not computed, not set: null


def test_optional_computed_set_is_its_value_unset_is_known_after_apply(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
resource "aws_sesv2_email_identity" "set" {
  email_identity = "example.com"
  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}
resource "aws_sesv2_email_identity" "unset" {
  email_identity = "example.org"
}
data "aws_route53_zone" "by_id" {
  zone_id = "Z123"
}
locals {
  set      = aws_sesv2_email_identity.set.dkim_signing_attributes[0].next_signing_key_length
  unset    = aws_sesv2_email_identity.unset.dkim_signing_attributes[0].next_signing_key_length
  zone_id  = data.aws_route53_zone.by_id.zone_id
  its_name = data.aws_route53_zone.by_id.name
}
""",
    )
    assert local(evaluation, "set") == "RSA_2048_BIT"
    assert local(evaluation, "unset") == Ref(
        "aws_sesv2_email_identity.unset", "dkim_signing_attributes.next_signing_key_length"
    )
    assert local(evaluation, "zone_id") == "Z123"
    assert local(evaluation, "its_name") == Ref("data.aws_route53_zone.by_id", "name")


def test_counted_and_for_each_instances_splats_and_functions(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
variable "enabled" {
  default = true
}
variable "domains" {
  default = { main = "example.com", shop = "shop.example.com" }
}
resource "aws_ses_domain_identity" "toggled" {
  count  = var.enabled ? 1 : 0
  domain = "toggled.example.com"
}
resource "aws_ses_domain_identity" "off" {
  count  = 0
  domain = "off.example.com"
}
resource "aws_sesv2_email_identity" "each" {
  for_each       = var.domains
  email_identity = each.value
}
locals {
  first    = aws_ses_domain_identity.toggled[0].domain
  splat    = aws_ses_domain_identity.toggled[*].domain
  one      = one(aws_ses_domain_identity.toggled[*].domain)
  none     = one(aws_ses_domain_identity.off[*].domain)
  tried    = try(aws_ses_domain_identity.off[0].domain, "fallback.example.com")
  joined   = join(",", aws_ses_domain_identity.toggled.*.domain)
  element  = element(aws_ses_domain_identity.toggled[*].domain, 0)
  keyed    = aws_sesv2_email_identity.each["shop"].email_identity
  values   = [for i in values(aws_sesv2_email_identity.each) : i.email_identity]
  lookup   = lookup(aws_sesv2_email_identity.each, "main").email_identity
  coalesce = coalesce(one(aws_ses_domain_identity.off[*].domain), aws_sesv2_email_identity.each["main"].email_identity)
}
""",
    )
    got = {
        n: local(evaluation, n)
        for n in (
            "first",
            "splat",
            "one",
            "none",
            "tried",
            "joined",
            "element",
            "keyed",
            "values",
            "lookup",
            "coalesce",
        )
    }
    assert got == {
        "first": "toggled.example.com",
        "splat": ["toggled.example.com"],
        "one": "toggled.example.com",
        "none": None,
        "tried": "fallback.example.com",
        "joined": "toggled.example.com",
        "element": "toggled.example.com",
        "keyed": "shop.example.com",
        "values": ["example.com", "shop.example.com"],
        "lookup": "example.com",
        "coalesce": "example.com",
    }


def test_module_inputs_and_outputs_carry_values(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
            module "identity" {
              source = "./identity"
              domain = "example.com"
            }
            module "dns" {
              source    = "./dns"
              domain    = module.identity.domain
              mail_from = module.identity.mail_from
            }
            """,
            "identity/main.tf": """\
            variable "domain" {}
            resource "aws_ses_domain_identity" "this" {
              domain = var.domain
            }
            resource "aws_ses_domain_mail_from" "this" {
              domain           = aws_ses_domain_identity.this.domain
              mail_from_domain = "bounce.${aws_ses_domain_identity.this.domain}"
            }
            output "domain" {
              value = aws_ses_domain_identity.this.domain
            }
            output "mail_from" {
              value = aws_ses_domain_mail_from.this.mail_from_domain
            }
            """,
            "dns/main.tf": """\
            variable "domain" {}
            variable "mail_from" {}
            resource "aws_route53_record" "spf" {
              zone_id = "Z1"
              name    = var.mail_from
              type    = "TXT"
              ttl     = 600
              records = ["v=spf1 include:amazonses.com -all"]
            }
            """,
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert [(r.address, r.name) for r in posture.dns_records] == [
        ("module.dns.aws_route53_record.spf", "bounce.example.com")
    ]


def test_references_that_refer_to_themselves_are_unknown(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
resource "aws_sns_topic" "a" {
  name = aws_sns_topic.b.name
}
resource "aws_sns_topic" "b" {
  name = aws_sns_topic.a.name
}
resource "aws_sns_topic" "c" {
  count = length(aws_sns_topic.c)
  name  = "c"
}
""",
    )
    [a] = evaluation.of_type("aws_sns_topic")[:1]
    assert a.values["name"] == Unknown("aws_sns_topic.a.name refers to itself (a cycle of references)")
    [c] = [i for i in evaluation.of_type("aws_sns_topic") if i.address.startswith("aws_sns_topic.c")]
    assert c.address == "aws_sns_topic.c[0]"  # judged as one instance, reported as unresolved
    assert evaluation.unresolved_findings()[0][2].startswith("count of aws_sns_topic.c could not be resolved")


def test_unknown_input_keeps_the_resource_it_designates(tmp_path: Path) -> None:
    """A v2 MAIL FROM wired to an identity whose name has no value is still that identity's."""
    evaluation = evaluated(
        tmp_path,
        """\
variable "domain" {}
resource "aws_sesv2_email_identity" "x" {
  email_identity = var.domain
}
resource "aws_sesv2_email_identity_mail_from_attributes" "x" {
  email_identity   = aws_sesv2_email_identity.x.email_identity
  mail_from_domain = "bounce.${var.domain}"
}
""",
    )
    [mail_from] = evaluation.of_type("aws_sesv2_email_identity_mail_from_attributes")
    value = mail_from.values["email_identity"]
    assert value == Unknown("var.domain has no value (pass it with --var or a tfvars file)")
    assert value.origin == Ref("aws_sesv2_email_identity.x", "email_identity")
    assert value.cause == "var.domain"
    domain = mail_from.values["mail_from_domain"]
    assert isinstance(domain, Template) and domain.parts[0] == "bounce."


# -- the provider documentation's own examples --------------------------------------------------------

DOCS_DKIM = """\
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


def test_docs_dkim_example_records_are_token_i_of_the_identity(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": DOCS_DKIM})
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    tokens = [Ref("aws_ses_domain_dkim.example", "dkim_tokens", i) for i in range(3)]
    assert [(r.address, r.name, r.values) for r in posture.dns_records] == [
        (
            f"aws_route53_record.example_amazonses_dkim_record[{i}]",
            Template((tokens[i], "._domainkey")),
            (Template((tokens[i], ".dkim.amazonses.com")),),
        )
        for i in range(3)
    ]


def test_element_and_for_each_over_v2_tokens(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
            data "aws_route53_zone" "main" {
              name = "example.com"
            }
            resource "aws_sesv2_email_identity" "x" {
              email_identity = "example.com"
            }
            resource "aws_ses_domain_identity" "v1" {
              domain = "example.org"
            }
            resource "aws_ses_domain_dkim" "v1" {
              domain = aws_ses_domain_identity.v1.domain
            }
            resource "aws_route53_record" "v1" {
              count   = 3
              zone_id = data.aws_route53_zone.main.zone_id
              name    = "${element(aws_ses_domain_dkim.v1.dkim_tokens, count.index)}._domainkey.example.org"
              type    = "CNAME"
              ttl     = 600
              records = ["${element(aws_ses_domain_dkim.v1.dkim_tokens, count.index)}.dkim.amazonses.com"]
            }
            resource "aws_route53_record" "v2" {
              for_each = toset(aws_sesv2_email_identity.x.dkim_signing_attributes[0].tokens)
              zone_id  = data.aws_route53_zone.main.zone_id
              name     = "${each.value}._domainkey.example.com"
              type     = "CNAME"
              ttl      = 600
              records  = ["${each.value}.dkim.amazonses.com"]
            }
            """
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    v1 = [Ref("aws_ses_domain_dkim.v1", "dkim_tokens", i) for i in range(3)]
    v2 = [Ref("aws_sesv2_email_identity.x", "dkim_signing_attributes.tokens", i) for i in range(3)]
    assert [(r.address, r.name) for r in posture.dns_records] == [
        *((f"aws_route53_record.v1[{i}]", Template((v1[i], "._domainkey.example.org"))) for i in range(3)),
        *(
            (f"aws_route53_record.v2[{v2[i]}]", Template((v2[i], "._domainkey.example.com")))
            for i in range(3)
        ),
    ]


DOCS_MAIL_FROM = """\
resource "aws_ses_domain_mail_from" "example" {
  domain           = aws_ses_domain_identity.example.domain
  mail_from_domain = "bounce.${aws_ses_domain_identity.example.domain}"
}

resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

resource "aws_route53_record" "example_ses_domain_mail_from_mx" {
  zone_id = aws_route53_zone.example.id
  name    = aws_ses_domain_mail_from.example.mail_from_domain
  type    = "MX"
  ttl     = "600"
  records = ["10 feedback-smtp.us-east-1.amazonses.com"]
}

resource "aws_route53_record" "example_ses_domain_mail_from_txt" {
  zone_id = aws_route53_zone.example.id
  name    = aws_ses_domain_mail_from.example.mail_from_domain
  type    = "TXT"
  ttl     = "600"
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_zone" "example" {
  name = "example.com"
}
"""


def test_docs_mail_from_example_is_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"main.tf": DOCS_MAIL_FROM})
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    [identity] = posture.identities
    assert identity.mail_from is not None and identity.mail_from.domain == "bounce.example.com"
    assert [(r.type, r.name) for r in posture.dns_records] == [
        ("MX", "bounce.example.com"),
        ("TXT", "bounce.example.com"),
    ]
    monkeypatch.chdir(tmp_path)
    got = findings(capsys, "check", ".", "--policy", "baseline")
    assert [f for f in got if f[0] in ("SES110", "SES112", "SES113")] == []
