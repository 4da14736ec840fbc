"""Terraform plan JSON source (`terraform show -json`)."""
