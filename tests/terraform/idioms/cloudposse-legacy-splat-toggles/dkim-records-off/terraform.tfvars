# BROKEN: the DKIM records are switched off, so DKIM never verifies.
verify_dkim = false
