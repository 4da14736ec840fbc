# The feedback topic's policy set inline (aws_sns_topic.policy) from data "aws_iam_policy_document";
# the topic's ARN is built from data.aws_region, data.aws_caller_identity and the topic name, since
# the topic cannot refer to its own arn.
provider "aws" {
  region = "eu-west-1"
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  topic_name = "ses-feedback"
  topic_arn  = "arn:aws:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${local.topic_name}"
}

data "aws_iam_policy_document" "feedback" {
  statement {
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = ["${local.topic_arn}-old"] # BROKEN: the grant names the topic this one replaced

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }
  }
}

resource "aws_sns_topic" "feedback" {
  name   = local.topic_name
  policy = data.aws_iam_policy_document.feedback.json
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "email"
  endpoint  = "postmaster@example.com"
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_ses_identity_notification_topic" "feedback" {
  for_each          = toset(["Bounce", "Complaint"])
  topic_arn         = aws_sns_topic.feedback.arn
  notification_type = each.key
  identity          = aws_sesv2_email_identity.main.email_identity
}
