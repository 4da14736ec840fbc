variable "domain" {
  type = string
}

resource "aws_sesv2_email_identity" "this" {
  email_identity = var.domain

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

output "domain" {
  value = aws_sesv2_email_identity.this.email_identity
}

output "dkim_tokens" {
  value = aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens
}
