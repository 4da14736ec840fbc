# Several sending domains from one map variable: identities, zones and DMARC records all by
# for_each over the map, each.key the domain and each.value its settings.
provider "aws" {
  region = "us-east-1"
}

variable "domains" {
  type = map(object({
    dmarc_policy = string
  }))
  default = {
    "example.com" = { dmarc_policy = "reject" }
    "example.org" = { dmarc_policy = "reject" }
  }
}

data "aws_route53_zone" "this" {
  for_each = var.domains
  name     = each.key
}

resource "aws_sesv2_email_identity" "this" {
  for_each       = var.domains
  email_identity = each.key
}

resource "aws_route53_record" "dmarc" {
  for_each = var.domains
  zone_id  = data.aws_route53_zone.this[each.key].zone_id
  name     = "_dmarc.${each.key}"
  type     = "TXT"
  ttl      = 3600
  records  = ["v=DMARC1; p=${each.value.dmarc_policy}; sp=${each.value.dmarc_policy}; rua=mailto:dmarc@${each.key}"]
}
