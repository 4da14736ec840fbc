# The whole SES sending posture for one domain. See README.md for why each piece is here.

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  mail_from_domain = "${var.mail_from_subdomain}.${var.domain}"
  set_name         = coalesce(var.configuration_set_name, replace(var.domain, ".", "-"))
}

# -- identity and Easy DKIM -------------------------------------------------------------------------

resource "aws_sesv2_email_identity" "this" {
  email_identity         = var.domain
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  tags                   = var.tags

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

# Easy DKIM always issues three tokens; each needs TOKEN._domainkey.DOMAIN CNAME TOKEN.dkim.amazonses.com.
# The same three records are what verifies the domain identity.
resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = var.zone_id
  name    = "${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = var.dns_ttl
  records = ["${aws_sesv2_email_identity.this.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# -- custom MAIL FROM: MX to SES feedback, SPF authorising SES ---------------------------------------

resource "aws_sesv2_email_identity_mail_from_attributes" "this" {
  email_identity         = aws_sesv2_email_identity.this.email_identity
  mail_from_domain       = local.mail_from_domain
  behavior_on_mx_failure = "REJECT_MESSAGE"
}

# SES checks this MX before it uses the MAIL FROM domain; it must name the region's feedback endpoint.
# data.aws_region's `name` is deprecated in provider 6 in favour of `region`, which 5.x lacks; `name`
# works on both major versions this module supports.
resource "aws_route53_record" "mail_from_mx" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "MX"
  ttl     = var.dns_ttl
  records = ["10 feedback-smtp.${data.aws_region.current.name}.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = var.zone_id
  name    = local.mail_from_domain
  type    = "TXT"
  ttl     = var.dns_ttl
  records = ["v=spf1 include:amazonses.com -all"]
}

# -- DMARC ------------------------------------------------------------------------------------------

resource "aws_route53_record" "dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.${var.domain}"
  type    = "TXT"
  ttl     = var.dns_ttl
  records = ["v=DMARC1; p=${var.dmarc_policy}; sp=${var.dmarc_subdomain_policy}; pct=${var.dmarc_pct}; rua=mailto:${var.dmarc_rua}"]
}

# -- configuration set: TLS required, reputation metrics, suppression --------------------------------

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = local.set_name
  tags                   = var.tags

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

# Standard (not FIFO) topic: SES cannot publish to FIFO topics.
resource "aws_sns_topic" "feedback" {
  name              = "${local.set_name}-ses-feedback"
  kms_master_key_id = var.kms_master_key_id
  tags              = var.tags
}

# Replaces the topic's default policy. Two publishers need a grant: SES for the event destination
# (scoped to this account and to this configuration set and identity), and CloudWatch for the
# reputation alarms, whose actions default to this topic.
resource "aws_sns_topic_policy" "feedback" {
  arn = aws_sns_topic.feedback.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowSESPublish"
        Effect    = "Allow"
        Principal = { Service = "ses.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.feedback.arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
          ArnLike = {
            "aws:SourceArn" = [aws_sesv2_configuration_set.this.arn, aws_sesv2_email_identity.this.arn]
          }
        }
      },
      {
        Sid       = "AllowCloudWatchAlarmPublish"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.feedback.arn
        Condition = {
          StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
          ArnLike = {
            "aws:SourceArn" = [aws_cloudwatch_metric_alarm.bounce_rate.arn, aws_cloudwatch_metric_alarm.complaint_rate.arn]
          }
        }
      },
    ]
  })
}

# An email (or http/https) subscription stays "pending confirmation" until someone follows the link
# SNS sends; until then nothing is delivered and Terraform cannot delete it.
resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = var.feedback_protocol
  endpoint  = var.feedback_endpoint
}

# enabled defaults to false on this resource: without it SES publishes nothing.
resource "aws_sesv2_configuration_set_event_destination" "feedback" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "bounce-complaint-sns"

  event_destination {
    enabled              = true
    matching_event_types = distinct(concat(["BOUNCE", "COMPLAINT"], var.extra_feedback_event_types))

    sns_destination {
      topic_arn = aws_sns_topic.feedback.arn
    }
  }

  # SES's first events must not race the grant that lets it publish.
  depends_on = [aws_sns_topic_policy.feedback]
}

# -- reputation alarms, well under the review thresholds -------------------------------------------

locals {
  # Account-level metrics (no dimensions); values are fractions (0.05 = 5%).
  alarm_actions = length(var.alarm_actions) > 0 ? var.alarm_actions : [aws_sns_topic.feedback.arn]
}

resource "aws_cloudwatch_metric_alarm" "bounce_rate" {
  alarm_name          = "${local.set_name}-ses-bounce-rate"
  alarm_description   = "SES account bounce rate (a fraction). AWS reviews the account at 0.05 (5%)."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.bounce_rate_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "complaint_rate" {
  alarm_name          = "${local.set_name}-ses-complaint-rate"
  alarm_description   = "SES account complaint rate (a fraction). AWS reviews the account at 0.001 (0.1%)."
  namespace           = "AWS/SES"
  metric_name         = "Reputation.ComplaintRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.complaint_rate_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
  tags                = var.tags
}

# -- account-level suppression (account-wide: manage it from one module only) -----------------------

resource "aws_sesv2_account_suppression_attributes" "this" {
  count              = var.manage_account_suppression ? 1 : 0
  suppressed_reasons = ["BOUNCE", "COMPLAINT"]
}
