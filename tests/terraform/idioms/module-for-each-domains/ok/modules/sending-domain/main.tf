variable "domain" {
  type = string
}

variable "dmarc_policy" {
  type    = string
  default = "reject"
}

data "aws_route53_zone" "this" {
  name = var.domain
}

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.domain
}

resource "aws_route53_record" "dmarc" {
  zone_id = data.aws_route53_zone.this.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=${var.dmarc_policy}; sp=${var.dmarc_policy}; rua=mailto:dmarc@${var.domain}"]
}
