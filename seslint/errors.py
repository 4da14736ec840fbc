"""The exception tree, and the one place that maps it to exit codes (see DESIGN.md)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class SeslintError(Exception):
    """Base of every error seslint reports to the user as one line."""

    exit_code = EXIT_INTERNAL

    def lines(self) -> list[str]:
        """What to print, a line each (a line may hold a newline from an input: it is escaped)."""
        return str(self).splitlines() or [type(self).__name__]


class UsageError(SeslintError):
    """Bad command line, missing path, unknown rule or format."""

    exit_code = EXIT_USAGE


class PolicyError(SeslintError):
    """A policy file is unreadable or invalid; `problems` holds every `FILE:LINE: key.path: message`."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return self.problems


class NotBuiltError(SeslintError):
    """A command whose source is not available yet."""

    exit_code = EXIT_USAGE


class InputError(SeslintError):
    """An input file (plan, snapshot, baseline) cannot be used at all."""

    exit_code = EXIT_USAGE
