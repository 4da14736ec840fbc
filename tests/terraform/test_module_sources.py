"""Remote modules through `.terraform/modules/modules.json` (the manifest terraform init writes): registry
and nested calls are judged through their downloaded code; without the manifest, or with one that points
elsewhere, the module call is one unknown naming it, and nothing outside the tree is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seslint.sources.terraform.module_sources import manifest_key
from tests.terraform.trees import check, line_of, of, write

ROOT = """\
module "this" {
  source    = "cloudposse/label/null"
  version   = "0.25.0"
  namespace = "acme"
  name      = "mail"
}

module "ses" {
  source  = "acme/ses-domain/aws"
  version = "1.2.0"
  domain  = "example.com"
  zone_id = "Z0123456789"
  context = module.this.context
}
"""

# A label module in the style of cloudposse/label/null: an id and a context built from inputs.
LABEL = """\
variable "namespace" {
  type    = string
  default = null
}

variable "name" {
  type    = string
  default = null
}

variable "context" {
  type    = any
  default = {}
}

locals {
  namespace = coalesce(var.namespace, lookup(var.context, "namespace", null), "none")
  name      = coalesce(var.name, lookup(var.context, "name", null), "none")
}

output "id" {
  value = "${local.namespace}-${local.name}"
}

output "context" {
  value = { namespace = local.namespace, name = local.name }
}
"""

SES_MODULE = """\
variable "domain" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "context" {
  type    = any
  default = {}
}

module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  context = var.context
  name    = "ses"
}

