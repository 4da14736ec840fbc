"""The Terraform source on hand-written trees: resolution, expansion, wiring, errors, waivers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint import cli
from seslint.model import Ref, Template, Unknown
from seslint.sources.terraform.source import read_tree
from tests.terraform.trees import write


def findings(capsys: pytest.CaptureFixture[str], *argv: str) -> list[tuple[str, str, str, int | None]]:
    cli.main([*argv, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    return [(f["rule"], f["status"], f["resource"], f["line"]) for f in report["findings"]]


V1_FOR_EACH = """\
variable "domain" {
  default = "example.com"
}

resource "aws_ses_domain_identity" "this" {
  domain = var.domain
}

resource "aws_ses_domain_dkim" "this" {
  domain = aws_ses_domain_identity.this.domain
}

resource "aws_route53_record" "dkim" {
  for_each = toset(aws_ses_domain_dkim.this.dkim_tokens)
  zone_id  = "Z1"
  name     = "${each.value}._domainkey.${var.domain}"
  type     = "CNAME"
  ttl      = 600
  records  = ["${each.value}.dkim.amazonses.com"]
}
"""


def test_for_each_over_symbolic_tokens_is_wired(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": V1_FOR_EACH})
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    [identity] = posture.identities
    assert identity.name == "example.com"
    assert identity.verified is True  # its DKIM CNAMEs are declared
    assert identity.aliases == ("aws_ses_domain_dkim.this",)
    assert identity.dkim is not None and identity.dkim.tokens == Ref(
        "aws_ses_domain_dkim.this", "dkim_tokens"
    )
    # for_each over the token set: three instances, each.value token i.
    assert [(r.address, r.name, r.values) for r in posture.dns_records] == [
        (
            f"aws_route53_record.dkim[aws_ses_domain_dkim.this.dkim_tokens[{i}]]",
            Template((Ref("aws_ses_domain_dkim.this", "dkim_tokens", i), "._domainkey.example.com")),
            (Template((Ref("aws_ses_domain_dkim.this", "dkim_tokens", i), ".dkim.amazonses.com")),),
        )
        for i in range(3)
    ]


def test_dkim_rule_on_for_each_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"main.tf": V1_FOR_EACH})
    monkeypatch.chdir(tmp_path)
    got = findings(capsys, "check", ".", "--policy", "baseline")
    assert ("SES103", "fail", "aws_ses_domain_identity.this", 5) not in got
    assert ("SES102", "fail", "aws_ses_domain_identity.this", 5) not in got


def test_wrong_dkim_target_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"main.tf": V1_FOR_EACH.replace(".dkim.amazonses.com", ".dkim.example.com")})
    monkeypatch.chdir(tmp_path)
    got = findings(capsys, "check", ".", "--policy", "baseline")
    assert ("SES103", "fail", "aws_ses_domain_identity.this", 13) in got  # at the wrong record


def test_unset_variable_is_unknown_with_reason(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "domain" {}\nresource "aws_sesv2_email_identity" "x" {\n  email_identity = var.domain\n}\n'
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert posture.identities[0].name == Unknown(
        "var.domain has no value: pass it with --var or a tfvars file"
    )


def test_tfvars_auto_tfvars_var_file_and_var_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "a" {}\nvariable "b" {}\nvariable "c" {}\nvariable "d" {}\n'
            'resource "aws_sns_topic" "t" {\n  name = "${var.a}-${var.b}-${var.c}-${var.d}"\n}\n',
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
            "x.auto.tfvars": 'b = "auto"\nc = "auto"\nd = "auto"\n',
            "extra.tfvars": 'c = "file"\nd = "file"\n',
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, ["extra.tfvars"], ["d=cli"])
    assert posture.topics[0].name == "tfvars-auto-file-cli"


def test_locals_functions_conditionals_and_count(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
        variable "domains" {
          default = ["A.example.com", "b.example.com"]
        }
        variable "tls" {
          default = true
        }
        locals {
          names = [for d in var.domains : lower(d)]
          sets  = { for d in local.names : d => replace(d, ".", "-") }
        }
        resource "aws_sesv2_configuration_set" "per_domain" {
          for_each               = local.sets
          configuration_set_name = each.value
          delivery_options {
            tls_policy = var.tls ? "REQUIRE" : "OPTIONAL"
          }
        }
        resource "aws_sesv2_email_identity" "d" {
          count          = length(local.names)
          email_identity = element(local.names, count.index)
          configuration_set_name = lookup(local.sets, local.names[count.index])
        }
        """
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert [(c.address, c.name, c.tls_policy.value) for c in posture.configuration_sets] == [  # type: ignore[union-attr]
        ('aws_sesv2_configuration_set.per_domain["a.example.com"]', "a-example-com", "REQUIRE"),
        ('aws_sesv2_configuration_set.per_domain["b.example.com"]', "b-example-com", "REQUIRE"),
    ]
    assert [(i.address, i.name, i.configuration_set) for i in posture.identities] == [
        ("aws_sesv2_email_identity.d[0]", "a.example.com", "a-example-com"),
        ("aws_sesv2_email_identity.d[1]", "b.example.com", "b-example-com"),
    ]


