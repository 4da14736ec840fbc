# BROKEN: loaded after terraform.tfvars, this weakens DMARC to monitoring only.
dmarc_policy = "none"
