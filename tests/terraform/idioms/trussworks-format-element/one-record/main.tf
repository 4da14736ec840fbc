# The style of trussworks/terraform-aws-ses-domain: names built with format() and element() over
# dkim_tokens, the domain from a variable with its trailing dot stripped by replace().
provider "aws" {
  region = "us-west-2"
}

variable "domain_name" {
  type    = string
  default = "example.com."
}

variable "route53_zone_id" {
  type    = string
  default = "Z0123456789ABCDEFGHIJ"
}

locals {
  stripped_domain_name = replace(var.domain_name, "/[.]$/", "")
}

resource "aws_ses_domain_identity" "main" {
  domain = local.stripped_domain_name
}

resource "aws_route53_record" "ses_verification" {
  zone_id = var.route53_zone_id
  name    = "_amazonses.${aws_ses_domain_identity.main.id}"
  type    = "TXT"
  ttl     = "600"
  records = [aws_ses_domain_identity.main.verification_token]
}

resource "aws_ses_domain_dkim" "main" {
  domain = aws_ses_domain_identity.main.domain
}

resource "aws_route53_record" "dkim" {
  count   = 1 # BROKEN: one record for three tokens
  zone_id = var.route53_zone_id
  name = format(
    "%s._domainkey.%s",
    element(aws_ses_domain_dkim.main.dkim_tokens, count.index),
    var.domain_name,
  )
  type    = "CNAME"
  ttl     = "600"
  records = ["${element(aws_ses_domain_dkim.main.dkim_tokens, count.index)}.dkim.amazonses.com"]
}
