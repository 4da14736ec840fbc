"""SES0xx: the run itself. Unreadable input, expired waivers, rule crashes, unread sources."""

from __future__ import annotations

from collections.abc import Iterator

from seslint.findings import Result, Severity, Status
from seslint.model import Posture
from seslint.rules.base import ALL_SOURCES, A, Context, D, P, Rule, RuleMeta, T


def _parse_errors(posture: Posture, ctx: Context) -> Iterator[Result]:
    for failure in posture.failures:
        if failure.parse_error:
            # The location column already names the file and line; the message need not repeat them.
            message = failure.reason if failure.location.file else f"{failure.what}: {failure.reason}"
            yield Result(Status.FAIL, failure.resource or failure.what, message, failure.location)


def _read_failures(posture: Posture, ctx: Context) -> Iterator[Result]:
    for failure in posture.failures:
        if not failure.parse_error:
            yield Result(
                Status.UNKNOWN,
                failure.resource or failure.what,
                f"could not read {failure.what}: {failure.reason}; what it would have shown is unknown",
                failure.location,
                key=failure.what,
            )


def _unresolved(posture: Posture, ctx: Context) -> Iterator[Result]:
    for resource, location, reason in posture.unresolved:
        yield Result(Status.UNKNOWN, resource, reason, location)


SES000 = Rule(
    RuleMeta(
        id="SES000",
        slug="input-unparsable",
        summary="An input could not be parsed (HCL, plan JSON, snapshot); the rest of the run goes on",
        severity=Severity.ERROR,
        sources=frozenset({T, P, A}),
        permissions=(),
        what="Reports every input file that could not be parsed: HCL syntax errors, plan JSON that is not "
        "a plan, a hand-edited snapshot, a malformed inline waiver. The other files are still judged.",
        why="A linter that skips what it cannot read passes silently exactly where the posture is least "
        "known. A file seslint could not read is a failure until someone looks at it.",
        example='resource "aws_sesv2_configuration_set" "main" {\n  configuration_set_name = "main"\n'
        "# the closing brace is missing",
        fix="Fix the syntax (`terraform validate` shows the same error), or pass the right file: for plans, "
        "`terraform show -json plan.out > plan.json`.",
        family="run",
    ),
    _parse_errors,
)

SES001 = Rule(
    RuleMeta(
        id="SES001",
        slug="waiver-expired",
        summary="A waiver has expired",
        severity=Severity.ERROR,
        sources=ALL_SOURCES,
        permissions=(),
        what="Reports a policy waiver or inline `# seslint:ignore` waiver whose `expires` date has passed. "
        "The waiver no longer applies, so the finding it covered is reported again too.",
        why="Waivers without an end become permanent exceptions nobody remembers. An expiry forces the "
        "decision to be taken again.",
        example="waivers:\n  - {rule: SES201, resource: aws_sesv2_configuration_set.legacy, "
        'reason: "OPS-123", expires: 2025-01-31}',
        fix="Fix the underlying finding and delete the waiver, or renew it with a new date and reason.",
        family="run",
    ),
    None,
)

SES002 = Rule(
    RuleMeta(
        id="SES002",
        slug="rule-crashed",
        summary="A rule raised an exception (a bug in seslint); the run goes on",
        severity=Severity.ERROR,
        sources=ALL_SOURCES,
        permissions=(),
        what="Reports a rule that raised an exception on this input. The other rules still run.",
        why="A crashed rule judged nothing: treating it as a pass would hide whatever it should have found.",
        example="(any input that triggers a bug)",
        fix="Report the bug with the message (run with --debug for the traceback). Until it is fixed, "
        "the rule can be switched off in the policy: `rules: {SES2xx: off}`.",
        family="run",
    ),
    None,
)

SES003 = Rule(
    RuleMeta(
        id="SES003",
        slug="source-unreadable",
        summary="A source could not be read: access denied, API not implemented, region disabled, DNS timeout",
        severity=Severity.WARNING,
        sources=frozenset({A, D}),
        permissions=(),
        what="Reports every API call or DNS question that got no usable answer: AccessDenied, throttling "
        "after retries, an operation the endpoint does not implement, a region that is not enabled, a DNS "
        "timeout or SERVFAIL. What that call would have shown is UNKNOWN, never a pass.",
        why="An audit that could not see something must say so: auditors file the result as evidence.",
        example="sesv2:GetAccount -> AccessDeniedException",
        fix="Grant the permissions `seslint permissions` prints, enable the region, or fix the name server.",
        family="run",
    ),
    _read_failures,
)

SES004 = Rule(
    RuleMeta(
        id="SES004",
        slug="value-unresolved",
        summary="A value that decides the posture could not be resolved (count/for_each over an unknown, "
        "a non-local module)",
        severity=Severity.WARNING,
        sources=frozenset({T, P}),
        permissions=(),
        what="Reports what seslint could not resolve in Terraform and that decides which resources exist: "
        "a `count` or `for_each` over a value without a default, a module from a registry or git that "
        "`terraform init` has not downloaded (downloaded modules are read through "
        "`.terraform/modules/modules.json`). Each cause is reported once, at the variable or module call, "
        "naming the posture resources whose existence it decides (resources outside the SES posture, such "
        "as KMS keys, are left out). Such a resource is neither present nor absent: a fail about an "
        "identity, configuration set or topic that may not exist is unknown, and a verdict that needs one "
        "(a DNS record, a DKIM or MAIL FROM resource, a default configuration set, a feedback topic, an "
        "event destination, an alarm, a subscription) is unknown, never a pass.",
        why="Whether a resource exists at all cannot be judged from an unknown; dropping it silently would "
        "pass configurations that were never checked.",
        example='resource "aws_sesv2_configuration_set" "main" {\n  count = var.enabled ? 1 : 0\n}',
        fix="Give the variable a value (`--var`, `--var-file`, terraform.tfvars), run `terraform init` for "
        "remote modules, or lint the plan instead (`seslint plan`), where Terraform has resolved it.",
        family="run",
    ),
    _unresolved,
)

RULES = (SES000, SES001, SES002, SES003, SES004)
