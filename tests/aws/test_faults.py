"""`seslint audit` against a faulty network: dropped connections, truncated answers, a dead region.

The faults are injected by the GapFiller in front of moto (tests/aws/moto_server.py), over real HTTP,
so botocore's own retries meet them. botocore's backoff between attempts is set to zero here (it is
random, up to 20 s): the attempts are all made, only the waiting between them is skipped.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import boto3
import pytest
from botocore.retries.standard import ExponentialBackoff

from seslint import cli
from seslint.sources.aws.audit import ATTEMPTS
from seslint.sources.aws.calls import TRUNCATED_ATTEMPTS
from tests.aws.moto_server import Fault, GapFiller
from tests.aws.test_audit import ACCOUNT, REGION, audit, aws, seed, server

__all__ = ["aws", "server"]  # the fixtures, shared with test_audit.py

Finding = tuple[str, str, str]
OTHER_REGION = "us-east-1"  # not AWS_DEFAULT_REGION: sts, which finds the account, is not in it


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.0)


def changed(calm: list[Finding], hidden: set[Finding], added: list[Finding]) -> list[Finding]:
    """The calm findings with `hidden` gone and `added` in: what a fault may change, and nothing else."""
    assert hidden <= set(calm)
    return sorted([f for f in calm if f not in hidden] + added)


def test_dropped_connection_persisting_is_ses003_and_unknown(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    """The server hangs up on every GetConfigurationSet: each call is tried ATTEMPTS times, then
    SES003 names exactly that call and what it would have shown is unknown, never a pass or a fail."""
    endpoint, filler = aws
    seed(filler, good=False)
    _, calm = audit(capsys)
    filler.faults[r"GET /v2/email/configuration-sets/main"] = Fault(-1, kind="drop")
    code, findings = audit(capsys)
    assert code == 1
    assert sorted(findings) == changed(
        calm,
        hidden={
            (
                "SES201",
                "fail",
                "configuration set main lets SES deliver without TLS (TLS policy OPTIONAL); "
                "the policy requires REQUIRE",
            ),
            (
                "SES202",
                "fail",
                "configuration set main does not publish reputation metrics (bounce and complaint "
                "rates) to CloudWatch",
            ),
        },
        added=[
            (
                "SES003",
                "unknown",
                "could not read sesv2:GetConfigurationSet: ConnectionClosedError: Connection was closed "
                "before we received a valid response from endpoint URL: "
                f'"{endpoint}/v2/email/configuration-sets/main".; what it would have shown is unknown',
            ),
            (
                "SES201",
                "unknown",
                "TLS policy of main could not be verified: sesv2:GetConfigurationSet main: "
                "ConnectionClosedError",
            ),
            (
                "SES202",
                "unknown",
                "reputation metrics of main could not be verified: sesv2:GetConfigurationSet main: "
                "ConnectionClosedError",
            ),
        ],
    )
    # Tried ATTEMPTS times (9, as the help of --timeout says), then given up.
    assert ATTEMPTS == 9
    assert filler.hits == [(REGION, "GET /v2/email/configuration-sets/main")] * ATTEMPTS


def test_truncated_answers_persisting_are_ses003_never_defaults(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    """Every GetConfigurationSet and DescribeAlarms answer is cut off halfway, then the connection
    closed. botocore would parse the cut-off JSON as an empty answer (TLS policy OPTIONAL, no alarms);
    the audit refuses it, asks again, and reports the calls as unread."""
    _, filler = aws
    seed(filler, good=True)
    _, calm = audit(capsys)
    filler.faults[r"GET /v2/email/configuration-sets/main"] = Fault(-1, kind="truncate")
    filler.faults[r"POST /"] = Fault(-1, kind="truncate", action="DescribeAlarms")
    code, findings = audit(capsys)
    assert code == 1
    (set_sent, set_full), (alarms_sent, alarms_full) = filler.cuts[0], filler.cuts[-1]
    assert sorted(findings) == changed(
        calm,
        hidden=set(),  # a compliant account: nothing failed that could now go unknown
        added=[
            (
                "SES003",
                "unknown",
                f"could not read cloudwatch:DescribeAlarms: IncompleteReadError: {alarms_sent} read, but "
                f"total bytes expected is {alarms_full}.; what it would have shown is unknown",
            ),
            (
                "SES003",
                "unknown",
                f"could not read sesv2:GetConfigurationSet: IncompleteReadError: {set_sent} read, but "
                f"total bytes expected is {set_full}.; what it would have shown is unknown",
            ),
            (
                "SES201",
                "unknown",
                "TLS policy of main could not be verified: sesv2:GetConfigurationSet main: "
                "IncompleteReadError",
            ),
            (
                "SES202",
                "unknown",
                "reputation metrics of main could not be verified: sesv2:GetConfigurationSet main: "
                "IncompleteReadError",
            ),
            (
                "SES310",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.BounceRate could not be verified: "
                "cloudwatch:DescribeAlarms: IncompleteReadError",
            ),
            (
                "SES311",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.ComplaintRate could not be verified: "
                "cloudwatch:DescribeAlarms: IncompleteReadError",
            ),
        ],
    )
    assert (
        sorted(filler.hits)
        == [(REGION, "GET /v2/email/configuration-sets/main")] * TRUNCATED_ATTEMPTS
        + [(REGION, "POST /")] * TRUNCATED_ATTEMPTS
    )


def test_connection_dropped_once_or_twice_is_retried_to_the_same_findings(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    """Transient faults on REST, query and JSON APIs: retries make the findings those of a calm run."""
    _, filler = aws
    seed(filler, good=False)
    _, calm = audit(capsys)
    filler.faults[r"GET /v2/email/configuration-sets/main"] = Fault(2, kind="drop")
    # Two faults on "POST /": (?#...) is a regex comment, which keeps the keys apart.
    filler.faults[r"POST /(?#sns)"] = Fault(1, kind="drop", action="GetTopicAttributes")
    filler.faults[r"GET /v2/email/account"] = Fault(2, kind="truncate")
    filler.faults[r"POST /(?#cloudwatch)"] = Fault(2, kind="truncate", action="DescribeAlarms")
    _, flaky = audit(capsys)
    assert flaky == calm
    assert [fault.count for fault in filler.faults.values() if isinstance(fault, Fault)] == [0, 0, 0, 0]
    assert len(filler.hits) == 7  # every injected fault was met


def findings_by_region(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, list[Finding]]:
    cli.main(["audit", "--policy", "strict", "--format", "json", *argv])
    out: dict[str, list[Finding]] = {}
    for f in json.loads(capsys.readouterr().out)["findings"]:
        out.setdefault(f["region"], []).append((f["rule"], f["status"], f["message"]))
    return out


def test_region_that_times_out_is_unknown_and_the_other_region_is_whole(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every request signed for us-east-1 gets no answer for 5 s. With --timeout 0.3 and two attempts
    a call, the audit ends in a few seconds: us-east-1 is SES003 and unknown, eu-west-1 is complete."""
    endpoint, filler = aws
    seed(filler, good=False)
    boto3.client("sesv2", region_name=OTHER_REGION).create_email_identity(EmailIdentity="us.example.com")
    calm = findings_by_region(capsys, "--region", REGION)
    assert findings_by_region(capsys, "--region", OTHER_REGION)[OTHER_REGION]  # it has findings when calm
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    filler.faults[r".*"] = Fault(-1, kind="hang", region=OTHER_REGION, seconds=5)
    start = time.monotonic()
    both = findings_by_region(capsys, "--region", REGION, "--region", OTHER_REGION, "--timeout", "0.3")
    elapsed = time.monotonic() - start
    assert both[REGION] == calm[REGION]
    timed_out = f'ReadTimeoutError: Read timeout on endpoint URL: "{endpoint}/v2/email/account"'
    not_tried = f"NotAttempted: not tried: {OTHER_REGION} did not answer sesv2:GetAccount (ReadTimeoutError)"
    assert sorted(both[OTHER_REGION]) == sorted(
        [
            *[
                (
                    "SES003",
                    "unknown",
                    f"could not read {call}: {not_tried}; what it would have shown is unknown",
                )
                for call in (
                    "cloudwatch:DescribeAlarms",
                    "sesv2:ListConfigurationSets",
                    "sesv2:ListEmailIdentities",
                )
            ],
            (
                "SES003",
                "unknown",
                f"could not read sesv2:GetAccount: {timed_out}; what it would have shown is unknown",
            ),
            (
                "SES300",
                "unknown",
                "production access could not be verified: sesv2:GetAccount: ReadTimeoutError",
            ),
            (
                "SES301",
                "unknown",
                "enforcement status could not be verified: sesv2:GetAccount: ReadTimeoutError",
            ),
            (
                "SES302",
                "unknown",
                "account-level suppression could not be verified: sesv2:GetAccount: ReadTimeoutError",
            ),
            (
                "SES310",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.BounceRate could not be verified: "
                "cloudwatch:DescribeAlarms: NotAttempted",
            ),
            (
                "SES311",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.ComplaintRate could not be verified: "
                "cloudwatch:DescribeAlarms: NotAttempted",
            ),
        ]
    )
    # Two attempts of the first call; once the region has not answered, nothing else is tried there
    # (otherwise every call would wait out its own timeouts and retries: minutes with the defaults).
    assert sorted(filler.hits) == [(OTHER_REGION, "GET /v2/email/account")] * 2
    # Each attempt gave up after 0.3 s: waiting out the hang would take 10 x 5 s.
    assert elapsed < 10, elapsed


