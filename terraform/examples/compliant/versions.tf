terraform {
  required_version = ">= 1.5"

  required_providers {
    # aws_sesv2_account_suppression_attributes first shipped in provider 5.68.0; 6.x works as well.
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.68, < 7.0"
    }
  }
}
