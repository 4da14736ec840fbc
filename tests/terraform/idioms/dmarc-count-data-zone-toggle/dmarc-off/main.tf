# A DMARC record behind `count = data.aws_route53_zone.z.zone_id != "" && var.dmarc_enabled ? 1 : 0`,
# a guard seen in public SES modules: the zone id is read from AWS, the switch is on.
provider "aws" {
  region = "us-east-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

variable "dmarc_enabled" {
  type    = bool
  default = true
}

data "aws_route53_zone" "z" {
  name = var.domain
}

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.domain
}

resource "aws_route53_record" "dmarc" {
  count   = data.aws_route53_zone.z.zone_id != "" && var.dmarc_enabled ? 1 : 0
  zone_id = data.aws_route53_zone.z.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@${var.domain}"]
}
