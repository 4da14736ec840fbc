# The MAIL FROM MX built from data "aws_region" (trussworks/terraform-aws-ses-domain's way), so it
# follows whatever region the provider creates the identity in.
provider "aws" {
  region = "us-west-2"
}

data "aws_region" "current" {}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_ses_domain_identity" "main" {
  domain = "example.com"
}

resource "aws_ses_domain_mail_from" "main" {
  domain                 = aws_ses_domain_identity.main.domain
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "RejectMessage"
}

resource "aws_route53_record" "mx_send_mail_from" {
  zone_id = aws_route53_zone.main.zone_id
  name    = aws_ses_domain_mail_from.main.mail_from_domain
  type    = "MX"
  ttl     = "600"
  records = ["10 feedback-smtp.${data.aws_region.current.name}.amazonses.com"]
}

resource "aws_route53_record" "spf_mail_from" {
  zone_id = aws_route53_zone.main.zone_id
  name    = aws_ses_domain_mail_from.main.mail_from_domain
  type    = "TXT"
  ttl     = "600"
  records = ["v=spf1 include:amazonses.com -all"]
}
