# The hosted zone is looked up by tag, so its id and name are known only when Terraform reads it.
data "aws_route53_zone" "main" {
  tags = {
    mail = "ses"
  }
}

resource "aws_sesv2_email_identity" "main" {
  email_identity = data.aws_route53_zone.main.name
}

resource "aws_route53_record" "dmarc" {
  count   = data.aws_route53_zone.main.zone_id != "" ? 1 : 0
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "_dmarc"
  type    = "TXT"
  ttl     = 600
  records = ["v=DMARC1; p=reject"]
}
