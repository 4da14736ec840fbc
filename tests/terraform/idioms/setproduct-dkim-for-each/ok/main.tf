# DKIM records for every domain of a map and every token index, keyed by setproduct() of the domains and
# range(3): keys known before apply, tokens looked up per domain.
provider "aws" {
  region = "eu-west-1"
}

variable "domains" {
  type = map(string) # domain => hosted zone id
  default = {
    "example.com" = "Z0123456789ABCDEFGHIJ"
    "example.org" = "Z0123456789KLMNOPQRST"
  }
}

resource "aws_sesv2_email_identity" "this" {
  for_each       = var.domains
  email_identity = each.key

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

locals {
  dkim = {
    for pair in setproduct(keys(var.domains), range(3)) : "${pair[0]}/${pair[1]}" => {
      domain = pair[0]
      index  = pair[1]
    }
  }
}

resource "aws_route53_record" "dkim" {
  for_each = local.dkim

  zone_id = var.domains[each.value.domain]
  name    = "${aws_sesv2_email_identity.this[each.value.domain].dkim_signing_attributes[0].tokens[each.value.index]}._domainkey.${each.value.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.this[each.value.domain].dkim_signing_attributes[0].tokens[each.value.index]}.dkim.amazonses.com"]
}
