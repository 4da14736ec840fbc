# A DMARC record named relative to its hosted zone resource ("_dmarc" in zone example.com), as the
# Route53 console and most stacks write it.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=reject; sp=reject; pct=100; rua=mailto:dmarc-reports@example.com"]
}
