# One map of DNS records built with a for expression (names and values from the token list), created by
# a single aws_route53_record with for_each: the shape of generic "records" inputs of DNS modules.
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

locals {
  tokens = aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens
  records = {
    for i in range(2) : "dkim-${i}" => { # BROKEN: two of three tokens
      name  = "${local.tokens[i]}._domainkey.example.com"
      type  = "CNAME"
      value = "${local.tokens[i]}.dkim.amazonses.com"
    }
  }
}

resource "aws_route53_record" "this" {
  for_each = local.records

  zone_id = aws_route53_zone.main.zone_id
  name    = each.value.name
  type    = each.value.type
  ttl     = 600
  records = [each.value.value]
}
