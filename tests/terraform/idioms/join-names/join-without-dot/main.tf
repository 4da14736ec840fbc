# Names assembled with join(".", [...]) from labels and the domain variable.
provider "aws" {
  region = "us-east-1"
}

variable "domain" {
  type    = string
  default = "example.com"
}

resource "aws_route53_zone" "main" {
  name = var.domain
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = var.domain
}

resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = join("", ["_dmarc", var.domain]) # BROKEN: "_dmarcexample.com"
  type    = "TXT"
  ttl     = 600
  records = [join("; ", ["v=DMARC1", "p=reject", "sp=reject", "rua=mailto:dmarc@${var.domain}"])]
}
