# for_each over toset() of the SESv2 DKIM tokens, each.value naming the record, and the identity named
# after the hosted zone read by name (seen in public stacks; terraform plan accepts it only once the
# identity exists, as the tokens are known after apply).
provider "aws" {
  region = "us-east-1"
}

data "aws_route53_zone" "root" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "domain" {
  email_identity = data.aws_route53_zone.root.name
}

resource "aws_route53_record" "ses_dkim" {
  for_each = toset(aws_sesv2_email_identity.domain.dkim_signing_attributes[0].tokens)
  zone_id  = data.aws_route53_zone.root.zone_id
  name     = "${each.value}._domainkey.${data.aws_route53_zone.root.name}"
  type     = "CNAME"
  ttl      = 300
  # BROKEN: amazonaws.com, not amazonses.com.
  records = ["${each.value}.dkim.amazonaws.com"]
}
