# Cloudflare provider v5: cloudflare_dns_record with `content` and a required `ttl` (1 = automatic),
# the zone read with data "cloudflare_zone" and `filter = { name = ... }`, "@" for the apex, names
# relative to the zone.
terraform {
  required_providers {
    aws        = { source = "hashicorp/aws", version = "~> 5.0" }
    cloudflare = { source = "cloudflare/cloudflare", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "cloudflare_zone" "main" {
  filter = {
    name = "example.com"
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "bounce.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "cloudflare_dns_record" "dkim" {
  count   = 3
  zone_id = data.cloudflare_zone.main.id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 1
  content = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"
}

resource "cloudflare_dns_record" "mail_from_mx" {
  zone_id  = data.cloudflare_zone.main.id
  name     = "bounce"
  type     = "MX"
  ttl      = 1
  priority = 10
  content  = "feedback-smtp.eu-west-1.amazonses.com"
}

resource "cloudflare_dns_record" "mail_from_spf" {
  zone_id = data.cloudflare_zone.main.id
  name    = "bounce"
  type    = "TXT"
  ttl     = 1
  content = "v=spf1 include:amazonses.com -all"
}

resource "cloudflare_dns_record" "apex_spf" {
  zone_id = data.cloudflare_zone.main.id
  name    = "@"
  type    = "TXT"
  ttl     = 1
  content = "v=spf1 include:amazonses.com -all"
}

resource "cloudflare_dns_record" "dmarc" {
  zone_id = data.cloudflare_zone.main.id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 1
  content = "v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.com"
}
