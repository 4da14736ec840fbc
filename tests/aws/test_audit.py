"""`seslint audit` against a moto server over HTTP: findings, read-only proof, gaps, snapshots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from seslint import cli
from seslint.permissions import actions
from seslint.rules import ALL_RULES
from seslint.sources.aws.calls import AUDIT_OPERATIONS, ReadOnlyViolation, guard
from tests.aws.moto_server import GapFiller, moto_server, reset, state

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, GapFiller]]:
    with moto_server() as running:
        yield running


@pytest.fixture
def aws(server: tuple[str, GapFiller], monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, GapFiller]]:
    endpoint, filler = server
    reset(endpoint)
    filler.requests.clear()
    filler.account, filler.destinations, filler.identities = None, {}, {}
    filler.regional_accounts = {}
    filler.notifications, filler.pending, filler.faults = {}, set(), {}
    filler.hits.clear()
    filler.cuts.clear()
    filler.released.clear()
    for key, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        # Nothing of the user's AWS set-up (retry settings, profiles) reaches the audit.
        "AWS_CONFIG_FILE": "/nonexistent/aws-config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/aws-credentials",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"):
        monkeypatch.delenv(key, raising=False)
    yield endpoint, filler
    filler.released.set()  # a handler still hanging from this test ends now


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


def seed(filler: GapFiller, *, good: bool) -> None:
    sesv2, sns, cloudwatch = client("sesv2"), client("sns"), client("cloudwatch")
    topic = sns.create_topic(Name="feedback")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ses.amazonaws.com"},
                "Action": "SNS:Publish",
                "Resource": topic,
            }
        ]
    }
    if good:
        sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(policy))
    sesv2.create_configuration_set(
        ConfigurationSetName="main",
        DeliveryOptions={"TlsPolicy": "REQUIRE" if good else "OPTIONAL"},
        ReputationOptions={"ReputationMetricsEnabled": good},
    )
    sesv2.create_email_identity(EmailIdentity="example.com", ConfigurationSetName="main")
    filler.identities["example.com"] = {
        "VerifiedForSendingStatus": True,
        "DkimAttributes": {
            "SigningEnabled": True,
            "Status": "SUCCESS",
            "Tokens": ["t1", "t2", "t3"],
            "SigningAttributesOrigin": "AWS_SES",
            "CurrentSigningKeyLength": "RSA_2048_BIT" if good else "RSA_1024_BIT",
        },
    }
    filler.account = {
        "ProductionAccessEnabled": good,
        "EnforcementStatus": "HEALTHY" if good else "PROBATION",
        "SendingEnabled": True,
        "DedicatedIpAutoWarmupEnabled": False,
        "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
    }
    filler.destinations["main"] = [
        {
            "Name": "feedback",
            "Enabled": good,
            "MatchingEventTypes": ["BOUNCE", "COMPLAINT"],
            "SnsDestination": {"TopicArn": topic},
        }
    ]
    for metric, threshold in (
        ("Reputation.BounceRate", 0.02 if good else 5),
        ("Reputation.ComplaintRate", 0.0005),
    ):
        cloudwatch.put_metric_alarm(
            AlarmName=metric,
            Namespace="AWS/SES",
            MetricName=metric,
            Statistic="Average",
            Period=3600,
            EvaluationPeriods=1,
            Threshold=threshold,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[topic],
        )


def audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, str, str]]]:
    code = cli.main(["audit", "--region", REGION, "--policy", "strict", "--format", "json", *argv])
    report = json.loads(capsys.readouterr().out)
    return code, [(f["rule"], f["status"], f["message"]) for f in report["findings"]]


def test_compliant_account(aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]) -> None:
    seed(aws[1], good=True)
    code, findings = audit(capsys)
    # moto never returns notification topics, which is fine here: the event destination feeds SNS.
    assert [f for f in findings if f[0] != "SES110"] == []
    assert findings == [
        (
            "SES110",
            "fail",
            "example.com has no custom MAIL FROM domain: the envelope sender is "
            "amazonses.com, so SPF cannot align with the From domain for DMARC",
        )
    ]
    assert code == 1


def test_noncompliant_account(aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]) -> None:
    seed(aws[1], good=False)
    code, findings = audit(capsys)
    assert code == 1
    assert sorted({f[0] for f in findings}) == [
        "SES104",
        "SES110",
        "SES140",
        "SES141",
        "SES143",
        "SES201",
        "SES202",
        "SES204",
        "SES300",
        "SES301",
        "SES312",
    ]
    assert (
        "SES301",
        "fail",
        "enforcement status is PROBATION, not HEALTHY (under review: fix bounce and complaint "
        "rates before SES pauses sending)",
    ) in findings


def test_audit_changes_nothing_on_the_server(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=False)
    before = state(aws[0])
    audit(capsys)
    assert state(aws[0]) == before


def test_guard_refuses_writes(aws: tuple[str, GapFiller]) -> None:
    sesv2 = guard(client("sesv2"))
    with pytest.raises(ReadOnlyViolation, match="refused to call CreateEmailIdentity"):
        sesv2.create_email_identity(EmailIdentity="x.example.com")
    assert "POST /v2/email/identities" not in aws[1].requests  # refused before it left the process


def test_plain_moto_gaps_are_ses003_and_unknown(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=True)
    aws[1].account, aws[1].destinations, aws[1].identities = None, {}, {}
    code, findings = audit(capsys)
    assert code == 1
    rules = {(f[0], f[1]) for f in findings}
    assert (
        "SES003",
        "unknown",
    ) in rules  # GetAccount and GetConfigurationSetEventDestinations not implemented
    assert {
        ("SES300", "unknown"),
        ("SES301", "unknown"),
        ("SES140", "unknown"),
        ("SES141", "unknown"),
    } <= rules
    not_read = sorted(f[2].split(":")[0] + ":" + f[2].split(":")[1] for f in findings if f[0] == "SES003")
    assert not_read == [
        "could not read sesv2:GetAccount",
        "could not read sesv2:GetConfigurationSetEventDestinations",
    ]
    assert not any(status == "fail" and rule in ("SES300", "SES301") for rule, status, _ in findings)


def test_snapshot_round_trip(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(aws[1], good=False)
    snapshot = tmp_path / "evidence.json"
    live = audit(capsys, "--save-snapshot", str(snapshot))
    document = json.loads(snapshot.read_text())
    assert document["seslint_snapshot"] == 1 and document["units"][0]["region"] == REGION
    offline = cli.main(["audit", "--from-snapshot", str(snapshot), "--policy", "strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert (offline, [(f["rule"], f["status"], f["message"]) for f in report["findings"]]) == live


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A message that starts with FILE:LINE is printed as it is; others get the program's name.
        ("{", "{p}:1: not a seslint snapshot: Expecting property name enclosed in double quotes"),
        ('{"units": []}', 'seslint: {p}: not a seslint snapshot (no "seslint_snapshot": 1)'),
        (
            '{"seslint_snapshot": 1, "units": [{"region": 1}]}',
            "seslint: {p}: units must be a list of {{account, region, calls}} (was the file edited?)",
        ),
        (
            '{"seslint_snapshot": 1, "units": [{"account": "1", "region": "eu-west-1", "calls": [{"service": '
            '"cloudwatch", "operation": "DescribeAlarms", "response": {"MetricAlarms": [{"Threshold": "5"}]}}]}]}',
            "seslint: {p}: units[0].calls[0].response.MetricAlarms[0].Threshold: expected a number, got '5' "
            "(was the file edited?)",
        ),
        (
            '{"seslint_snapshot": 1, "units": [], "skipped": [{"region": 5}]}',
            "seslint: {p}: skipped must be a list of {{account, region, skipped}} (was the file edited?)",
        ),
    ],
)
def test_edited_snapshot_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "s.json"
    path.write_text(content)
    assert cli.main(["audit", "--from-snapshot", str(path)]) == 2
    assert capsys.readouterr().err == message.format(p=path) + "\n"


def test_permissions_cover_every_call() -> None:
    assert set(AUDIT_OPERATIONS) == set(actions(ALL_RULES))


def test_calls_grow_with_identities_not_faster(
    aws: tuple[str, GapFiller], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sesv2 = client("sesv2")
    for i in range(250):
        sesv2.create_email_identity(EmailIdentity=f"d{i}.example.com")
    snapshot = tmp_path / "s.json"
    audit(capsys, "--save-snapshot", str(snapshot))
    calls = len(json.loads(snapshot.read_text())["units"][0]["calls"])
    # one GetEmailIdentity each, one notification batch per 100, a constant for the rest
    assert calls <= 250 + 3 + 10


def test_audit_with_dns_checks_live_tokens(
    aws: tuple[str, GapFiller], nameserver: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The live DKIM tokens are looked up in DNS: tok1-tok3 are published for example.com, tok4 is not."""
    seed(aws[1], good=True)
    dkim = aws[1].identities["example.com"]["DkimAttributes"]
    dkim["Tokens"] = ["tok1", "tok2", "tok4"]
    dkim["SigningHostedZone"] = "dkim.amazonses.com"
    code, findings = audit(capsys, "--dns", "--nameserver", nameserver)
    assert code == 1
    assert [f for f in findings if f[0] == "SES103"] == [
        ("SES103", "fail", "DKIM CNAME tok4._domainkey.example.com -> tok4.dkim.amazonses.com is missing")
    ]


