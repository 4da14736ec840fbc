# DKIM CNAMEs with for_each over keys known before apply ({ for i in range(3) : tostring(i) => i }) and
# the token looked up by each.value, the form terraform plan accepts on a first apply.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  for_each = { for i in range(2) : tostring(i) => i } # BROKEN: two of three tokens

  zone_id = aws_route53_zone.main.zone_id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[each.value]}._domainkey.example.com"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[each.value]}.dkim.amazonses.com"]
}
