# The terraform-aws-modules style: a `create` switch, try(resource[0].attribute, "") where a counted
# resource is read, and a separate switch for the verification record.
provider "aws" {
  region = "us-east-1"
}

variable "create" {
  type    = bool
  default = true
}

variable "create_verification_record" {
  type    = bool
  default = true
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "zone_id" {
  type    = string
  default = "Z0123456789ABCDEFGHIJ"
}

resource "aws_ses_domain_identity" "this" {
  count  = var.create ? 1 : 0
  domain = var.domain
}

resource "aws_route53_record" "verification" {
  count   = var.create && var.create_verification_record ? 1 : 0
  zone_id = var.zone_id
  name    = "_amazonses.${var.domain}"
  type    = "TXT"
  ttl     = 600
  records = [try(aws_ses_domain_identity.this[0].verification_token, "")]
}

resource "aws_ses_domain_identity_verification" "this" {
  count  = var.create && var.create_verification_record ? 1 : 0
  domain = try(aws_ses_domain_identity.this[0].domain, "")

  depends_on = [aws_route53_record.verification]
}
