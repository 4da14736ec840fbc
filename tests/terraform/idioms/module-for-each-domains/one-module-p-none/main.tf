# One local module instance per sending domain (module for_each), each creating its identity and
# DMARC record; the module's policy input defaults to reject.
provider "aws" {
  region = "us-east-1"
}

module "domain" {
  source   = "./modules/sending-domain"
  for_each = toset(["example.com", "example.org"])

  domain       = each.key
  dmarc_policy = each.key == "example.org" ? "none" : "reject" # BROKEN: example.org only monitors
}