SECRET = "SesLintSecretKey0123456789abcdefSECRET"
TOKEN = "SesLintSessionToken0123456789abcdefTOKEN"


def test_no_format_snapshot_or_debug_output_holds_credentials(
    aws: tuple[str, GapFiller],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """With faults on (error messages are the likeliest leak), through a role assumption (whose answer
    holds fresh credentials), no report, snapshot or --debug stderr holds a secret key or a token."""
    _, filler = aws
    seed(filler, good=False)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    filler.faults[r"GET /v2/email/configuration-sets/main"] = [-1, 403, "AccessDeniedException"]
    filler.faults[r"GET /v2/email/configuration-sets/main/event-destinations"] = Fault(-1, kind="drop")
    filler.faults[r"POST /"] = Fault(-1, kind="truncate", action="DescribeAlarms")
    role = f"arn:aws:iam::{ACCOUNT}:role/auditor"
    for argv in ([], ["--role-arn", role]):
        for fmt in cli.FORMATS:
            filler.issued.clear()
            snapshot = tmp_path / f"{fmt}.json"
            options = ["--format", fmt, "--debug", "--save-snapshot", str(snapshot), *argv]
            code = cli.main(["audit", "--region", REGION, *options])
            out, err = capsys.readouterr()
            assert code == 1, (fmt, argv, err)
            for word in ("SES003", "AccessDeniedException", "ConnectionClosedError", "IncompleteReadError"):
                assert word in out, (fmt, argv, word)  # the faults' messages are in the report
            assert len(filler.issued) == (2 if argv else 0)  # the role's secret key and session token
            secrets = {SECRET, TOKEN} | filler.issued | filler.tokens
            for text in (out, err, snapshot.read_text()):
                for secret in secrets:
                    assert secret not in text, (fmt, argv, secret)
    assert TOKEN in filler.tokens  # the audit did sign with the session token


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_timeout_must_be_seconds_above_zero(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["audit", "--region", REGION, "--timeout", value])
    assert exit_.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"seslint audit: error: argument --timeout: expected a number of seconds above 0, got {value!r}"
    )


