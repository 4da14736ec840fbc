# SES v1: aws_ses_configuration_set (TLS Require, reputation metrics) and aws_ses_event_destination to
# SNS for bounces and complaints, as in the provider documentation's examples.
provider "aws" {
  region = "us-east-1"
}

resource "aws_ses_configuration_set" "main" {
  name                       = "main"
  reputation_metrics_enabled = true

  delivery_options {
    tls_policy = "Require"
  }
}

resource "aws_sns_topic" "events" {
  name = "ses-events"
}

resource "aws_ses_event_destination" "sns" {
  name                   = "sns-feedback"
  configuration_set_name = aws_ses_configuration_set.main.name
  enabled                = false # BROKEN: switched off during an incident and never back on
  matching_types         = ["bounce", "complaint"]

  sns_destination {
    topic_arn = aws_sns_topic.events.arn
  }
}
