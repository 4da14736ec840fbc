# Two AWS providers: the default in us-east-1 and an alias in eu-west-1 that creates the SES identity
# (provider = aws.ireland); the MAIL FROM MX must name the identity's region, not the default one.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "ireland"
  region = "eu-west-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  provider       = aws.ireland
  email_identity = "example.com"
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  provider               = aws.ireland
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "mail.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "mail"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.eu-west-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "mail"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}
