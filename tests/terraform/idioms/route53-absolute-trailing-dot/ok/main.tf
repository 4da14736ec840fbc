# Fully qualified record names with a trailing dot and mixed case, in a zone read by name with a
# trailing dot: DNS names compare case-blind and without the root dot.
provider "aws" {
  region = "us-east-1"
}

data "aws_route53_zone" "main" {
  name = "Example.com."
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_route53_record" "dmarc" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "_DMARC.Example.COM."
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.com"]
}
