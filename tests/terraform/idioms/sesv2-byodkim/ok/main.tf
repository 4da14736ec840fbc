# Bring Your Own DKIM on an SESv2 identity (domain_signing_selector and domain_signing_private_key in
# dkim_signing_attributes), the selector's TXT record carrying the public key.
provider "aws" {
  region = "eu-west-1"
}

variable "dkim_private_key" {
  description = "Base64 private key, from the secrets store in real stacks."
  type        = string
  sensitive   = true
  default     = "dGVzdC1vbmx5LW5vdC1hLWtleQ=="
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"

  dkim_signing_attributes {
    domain_signing_private_key = var.dkim_private_key
    domain_signing_selector    = "ses2026"
  }
}

resource "aws_route53_record" "dkim" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "ses2026._domainkey"
  type    = "TXT"
  ttl     = 3600
  records = ["v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtestonlynotarealkeytestonlynotarealkeyAQAB"]
}
