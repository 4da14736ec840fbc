# The one(resource[*].attribute) style of recent public modules (e.g. sil-org/terraform-aws-ses-cloudflare,
# cloudposse after 2022): counted resources read back through one() and a splat, a local `enabled`.
provider "aws" {
  region = "us-east-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "create" {
  type    = bool
  default = true
}

variable "dkim_records" {
  type    = bool
  default = true
}

locals {
  enabled = var.create
}

data "aws_route53_zone" "this" {
  name = var.domain
}

resource "aws_ses_domain_identity" "this" {
  count  = local.enabled ? 1 : 0
  domain = var.domain
}

resource "aws_ses_domain_dkim" "this" {
  count  = local.enabled ? 1 : 0
  domain = one(aws_ses_domain_identity.this[*].domain)
}

resource "aws_route53_record" "dkim" {
  count   = local.enabled && var.dkim_records ? 3 : 0
  zone_id = data.aws_route53_zone.this.zone_id
  name    = "${one(aws_ses_domain_dkim.this[*].dkim_tokens)[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${one(aws_ses_domain_dkim.this[*].dkim_tokens)[count.index]}.dkim.amazonses.com"]
}
