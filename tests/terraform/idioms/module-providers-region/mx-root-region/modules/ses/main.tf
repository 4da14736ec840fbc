terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "domain" {
  type = string
}

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.domain
}

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  email_identity         = aws_sesv2_email_identity.this.email_identity
  mail_from_domain       = "bounce.${var.domain}"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

output "mail_from_domain" {
  value = aws_sesv2_email_identity_mail_from_attributes.this.mail_from_domain
}
