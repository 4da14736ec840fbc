"""Shipped seslint policies (data only): installed as the package seslint.policies."""
