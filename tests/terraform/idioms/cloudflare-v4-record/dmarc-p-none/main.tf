# Cloudflare provider v4: cloudflare_record with `value`, the zone read with data "cloudflare_zone" by
# name, the MX priority in its own argument, the sending domain split from a From address (the style
# of sil-org/terraform-aws-ses-cloudflare).
terraform {
  required_providers {
    aws        = { source = "hashicorp/aws", version = "~> 5.0" }
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 4.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "email_from_address" {
  type    = string
  default = "no-reply@example.com"
}

locals {
  email_domain     = split("@", var.email_from_address)[1]
  mail_from_domain = "mail.${local.email_domain}"
}

data "aws_region" "current" {}

data "cloudflare_zone" "this" {
  name = local.email_domain
}

resource "aws_ses_domain_identity" "this" {
  domain = local.email_domain
}

resource "aws_ses_domain_dkim" "this" {
  domain = aws_ses_domain_identity.this.domain
}

resource "cloudflare_record" "ses_dkim" {
  count   = 3
  zone_id = data.cloudflare_zone.this.id
  name    = "${element(aws_ses_domain_dkim.this.dkim_tokens, count.index)}._domainkey.${local.email_domain}"
  type    = "CNAME"
  value   = "${element(aws_ses_domain_dkim.this.dkim_tokens, count.index)}.dkim.amazonses.com"
}

resource "cloudflare_record" "dmarc" {
  zone_id = data.cloudflare_zone.this.id
  name    = "_dmarc.${local.email_domain}"
  type    = "TXT"
  value   = "v=DMARC1; p=none; rua=mailto:dmarc@${local.email_domain}" # BROKEN: p=none only monitors
}

resource "aws_ses_domain_mail_from" "this" {
  domain                 = aws_ses_domain_identity.this.domain
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "RejectMessage"
}

resource "cloudflare_record" "from_domain_mx" {
  zone_id  = data.cloudflare_zone.this.id
  name     = local.mail_from_domain
  type     = "MX"
  priority = 10
  value    = "feedback-smtp.${data.aws_region.current.name}.amazonses.com"
}

resource "cloudflare_record" "from_domain_spf" {
  zone_id = data.cloudflare_zone.this.id
  name    = local.mail_from_domain
  type    = "TXT"
  value   = "v=spf1 include:amazonses.com -all"
}
