# The AWS provider documentation's aws_ses_domain_identity_verification example, with the _amazonses
# record written relative to the wrong hosted zone.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "other" {
  name = "example.org"
}

resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

# BROKEN: this is _amazonses.example.org; SES looks for _amazonses.example.com.
resource "aws_route53_record" "example_amazonses_verification_record" {
  zone_id = aws_route53_zone.other.zone_id
  name    = "_amazonses"
  type    = "TXT"
  ttl     = "600"
  records = [aws_ses_domain_identity.example.verification_token]
}

resource "aws_ses_domain_identity_verification" "example_verification" {
  domain = aws_ses_domain_identity.example.id

  depends_on = [aws_route53_record.example_amazonses_verification_record]
}
