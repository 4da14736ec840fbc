# A registry module (and the module it calls in turn) downloaded by `terraform init`:
# .terraform/modules/modules.json maps each module call to its directory, as tflint and Checkov read it.
provider "aws" {
  region = "us-east-1"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

module "ses" {
  source  = "example-corp/ses-domain/aws"
  version = "1.2.0"

  domain  = "example.com"
  zone_id = aws_route53_zone.main.zone_id

  verify_dkim = false # BROKEN: the module creates no DKIM record
}
