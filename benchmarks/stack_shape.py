"""The second benchmark shape: a monorepo of stacks, every one a root calling shared local modules.

    stacks/s0000 ... stacks/sNNNN   roots: main.tf (providers, module calls, the stack's own services)
                                     and variables.tf; one stack in ten also has ses.tf (SES sending)
    modules/s3, modules/iam, modules/network   the shared modules (main.tf, variables.tf, outputs.tf)

Every stack calls the S3 and IAM modules, two in three call the network module too. None of the shared
modules, and no stack without ses.tf, names an SES, SNS, CloudWatch alarm or DNS resource. Of the SES
stacks, every other one declares its DMARC record; the others leave it to the organisation's domain
(example.com, declared outside this repository), so DMARC rules need its organisational domain.
200 stacks come to 429 files and about 2.5 MB. Deterministic for a given size.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

SES_EVERY = 10  # one stack in ten sends mail

S3_MAIN = """
resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = var.force_destroy
  tags          = var.tags
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count  = length(var.lifecycle_rules) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this.id

  dynamic "rule" {
    for_each = var.lifecycle_rules
    content {
      id     = rule.value.id
      status = "Enabled"
      filter {
        prefix = rule.value.prefix
      }
      transition {
        days          = rule.value.transition_days
        storage_class = "STANDARD_IA"
      }
      expiration {
        days = rule.value.expiration_days
      }
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls_only.json
}
"""

S3_VARIABLES = """
variable "name" {
  description = "Bucket name, globally unique."
  type        = string
}

variable "tags" {
  description = "Tags for every resource of the bucket."
  type        = map(string)
  default     = {}
}

variable "force_destroy" {
  type    = bool
  default = false
}

variable "versioning" {
  type    = bool
  default = true
}

variable "kms_key_arn" {
  description = "A customer managed key; AES256 when null."
  type        = string
  default     = null
}

variable "lifecycle_rules" {
  type = list(object({
    id              = string
    prefix          = string
    transition_days = number
    expiration_days = number
  }))
  default = []
}
"""

S3_OUTPUTS = """
output "id" {
  value = aws_s3_bucket.this.id
}

output "arn" {
  value = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  value = aws_s3_bucket.this.bucket_regional_domain_name
}
"""

IAM_MAIN = """
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = var.trusted_services
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_policy" "inline" {
  for_each    = var.policies
  name        = "${var.name}-${each.key}"
  description = "Managed by Terraform for ${var.name}"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [for statement in each.value : {
      Effect   = "Allow"
      Action   = statement.actions
      Resource = statement.resources
    }]
  })
}

resource "aws_iam_role_policy_attachment" "inline" {
  for_each   = aws_iam_policy.inline
  role       = aws_iam_role.this.name
  policy_arn = each.value.arn
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = toset(var.managed_policy_arns)
  role       = aws_iam_role.this.name
  policy_arn = each.value
}
"""

IAM_VARIABLES = """
variable "name" {
  type = string
}

variable "trusted_services" {
  type    = list(string)
  default = ["lambda.amazonaws.com"]
}

variable "policies" {
  description = "Named policies, each a list of statements (actions, resources)."
  type = map(list(object({
    actions   = list(string)
    resources = list(string)
  })))
  default = {}
}

variable "managed_policy_arns" {
  type    = list(string)
  default = []
}

variable "max_session_duration" {
  type    = number
  default = 3600
}

variable "permissions_boundary" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
"""

IAM_OUTPUTS = """
output "role_arn" {
  value = aws_iam_role.this.arn
}

