# aws_ses_identity_notification_topic as the AWS provider documentation shows it, one per feedback
# type, to a standard SNS topic whose policy (jsonencode) lets SES publish, scoped to this account.
provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_ses_domain_identity" "example" {
  domain = "example.com"
}

resource "aws_sns_topic" "feedback" {
  name = "ses-feedback"
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
      }
    }]
  })
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "email"
  endpoint  = "postmaster@example.com"
}

resource "aws_ses_identity_notification_topic" "bounce" {
  topic_arn                = aws_sns_topic.feedback.arn
  notification_type        = "Bounce"
  identity                 = aws_ses_domain_identity.example.domain
  include_original_headers = true
}

resource "aws_ses_identity_notification_topic" "complaint" {
  topic_arn                = aws_sns_topic.feedback.arn
  notification_type        = "Complaint"
  identity                 = aws_ses_domain_identity.example.domain
  include_original_headers = true
}
