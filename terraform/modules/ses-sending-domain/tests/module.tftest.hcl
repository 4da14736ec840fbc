# `terraform test` for the module, against a mocked aws provider: no credentials, no AWS calls.
# Run from the module directory: terraform init -backend=false && terraform test
# (init needs the hashicorp/aws provider from the registry or a local mirror).

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_sesv2_email_identity" {
    defaults = {
      arn                     = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"
      dkim_signing_attributes = { tokens = ["tok1", "tok2", "tok3"] }
    }
  }
  mock_resource "aws_sesv2_configuration_set" {
    defaults = { arn = "arn:aws:ses:eu-west-1:123456789012:configuration-set/example-com" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-west-1:123456789012:example-com-ses-feedback" }
  }
  mock_resource "aws_cloudwatch_metric_alarm" {
    defaults = { arn = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:example-com-ses-rate" }
  }
}

variables {
  domain            = "example.com"
  zone_id           = "Z0123456789"
  dmarc_rua         = "dmarc-reports@example.com"
  feedback_endpoint = "ses-feedback@example.com"
}

run "defaults_build_the_strict_posture" {
  command = apply

  assert {
    condition     = aws_route53_record.dkim[1].name == "tok2._domainkey.example.com"
    error_message = "DKIM CNAME name: ${aws_route53_record.dkim[1].name}"
  }
  assert {
    condition     = aws_route53_record.dkim[1].records == toset(["tok2.dkim.amazonses.com"])
    error_message = "DKIM CNAME target: ${jsonencode(aws_route53_record.dkim[1].records)}"
  }
  assert {
    condition     = aws_route53_record.mail_from_mx.records == toset(["10 feedback-smtp.eu-west-1.amazonses.com"])
    error_message = "MAIL FROM MX: ${jsonencode(aws_route53_record.mail_from_mx.records)}"
  }
  assert {
    condition     = aws_route53_record.dmarc.records == toset(["v=DMARC1; p=reject; sp=reject; pct=100; rua=mailto:dmarc-reports@example.com"])
    error_message = "DMARC: ${jsonencode(aws_route53_record.dmarc.records)}"
  }
  assert {
    condition     = aws_sesv2_configuration_set.this.configuration_set_name == "example-com"
    error_message = "configuration set name: ${aws_sesv2_configuration_set.this.configuration_set_name}"
  }
  assert {
    condition     = tolist(aws_sesv2_configuration_set_event_destination.feedback.event_destination[0].matching_event_types) == tolist(["BOUNCE", "COMPLAINT", "DELIVERY_DELAY", "REJECT"])
    error_message = "event types: ${jsonencode(aws_sesv2_configuration_set_event_destination.feedback.event_destination[0].matching_event_types)}"
  }
  assert {
    condition     = jsondecode(aws_sns_topic_policy.feedback.policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == ["arn:aws:ses:eu-west-1:123456789012:configuration-set/example-com", "arn:aws:ses:eu-west-1:123456789012:identity/example.com"]
    error_message = "SES SourceArn: ${aws_sns_topic_policy.feedback.policy}"
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.bounce_rate.threshold == 0.02 && aws_cloudwatch_metric_alarm.complaint_rate.threshold == 0.0005
    error_message = "alarm thresholds"
  }
  assert {
    condition     = length(aws_sesv2_account_suppression_attributes.this) == 1
    error_message = "account suppression is managed by default"
  }
}

run "named_set_without_account_suppression" {
  command = plan

  variables {
    configuration_set_name     = "transactional"
    manage_account_suppression = false
    extra_feedback_event_types = []
  }

  assert {
    condition     = aws_sesv2_configuration_set.this.configuration_set_name == "transactional"
    error_message = "configuration_set_name is not used"
  }
  assert {
    condition     = length(aws_sesv2_account_suppression_attributes.this) == 0
    error_message = "account suppression is still managed"
  }
}

run "threshold_in_percent_is_rejected" {
  command = plan

  variables {
    bounce_rate_threshold = 5
  }

  expect_failures = [var.bounce_rate_threshold]
}

run "malformed_inputs_are_rejected" {
  command = plan

  variables {
    domain                     = "Example.com."
    mail_from_subdomain        = "bounce.example.com"
    dmarc_rua                  = "mailto:dmarc-reports@example.com"
    dmarc_pct                  = 50.5
    feedback_protocol          = "smtp"
    extra_feedback_event_types = ["BOUNCES"]
    kms_master_key_id          = "alias/aws/sns"
  }

  expect_failures = [
    var.domain,
    var.mail_from_subdomain,
    var.dmarc_rua,
    var.dmarc_pct,
    var.feedback_protocol,
    var.extra_feedback_event_types,
    var.kms_master_key_id,
  ]
}
