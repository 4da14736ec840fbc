# The pre-for_each style for several domains: a list variable, identities by count, and 3 x N DKIM
# records by count arithmetic (domain floor(i / 3), token i % 3).
provider "aws" {
  region = "us-east-1"
}

variable "domains" {
  type    = list(string)
  default = ["example.com", "example.org"]
}

variable "zone_ids" {
  type    = list(string)
  default = ["Z0123456789ABCDEFGHIJ", "Z0123456789KLMNOPQRST"]
}

resource "aws_ses_domain_identity" "this" {
  count  = length(var.domains)
  domain = var.domains[count.index]
}

resource "aws_ses_domain_dkim" "this" {
  count  = length(var.domains)
  domain = aws_ses_domain_identity.this[count.index].domain
}

resource "aws_route53_record" "dkim" {
  # BROKEN: two records per domain (i / 2, i % 2): every domain's third token has no CNAME.
  count   = length(var.domains) * 2
  zone_id = var.zone_ids[floor(count.index / 2)]
  name    = "${element(aws_ses_domain_dkim.this[floor(count.index / 2)].dkim_tokens, count.index % 2)}._domainkey.${var.domains[floor(count.index / 2)]}"
  type    = "CNAME"
  ttl     = 600
  records = ["${element(aws_ses_domain_dkim.this[floor(count.index / 2)].dkim_tokens, count.index % 2)}.dkim.amazonses.com"]
}
