# BROKEN: the DMARC record is switched off.
dmarc_enabled = false
