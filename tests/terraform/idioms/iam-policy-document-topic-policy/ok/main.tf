# The topic policy written with data "aws_iam_policy_document" (the provider documentation's way, and
# most public modules'), granting ses.amazonaws.com SNS:Publish scoped by aws:SourceAccount.
provider "aws" {
  region = "eu-west-1"
}

data "aws_caller_identity" "current" {}

resource "aws_sesv2_email_identity" "main" {
  email_identity = "example.com"
}

resource "aws_sns_topic" "feedback" {
  name = "ses-feedback"
}

data "aws_iam_policy_document" "feedback" {
  statement {
    sid     = "AllowSESPublish"
    effect  = "Allow"
    actions = ["SNS:Publish"]

    principals {
      type        = "Service"
      identifiers = ["ses.amazonaws.com"]
    }

    resources = [aws_sns_topic.feedback.arn]

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "feedback" {
  arn    = aws_sns_topic.feedback.arn
  policy = data.aws_iam_policy_document.feedback.json
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "https"
  endpoint  = "https://hooks.example.com/ses"
}

resource "aws_ses_identity_notification_topic" "bounce" {
  topic_arn         = aws_sns_topic.feedback.arn
  notification_type = "Bounce"
  identity          = aws_sesv2_email_identity.main.email_identity
}

resource "aws_ses_identity_notification_topic" "complaint" {
  topic_arn         = aws_sns_topic.feedback.arn
  notification_type = "Complaint"
  identity          = aws_sesv2_email_identity.main.email_identity
}
