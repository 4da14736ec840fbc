variable "domain" {
  type = string
}

variable "dkim_tokens" {
  type = list(string)
}

variable "dkim_record_count" {
  description = "SES publishes three Easy DKIM tokens."
  type        = number
  default     = 3
}

data "aws_route53_zone" "this" {
  name = var.domain
}

resource "aws_route53_record" "dkim" {
  count   = var.dkim_record_count
  zone_id = data.aws_route53_zone.this.zone_id
  name    = "${var.dkim_tokens[count.index]}._domainkey.${var.domain}"
  type    = "CNAME"
  ttl     = 600
  records = ["${var.dkim_tokens[count.index]}.dkim.amazonses.com"]
}
