"""sources/aws"""
