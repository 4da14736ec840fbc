# A root that sends mail for example.com through SES with the whole posture the strict policy asks for.
# Run: seslint check terraform/examples/compliant --policy strict

provider "aws" {
  region = "eu-west-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

module "ses" {
  source = "../../modules/ses-sending-domain"

  domain            = "example.com"
  zone_id           = aws_route53_zone.main.zone_id
  dmarc_policy      = "reject"
  dmarc_rua         = "dmarc-reports@example.com"
  feedback_protocol = "email"
  feedback_endpoint = "ses-feedback@example.com"
}
