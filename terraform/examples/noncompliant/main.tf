# A deliberately broken SES set-up, written the way legacy code often is: SES v1 and v2 resources
# mixed. Every comment "SESxxx:" marks a mistake and the rule that reports it.
# Run: seslint check terraform/examples/noncompliant --policy strict

provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.net"
}

resource "aws_route53_zone" "org" {
  name = "example.org"
}

# ---------------------------------------------------------------------------------------------------
# example.net: SESv2 identity with weak settings
# ---------------------------------------------------------------------------------------------------

# SES104: a 1024-bit DKIM key; strict requires 2048.
# SES140, SES141: its default configuration set's only event destination is disabled (see below).
resource "aws_sesv2_email_identity" "main" {
  email_identity         = "example.net"
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name

  dkim_signing_attributes {
    next_signing_key_length = "RSA_1024_BIT"
  }
}

# SES103: only two of the three DKIM tokens get a CNAME record.
resource "aws_route53_record" "dkim" {
  count   = 2
  zone_id = aws_route53_zone.main.zone_id
  name    = "${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.main.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# SES111: falls back to amazonses.com when the MX record fails (the default, USE_DEFAULT_VALUE).
resource "aws_sesv2_email_identity_mail_from_attributes" "main" {
  email_identity   = aws_sesv2_email_identity.main.email_identity
  mail_from_domain = "bounce.example.net"
}

# SES112: the MX points at the SES inbound endpoint, not feedback-smtp.REGION.amazonses.com.
resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce"
  type    = "MX"
  ttl     = 600
  records = ["10 inbound-smtp.us-east-1.amazonaws.com"]
}

# SES113: the MAIL FROM SPF record does not include amazonses.com.
resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "bounce"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 mx -all"]
}

# SES122: p=none only monitors (strict wants reject), and pct=50.
# SES123: no rua= address for aggregate reports.
resource "aws_route53_record" "dmarc" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=none; pct=50"]
}

# SES130: +all lets any server pass SPF for example.net.
resource "aws_route53_record" "spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = "example.net"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com +all"]
}

# SES203: the suppression override drops COMPLAINT.
resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE"]
  }
}

# SES204: enabled is not set, and it defaults to false on this resource.
resource "aws_sesv2_configuration_set_event_destination" "main" {
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = "bounces"

  event_destination {
    matching_event_types = ["BOUNCE", "COMPLAINT"]

    sns_destination {
      topic_arn = aws_sns_topic.events.arn
    }
  }
}

# SES142: SES cannot publish to a FIFO topic.
resource "aws_sns_topic" "events" {
  name       = "ses-events.fifo"
  fifo_topic = true
}

resource "aws_sns_topic_subscription" "events" {
  topic_arn = aws_sns_topic.events.arn
  protocol  = "sqs"
  endpoint  = "arn:aws:sqs:us-east-1:123456789012:ses-events.fifo"
}

resource "aws_sns_topic_policy" "events" {
  arn = aws_sns_topic.events.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ses.amazonaws.com" }
      Action    = "SNS:Publish"
      Resource  = aws_sns_topic.events.arn
    }]
  })
}

# ---------------------------------------------------------------------------------------------------
# shop.example.org: SESv2 identity without a configuration set, v1 notification topics
# ---------------------------------------------------------------------------------------------------

# SES200: no default configuration set.
# SES110: no custom MAIL FROM domain.
# SES141: a bounce topic, but nothing for complaints.
resource "aws_sesv2_email_identity" "shop" {
  email_identity = "shop.example.org"

  dkim_signing_attributes {
    next_signing_key_length = "RSA_2048_BIT"
  }
}

resource "aws_route53_record" "shop_dkim" {
  count   = 3
  zone_id = aws_route53_zone.org.zone_id
  name    = "${aws_sesv2_email_identity.shop.dkim_signing_attributes[0].tokens[count.index]}._domainkey.shop.example.org"
  type    = "CNAME"
  ttl     = 600
  records = ["${aws_sesv2_email_identity.shop.dkim_signing_attributes[0].tokens[count.index]}.dkim.amazonses.com"]
}

# SES121: "maybe" is not a DMARC policy.
resource "aws_route53_record" "shop_dmarc" {
  zone_id = aws_route53_zone.org.zone_id
  name    = "_dmarc.shop.example.org"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=maybe; rua=mailto:dmarc@example.org"]
}

resource "aws_ses_identity_notification_topic" "shop_bounces" {
  topic_arn         = aws_sns_topic.shop.arn
  notification_type = "Bounce"
  identity          = aws_sesv2_email_identity.shop.email_identity
}

# SES143: no policy lets ses.amazonaws.com publish to this topic.
# SES144: nobody subscribes to it.
resource "aws_sns_topic" "shop" {
  name = "shop-bounces"
}

# ---------------------------------------------------------------------------------------------------
# legacy.example.info: a v1 identity left over from the first migration
# ---------------------------------------------------------------------------------------------------

# SES101: neither the _amazonses TXT record nor DKIM records: it can never verify.
# SES102: no aws_ses_domain_dkim, so no DKIM signing. SES110: no custom MAIL FROM domain.
# SES120: no DMARC record, neither at _dmarc.legacy.example.info nor at _dmarc.example.info.
# SES140, SES141, SES200: no notification topics, and a v1 identity has no default configuration set.
# SES311: no alarm watches Reputation.ComplaintRate; an account-wide finding, seslint reports it here.
resource "aws_ses_domain_identity" "legacy" {
  domain = "legacy.example.info"
}

# SES201: TLS is optional. SES202: reputation metrics are off (the default).
resource "aws_ses_configuration_set" "legacy" {
  name = "legacy"

  delivery_options {
    tls_policy = "Optional"
  }
}

# ---------------------------------------------------------------------------------------------------
# account level
# ---------------------------------------------------------------------------------------------------

# SES302: the account-level suppression list drops COMPLAINT.
resource "aws_sesv2_account_suppression_attributes" "main" {
  suppressed_reasons = ["BOUNCE"]
}

# SES312: 5 is a percent; the metric is a fraction, so this never fires.
# SES313: no alarm actions.
# SES314: Sum of a rate is meaningless.
resource "aws_cloudwatch_metric_alarm" "bounce_rate" {
  alarm_name          = "ses-bounce-rate"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
}

# SES314: this alarm counts complaints (metric Complaint) instead of watching the rate AWS reviews,
# so it does not count as the Reputation.ComplaintRate alarm either (SES311, reported above).
resource "aws_cloudwatch_metric_alarm" "complaints" {
  alarm_name          = "ses-complaints"
  namespace           = "AWS/SES"
  metric_name         = "Complaint"
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:us-east-1:123456789012:oncall"]
}