def test_calls_across_three_regions(
    aws: tuple[str, GapFiller], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    regions = ("eu-west-1", "us-east-1", "ap-southeast-2")
    for region in regions:
        sesv2 = boto3.client("sesv2", region_name=region)
        for i in range(60):
            sesv2.create_email_identity(EmailIdentity=f"r{i}.{region}.example.com")
    snapshot = tmp_path / "s.json"
    cli.main(
        [
            "audit",
            *[a for r in regions for a in ("--region", r)],
            "--save-snapshot",
            str(snapshot),
            "--format",
            "json",
        ]
    )
    capsys.readouterr()
    units = json.loads(snapshot.read_text())["units"]
    assert sorted(u["region"] for u in units) == sorted(regions)
    for unit in units:
        # per region: GetAccount, one list page, 60 GetEmailIdentity, one notification batch, sets, alarms
        assert len(unit["calls"]) <= 60 + 6


def test_notification_topics_and_pending_subscriptions(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    """v1 notification topics feed SES140/141; a subscription pending confirmation is no reader (SES144)."""
    seed(aws[1], good=True)
    sns = client("sns")
    topic = sns.create_topic(Name="v1-feedback")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    aws[1].destinations = {"main": []}  # no event destination: only the v1 topics can feed back
    aws[1].notifications = {"example.com": {"BounceTopic": topic, "ComplaintTopic": topic}}
    aws[1].pending = {topic}
    code, findings = audit(capsys)
    assert code == 1
    assert [f for f in findings if f[0].startswith("SES14")] == [
        # A live topic always has a policy: the default one, which lets only the owner account publish.
        (
            "SES143",
            "fail",
            "the policy of topic v1-feedback does not let SES publish: no Allow statement for "
            "ses.amazonaws.com to sns:Publish on the topic",
        ),
        ("SES144", "fail", "topic v1-feedback has no confirmed subscription (all are pending confirmation)"),
    ]


def test_access_denied_on_one_api_is_ses003_and_unknown(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=False)
    aws[1].faults[r"GET /v2/email/configuration-sets/main"] = [-1, 403, "AccessDeniedException"]
    code, findings = audit(capsys)
    assert code == 1
    assert sorted(f for f in findings if f[0] in ("SES003", "SES201", "SES202")) == [
        (
            "SES003",
            "unknown",
            "could not read sesv2:GetConfigurationSet: HTTP 403 AccessDeniedException: injected "
            "AccessDeniedException; what it would have shown is unknown",
        ),
        (
            "SES201",
            "unknown",
            "TLS policy of main could not be verified: sesv2:GetConfigurationSet main: AccessDeniedException",
        ),
        (
            "SES202",
            "unknown",
            "reputation metrics of main could not be verified: sesv2:GetConfigurationSet main: "
            "AccessDeniedException",
        ),
    ]


def test_throttling_storm_is_retried_to_the_same_findings(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=False)
    _, calm = audit(capsys)
    aws[1].faults[r"POST /v2/email/identities"] = [0, 400, "TooManyRequestsException"]  # seeding is done
    aws[1].faults[r"GET /v2/email/identities/.*"] = [2, 429, "TooManyRequestsException"]
    _, stormy = audit(capsys)
    assert stormy == calm
    assert aws[1].faults[r"GET /v2/email/identities/.*"][0] == 0  # every injected throttle was hit


# -- issue 14: regions the account does not use, DKIM that does not sign, SES003 without bodies ------


def test_regions_without_ses_are_not_judged_for_alarms_or_sandbox(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    """eu-west-1 sends (identities, production access, no alarms); us-east-1 holds nothing and is in
    the sandbox, as every region an account never used: only eu-west-1 is asked for alarms."""
    seed(aws[1], good=True)
    for alarm in ("Reputation.BounceRate", "Reputation.ComplaintRate"):
        client("cloudwatch").delete_alarms(AlarmNames=[alarm])
    unused = {**(aws[1].account or {}), "ProductionAccessEnabled": False}
    aws[1].regional_accounts["us-east-1"] = unused
    code = cli.main(
        ["audit", "--region", REGION, "--region", "us-east-1", "--policy", "strict", "--format", "json"]
    )
    report = json.loads(capsys.readouterr().out)
    judged = sorted(
        (f["rule"], f["resource"]) for f in report["findings"] if f["rule"] in ("SES300", "SES310", "SES311")
    )
    assert code == 1
    assert judged == [("SES310", f"account {ACCOUNT} {REGION}"), ("SES311", f"account {ACCOUNT} {REGION}")]
    # The same empty region in production, or with one configuration set, is in use: judged.
    aws[1].regional_accounts["us-east-1"] = {**unused, "ProductionAccessEnabled": True}
    cli.main(["audit", "--region", "us-east-1", "--policy", "strict", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    in_use = sorted(
        (f["rule"], f["resource"]) for f in report["findings"] if f["rule"] in ("SES310", "SES311")
    )
    assert in_use == [("SES310", f"account {ACCOUNT} us-east-1"), ("SES311", f"account {ACCOUNT} us-east-1")]


def test_dkim_key_length_only_where_dkim_signs_and_from_the_next_key(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=True)
    sesv2 = client("sesv2")
    for name in ("off.example.com", "pending.example.com"):
        sesv2.create_email_identity(EmailIdentity=name, ConfigurationSetName="main")
    signing = aws[1].identities["example.com"]["DkimAttributes"]
    aws[1].identities["off.example.com"] = {
        "VerifiedForSendingStatus": True,
        "DkimAttributes": {**signing, "SigningEnabled": False, "CurrentSigningKeyLength": "RSA_1024_BIT"},
    }
    pending = {k: v for k, v in signing.items() if k != "CurrentSigningKeyLength"}
    aws[1].identities["pending.example.com"] = {
        "VerifiedForSendingStatus": True,
        "DkimAttributes": {**pending, "NextSigningKeyLength": "RSA_1024_BIT"},
    }
    _, findings = audit(capsys)
    assert [f for f in findings if f[0] in ("SES102", "SES104")] == [
        ("SES102", "fail", "DKIM signing is disabled for off.example.com"),
        ("SES104", "fail", "DKIM key of pending.example.com is 1024 bits; the policy requires at least 2048"),
    ]


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (502, "HTTP 502 (Bad Gateway), an answer that is not an AWS error"),
        (403, "HTTP 403 (Forbidden), an answer that is not an AWS error"),
        (200, "NotAnAwsAnswer: HTTP 200 with a body that is not an AWS answer (not shown)"),
    ],
)
def test_ses003_names_the_call_and_its_http_status_never_the_body(
    status: int,
    reason: str,
    aws: tuple[str, GapFiller],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A proxy in front of the endpoint answers with its own HTML page (naming an internal host): the
    finding says which call and the HTTP status; the page reaches no output, and a 200 page is no
    empty answer (which would read as TLS policy OPTIONAL: a false fail)."""
    from tests.aws.moto_server import Fault

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    seed(aws[1], good=True)
    aws[1].faults[r"GET /v2/email/configuration-sets/main"] = Fault(-1, kind="html", status=status)
    cli.main(["audit", "--region", REGION, "--policy", "strict", "--format", "json"])
    out = capsys.readouterr().out
    findings = [(f["rule"], f["status"], f["message"]) for f in json.loads(out)["findings"]]
    short = f"HTTP {status}" if status != 200 else "NotAnAwsAnswer"
    assert sorted(f for f in findings if f[0] in ("SES003", "SES201", "SES202")) == [
        (
            "SES003",
            "unknown",
            f"could not read sesv2:GetConfigurationSet: {reason}; what it would have shown is unknown",
        ),
        (
            "SES201",
            "unknown",
            f"TLS policy of main could not be verified: sesv2:GetConfigurationSet main: {short}",
        ),
        (
            "SES202",
            "unknown",
            f"reputation metrics of main could not be verified: sesv2:GetConfigurationSet main: {short}",
        ),
    ]
    assert "internal-ses-proxy" not in out and "<html" not in out


def test_snapshots_holding_a_body_show_only_the_status() -> None:
    """Snapshots saved before this rule kept botocore's message, which is the body for such answers."""
    from seslint.sources.aws.calls import said

    page = "<!DOCTYPE html><html><body>upstream 10.0.3.7 (internal-ses-proxy)</body></html>"
    assert (
        said({"code": "502", "message": page}) == "HTTP 502 (Bad Gateway), an answer that is not an AWS error"
    )
    assert said({"code": "ResponseParserError", "message": f"Unable to parse response: b'{page}'"}) == (
        "ResponseParserError: the answer is not in the API's format"
    )
    assert said({"code": "AccessDeniedException", "message": "not\n authorized", "http_status": 403}) == (
        "HTTP 403 AccessDeniedException: not authorized"
    )


# The same infrastructure in Terraform as `seed(good=False)` creates: a baseline written by `check`
# holds for the audit of the account on what both can see.
SEEDED_TERRAFORM = """
resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"
  delivery_options {
    tls_policy = "OPTIONAL"
  }
}

resource "aws_sesv2_email_identity" "example" {
  email_identity         = "example.com"
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  dkim_signing_attributes {
    next_signing_key_length = "RSA_1024_BIT"
  }
}

resource "aws_sns_topic" "feedback" {
  name = "feedback"
}

resource "aws_cloudwatch_metric_alarm" "bounce" {
  alarm_name          = "Reputation.BounceRate"
  namespace           = "AWS/SES"
  metric_name         = "Reputation.BounceRate"
  statistic           = "Average"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.feedback.arn]
}
"""


def test_baseline_written_by_check_holds_for_the_audit(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(aws[1], good=False)
    (tmp_path / "main.tf").write_text(SEEDED_TERRAFORM)
    baseline = tmp_path / "baseline.json"
    check = ["check", str(tmp_path), "--policy", "strict", "--write-baseline", str(baseline)]
    assert cli.main(check) == 0
    capsys.readouterr()
    cli.main(
        ["audit", "--region", REGION, "--policy", "strict", "--format", "json", "--baseline", str(baseline)]
    )
    findings = json.loads(capsys.readouterr().out)["findings"]
    arn = f"arn:aws:ses:{REGION}:{ACCOUNT}"
    accepted = sorted((f["rule"], f["resource"]) for f in findings if f["baselined"])
    # What check and the audit both judge, the same way: the same findings, whatever their handles.
    assert accepted == [
        ("SES104", f"{arn}:identity/example.com"),
        ("SES110", f"{arn}:identity/example.com"),
        ("SES140", f"{arn}:identity/example.com"),
        ("SES141", f"{arn}:identity/example.com"),
        ("SES201", f"{arn}:configuration-set/main"),
        ("SES202", f"{arn}:configuration-set/main"),
        ("SES312", f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:Reputation.BounceRate"),
    ]
    # What only the live account shows (sandbox, probation, the topic's policy, the disabled
    # destination) is new.
    assert sorted({f["rule"] for f in findings if not f["baselined"]}) == [
        "SES143",
        "SES204",
        "SES300",
        "SES301",
    ]


def test_dkim_records_carry_between_check_and_the_audit_with_dns(
    aws: tuple[str, GapFiller], nameserver: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """SES103 is one finding per identity in every source: check (tokens symbolic, no record declared)
    and the audit looking the live tokens up in DNS (t1-t3, none published in example.com) give one
    each, with one fingerprint, so a baseline written by either holds for the other."""
    seed(aws[1], good=False)
    (tmp_path / "main.tf").write_text(SEEDED_TERRAFORM)
    from_check, from_audit = tmp_path / "check.json", tmp_path / "audit.json"
    dns = ["--dns", "--nameserver", nameserver]
    assert cli.main(["check", str(tmp_path), "--policy", "strict", "--write-baseline", str(from_check)]) == 0
    assert (
        cli.main(
            ["audit", "--region", REGION, *dns, "--policy", "strict", "--write-baseline", str(from_audit)]
        )
        == 0
    )
    capsys.readouterr()

    def ses103(*argv: str) -> list[tuple[str, str, bool]]:
        cli.main([*argv, "--policy", "strict", "--format", "json"])
        findings = json.loads(capsys.readouterr().out)["findings"]
        return [(f["resource"], f["message"], f["baselined"]) for f in findings if f["rule"] == "SES103"]

    missing = "; ".join(
        f"t{i}._domainkey.example.com -> t{i}.dkim.amazonses.com is missing" for i in (1, 2, 3)
    )
    assert ses103("audit", "--region", REGION, *dns, "--baseline", str(from_check)) == [
        (
            f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/example.com",
            f"DKIM CNAME records of example.com: {missing}",
            True,
        )
    ]
    assert ses103("check", str(tmp_path), "--baseline", str(from_audit)) == [
        (
            "aws_sesv2_email_identity.example",
            "no DKIM CNAME record is declared for token(s) aws_sesv2_email_identity.example."
            "dkim_signing_attributes.tokens[0], aws_sesv2_email_identity.example."
            "dkim_signing_attributes.tokens[1], aws_sesv2_email_identity.example."
            "dkim_signing_attributes.tokens[2] of example.com (TOKEN._domainkey.example.com -> "
            "TOKEN.dkim.amazonses.com)",
            True,
        )
    ]
