"""References resolve to what Terraform knows at plan time: configured arguments to their values,
computed attributes to symbolic references that keep identity and shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
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
    assert evaluation.unresolved_findings()[0][2] == (
        "the count of aws_sns_topic.c is not known because the count or for_each of aws_sns_topic.c refers to "
        "itself (a cycle of references), so it was judged as one instance"
    )


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
    assert value == Unknown("var.domain has no value: pass it with --var or a tfvars file")
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
            # The zone is not declared: the identity's own tokens tell it (dns_records.py).
            Template((tokens[i], "._domainkey.example.com")),
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
              domain = "mail.example.com"
            }
            resource "aws_ses_domain_dkim" "v1" {
              domain = aws_ses_domain_identity.v1.domain
            }
            resource "aws_route53_record" "v1" {
              count   = 3
              zone_id = data.aws_route53_zone.main.zone_id
              name    = "${element(aws_ses_domain_dkim.v1.dkim_tokens, count.index)}._domainkey.mail.example.com"
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
        *(
            (f"aws_route53_record.v1[{i}]", Template((v1[i], "._domainkey.mail.example.com")))
            for i in range(3)
        ),
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


# -- symbolic lists flow through expressions ----------------------------------------------------------

LISTS = """\
resource "aws_ses_domain_identity" "x" {
  domain = "example.com"
}
resource "aws_ses_domain_dkim" "x" {
  domain = aws_ses_domain_identity.x.domain
}
locals {
  tokens     = aws_ses_domain_dkim.x.dkim_tokens
  names      = [for t in local.tokens : "${t}._domainkey.example.com"]
  formatted  = formatlist("%s.dkim.amazonses.com", local.tokens)
  element    = element(local.tokens, 4)
  as_set     = toset(local.tokens)
  as_list    = tolist(local.as_set)
  concat     = concat(local.tokens, ["extra"])
  flatten    = flatten([local.tokens, [local.tokens[0]]])
  distinct   = distinct(local.flatten)
  slice      = slice(local.tokens, 1, 3)
  zipmap     = zipmap(["a", "b", "c"], local.tokens)
  keys       = keys(local.zipmap)
  values     = values(local.zipmap)
  length     = length(local.names)
  by_token   = { for t in local.tokens : t => "${t}.dkim.amazonses.com" }
}
"""


def test_token_lists_flow_through_functions_and_for(tmp_path: Path) -> None:
    evaluation = evaluated(tmp_path, LISTS)
    t = [Ref("aws_ses_domain_dkim.x", "dkim_tokens", i) for i in range(3)]
    assert local(evaluation, "names") == [Template((t[i], "._domainkey.example.com")) for i in range(3)]
    assert local(evaluation, "formatted") == [Template((t[i], ".dkim.amazonses.com")) for i in range(3)]
    assert local(evaluation, "element") == t[1]  # element() wraps around
    assert local(evaluation, "as_set") == t
    assert local(evaluation, "as_list") == t
    assert local(evaluation, "concat") == [*t, "extra"]
    assert local(evaluation, "flatten") == [*t, t[0]]
    assert local(evaluation, "distinct") == t
    assert local(evaluation, "slice") == t[1:]
    assert local(evaluation, "zipmap") == {"a": t[0], "b": t[1], "c": t[2]}
    assert local(evaluation, "keys") == ["a", "b", "c"]
    assert local(evaluation, "values") == t
    assert local(evaluation, "length") == 3
    assert local(evaluation, "by_token") == {
        str(t[i]): Template((t[i], ".dkim.amazonses.com")) for i in range(3)
    }


def test_count_arithmetic_and_set_products(tmp_path: Path) -> None:
    """floor()/ceil() of count arithmetic index counted resources; setproduct() and chunklist() build
    the pairs and groups multi-domain modules key their records by, token lists included."""
    evaluation = evaluated(
        tmp_path,
        """\
