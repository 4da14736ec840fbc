# The terraform-aws-modules style: optional nested blocks through dynamic blocks driven by variables.
provider "aws" {
  region = "us-east-1"
}

variable "tls_policy" {
  type    = string
  default = "REQUIRE"
}

variable "reputation_metrics_enabled" {
  type    = bool
  default = true
}

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = "app"

  dynamic "delivery_options" {
    for_each = var.tls_policy != null ? [var.tls_policy] : []
    content {
      tls_policy = delivery_options.value
    }
  }

  dynamic "reputation_options" {
    for_each = var.reputation_metrics_enabled ? [true] : []
    content {
      reputation_metrics_enabled = reputation_options.value
    }
  }
}
