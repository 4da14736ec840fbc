output "identity_arn" {
  description = "ARN of the SES domain identity."
  value       = aws_sesv2_email_identity.this.arn
}

output "dkim_tokens" {
  description = "The three Easy DKIM tokens (each published as TOKEN._domainkey.DOMAIN)."
  value       = aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens
}

output "mail_from_domain" {
  description = "The custom MAIL FROM domain, e.g. bounce.example.com."
  value       = local.mail_from_domain
}

output "feedback_topic_arn" {
  description = "SNS topic receiving bounces and complaints (and the alarms, unless alarm_actions is set)."
  value       = aws_sns_topic.feedback.arn
}

output "configuration_set_name" {
  description = "Default configuration set of the identity."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}

output "configuration_set_arn" {
  description = "ARN of the default configuration set."
  value       = aws_sesv2_configuration_set.this.arn
}
