# BROKEN: the settings map weakens DMARC to monitoring only.
settings = {
  dmarc_policy = "none"
}
