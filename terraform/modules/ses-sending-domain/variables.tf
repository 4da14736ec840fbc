variable "domain" {
  description = "The sending domain, e.g. example.com. Becomes an SES domain identity."
  type        = string
}

variable "zone_id" {
  description = "Route53 hosted zone id of the domain; the DKIM, MAIL FROM and DMARC records go there."
  type        = string
}

variable "mail_from_subdomain" {
  description = "Label of the custom MAIL FROM domain (bounce -> bounce.example.com)."
  type        = string
  default     = "bounce"
}

variable "dmarc_policy" {
  description = "DMARC p= for the domain: none, quarantine or reject."
  type        = string
  default     = "reject"

  validation {
    condition     = contains(["none", "quarantine", "reject"], var.dmarc_policy)
    error_message = "dmarc_policy must be none, quarantine or reject."
  }
}

variable "dmarc_rua" {
  description = "Address that receives DMARC aggregate reports (mailto: is added)."
  type        = string
}

variable "feedback_endpoint" {
  description = "Where bounce and complaint notifications go (an e-mail address, an HTTPS URL, an SQS ARN)."
  type        = string
}

variable "feedback_protocol" {
  description = "Protocol of the feedback subscription: email (must be confirmed by clicking the link), https, sqs, lambda."
  type        = string
  default     = "email"
}

variable "bounce_rate_threshold" {
  description = "Alarm when the bounce rate reaches this fraction (0.02 = 2%). SES reviews accounts at 0.05."
  type        = number
  default     = 0.02

  validation {
    condition     = var.bounce_rate_threshold > 0 && var.bounce_rate_threshold < 1
    error_message = "bounce_rate_threshold is a fraction: 0.05 means 5%, so it must be between 0 and 1."
  }
}

variable "complaint_rate_threshold" {
  description = "Alarm when the complaint rate reaches this fraction (0.0005 = 0.05%). SES reviews at 0.001."
  type        = number
  default     = 0.0005

  validation {
    condition     = var.complaint_rate_threshold > 0 && var.complaint_rate_threshold < 1
    error_message = "complaint_rate_threshold is a fraction: 0.001 means 0.1%, so it must be between 0 and 1."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when a reputation alarm fires (default: the feedback topic)."
  type        = list(string)
  default     = []
}

variable "manage_account_suppression" {
  description = "Set the account-level suppression list (BOUNCE, COMPLAINT). It is account-wide: manage it once per account."
  type        = bool
  default     = true
}
