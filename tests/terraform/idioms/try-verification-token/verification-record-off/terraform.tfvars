# BROKEN: no verification record, and no DKIM records either: the identity never verifies.
create_verification_record = false