resource "aws_ses_domain_dkim" "x" {
  count  = 2
  domain = "d${count.index}.example.com"
}
locals {
  floor    = [for i in range(6) : floor(i / 3)]
  ceil     = [ceil(0.5), ceil(2), floor(-0.5)]
  token    = element(aws_ses_domain_dkim.x[floor(4 / 3)].dkim_tokens, 4 % 3)
  product  = setproduct(["a", "b"], range(2))
  repeated = setproduct(["a", "a"], [1])
  empty    = setproduct(["a"], [])
  tokens   = setproduct(["a"], aws_ses_domain_dkim.x[0].dkim_tokens)
  chunks   = chunklist(["a", "b", "c"], 2)
  whole    = chunklist(["a", "b"], 0)
}
""",
    )
    t = [Ref("aws_ses_domain_dkim.x[0]", "dkim_tokens", i) for i in range(3)]
    assert local(evaluation, "floor") == [0, 0, 0, 1, 1, 1]
    assert local(evaluation, "ceil") == [1, 2, -1]
    assert local(evaluation, "token") == Ref("aws_ses_domain_dkim.x[1]", "dkim_tokens", 1)
    assert local(evaluation, "product") == [["a", 0], ["a", 1], ["b", 0], ["b", 1]]
    assert local(evaluation, "repeated") == [["a", 1]]  # sets: no duplicate element
    assert local(evaluation, "empty") == []
    assert local(evaluation, "tokens") == [["a", t[0]], ["a", t[1]], ["a", t[2]]]
    assert local(evaluation, "chunks") == [["a", "b"], ["c"]]
    assert local(evaluation, "whole") == [["a", "b"]]


def test_dynamic_blocks_expand_over_known_and_token_lists(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
variable "events" {
  default = ["BOUNCE", "COMPLAINT"]
}
data "aws_iam_policy_document" "p" {
  dynamic "statement" {
    for_each = var.events
    iterator = event
    content {
      sid     = "Allow${event.value}"
      actions = ["sns:Publish"]
    }
  }
  statement {
    sid = "Static"
  }
}
""",
    )
    [document] = evaluation.of_type("data.aws_iam_policy_document")
    assert [s["sid"] for s in document.values["statement"]] == ["Static", "AllowBOUNCE", "AllowCOMPLAINT"]


# -- partly known strings and three-valued logic ------------------------------------------------------


def test_unknown_inputs_keep_the_known_text(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
variable "root_domain" {}
locals {
  sender    = "no-reply@${var.root_domain}"
  dmarc     = "_dmarc.${var.root_domain}"
  mail_from = "mail.${var.root_domain}"
  bare      = "${var.root_domain}"
}
""",
    )
    unknown = Unknown("var.root_domain has no value: pass it with --var or a tfvars file")
    assert local(evaluation, "sender") == Template(("no-reply@", unknown))
    assert local(evaluation, "dmarc") == Template(("_dmarc.", unknown))
    assert local(evaluation, "mail_from") == Template(("mail.", unknown))
    assert local(evaluation, "bare") == unknown


def test_three_valued_logic_and_equal_branches(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
variable "unknown" {}
data "aws_route53_zone" "z" {
  name = "example.com"
}
locals {
  false_and   = false && var.unknown
  and_false   = var.unknown && false
  true_or     = true || var.unknown
  or_true     = data.aws_route53_zone.z.zone_id != "" || true
  undecided   = var.unknown && true
  same        = var.unknown ? "REQUIRE" : "REQUIRE"
  differ      = var.unknown ? "REQUIRE" : "OPTIONAL"
  all_false   = alltrue([var.unknown, false])
  any_true    = anytrue([var.unknown, true])
  dmarc_off   = data.aws_route53_zone.z.zone_id != "" && false ? 1 : 0
}
""",
    )
    got = {
        n: local(evaluation, n)
        for n in (
            "false_and",
            "and_false",
            "true_or",
            "or_true",
            "same",
            "all_false",
            "any_true",
            "dmarc_off",
        )
    }
    assert got == {
        "false_and": False,
        "and_false": False,
        "true_or": True,
        "or_true": True,
        "same": "REQUIRE",
        "all_false": False,
        "any_true": True,
        "dmarc_off": 0,
    }
    assert local(evaluation, "undecided") == Unknown(
        "var.unknown has no value: pass it with --var or a tfvars file"
    )
    assert isinstance(local(evaluation, "differ"), Unknown)


# -- pure data sources and the provider's region ------------------------------------------------------

