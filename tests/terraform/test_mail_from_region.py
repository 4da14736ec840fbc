"""SES112 in Terraform: the MAIL FROM MX must point at the feedback host of the region whose provider
creates the identity; with that region not in the configuration, at a feedback host of some region."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform.trees import line_of, lint, write

TREE = """\
PROVIDER

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_record" "mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce"
  type    = "MX"
  ttl     = 600
  records = ["10 HOST"]
}
"""

US_EAST_1 = 'provider "aws" {\n  region = "us-east-1"\n}'


def judged(tmp_path: Path, capsys: pytest.CaptureFixture[str], provider: str, host: str) -> list[object]:
    write(tmp_path, {"main.tf": TREE.replace("PROVIDER", provider).replace("HOST", host)})
    return list(lint(capsys, str(tmp_path), rules=("SES112",)))


def test_the_providers_region_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert judged(tmp_path, capsys, US_EAST_1, "feedback-smtp.us-east-1.amazonses.com") == []


def test_another_regions_feedback_host_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = judged(tmp_path, capsys, US_EAST_1, "feedback-smtp.eu-west-1.amazonses.com")
    line = line_of(tmp_path, "main.tf", 'resource "aws_route53_record" "mx"')
    assert found == [("SES112", "fail", "aws_sesv2_email_identity.main", f"{tmp_path}/main.tf", line)]


def test_region_from_the_environment_any_feedback_host_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert judged(tmp_path, capsys, 'provider "aws" {}', "feedback-smtp.eu-west-1.amazonses.com") == []


def test_region_from_the_environment_another_host_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = judged(tmp_path, capsys, 'provider "aws" {}', "feedback-smtp.amazonses.com")
    line = line_of(tmp_path, "main.tf", 'resource "aws_route53_record" "mx"')
    assert found == [("SES112", "fail", "aws_sesv2_email_identity.main", f"{tmp_path}/main.tf", line)]
