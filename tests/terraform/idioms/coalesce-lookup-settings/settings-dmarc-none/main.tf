# Optional inputs with fallbacks: coalesce() for the MAIL FROM domain, lookup() in a settings map for
# the DMARC policy, both defaulting to the strict value.
provider "aws" {
  region = "us-east-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "mail_from_domain" {
  type    = string
  default = null
}

variable "settings" {
  type    = map(string)
  default = {}
}

locals {
  mail_from    = coalesce(var.mail_from_domain, "bounce.${var.domain}")
  dmarc_policy = lookup(var.settings, "dmarc_policy", "reject")
}

resource "aws_route53_zone" "main" {
  name = var.domain
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = var.domain
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = local.mail_from
  behavior_on_mx_failure = lookup(var.settings, "behavior_on_mx_failure", "REJECT_MESSAGE")
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = local.mail_from
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.us-east-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = local.mail_from
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=${local.dmarc_policy}; sp=${local.dmarc_policy}; rua=mailto:dmarc@${var.domain}"]
}
