"""The console entry point: forks the parse worker of `seslint check` before anything else loads.

A cold `check` waits for its parse worker (parse_ahead.py) to load a parser: tree-sitter's, about
10 ms, and python-hcl2's, about 0.2 s, when a file is left to it. The sooner the worker is forked,
the sooner it is ready. Here it is forked before the command line module and its
parser are built (about 45 ms), when the first word of the command line is `check`; the command then
uses it (sources/terraform/command.py), and a run that ends early (a usage error) stops it at exit.
"""

from __future__ import annotations

import sys


def main() -> int:
    argv = sys.argv[1:]
    words = [a for a in argv if a != "--debug"]
    early = None
    if words[:1] == ["check"] and not {"-h", "--help"} & set(words):
        from seslint import parse_ahead

        early = parse_ahead.start()
    from seslint import cli

    return cli.main(argv, parse_child=early)
