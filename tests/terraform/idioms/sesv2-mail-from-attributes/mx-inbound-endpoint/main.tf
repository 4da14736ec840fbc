# The AWS provider documentation's aws_sesv2_email_identity_mail_from_attributes example
# ("subdomain.${email_identity}", REJECT_MESSAGE), with its MX and SPF records named by the resource's
# mail_from_domain in a zone read by name.
provider "aws" {
  region = "ca-central-1"
}

data "aws_route53_zone" "example" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "example" {
  email_identity = "example.com"
}

resource "aws_sesv2_email_identity_mail_from_attributes" "example" {
  email_identity = aws_sesv2_email_identity.example.email_identity

  behavior_on_mx_failure = "REJECT_MESSAGE"
  mail_from_domain       = "subdomain.${aws_sesv2_email_identity.example.email_identity}"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = data.aws_route53_zone.example.zone_id
  name    = aws_sesv2_email_identity_mail_from_attributes.example.mail_from_domain
  type    = "MX"
  ttl     = 600
  records = ["10 inbound-smtp.ca-central-1.amazonaws.com"] # BROKEN: the receiving endpoint, not feedback-smtp
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = data.aws_route53_zone.example.zone_id
  name    = aws_sesv2_email_identity_mail_from_attributes.example.mail_from_domain
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}
