# Everything from locals: the domain, the MAIL FROM domain as "mail.${local.domain}", the provider's
# region, and the MX host built from that same local.
locals {
  domain    = "example.com"
  mail_from = "mail.${local.domain}"
  region    = "eu-central-1"
}

provider "aws" {
  region = local.region
}

resource "aws_route53_zone" "main" {
  name = local.domain
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = local.domain
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = local.mail_from
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = local.mail_from
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.${local.region}.amazonses.com"]
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
  name    = "_dmarc.${local.domain}"
  type    = "TXT"
  ttl     = 600
  # BROKEN: the policy applies to half of the failing mail only.
  records = ["v=DMARC1; p=reject; sp=reject; pct=50; rua=mailto:dmarc@${local.domain}"]
}