def test_no_credentials_is_one_line_and_exit_2(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance role to fall back on
    code = cli.main(["audit", "--region", REGION])
    assert (code, capsys.readouterr().err) == (
        2,
        "seslint: no AWS credentials found: use --profile, set AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, or run where an instance or task role is available\n",
    )


def test_account_that_cannot_be_identified_is_one_line_and_exit_2(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    aws[1].faults[r"POST /"] = Fault(-1, status=403, code="InvalidClientTokenId", action="GetCallerIdentity")
    code = cli.main(["audit", "--region", REGION])
    assert (code, capsys.readouterr().err) == (
        2,
        "seslint: cannot identify the AWS account (sts:GetCallerIdentity): HTTP 403 InvalidClientTokenId: "
        "injected InvalidClientTokenId\n",
    )


def test_role_that_cannot_be_assumed_is_ses003_and_the_other_accounts_are_audited(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, filler = aws
    seed(filler, good=False)
    good_role, bad_role = (f"arn:aws:iam::{ACCOUNT}:role/{name}" for name in ("auditor", "missing"))
    _, calm = audit(capsys, "--role-arn", good_role)
    accounts = tmp_path / "accounts.txt"
    accounts.write_text(f"{bad_role}\n{good_role}\n")
    filler.faults[r"POST /"] = Fault(
        -1, status=403, code="AccessDenied", action="AssumeRole", form={"RoleArn": bad_role}
    )
    code, findings = audit(capsys, "--accounts-file", str(accounts))
    assert code == 1
    assert sorted(findings) == sorted(
        [
            *calm,
            (
                "SES003",
                "unknown",
                "could not read sts:AssumeRole: HTTP 403 AccessDenied: injected AccessDenied; what it would have "
                "shown is unknown",
            ),
            ("SES300", "unknown", "production access could not be verified: sesv2:GetAccount was not read"),
            ("SES301", "unknown", "enforcement status could not be verified: sesv2:GetAccount was not read"),
            (
                "SES302",
                "unknown",
                "account-level suppression could not be verified: sesv2:GetAccount was not read",
            ),
            (
                "SES310",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.BounceRate could not be verified: "
                "cloudwatch:DescribeAlarms was not read",
            ),
            (
                "SES311",
                "unknown",
                "whether an alarm watches AWS/SES Reputation.ComplaintRate could not be verified: "
                "cloudwatch:DescribeAlarms was not read",
            ),
        ]
    )
