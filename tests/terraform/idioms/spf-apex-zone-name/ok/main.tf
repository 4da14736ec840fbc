# The apex SPF record named by the zone resource's own name attribute, SES beside another sender.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = aws_route53_zone.main.name
}

resource "aws_route53_record" "spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = aws_route53_zone.main.name
  type    = "TXT"
  ttl     = 3600
  records = ["v=spf1 include:amazonses.com include:_spf.google.com -all"]
}
