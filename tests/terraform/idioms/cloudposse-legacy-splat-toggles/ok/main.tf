# The style of cloudposse/terraform-aws-ses: everything behind `count = var.enabled ? 1 : 0`, the
# legacy splat `.*.` joined into one value, `.0.` indexing, and DNS records behind their own toggles.
provider "aws" {
  region = "us-east-1"
}

variable "enabled" {
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

variable "verify_domain" {
  type    = bool
  default = true
}

variable "verify_dkim" {
  type    = bool
  default = true
}

resource "aws_ses_domain_identity" "ses_domain" {
  count = var.enabled ? 1 : 0

  domain = var.domain
}

resource "aws_route53_record" "amazonses_verification_record" {
  count = var.enabled && var.verify_domain ? 1 : 0

  zone_id = var.zone_id
  name    = "_amazonses.${var.domain}"
  type    = "TXT"
  ttl     = "600"
  records = [join("", aws_ses_domain_identity.ses_domain.*.verification_token)]
}

resource "aws_ses_domain_dkim" "ses_domain_dkim" {
  count = var.enabled ? 1 : 0

  domain = join("", aws_ses_domain_identity.ses_domain.*.domain)
}

resource "aws_route53_record" "amazonses_dkim_record" {
  count = var.enabled && var.verify_dkim ? 3 : 0

  zone_id = var.zone_id
  name    = "${element(aws_ses_domain_dkim.ses_domain_dkim.0.dkim_tokens, count.index)}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = "600"
  records = ["${element(aws_ses_domain_dkim.ses_domain_dkim.0.dkim_tokens, count.index)}.dkim.amazonses.com"]
}
