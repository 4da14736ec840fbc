# example-corp/ses-domain/aws 1.2.0, as `terraform init` downloaded it.
variable "domain" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "verify_dkim" {
  type    = bool
  default = true
}

module "label" {
  source  = "example-corp/label/null"
  version = "0.3.1"
}

resource "aws_ses_domain_identity" "this" {
  count  = module.label.enabled ? 1 : 0
  domain = var.domain
}

resource "aws_ses_domain_dkim" "this" {
  count  = module.label.enabled ? 1 : 0
  domain = aws_ses_domain_identity.this[0].domain
}

resource "aws_route53_record" "dkim" {
  count   = module.label.enabled && var.verify_dkim ? 3 : 0
  zone_id = var.zone_id
  name    = "${aws_ses_domain_dkim.this[0].dkim_tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_ses_domain_dkim.this[0].dkim_tokens[count.index]}.dkim.amazonses.com"]
}
