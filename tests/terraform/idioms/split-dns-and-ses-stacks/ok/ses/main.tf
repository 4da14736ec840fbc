# The SES stack of a repository with separate DNS and SES roots: the identity and its MAIL FROM in
# eu-west-1; the DNS stack beside it (../dns) publishes the records.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity         = aws_sesv2_email_identity.main.email_identity
  mail_from_domain       = "mail.example.com"
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

output "dkim_tokens" {
  value = aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens
}
