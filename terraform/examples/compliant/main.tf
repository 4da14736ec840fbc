# A root that sends mail for example.com through SES with the whole posture the strict policy asks for.
# Run: seslint check terraform/examples/compliant --policy strict

provider "aws" {
  region = var.region
}

resource "aws_route53_zone" "main" {
  name = var.domain
}

module "ses" {
  source = "../../modules/ses-sending-domain"

  domain            = var.domain
  zone_id           = aws_route53_zone.main.zone_id
  dmarc_policy      = "reject"
  dmarc_rua         = var.dmarc_rua
  feedback_protocol = "email"
  feedback_endpoint = var.feedback_endpoint
}

output "dkim_tokens" {
  description = "Easy DKIM tokens; their CNAMEs are already in the zone."
  value       = module.ses.dkim_tokens
}

output "name_servers" {
  description = "Delegate the domain to these name servers, or SES never sees the records."
  value       = aws_route53_zone.main.name_servers
}
