# The whole SES sending posture for one domain. See README.md for why each piece is here.

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  mail_from_domain = "${var.mail_from_subdomain}.${var.domain}"
  set_name         = replace(var.domain, ".", "-")
}

# -- identity and Easy DKIM -------------------------------------------------------------------------

resource "aws_sesv2_email_identity" "this" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 1800
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# -- custom MAIL FROM: MX to SES feedback, SPF authorising SES ---------------------------------------

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  email_identity         = aws_sesv2_email_identity.this.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "MX"
  ttl     = 1800
  records = ["10 feedback-smtp.${data.aws_region.current.name}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "TXT"
  ttl     = 1800
  records = ["v=spf1 include:amazonses.com -all"]
}

# -- DMARC ------------------------------------------------------------------------------------------

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = 1800
  records = ["v=DMARC1; p=${var.dmarc_policy}; sp=${var.dmarc_policy}; pct=100; rua=mailto:${var.dmarc_rua}"]
}

# -- configuration set: TLS required, reputation metrics, suppression --------------------------------

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = local.set_name

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  sending_options {
    sending_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE", "COMPLAINT"]
  }
}

# -- bounce and complaint feedback to SNS ------------------------------------------------------------

resource "aws_sns_topic" "feedback" {
  name = "${local.set_name}-ses-feedback"
}

resource "aws_sns_topic_policy" "feedback" {
  arn = aws_sns_topic.feedback.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowSESPublish"
      Effect    = "Allow"
      Principal = { Service = "ses.amazonaws.com" }
      Action    = "SNS:Publish"
      Resource  = aws_sns_topic.feedback.arn
      Condition = {
        StringEquals = { "AWS:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnLike      = { "AWS:SourceArn" = "arn:aws:ses:*:${data.aws_caller_identity.current.account_id}:*" }
      }
    }]
  })
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = var.feedback_protocol
  endpoint  = var.feedback_endpoint
}

resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "bounce-complaint-sns"

  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT", "REJECT", "DELIVERY_DELAY"]

    sns_destination {
      topic_arn = aws_sns_topic.feedback.arn
    }
  }
}

# -- reputation alarms, well under the review thresholds -------------------------------------------

resource "aws_cloudwatch_metric_alarm" "bounce_rate" {
  alarm_name          = "${local.set_name}-ses-bounce-rate"
  alarm_description   = "SES bounce rate; AWS reviews the account at 5%."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.bounce_rate_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = length(var.alarm_actions) > 0 ? var.alarm_actions : [aws_sns_topic.feedback.arn]
}

resource "aws_cloudwatch_metric_alarm" "complaint_rate" {
  alarm_name          = "${local.set_name}-ses-complaint-rate"
  alarm_description   = "SES complaint rate; AWS reviews the account at 0.1%."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.complaint_rate_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = length(var.alarm_actions) > 0 ? var.alarm_actions : [aws_sns_topic.feedback.arn]
}

# -- account-level suppression (account-wide: manage it from one module only) -----------------------

resource "aws_sesv2_account_suppression_attributes" "this" {
  count              = var.manage_account_suppression ? 1 : 0
  suppressed_reasons = ["BOUNCE", "COMPLAINT"]
}
