# A local module creates the identity and DKIM and outputs the domain, the tokens and the verification
# token; the root creates the DNS records from the module's outputs.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

module "ses" {
  source = "./modules/ses-domain"
  domain = "example.com"
}

resource "aws_route53_record" "verification" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_amazonses.${module.ses.domain}"
  type    = "TXT"
  ttl     = 600
  records = [module.ses.verification_token]
}

resource "aws_route53_record" "dkim" {
  count   = 2 # BROKEN: the third token gets no record
  zone_id = aws_route53_zone.main.zone_id
  name    = "${module.ses.dkim_tokens[count.index]}._domainkey.${module.ses.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${module.ses.dkim_tokens[count.index]}.dkim.amazonses.com"]
}
