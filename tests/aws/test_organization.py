"""`seslint audit --organization-role` on a moto organisation of three accounts, and the same accounts
audited one by one into snapshots merged with repeated --from-snapshot: one audit either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from seslint import cli
from seslint.sources.aws.calls import READ_PREFIXES
from seslint.sources.aws.organization import ORGANIZATION_OPERATIONS
from tests.aws.moto_server import Fault, GapFiller
from tests.aws.test_audit import ACCOUNT, REGION, aws, seed, server

__all__ = ["aws", "server"]  # the fixtures, shared with test_audit.py

ROLE = "OrganizationAccountAccessRole"


def session_in(account: str) -> boto3.Session:
    if account == ACCOUNT:
        return boto3.Session(region_name=REGION)
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seeding"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def organization(filler: GapFiller) -> list[str]:
    """The management account (moto's default) and two members, each with SES of its own."""
    seed(filler, good=False)  # the management account: the shared test set-up, non-compliant
    orgs = boto3.client("organizations", region_name="us-east-1")
    orgs.create_organization(FeatureSet="ALL")
    for name in ("mail", "marketing"):
        orgs.create_account(Email=f"{name}@example.com", AccountName=name)
    members = sorted(a["Id"] for a in orgs.list_accounts()["Accounts"] if a["Id"] != ACCOUNT)
    for number, member in enumerate(members):
        ses = session_in(member).client("sesv2")
        ses.create_configuration_set(
            ConfigurationSetName="main", DeliveryOptions={"TlsPolicy": "REQUIRE" if number else "OPTIONAL"}
        )
        ses.create_email_identity(EmailIdentity=f"{member}.example.org", ConfigurationSetName="main")
    return [ACCOUNT, *members]


def audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = cli.main(["audit", "--region", REGION, "--policy", "strict", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def test_organization_and_merged_shards_give_the_same_findings(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    accounts = organization(aws[1])
    code, whole, err = audit(capsys, "--organization-role", ROLE)
    assert (code, err) == (1, "")
    audited = {f["location"].split(":")[4] for f in whole["findings"] if f["location"].startswith("arn:")}
    assert audited == set(accounts)
    assert {f["identity"] for f in whole["findings"]} >= {f"{a}.example.org" for a in accounts[1:]}
    shards = []
    for account in accounts:
        shard = tmp_path / f"{account}.json"
        role = [] if account == ACCOUNT else ["--role-arn", f"arn:aws:iam::{account}:role/{ROLE}"]
        assert audit(capsys, *role, "--save-snapshot", str(shard))[0] == 1
        shards += ["--from-snapshot", str(shard)]
    code, merged, err = audit(capsys, *shards)
    assert (code, err) == (1, "")
    assert merged["findings"] == whole["findings"]


def test_duplicate_and_conflicting_shards_are_an_error_naming_both(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(aws[1], good=True)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    audit(capsys, "--save-snapshot", str(first))
    code, _, err = audit(capsys, "--from-snapshot", str(first), "--from-snapshot", str(first))
    assert (code, err) == (
        2,
        f"seslint: {first} and {first}: duplicate shards: both hold account {ACCOUNT} region {REGION}; "
        "merge the shards of one audit, each account and region once\n",
    )
    boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="late.example.com")
    audit(capsys, "--save-snapshot", str(second))
    code, _, err = audit(capsys, "--from-snapshot", str(first), "--from-snapshot", str(second))
    assert code == 2
    assert err.startswith(f"seslint: {first} and {second}: conflicting shards: both hold account {ACCOUNT}")


def test_accounts_that_cannot_be_entered_or_listed_are_ses003(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str]
) -> None:
    _, filler = aws
    accounts = organization(filler)
    locked = accounts[1]
    filler.faults[r"POST /"] = Fault(
        -1,
        status=403,
        code="AccessDenied",
        action="AssumeRole",
        form={"RoleArn": f"arn:aws:iam::{locked}:role/{ROLE}"},
    )
    code, report, _ = audit(capsys, "--organization-role", ROLE)
    assert code == 1
    unreadable = [(f["rule"], f["status"], f["message"]) for f in report["findings"] if f["rule"] == "SES003"]
    assert unreadable == [
        (
            "SES003",
            "unknown",
            "could not read sts:AssumeRole: HTTP 403 AccessDenied: injected AccessDenied; what it would have shown is unknown",
        )
    ]
    assert f"{accounts[2]}.example.org" in {f["identity"] for f in report["findings"]}  # the others: audited
    filler.faults = {
        r"POST /": Fault(-1, status=400, code="AWSOrganizationsNotInUseException", action="ListAccounts")
    }
    code, report, _ = audit(capsys, "--organization-role", ROLE)
    unreadable = [f["message"] for f in report["findings"] if f["rule"] == "SES003"]
    assert unreadable == [
        "could not read organizations:ListAccounts: HTTP 400 AWSOrganizationsNotInUseException: injected "
        "AWSOrganizationsNotInUseException; what it would have shown is unknown"
    ]


def test_suspended_accounts_are_not_audited_and_say_so(
    aws: tuple[str, GapFiller], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    accounts = organization(aws[1])
    boto3.client("organizations", region_name="us-east-1").close_account(AccountId=accounts[2])
    snapshot = tmp_path / "org.json"
    code, report, err = audit(capsys, "--organization-role", ROLE, "--save-snapshot", str(snapshot))
    assert code == 1
    assert err == f"seslint: {accounts[2]} (every region): account SUSPENDED, not audited\n"
    assert f"{accounts[2]}.example.org" not in {f["identity"] for f in report["findings"]}
    assert f"{accounts[1]}.example.org" in {f["identity"] for f in report["findings"]}
    saved = json.loads(snapshot.read_text())
    assert saved["organization"]["role"] == ROLE
    assert sorted((a["Id"], a["Status"]) for a in saved["organization"]["accounts"]) == sorted(
        [(accounts[0], "ACTIVE"), (accounts[1], "ACTIVE"), (accounts[2], "SUSPENDED")]
    )


def test_organization_role_is_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(
        ["audit", "--region", REGION, "--organization-role", f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"]
    )
    assert (code, capsys.readouterr().err) == (
        2,
        f"seslint: --organization-role 'arn:aws:iam::{ACCOUNT}:role/{ROLE}': give the role's name (or "
        "path/name), such as OrganizationAccountAccessRole; seslint builds its ARN in each account\n",
    )


def test_listing_the_organization_is_read_only() -> None:
    assert all(op.split(":")[1].startswith(READ_PREFIXES) for op in ORGANIZATION_OPERATIONS)
