# data "aws_region" read through the same aliased provider that creates the identity
# (provider = aws.tokyo on both), so the MX built from it names the identity's region.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "tokyo"
  region = "ap-northeast-1"
}

# BROKEN: read through the default provider, so this is us-east-1, not the identity's region.
data "aws_region" "ses" {}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_ses_domain_identity" "main" {
  provider = aws.tokyo
  domain   = "example.com"
}

resource "aws_ses_domain_mail_from" "main" {
  provider               = aws.tokyo
  domain                 = aws_ses_domain_identity.main.domain
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "RejectMessage"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce.example.com"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.${data.aws_region.ses.name}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce.example.com"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}
