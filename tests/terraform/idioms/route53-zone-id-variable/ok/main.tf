# Records relative to a hosted zone whose id comes from a variable (the zone lives in another stack):
# the zone's name is not in this configuration, but the DKIM records carry this identity's tokens, and
# "_dmarc" sits in the same zone beside them.
provider "aws" {
  region = "us-east-1"
}

variable "zone_id" {
  description = "The example.com hosted zone, managed by the network team's stack."
  type        = string
}

resource "aws_ses_domain_identity" "main" {
  domain = "example.com"
}

resource "aws_ses_domain_dkim" "main" {
  domain = aws_ses_domain_identity.main.domain
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_ses_domain_dkim.main.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_ses_domain_dkim.main.dkim_tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.com"]
}
