# A module that creates the identity is handed an aliased provider (providers = { aws = aws.eu }); the
# root's MX for the MAIL FROM domain must name that provider's region.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-north-1"
}

module "ses" {
  source = "./modules/ses"
  providers = {
    aws = aws.eu
  }

  domain = "example.com"
}

resource "aws_route53_zone" "main" {
  name = "example.com"
}

resource "aws_route53_record" "mail_from_mx" {
  zone_id = aws_route53_zone.main.zone_id
  name    = module.ses.mail_from_domain
  type    = "MX"
  ttl     = 600
  records = ["10 feedback-smtp.eu-north-1.amazonses.com"]
}

resource "aws_route53_record" "mail_from_spf" {
  zone_id = aws_route53_zone.main.zone_id
  name    = module.ses.mail_from_domain
  type    = "TXT"
  ttl     = 600
  records = ["v=spf1 include:amazonses.com -all"]
}
