# One SESv2 event destination per event type, created by for_each over a map of type to topic, on the
# identity's default configuration set.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity         = "example.com"
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
}

resource "aws_sns_topic" "bounces" {
  name = "ses-bounces"
}

resource "aws_sns_topic" "complaints" {
  name = "ses-complaints"
}

locals {
  destinations = {
    BOUNCE    = aws_sns_topic.bounces.arn
    COMPLAINT = aws_sns_topic.complaints.arn
  }
}

resource "aws_sesv2_configuration_set_event_destination" "sns" {
  for_each = local.destinations

  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = lower(each.key)

  event_destination {
    enabled              = true
    matching_event_types = [each.key]

    sns_destination {
      topic_arn = each.value
    }
  }
}
