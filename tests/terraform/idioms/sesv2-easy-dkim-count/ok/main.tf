# An SESv2 domain identity with Easy DKIM (2048-bit), its three CNAMEs by count over
# dkim_signing_attributes[0].tokens, in a hosted zone read by name.
provider "aws" {
  region = "eu-west-1"
}

data "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "example" {
  email_identity = "example.com"

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "${aws_sesv2_email_identity.example.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.example.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}
