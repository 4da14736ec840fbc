# A second root in the same repository: another account, alerting only on complaints.
# Run with the parent: seslint check terraform/examples/noncompliant --policy strict

variable "enable_transactional" {
  description = "Whether to create the transactional configuration set (no default: set per workspace)."
  type        = bool
}

provider "aws" {
  region = "eu-central-1"
}

# SES102: an email identity is DKIM-signed only through a domain identity of its domain: none here.
# SES120: example.com has no DMARC record here. SES140, SES141, SES200: no topics, no default set (v1).
# SES310: no alarm watches Reputation.BounceRate; an account-wide finding, seslint reports it here.
resource "aws_ses_email_identity" "alerts" {
  email = "alerts@example.com"
}

# SES004: the count depends on var.enable_transactional, which has no value here: whether this set
# exists cannot be told, so it is judged as one instance and the variable (line 4) is reported.
resource "aws_sesv2_configuration_set" "transactional" {
  count                  = var.enable_transactional ? 1 : 0
  configuration_set_name = "transactional"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }
}

# SES001: this waiver expired on 2025-06-30, so SES202 is reported again as well.
# SES202: reputation metrics are off.
resource "aws_ses_configuration_set" "marketing" {
  # seslint:ignore SES202 expires=2025-06-30 -- OPS-481: metrics moved to the data warehouse
  name = "marketing"

  delivery_options {
    tls_policy = "Require"
  }
}

# Only the complaint rate is watched in this account: hence SES310 above.
resource "aws_cloudwatch_metric_alarm" "complaint_rate" {
  alarm_name          = "ses-complaint-rate"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0.0005
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["arn:aws:sns:eu-central-1:123456789012:oncall"]
}

resource "aws_sesv2_account_suppression_attributes" "main" {
  suppressed_reasons = ["BOUNCE", "COMPLAINT"]
}
