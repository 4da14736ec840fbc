"""Generate a synthetic Terraform monorepo for the benchmark.

The tree looks like a real infrastructure repository: many modules of unrelated resources (VPCs,
buckets, IAM, Lambda), with SES posture in a few of them, variables, `for_each`, `count` toggles and
module calls between them. Deterministic for a given size, so runs compare like with like.

    python benchmarks/generate_terraform.py OUT_DIR --modules 2000
    python benchmarks/generate_terraform.py OUT_DIR --stacks 200

--stacks writes the other shape instead (stack_shape.py): stacks that are each a root calling shared
local modules (S3, IAM, networking), SES in one stack in ten.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

UNRELATED = """
variable "name" {
  type    = string
  default = "svc-%(i)d"
}

variable "tags" {
  type    = map(string)
  default = { team = "platform", service = "svc-%(i)d" }
}

locals {
  prefix = "${var.name}-${terraform.workspace}"
  ports  = [80, 443, 8080]
}

resource "aws_s3_bucket" "data" {
  bucket = "${local.prefix}-data"
  tags   = var.tags
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_security_group" "svc" {
  name = "${local.prefix}-sg"
  dynamic "ingress" {
    for_each = local.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}

resource "aws_iam_role" "svc" {
  name = "${local.prefix}-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "svc" {
  count         = %(count)d
  function_name = "${local.prefix}-fn-${count.index}"
  role          = aws_iam_role.svc.arn
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "lambda.zip"
}

output "bucket" {
  value = aws_s3_bucket.data.bucket
}
"""

SES_MODULE = """
variable "domain" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "topic_arn" {
  type = string
}

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = replace(var.domain, ".", "-")
  delivery_options {
    tls_policy = "REQUIRE"
  }
  reputation_options {
    reputation_metrics_enabled = true
  }
}

resource "aws_sesv2_email_identity" "this" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=quarantine; rua=mailto:dmarc@${var.domain}"]
}

resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "feedback"
  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT"]
    sns_destination {
      topic_arn = var.topic_arn
    }
  }
}

output "identity_arn" {
  value = aws_sesv2_email_identity.this.arn
}
"""

SES_CALLER = """
variable "domains" {
  type    = set(string)
  default = [%(domains)s]
}

resource "aws_sns_topic" "feedback" {
  name = "ses-feedback-%(i)d"
}

resource "aws_sns_topic_subscription" "ops" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}

module "sending" {
  source    = "../%(target)s"
  for_each  = var.domains
  domain    = each.value
  zone_id   = "Z123456789"
  topic_arn = aws_sns_topic.feedback.arn
}
"""


def generate(out: Path, modules: int, seed: int = 7) -> dict[str, int]:
    """Write `modules` module directories under `out`; returns counts of what was written."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ses_every = 20  # one SES module (and one caller) per 20 modules, as in a real monorepo
    files = ses = 0
    for i in range(modules):
        directory = out / f"m{i:05d}"
        directory.mkdir()
        if i % ses_every == 0:
            (directory / "main.tf").write_text(SES_MODULE)
            ses += 1
        elif i % ses_every == 1:
            domains = ", ".join(f'"d{i}-{k}.example.com"' for k in range(rng.randint(1, 3)))
            (directory / "main.tf").write_text(
                SES_CALLER % {"i": i, "domains": domains, "target": f"m{i - 1:05d}"}
            )
        else:
            (directory / "main.tf").write_text(UNRELATED % {"i": i, "count": rng.randint(0, 3)})
            (directory / "variables.tf").write_text(f'variable "unused_{i}" {{\n  default = {i}\n}}\n')
            files += 1
        files += 1
    return {"modules": modules, "files": files, "ses_modules": ses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    shape = parser.add_mutually_exclusive_group()
    shape.add_argument("--modules", type=int, default=200, help="modules of the first shape")
    shape.add_argument("--stacks", type=int, help="stacks of the monorepo-of-stacks shape")
    args = parser.parse_args()
    from stack_shape import generate_stacks  # beside this script

    print(generate_stacks(args.out, args.stacks) if args.stacks else generate(args.out, args.modules))


if __name__ == "__main__":
    main()
