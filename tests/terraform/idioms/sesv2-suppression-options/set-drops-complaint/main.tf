# Suppression: the account-level list (aws_sesv2_account_suppression_attributes) and a configuration
# set that overrides it, both keeping BOUNCE and COMPLAINT.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sesv2_account_suppression_attributes" "main" {
  suppressed_reasons = ["BOUNCE", "COMPLAINT"]
}

resource "aws_sesv2_configuration_set" "marketing" {
  configuration_set_name = "marketing"

  delivery_options {
    tls_policy = "REQUIRE"
  }

  reputation_options {
    reputation_metrics_enabled = true
  }

  suppression_options {
    suppressed_reasons = ["BOUNCE"] # BROKEN: addresses that complained are mailed again
  }
}
