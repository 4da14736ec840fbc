# Record names and targets computed once with formatlist() over the token list, then indexed by
# count.index.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_ses_domain_identity" "main" {
  domain = "example.com"
}

resource "aws_ses_domain_dkim" "main" {
  domain = aws_ses_domain_identity.main.domain
}

locals {
  dkim_names   = formatlist("%s._domainkey.%s", aws_ses_domain_dkim.main.dkim_tokens, aws_ses_domain_identity.main.domain)
  dkim_targets = formatlist("%s.dkim.amazonses.com", aws_ses_domain_dkim.main.dkim_tokens)
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = aws_route53_zone.main.zone_id
  name    = local.dkim_names[count.index]
  type    = "CNAME"
  ttl     = 600
  records = [local.dkim_targets[count.index]]
}
