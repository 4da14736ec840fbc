# The SES set-up lives in a registry module; `terraform init` has not been run, so it is not installed.
module "ses" {
  source  = "cloudposse/ses/aws"
  version = "0.25.0"
  domain  = "example.com"
}

resource "aws_sesv2_email_identity" "alerts" {
  email_identity         = "alerts@example.com"
  configuration_set_name = module.ses.configuration_set_name
}

resource "aws_route53_record" "dmarc" {
  zone_id = module.ses.zone_id
  name    = "_dmarc.example.com"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject"]
}
