# Posture resources whose count stays unknown (var.on has no value): identities, a configuration set,
# a topic, and what attaches to a sure identity (DKIM, MAIL FROM). tests/terraform/test_existence.py.
variable "on" {}

provider "aws" {
  region = "eu-west-1"
}

# An identity that may not exist, complete otherwise except a MAIL FROM.
resource "aws_ses_domain_identity" "maybe" {
  count  = var.on ? 1 : 0
  domain = "maybe.example.com"
}

# A sure identity whose DKIM, MAIL FROM, notification topic and its policy may not exist.
resource "aws_ses_domain_identity" "sure" {
  domain = "sure.example.com"
}

resource "aws_ses_domain_dkim" "sure" {
  count  = var.on ? 1 : 0
  domain = aws_ses_domain_identity.sure.domain
}

resource "aws_ses_domain_mail_from" "sure" {
  count                  = var.on ? 1 : 0
  domain                 = aws_ses_domain_identity.sure.domain
  mail_from_domain       = "bounce.sure.example.com"
  behavior_on_mx_failure = "RejectMessage"
}

resource "aws_sns_topic" "feedback" {
  count = var.on ? 1 : 0
  name  = "feedback"
}

resource "aws_ses_identity_notification_topic" "sure" {
  for_each          = toset(["Bounce", "Complaint"])
  topic_arn         = "arn:aws:sns:eu-west-1:123456789012:feedback"
  notification_type = each.key
  identity          = aws_ses_domain_identity.sure.domain
}

# An email identity whose domain identity may not exist.
resource "aws_sesv2_email_identity" "sender" {
  email_identity = "no-reply@maybe.example.com"
}

# A configuration set that may not exist, the default set of a sure v2 identity.
resource "aws_sesv2_configuration_set" "maybe" {
  count                  = var.on ? 1 : 0
  configuration_set_name = "maybe"
}

resource "aws_sesv2_email_identity" "v2" {
  email_identity         = "v2.example.com"
  configuration_set_name = "maybe"
}

resource "aws_sesv2_configuration_set_event_destination" "sns" {
  configuration_set_name = "maybe"
  event_destination_name = "sns"
  event_destination {
    enabled              = true
    matching_event_types = ["BOUNCE", "COMPLAINT"]
    sns_destination {
      topic_arn = "arn:aws:sns:eu-west-1:123456789012:feedback"
    }
  }
}
