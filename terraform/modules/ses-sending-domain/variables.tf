variable "domain" {
  description = "The sending domain, e.g. example.com. Becomes an SES domain identity."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be a lower-case domain name such as example.com, without a trailing dot."
  }
}

variable "zone_id" {
  description = "Route53 hosted zone id of the domain; the DKIM, MAIL FROM and DMARC records go there."
  type        = string

  validation {
    condition     = length(var.zone_id) > 0
    error_message = "zone_id must name the Route53 hosted zone of the domain."
  }
}

variable "mail_from_subdomain" {
  description = "Label of the custom MAIL FROM domain (bounce -> bounce.example.com). It must not be a domain that receives mail."
  type        = string
  default     = "bounce"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.mail_from_subdomain))
    error_message = "mail_from_subdomain must be a single DNS label such as bounce (not bounce.example.com)."
  }
}

variable "configuration_set_name" {
  description = "Name of the configuration set; null derives it from the domain (example.com -> example-com)."
  type        = string
  default     = null

  validation {
    condition     = var.configuration_set_name == null || can(regex("^[A-Za-z0-9_-]{1,64}$", var.configuration_set_name))
    error_message = "configuration_set_name may hold only letters, digits, '_' and '-', at most 64 characters."
  }
}

variable "dns_ttl" {
  description = "TTL in seconds of the DKIM, MAIL FROM and DMARC records."
  type        = number
  default     = 1800

  validation {
    condition     = var.dns_ttl >= 60 && var.dns_ttl <= 86400
    error_message = "dns_ttl must be between 60 and 86400 seconds."
  }
}

variable "dmarc_policy" {
  description = "DMARC p= for the domain: none (monitor only), quarantine or reject."
  type        = string
  default     = "reject"

  validation {
    condition     = contains(["none", "quarantine", "reject"], var.dmarc_policy)
    error_message = "dmarc_policy must be none, quarantine or reject."
  }
}

variable "dmarc_subdomain_policy" {
  description = "DMARC sp= for subdomains of the domain: none, quarantine or reject."
  type        = string
  default     = "reject"

  validation {
    condition     = contains(["none", "quarantine", "reject"], var.dmarc_subdomain_policy)
    error_message = "dmarc_subdomain_policy must be none, quarantine or reject."
  }
}

variable "dmarc_pct" {
  description = "DMARC pct=: the percentage of failing mail the policy applies to (RFC 7489 default 100)."
  type        = number
  default     = 100

  validation {
    condition     = var.dmarc_pct >= 0 && var.dmarc_pct <= 100 && floor(var.dmarc_pct) == var.dmarc_pct
    error_message = "dmarc_pct is a whole percentage between 0 and 100 (100 = every failing message)."
  }
}

variable "dmarc_rua" {
  description = "Address that receives DMARC aggregate reports, e.g. dmarc-reports@example.com (mailto: is added). An address at another domain must be authorised by that domain (RFC 7489 section 7.1)."
  type        = string

  validation {
    condition     = can(regex("^[^@:;,\\s]+@[^@:;,\\s]+\\.[^@:;,\\s]+$", var.dmarc_rua))
    error_message = "dmarc_rua must be a bare e-mail address such as dmarc-reports@example.com, without mailto:."
  }
}

variable "feedback_protocol" {
  description = "Protocol of the bounce/complaint subscription: email or email-json (must be confirmed by following the link SNS sends), https (must confirm too, unless it auto-confirms), sqs, lambda, firehose."
  type        = string
  default     = "email"

  validation {
    condition     = contains(["email", "email-json", "http", "https", "sqs", "lambda", "firehose", "sms", "application"], var.feedback_protocol)
    error_message = "feedback_protocol must be one of the SNS protocols: email, email-json, http, https, sqs, lambda, firehose, sms, application."
  }
}

variable "feedback_endpoint" {
  description = "Where bounce and complaint notifications go: an e-mail address, an HTTPS URL, or an SQS queue / Lambda function ARN, matching feedback_protocol."
  type        = string

  validation {
    condition     = length(var.feedback_endpoint) > 0
    error_message = "feedback_endpoint must name where bounces and complaints are delivered."
  }
}

variable "extra_feedback_event_types" {
  description = "Event types published to the feedback topic besides BOUNCE and COMPLAINT, which are always published."
  type        = list(string)
  default     = ["DELIVERY_DELAY", "REJECT"]

  validation {
    condition = alltrue([
      for t in var.extra_feedback_event_types :
      contains(["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"], t)
    ])
    error_message = "extra_feedback_event_types takes SES v2 event types: SEND, REJECT, DELIVERY, OPEN, CLICK, RENDERING_FAILURE, DELIVERY_DELAY, SUBSCRIPTION."
  }
}

variable "kms_master_key_id" {
  description = "KMS key (id, ARN or alias) encrypting the feedback topic; null leaves it unencrypted. The key policy must let ses.amazonaws.com and cloudwatch.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt), so the AWS managed alias/aws/sns cannot be used."
  type        = string
  default     = null

  validation {
    condition     = var.kms_master_key_id == null || var.kms_master_key_id != "alias/aws/sns"
    error_message = "alias/aws/sns cannot be used: its key policy cannot grant SES and CloudWatch access; use a customer managed key."
  }
}

variable "bounce_rate_threshold" {
  description = "Alarm when the account bounce rate reaches this fraction (0.02 = 2%). SES reviews an account at 0.05 (5%)."
  type        = number
  default     = 0.02

  validation {
    condition     = var.bounce_rate_threshold > 0 && var.bounce_rate_threshold < 1
    error_message = "bounce_rate_threshold is a fraction, not a percent: 0.05 means 5%, so it must be between 0 and 1 (and should stay under 0.05)."
  }
}

variable "complaint_rate_threshold" {
  description = "Alarm when the account complaint rate reaches this fraction (0.0005 = 0.05%). SES reviews an account at 0.001 (0.1%)."
  type        = number
  default     = 0.0005

  validation {
    condition     = var.complaint_rate_threshold > 0 && var.complaint_rate_threshold < 1
    error_message = "complaint_rate_threshold is a fraction, not a percent: 0.001 means 0.1%, so it must be between 0 and 1 (and should stay under 0.001)."
  }
}

variable "alarm_actions" {
  description = "ARNs notified when a reputation alarm fires or recovers; empty means the feedback topic."
  type        = list(string)
  default     = []
}

variable "manage_account_suppression" {
  description = "Set the account-level suppression list to BOUNCE and COMPLAINT. It is account-wide (per region): manage it from one module call per account and region only, and set false elsewhere."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to the identity, configuration set, topic and alarms."
  type        = map(string)
  default     = {}
}
