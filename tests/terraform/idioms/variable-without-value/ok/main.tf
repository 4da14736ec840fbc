# A reusable root whose domain comes from a variable with no default (set per workspace in CI):
# "no-reply@${var.root_domain}" is an e-mail identity of that domain and "_dmarc.${var.root_domain}"
# its DMARC name, whatever the value.
provider "aws" {
  region = "us-east-1"
}

variable "root_domain" {
  type = string
}

variable "zone_id" {
  type = string
}

resource "aws_ses_domain_identity" "main" {
  domain = var.root_domain
}

resource "aws_ses_domain_dkim" "main" {
  domain = aws_ses_domain_identity.main.domain
}

resource "aws_sesv2_email_identity" "sender" {
  email_identity = "no-reply@${var.root_domain}"
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.root_domain}"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@${var.root_domain}"]
}
