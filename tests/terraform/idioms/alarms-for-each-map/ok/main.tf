# Both reputation alarms from one resource with for_each over a map of metric and threshold.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_sns_topic" "alarms" {
  name = "ses-alarms"
}

locals {
  ses_alarms = {
    bounce    = { metric = "Reputation.BounceRate", threshold = 0.02 }
    complaint = { metric = "Reputation.ComplaintRate", threshold = 0.0005 }
  }
}

resource "aws_cloudwatch_metric_alarm" "ses" {
  for_each = local.ses_alarms

  alarm_name          = "ses-${each.key}-rate"
  namespace           = "AWS/SES"
  metric_name         = each.value.metric
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = each.value.threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