resource "aws_sesv2_email_identity" "this" {
  email_identity         = var.domain
  configuration_set_name = module.label.id
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=POLICY; pct=100; rua=mailto:dmarc@${var.domain}"]
}
"""

MANIFEST = {
    "Modules": [
        {"Key": "", "Source": "", "Dir": "."},
        {
            "Key": "this",
            "Source": "registry.terraform.io/cloudposse/label/null",
            "Version": "0.25.0",
            "Dir": ".terraform/modules/this",
        },
        {
            "Key": "ses",
            "Source": "registry.terraform.io/acme/ses-domain/aws",
            "Version": "1.2.0",
            "Dir": ".terraform/modules/ses",
        },
        {
            "Key": "ses.label",
            "Source": "registry.terraform.io/cloudposse/label/null",
            "Version": "0.25.0",
            "Dir": ".terraform/modules/ses.label",
        },
    ]
}

RULES = ("SES004", "SES101", "SES103", "SES120", "SES122")
IDENTITY = 'resource "aws_sesv2_email_identity" "this"'


def initialised(root: Path, policy: str = "reject", manifest: object = MANIFEST) -> Path:
    """A root as terraform init leaves it: the manifest and the downloaded code under .terraform/modules."""
    return write(
        root,
        {
            "main.tf": ROOT,
            ".terraform/modules/modules.json": json.dumps(manifest),
            ".terraform/modules/this/main.tf": LABEL,
            ".terraform/modules/ses/main.tf": SES_MODULE.replace("POLICY", policy),
            ".terraform/modules/ses.label/main.tf": LABEL,
        },
    )


def test_registry_and_nested_modules_are_judged_through_their_downloaded_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    initialised(tmp_path / "stack")
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, "stack")
    assert of(findings, RULES) == []
    # The nested label module, given the root label's context, named the default configuration set.
    assert [f["message"] for f in findings if f["rule"] == "SES140"] == [
        "BOUNCE notifications of example.com reach no SNS topic: no bounce notification topic on the "
        "identity, and its default configuration set acme-ses has no enabled SNS event destination matching BOUNCE"
    ]


def test_a_broken_downloaded_module_fails_at_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = initialised(tmp_path / "stack", policy="none")
    monkeypatch.chdir(tmp_path)
    line = line_of(root, ".terraform/modules/ses/main.tf", 'resource "aws_route53_record" "dmarc"')
    assert of(check(capsys, "stack"), RULES) == [
        (
            "SES122",
            "fail",
            "module.ses.aws_sesv2_email_identity.this",
            "stack/.terraform/modules/ses/main.tf",
            line,
        )
    ]


def test_without_the_manifest_each_module_call_is_one_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "stack", {"main.tf": ROOT})
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, "stack")
    assert of(findings, RULES) == [
        ("SES004", "unknown", "module.this", "stack/main.tf", 1),
        ("SES004", "unknown", "module.ses", "stack/main.tf", 8),
    ]
    assert [f["message"] for f in findings if f["rule"] == "SES004"] == [
        "module this comes from 'cloudposse/label/null', which terraform init downloads, and there is no "
        ".terraform/modules/modules.json: run terraform init to have it checked",
        "module ses comes from 'acme/ses-domain/aws', which terraform init downloads, and there is no "
        ".terraform/modules/modules.json: run terraform init to have it checked",
    ]


def test_a_manifest_entry_outside_the_tree_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = write(
        tmp_path / "elsewhere",
        {"main.tf": 'resource "aws_sesv2_email_identity" "secret" {\n  email_identity = "leak.example"\n}\n'},
    )
    (tmp_path / "stack" / ".git").mkdir(parents=True)  # the repository is stack/
    hostile = {
        "Modules": [
            {"Key": "this", "Source": "cloudposse/label/null", "Dir": "../elsewhere"},
            {"Key": "ses", "Source": "acme/ses-domain/aws", "Dir": str(outside)},
        ]
    }
    initialised(tmp_path / "stack", manifest=hostile)
    monkeypatch.chdir(tmp_path / "stack")
    findings = check(capsys, ".")
    assert "leak.example" not in json.dumps(findings)
    assert of(findings, RULES) == [
        ("SES004", "unknown", "module.this", "main.tf", 1),
        ("SES004", "unknown", "module.ses", "main.tf", 8),
    ]
    assert [f["message"] for f in findings if f["rule"] == "SES004"] == [
        f"module {name}: .terraform/modules/modules.json sends it to {where!r}, which is not a directory "
        "inside .terraform/modules or the repository; it was not read"
        for name, where in (("this", "../elsewhere"), ("ses", str(outside)))
    ]


def test_a_downloaded_modules_local_source_cannot_leave_the_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "elsewhere",
        {"main.tf": 'resource "aws_sesv2_email_identity" "secret" {\n  email_identity = "leak.example"\n}\n'},
    )
    (tmp_path / "stack" / ".git").mkdir(parents=True)
    root = initialised(tmp_path / "stack")
    escape = 'module "escape" {\n  source = "../../../../elsewhere"\n}\n'
    (root / ".terraform/modules/ses/escape.tf").write_text(escape)
    monkeypatch.chdir(root)
    findings = check(capsys, ".")
    assert "leak.example" not in json.dumps(findings)
    assert of(findings, RULES) == [
        ("SES004", "unknown", "module.ses.module.escape", ".terraform/modules/ses/escape.tf", 1)
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not usable: invalid JSON"),
        ('{"Modules": {"Key": "ses"}}', "is not a module manifest"),
        (
            '{"Modules": [{"Key": "ses", "Dir": "a"}, {"Key": "ses", "Dir": "b"}]}',
            "has two records for module 'ses'",
        ),
        ("[" * 100_000 + "]" * 100_000, "is not usable: nested deeper than"),
    ],
    ids=["not-json", "not-a-manifest", "two-records", "deep"],
)
def test_a_manifest_that_cannot_be_used_is_one_unknown_per_call(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    problem: str,
) -> None:
    write(tmp_path / "stack", {"main.tf": ROOT, ".terraform/modules/modules.json": content})
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, "stack")
    assert of(findings, RULES) == [
        ("SES004", "unknown", "module.this", "stack/main.tf", 1),
        ("SES004", "unknown", "module.ses", "stack/main.tf", 8),
    ]
    assert all(problem in f["message"] for f in findings if f["rule"] == "SES004")


def test_a_stale_manifest_is_not_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = json.loads(json.dumps(MANIFEST))
    stale["Modules"][2]["Source"] = "registry.terraform.io/acme/ses-domain-old/aws"
    initialised(tmp_path / "stack", manifest=stale)
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, "stack")
    assert of(findings, RULES) == [("SES004", "unknown", "module.ses", "stack/main.tf", 8)]
    assert [f["message"] for f in findings if f["rule"] == "SES004"] == [
        "module ses comes from 'acme/ses-domain/aws', but terraform init installed "
        "'registry.terraform.io/acme/ses-domain-old/aws': run terraform init again to have it checked"
    ]


def test_manifest_keys_drop_instance_keys() -> None:
    assert manifest_key("module.ses") == "ses"
    assert manifest_key('module.ses["eu.west"].module.label[0]') == "ses.label"
    assert manifest_key('module.a["x\\"].module.y"].module.b') == "a.b"
    assert manifest_key("aws_route53_record.x") is None


def test_a_manifest_linked_to_a_file_elsewhere_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = write(tmp_path / "elsewhere", {"modules.json": json.dumps(MANIFEST)}) / "modules.json"
    root = write(tmp_path / "stack", {"main.tf": ROOT})
    (root / ".terraform" / "modules").mkdir(parents=True)
    (root / ".terraform" / "modules" / "modules.json").symlink_to(secret)
    monkeypatch.chdir(tmp_path)
    findings = check(capsys, "stack")
    assert [f["message"] for f in findings if f["rule"] == "SES004"] == [
        f"module {name} comes from {source!r}, which terraform init downloads, and "
        ".terraform/modules/modules.json is not read: a symbolic link to a file outside the checked tree; not read"
        for name, source in (("this", "cloudposse/label/null"), ("ses", "acme/ses-domain/aws"))
    ]
