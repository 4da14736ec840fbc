# A subdomain identity (mail.example.com) covered by the organisational domain's DMARC record at
# _dmarc.example.com (RFC 7489 6.6.3), sp=reject for subdomains.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "mail" {
  email_identity = "mail.example.com"
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=none; rua=mailto:dmarc@example.com"] # BROKEN: subdomains inherit p=none
}
