# The AWS provider documentation's aws_ses_domain_identity_verification example: the _amazonses TXT
# record carries the identity's verification token, and the verification resource waits for it.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "example" {
  name = "example.com"
}

resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

resource "aws_route53_record" "example_amazonses_verification_record" {
  zone_id = aws_route53_zone.example.zone_id
  name    = "_amazonses.${aws_ses_domain_identity.example.id}"
  type    = "TXT"
  ttl     = "600"
  # BROKEN: the record holds the domain name, not the verification token.
  records = [aws_ses_domain_identity.example.domain]
}

resource "aws_ses_domain_identity_verification" "example_verification" {
  domain = aws_ses_domain_identity.example.id

  depends_on = [aws_route53_record.example_amazonses_verification_record]
}