output "role_name" {
  value = aws_iam_role.this.name
}
"""

NETWORK_MAIN = """
data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  zones = slice(data.aws_availability_zones.available.names, 0, var.zone_count)
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "private" {
  count             = var.zone_count
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = local.zones[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-private-${count.index}", tier = "private" })
}

resource "aws_subnet" "public" {
  count                   = var.public ? var.zone_count : 0
  vpc_id                  = aws_vpc.this.id
  cidr_block              = cidrsubnet(var.cidr, 4, count.index + 8)
  availability_zone       = local.zones[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public-${count.index}", tier = "public" })
}

resource "aws_internet_gateway" "this" {
  count  = var.public ? 1 : 0
  vpc_id = aws_vpc.this.id
  tags   = var.tags
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  count          = var.zone_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "default" {
  name        = "${var.name}-default"
  description = "Traffic inside the VPC"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {
    for_each = var.ingress_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [var.cidr]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_flow_log" "this" {
  count                = var.flow_logs_bucket_arn == null ? 0 : 1
  vpc_id               = aws_vpc.this.id
  traffic_type         = "REJECT"
  log_destination_type = "s3"
  log_destination      = var.flow_logs_bucket_arn
}
"""

NETWORK_VARIABLES = """
variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "zone_count" {
  type    = number
  default = 2
}

variable "public" {
  type    = bool
  default = false
}

variable "ingress_ports" {
  type    = list(number)
  default = [443]
}

variable "flow_logs_bucket_arn" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
"""

NETWORK_OUTPUTS = """
output "vpc_id" {
  value = aws_vpc.this.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "security_group_id" {
  value = aws_security_group.default.id
}
"""

STACK_HEAD = """
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "stacks/%(name)s/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "acme-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.tags
  }
}

locals {
  name = "%(name)s"
  tags = merge(var.tags, {
    stack       = "%(name)s"
    team        = "%(team)s"
    environment = var.environment
  })
  workers = {
%(workers)s
  }
}

module "storage" {
  source = "../../modules/s3"

  name       = "acme-${local.name}-${var.environment}-data"
  versioning = true
  tags       = local.tags
  lifecycle_rules = [
    {
      id              = "logs"
      prefix          = "logs/"
      transition_days = 30
      expiration_days = %(expiration)d
    },
  ]
}

module "access" {
  source = "../../modules/iam"

  name             = "${local.name}-${var.environment}-workers"
  trusted_services = ["lambda.amazonaws.com"]
  tags             = local.tags
  policies = {
    data = [
      {
        actions   = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
        resources = [module.storage.arn, "${module.storage.arn}/*"]
      },
    ]
    queues = [
      {
        actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        resources = [for name, worker in local.workers : aws_sqs_queue.work[name].arn]
      },
    ]
  }
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
  ]
}
"""

STACK_NETWORK = """
module "network" {
  source = "../../modules/network"

  name          = "${local.name}-${var.environment}"
  region        = var.region
  cidr          = "10.%(octet)d.0.0/16"
  zone_count    = %(zones)d
  public        = false
  ingress_ports = [443, 8443]
  tags          = local.tags
}
"""

STACK_SERVICES = """
resource "aws_kms_key" "data" {
  description             = "Data of ${local.name}"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_sqs_queue" "work" {
  for_each                   = local.workers
  name                       = "${local.name}-${each.key}"
  visibility_timeout_seconds = each.value.timeout * 6
  message_retention_seconds  = 345600
  kms_master_key_id          = aws_kms_key.data.arn
}

resource "aws_cloudwatch_log_group" "worker" {
  for_each          = local.workers
  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.data.arn
}

resource "aws_lambda_function" "worker" {
  for_each      = local.workers
  function_name = "${local.name}-${each.key}"
  role          = module.access.role_arn
  handler       = each.value.handler
  runtime       = "python3.12"
  memory_size   = each.value.memory
  timeout       = each.value.timeout
  s3_bucket     = module.storage.id
  s3_key        = "artifacts/${local.name}/${each.key}.zip"
  environment {
    variables = merge(var.settings, {
      STACK     = local.name
      WORKER    = each.key
      BUCKET    = module.storage.id
      QUEUE_URL = aws_sqs_queue.work[each.key].url
    })
  }
  depends_on = [aws_cloudwatch_log_group.worker]
}

output "bucket" {
  value = module.storage.id
}

output "queues" {
  value = { for name, queue in aws_sqs_queue.work : name => queue.url }
}

"""

STACK_VARIABLES = """
variable "region" {
  description = "Region of every resource of the stack."
  type        = string
  default     = "%(region)s"
}

variable "environment" {
  description = "Deployment environment: staging or production."
  type        = string
  default     = "production"
  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "tags" {
  description = "Tags every resource carries, besides the stack's own."
  type        = map(string)
  default = {
    owner       = "%(team)s"
    cost_center = "cc-%(cost)d"
    repository  = "acme/infrastructure"
  }
}

variable "log_retention_days" {
  type    = number
  default = %(retention)d
}

variable "settings" {
  description = "Runtime settings of the workers."
  type        = map(string)
  default = {
%(settings)s
  }
}
"""

SES_STACK = """
locals {
  mail_domain = "%(domain)s"
  mail_from   = "bounce.${local.mail_domain}"
}

resource "aws_route53_zone" "mail" {
  name = local.mail_domain
}

resource "aws_sns_topic" "feedback" {
  name              = "${local.name}-ses-feedback"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.work["%(worker)s"].arn
}

resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "${local.name}-main"
  delivery_options {
    tls_policy = "REQUIRE"
  }
  reputation_options {
    reputation_metrics_enabled = true
  }
  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = "feedback"
  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT", "REJECT"]
    sns_destination {
      topic_arn = aws_sns_topic.feedback.arn
    }
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity         = local.mail_domain
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = aws_route53_zone.mail.zone_id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${local.mail_domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  behavior_on_mx_failure = "REJECT_MESSAGE"
  mail_from_domain       = local.mail_from
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.mail.zone_id
  name    = local.mail_from
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.${var.region}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.mail.zone_id
  name    = local.mail_from
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_cloudwatch_metric_alarm" "bounce_rate" {
  alarm_name          = "${local.name}-ses-bounce-rate"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 0.05
  alarm_actions       = [aws_sns_topic.feedback.arn]
}
"""

SES_DMARC = """
resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.mail.zone_id
  name    = "_dmarc.${local.mail_domain}"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=quarantine; pct=100; rua=mailto:dmarc-reports@example.com"]
}
"""

TEAMS = ("payments", "search", "identity", "growth", "platform", "data", "messaging", "mobile")
REGIONS = ("eu-west-1", "us-east-1", "eu-central-1", "us-west-2")
WORKER_KINDS = ("ingest", "transform", "export", "notify", "reindex", "cleanup", "audit", "billing")


def _write_modules(out: Path) -> int:
    modules = {
        "s3": (S3_MAIN, S3_VARIABLES, S3_OUTPUTS),
        "iam": (IAM_MAIN, IAM_VARIABLES, IAM_OUTPUTS),
        "network": (NETWORK_MAIN, NETWORK_VARIABLES, NETWORK_OUTPUTS),
    }
    for name, texts in modules.items():
        directory = out / "modules" / name
        directory.mkdir(parents=True)
        for file, text in zip(("main.tf", "variables.tf", "outputs.tf"), texts, strict=True):
            (directory / file).write_text(text)
    return 3 * len(modules)


def _workers(rng: random.Random) -> tuple[str, list[str]]:
    kinds = rng.sample(WORKER_KINDS, rng.randint(3, 6))
    lines = [
        f'    {kind} = {{ handler = "{kind}.handler", memory = {rng.choice((256, 512, 1024))}, '
        f"timeout = {rng.choice((30, 60, 120))}, batch = {rng.choice((1, 10))} }}"
        for kind in kinds
    ]
    return "\n".join(lines), kinds


def generate_stacks(out: Path, stacks: int, seed: int = 11) -> dict[str, int]:
    """Write `stacks` stacks and the shared modules under `out`; returns counts of what was written."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = _write_modules(out)
    ses = 0
    for i in range(stacks):
        name = f"s{i:04d}"
        directory = out / "stacks" / name
        directory.mkdir(parents=True)
        team = TEAMS[i % len(TEAMS)]
        workers, kinds = _workers(rng)
        main = STACK_HEAD % {"name": name, "team": team, "workers": workers, "expiration": 90 + i % 300}
        if i % 3 != 2:  # two stacks in three have a network of their own
            main += STACK_NETWORK % {"octet": i % 250, "zones": 2 + i % 2}
        (directory / "main.tf").write_text(main + STACK_SERVICES)
        settings = "\n".join(
            f'    {key} = "{rng.choice(("on", "off", "auto"))}"'
            for key in (
                "feature_flags",
                "rate_limit",
                "cache",
                "tracing",
                "batching",
                "retries",
                "compression",
                "audit_log",
                "maintenance",
                "read_only",
            )
        )
        (directory / "variables.tf").write_text(
            STACK_VARIABLES
            % {
                "region": REGIONS[i % len(REGIONS)],
                "team": team,
                "cost": 1000 + i,
                "retention": rng.choice((14, 30, 90)),
                "settings": settings,
            }
        )
        files += 2
        if i % SES_EVERY == 0:
            ses_text = SES_STACK % {"domain": f"{team}{i}.example.com", "worker": kinds[0]}
            if (i // SES_EVERY) % 2 == 0:
                ses_text += SES_DMARC
            (directory / "ses.tf").write_text(ses_text)
            files += 1
            ses += 1
    return {"stacks": stacks, "files": files, "ses_stacks": ses}
