"""sources/terraform"""
