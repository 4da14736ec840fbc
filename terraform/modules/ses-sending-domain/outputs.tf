output "identity_arn" {
  description = "ARN of the SES domain identity."
  value       = aws_sesv2_email_identity.this.arn
}

output "dkim_tokens" {
  description = "The three Easy DKIM tokens."
  value       = aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens
}

output "feedback_topic_arn" {
  description = "SNS topic receiving bounces and complaints."
  value       = aws_sns_topic.feedback.arn
}

output "configuration_set_name" {
  description = "Default configuration set of the identity."
  value       = aws_sesv2_configuration_set.this.configuration_set_name
}