POLICY = """\
resource "aws_sns_topic" "feedback" {
  name = "ses-feedback"
}
data "aws_caller_identity" "current" {}
data "aws_iam_policy_document" "feedback" {
  statement {
    sid       = "AllowSESPublish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.feedback.arn]
    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
  statement {
    actions   = ["sns:Subscribe", "sns:Receive"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_sns_topic_policy" "feedback" {
  arn    = aws_sns_topic.feedback.arn
  policy = data.aws_iam_policy_document.feedback.json
}
"""


def test_policy_document_renders_as_the_provider_writes_it(tmp_path: Path) -> None:
    evaluation = evaluated(tmp_path, POLICY)
    [policy] = evaluation.of_type("aws_sns_topic_policy")
    assert json.loads(policy.values["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowSESPublish",
                "Effect": "Allow",
                "Action": "sns:Publish",
                "Resource": "${aws_sns_topic.feedback.arn}",
                "Principal": {"Service": "ses.amazonaws.com"},
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "${data.aws_caller_identity.current.account_id}"}
                },
            },
            {
                "Sid": "",
                "Effect": "Allow",
                "Action": ["sns:Subscribe", "sns:Receive"],
                "Resource": "*",
                "Principal": "*",
            },
        ],
    }


def test_policy_document_is_judged_by_ses143(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identity = """\
resource "aws_sesv2_email_identity" "x" {
  email_identity = "example.com"
}
resource "aws_ses_identity_notification_topic" "bounce" {
  identity          = aws_sesv2_email_identity.x.email_identity
  notification_type = "Bounce"
  topic_arn         = aws_sns_topic.feedback.arn
}
"""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"good/main.tf": POLICY + identity})
    write(tmp_path, {"bad/main.tf": POLICY.replace("ses.amazonaws.com", "sns.amazonaws.com") + identity})
    assert [f for f in findings(capsys, "check", "good", "--policy", "baseline") if f[0] == "SES143"] == []
    assert [f for f in findings(capsys, "check", "bad", "--policy", "baseline") if f[0] == "SES143"] == [
        ("SES143", "fail", "aws_sns_topic.feedback", 1)
    ]


