variable "region" {
  description = "AWS region SES sends from; the MAIL FROM MX names its feedback endpoint."
  type        = string
  default     = "eu-west-1"
}

variable "domain" {
  description = "The sending domain; a Route53 hosted zone is created for it."
  type        = string
  default     = "example.com"
}

variable "dmarc_rua" {
  description = "Mailbox for DMARC aggregate reports."
  type        = string
  default     = "dmarc-reports@example.com"
}

variable "feedback_endpoint" {
  description = "Mailbox for bounce and complaint notifications (confirm the SNS subscription e-mail)."
  type        = string
  default     = "ses-feedback@example.com"
}
