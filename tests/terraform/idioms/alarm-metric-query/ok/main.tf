# Reputation alarms written with metric_query blocks (the form metric math alarms use), the rate metric
# returned directly with return_data.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_sns_topic" "alarms" {
  name = "ses-alarms"
}

resource "aws_cloudwatch_metric_alarm" "bounce_rate" {
  alarm_name          = "ses-bounce-rate"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0.02
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "bounce"
    return_data = true

    metric {
      namespace   = "AWS/SES"
      metric_name = "Reputation.BounceRate"
      period      = 3600
      stat        = "Average"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "complaint_rate" {
  alarm_name          = "ses-complaint-rate"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0.0005
  alarm_actions       = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "complaint"
    return_data = true

    metric {
      namespace   = "AWS/SES"
      metric_name = "Reputation.ComplaintRate"
      period      = 3600
      stat        = "Maximum"
    }
  }
}
