# Every input the SES set-up depends on is a variable without a default, and no value is passed.
variable "domain" {
  type = string
}

variable "set_name" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "with_events" {
  type = bool
}

resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = var.set_name
  delivery_options {
    tls_policy = "OPTIONAL"
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=none"]
}

resource "aws_sns_topic" "events" {
  count = var.with_events ? 1 : 0
  name  = "ses-events"
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "bounce.${var.domain}"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}