def test_module_for_each_inputs_and_outputs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "root/main.tf": """\
            module "ses" {
              source   = "../mod"
              for_each = toset(["eu", "us"])
              name     = "set-${each.key}"
            }
            resource "aws_sns_topic" "t" {
              name = module.ses["eu"].set_name
            }
            """,
            "mod/main.tf": """\
            variable "name" {}
            resource "aws_sesv2_configuration_set" "this" {
              configuration_set_name = var.name
            }
            output "set_name" {
              value = aws_sesv2_configuration_set.this.configuration_set_name
            }
            """,
        },
    )
    postures = read_tree([str(tmp_path)], tmp_path, [], [])
    assert [p.targets for p in postures] == [("root",)]
    [posture] = postures
    assert [(c.address, c.name) for c in posture.configuration_sets] == [
        ('module.ses["eu"].aws_sesv2_configuration_set.this', "set-eu"),
        ('module.ses["us"].aws_sesv2_configuration_set.this', "set-us"),
    ]
    # A configured argument read through a module output is its value, as at plan time.
    assert posture.topics[0].name == "set-eu"
    assert posture.configuration_sets[0].location.file == "mod/main.tf"


def test_cloudflare_records_v4_and_v5(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
        resource "cloudflare_zone" "z" {
          zone = "example.com"
        }
        resource "cloudflare_record" "dmarc" {
          zone_id = cloudflare_zone.z.id
          name    = "_dmarc"
          type    = "TXT"
          content = "v=DMARC1; p=reject"
        }
        resource "cloudflare_dns_record" "mx" {
          zone_id  = "abc"
          name     = "bounce.example.com"
          type     = "MX"
          content  = "feedback-smtp.eu-west-1.amazonses.com"
          priority = 10
          ttl      = 1
        }
        """
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert [(r.name, r.type, r.values) for r in posture.dns_records] == [
        ("_dmarc.example.com", "TXT", ("v=DMARC1; p=reject",)),
        ("bounce.example.com", "MX", ("10 feedback-smtp.eu-west-1.amazonses.com",)),
    ]


def test_syntax_error_is_ses000_and_other_files_still_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "broken.tf": 'resource "aws_sns_topic" "t" {\n  name = \n',
            "ok.tf": 'resource "aws_ses_configuration_set" "legacy" {\n  name = "legacy"\n}\n',
        },
    )
    monkeypatch.chdir(tmp_path)
    got = findings(capsys, "check", ".", "--policy", "baseline")
    assert [g for g in got if g[0] == "SES000"] == [("SES000", "fail", "broken.tf", 2)]
    assert ("SES202", "fail", "aws_ses_configuration_set.legacy", 1) in got


def test_binary_and_bad_utf8_files_are_ses000(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_bytes(b"\x00\x01\x02")
    (tmp_path / "b.tf").write_bytes(b'resource "x" "y" {\n  a = "\xff"\n}\n')
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert sorted((f.what, f.reason) for f in posture.failures) == [
        ("a.tf", "binary content, not Terraform"),
        ("b.tf", "not UTF-8 text (byte 26)"),
    ]


def test_scope_names_a_missing_identity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_sesv2_email_identity" "x" {\n  email_identity = "example.org"\n}\n',
            "policy.yaml": "version: 1\nextends: baseline\nscope: {identities: [example.com, example.org]}\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    got = findings(capsys, "check", ".", "--policy", "policy.yaml")
    assert ("SES100", "fail", "example.com", 1) in got
    assert not [g for g in got if g[0] == "SES100" and g[2] == "example.org"]


def test_inline_waiver_applies_and_needs_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "main.tf": """\
        resource "aws_ses_configuration_set" "a" {
          # seslint:ignore SES201,SES202 -- OPS-9: partner relay without TLS
          name = "a"
        }
        resource "aws_ses_configuration_set" "b" {
          # seslint:ignore SES202
          name = "b"
        }
        """
        },
    )
    monkeypatch.chdir(tmp_path)
    cli.main(["check", ".", "--policy", "baseline", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    got = [(f["rule"], f["resource"], f["line"], f["waived"]) for f in report["findings"]]
    assert got == [
        ("SES201", "aws_ses_configuration_set.a", 1, True),
        ("SES202", "aws_ses_configuration_set.a", 1, True),
        ("SES201", "aws_ses_configuration_set.b", 5, False),
        ("SES202", "aws_ses_configuration_set.b", 5, False),
        ("SES000", "main.tf:6", 6, False),
    ]
    assert report["findings"][-1]["message"] == "seslint:ignore needs a reason after `--`"


def test_missing_path_is_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "nope"]) == 2
    assert capsys.readouterr().err == "seslint: nope: no such file or directory\n"


def test_changed_file_is_judged_through_its_caller(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(
        tmp_path,
        {
            "live/main.tf": 'module "m" {\n  source = "../modules/m"\n  name = "prod"\n}\n',
            "modules/m/main.tf": 'variable "name" {}\nresource "aws_sns_topic" "t" {\n  name = var.name\n}\n',
        },
    )
    postures = read_tree(["modules/m/main.tf"], tmp_path, [], [])
    assert [(p.targets, [t.name for t in p.topics]) for p in postures] == [(("live",), ["prod"])]


def test_circular_locals_are_unknown(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'locals {\n  a = local.b\n  b = local.a\n}\nresource "aws_sns_topic" "t" {\n  name = local.a\n}\n'
        },
    )
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    assert posture.topics[0].name == Unknown("locals refer to each other in a cycle: a -> b -> a")


BYODKIM = """\
variable "public_key" {}
resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
  dkim_signing_attributes {
    domain_signing_private_key = "c2VjcmV0"
    domain_signing_selector    = "s1"
  }
}
resource "aws_route53_record" "key" {
  zone_id = "Z1"
  name    = "s1._domainkey.example.com"
  type    = "TXT"
  ttl     = 600
  records = [RECORD]
}
"""


@pytest.mark.parametrize(
    ("record", "verified"),
    [
        ('"v=DKIM1; k=rsa; p=MIIBIjANBgkq"', True),
        ('"v=DKIM1; k=rsa; p = MIIBIjANBgkq"', True),
        (
            "var.public_key",
            Unknown("aws_route53_record.key may verify it: whether it holds a public key is not known"),
        ),
        ('"v=DKIM1; k=rsa"', False),  # no public key: SES cannot verify the domain by it
    ],
)
def test_byodkim_selector_record_verifies_the_domain(tmp_path: Path, record: str, verified: object) -> None:
    """SES verifies a BYODKIM domain by the selector's public key record (SES Developer Guide, creating
    and verifying identities: a domain identity's verification is its DKIM set-up, Easy DKIM or BYODKIM)."""
    write(tmp_path, {"main.tf": BYODKIM.replace("RECORD", record)})
    [posture] = read_tree([str(tmp_path)], tmp_path, [], [])
    [identity] = posture.identities
    assert identity.verified == verified


def test_byodkim_without_its_record_names_the_selector_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        tmp_path, {"main.tf": BYODKIM.replace("s1._domainkey", "s0._domainkey").replace("RECORD", '"p=MIIB"')}
    )
    cli.main(["check", str(tmp_path), "--policy", "strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    [message] = [f["message"] for f in report["findings"] if f["rule"] == "SES101"]
    assert message == (
        "domain identity example.com has no verification path: neither the _amazonses TXT record nor its "
        "BYODKIM selector TXT record (p=) are declared"
    )
