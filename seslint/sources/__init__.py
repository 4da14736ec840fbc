"""Sources read a posture from somewhere and know nothing of rules.

Each source that backs a CLI command has a light `command` module (stdlib imports only at the top,
since the CLI builds every sub-parser at start-up) with two functions:

    def add_arguments(parser: argparse.ArgumentParser) -> None
    def collect(args: argparse.Namespace) -> list[Posture]

`collect` returns one posture per independent unit the rules judge on its own: a Terraform root
module, a plan, an (account, region) pair, a DNS run. Rules never match entities across postures.
`collect` imports what it needs (hcl2, boto3, dnspython) inside itself. It raises
seslint.errors.UsageError for a bad path or argument, and records unreadable inputs in
`Posture.failures` (SES000 / SES003) rather than raising.

    seslint.sources.terraform.command   seslint check
    seslint.sources.plan.command        seslint plan
    seslint.sources.aws.command         seslint audit
    seslint.sources.dns.command         seslint dns
"""
