# An e-mail address identity beside the domain identity of its domain: SES signs the address's mail
# with the domain's Easy DKIM.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sesv2_email_identity" "domain" {
  email_identity = "example.com"

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_sesv2_email_identity" "alerts" {
  email_identity = "alerts@example.com"
}
