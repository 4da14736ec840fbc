"""Public DNS source (dnspython): lookups and the `seslint dns` command."""
