# The DNS stack: Route53 managed from us-east-1, the DKIM tokens read from the SES stack's state.
provider "aws" {
  region = "us-east-1"
}

data "terraform_remote_state" "ses" {
  backend = "s3"
  config = {
    bucket = "example-terraform-state"
    key    = "ses/terraform.tfstate"
    region = "eu-west-1"
  }
}

data "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_record" "dkim" {
  count   = 3
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "${data.terraform_remote_state.ses.outputs.dkim_tokens[count.index]}._domainkey"
  type    = "CNAME"
  ttl     = 600
  records = ["${data.terraform_remote_state.ses.outputs.dkim_tokens[count.index]}.dkim.amazonses.com"]
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "mail"
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.us-east-1.amazonses.com"] # BROKEN: the DNS stack's region, not the identity's
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "mail"
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}

resource "aws_route53_record" "dmarc" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.com"]
}