def test_provider_region_per_instance(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
            variable "region" {
              default = "eu-west-1"
            }
            provider "aws" {
              region = var.region
            }
            provider "aws" {
              alias  = "us"
              region = "us-east-1"
            }
            resource "aws_sesv2_email_identity" "eu" {
              email_identity = "eu.example.com"
            }
            resource "aws_sesv2_email_identity" "us" {
              provider       = aws.us
              email_identity = "us.example.com"
            }
            data "aws_region" "us" {
              provider = aws.us
            }
            resource "aws_route53_record" "mx" {
              zone_id = "Z1"
              name    = "mail.us.example.com"
              type    = "MX"
              ttl     = 600
              records = ["10 feedback-smtp.${data.aws_region.us.name}.amazonses.com"]
            }
            module "child" {
              source    = "./child"
              providers = { aws = aws.us }
            }
            module "inherits" {
              source = "./child"
            }
            """,
            "child/main.tf": """\
            resource "aws_ses_email_identity" "x" {
              email = "child@example.com"
            }
            """,
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert [(i.address, i.region) for i in posture.identities] == [
        ("module.child.aws_ses_email_identity.x", "us-east-1"),
        ("module.inherits.aws_ses_email_identity.x", "eu-west-1"),
        ("aws_sesv2_email_identity.eu", "eu-west-1"),
        ("aws_sesv2_email_identity.us", "us-east-1"),
    ]
    [mx] = posture.dns_records
    assert mx.values == ("10 feedback-smtp.us-east-1.amazonses.com",)


def test_region_not_set_stays_the_providers_by_reference(tmp_path: Path) -> None:
    evaluation = evaluated(
        tmp_path,
        """\
data "aws_region" "current" {}
locals {
  mx = "10 feedback-smtp.${data.aws_region.current.name}.amazonses.com"
}
""",
    )
    assert local(evaluation, "mx") == Template(
        ("10 feedback-smtp.", Ref("data.aws_region.current", "name"), ".amazonses.com")
    )


def test_email_identity_with_an_unknown_domain_is_an_email_identity(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
            variable "root_domain" {}
            resource "aws_sesv2_email_identity" "sender" {
              email_identity = "no-reply@${var.root_domain}"
            }
            """
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    [identity] = posture.identities
    assert identity.kind.value == "email"
    assert identity.domain == Unknown("var.root_domain has no value: pass it with --var or a tfvars file")


def test_inline_policy_with_a_written_out_account_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The topic's ARN written with a literal account: right region and name, but whether the account
    is the topic's cannot be told offline."""
    write(
        tmp_path,
        {
            "main.tf": """\
            provider "aws" {
              region = "eu-west-1"
            }
            data "aws_iam_policy_document" "feedback" {
              statement {
                actions   = ["sns:Publish"]
                resources = ["arn:aws:sns:eu-west-1:123456789012:ses-feedback"]
                principals {
                  type        = "Service"
                  identifiers = ["ses.amazonaws.com"]
                }
              }
            }
            resource "aws_sns_topic" "feedback" {
              name   = "ses-feedback"
              policy = data.aws_iam_policy_document.feedback.json
            }
            resource "aws_sesv2_email_identity" "main" {
              email_identity = "example.com"
            }
            resource "aws_ses_identity_notification_topic" "bounce" {
              topic_arn         = aws_sns_topic.feedback.arn
              notification_type = "Bounce"
              identity          = aws_sesv2_email_identity.main.email_identity
            }
            """
        },
    )
    monkeypatch.chdir(tmp_path)
    assert [f for f in findings(capsys, "check", ".", "--policy", "baseline") if f[0] == "SES143"] == [
        ("SES143", "unknown", "aws_sns_topic.feedback", 14)
    ]


def test_one_unknown_per_cause_naming_only_posture_resources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label module from the registry (not downloaded) and a variable without a value decide the
    count of many resources: each is reported once, at the cause, naming only the SES posture it hides
    (the KMS key and the policy document are never evaluated)."""
    toggled = "  count = module.this.enabled ? 1 : 0\n"
    switch = "  count = var.create ? 1 : 0\n"
    write(
        tmp_path,
        {
            "main.tf": 'module "this" {\n  source  = "cloudposse/label/null"\n  version = "0.25.0"\n}\n'
            'variable "create" {}\n'
            'resource "aws_kms_key" "k" {\n' + toggled + "}\n"
            'data "aws_iam_policy_document" "p" {\n' + toggled + "}\n"
            'resource "aws_sesv2_email_identity" "x" {\n' + toggled + '  email_identity = "example.com"\n}\n'
            'resource "aws_sns_topic" "t" {\n' + toggled + '  name = "feedback"\n}\n'
            'resource "aws_kms_alias" "a" {\n' + switch + '  name = "alias/x"\n}\n'
            'resource "aws_sesv2_configuration_set" "s" {\n' + switch + '  configuration_set_name = "s"\n}\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    cli.main(["check", ".", "--policy", "baseline", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [
        (f["resource"], f["line"], f["message"]) for f in report["findings"] if f["rule"] == "SES004"
    ] == [
        (
            "module.this",
            1,
            "module this comes from 'cloudposse/label/null', which terraform init downloads, and there is no "
            ".terraform/modules/modules.json: run terraform init to have it checked; it decides the count of "
            "aws_sesv2_email_identity.x and the count of aws_sns_topic.t, each judged as one instance",
        ),
        (
            "var.create",
            5,
            "var.create has no value, so the count of aws_sesv2_configuration_set.s was judged as one instance: "
            "pass it with --var or a tfvars file",
        ),
    ]


def test_an_alarm_that_may_not_exist_proves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
            variable "alarms" {}
            resource "aws_sesv2_email_identity" "x" {
              email_identity = "example.com"
            }
            resource "aws_cloudwatch_metric_alarm" "bounce" {
              count               = var.alarms ? 1 : 0
              alarm_name          = "ses-bounce-rate"
              namespace           = "AWS/SES"
              metric_name         = "Reputation.BounceRate"
              statistic           = "Average"
              period              = 3600
              evaluation_periods  = 1
              threshold           = 0.02
              comparison_operator = "GreaterThanOrEqualToThreshold"
              alarm_actions       = ["arn:aws:sns:eu-west-1:123456789012:ops"]
            }
            """
        },
    )
    monkeypatch.chdir(tmp_path)
    got = [f for f in findings(capsys, "check", ".", "--policy", "baseline") if f[0] in ("SES004", "SES310")]
    assert got == [
        ("SES004", "unknown", "var.alarms", 1),
        ("SES310", "unknown", "aws_cloudwatch_metric_alarm.bounce[0]", 5),
    ]
