# Composition of two local modules: module "dns" takes the domain and DKIM tokens that module "ses"
# outputs, and creates the records in a zone read by name.
provider "aws" {
  region = "eu-west-1"
}

module "ses" {
  source = "./modules/ses"
  domain = "example.com"
}

module "dns" {
  source      = "./modules/dns"
  domain      = module.ses.domain
  dkim_tokens = module.ses.dkim_tokens
}
