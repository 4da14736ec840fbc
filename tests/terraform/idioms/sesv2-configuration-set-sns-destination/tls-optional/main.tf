# An SESv2 configuration set (TLS required, reputation metrics on) with an enabled SNS event destination
# for bounces and complaints, set as the identity's default: the shape of the provider documentation's
# aws_sesv2_configuration_set and aws_sesv2_configuration_set_event_destination examples.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"

  delivery_options {
    tls_policy = "OPTIONAL" # BROKEN: delivers in clear text when the receiver offers no TLS
  }

  reputation_options {
    reputation_metrics_enabled = true
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity         = "example.com"
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
}

resource "aws_sns_topic" "events" {
  name = "ses-events"
}

resource "aws_sns_topic_policy" "events" {
  arn = aws_sns_topic.events.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ses.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.events.arn
    }]
  })
}

resource "aws_sns_topic_subscription" "events" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:eu-west-1:123456789012:ses-events"
}

resource "aws_sesv2_configuration_set_event_destination" "sns" {
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = "feedback"

  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT"]

    sns_destination {
      topic_arn = aws_sns_topic.events.arn
    }
  }
}
