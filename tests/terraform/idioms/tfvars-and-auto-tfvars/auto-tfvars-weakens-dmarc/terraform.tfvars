region       = "ap-southeast-2"
domain       = "example.com"
dmarc_policy = "reject"
