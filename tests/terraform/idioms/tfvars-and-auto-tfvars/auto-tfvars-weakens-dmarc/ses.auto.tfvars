mail_from_subdomain = "bounce"
