"""dnsrecords"""
