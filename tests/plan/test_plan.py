"""`seslint plan`: plans and states in the documented JSON format, first plans, deletes, bad inputs."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
from seslint.model import Ref, Unknown
from seslint.sources.plan.source import read_plan

ROOT = Path(__file__).resolve().parents[2]
FIRST_PLAN = "tests/plan/fixtures/compliant-first-plan.json"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    code = cli.main(["plan", *argv, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_first_plan_with_source_is_proven_compliant(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = lint(
        capsys, FIRST_PLAN, "--policy", "strict", "--source-dir", "terraform/examples/compliant"
    )
    assert (code, findings) == (0, [])
    posture = read_plan(FIRST_PLAN, "terraform/examples/compliant", ROOT)
    identity = posture.identities[0]
    assert identity.location.file == "terraform/modules/ses-sending-domain/main.tf"
    assert identity.location.line == 14
    assert identity.location.address == "module.ses.aws_sesv2_email_identity.this"
    assert identity.verified is True


def test_first_plan_alone_reports_what_only_apply_knows(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = lint(capsys, FIRST_PLAN, "--policy", "strict")
    assert code == 1
    # The DKIM records' names refer to the identity's tokens (configuration references), so they
    # verify it; what the names say around the tokens is not in the plan: SES103 stays unknown.
    assert [(f["rule"], f["status"], f["resource"], f["file"], f["line"]) for f in findings] == [
        ("SES103", "unknown", "module.ses.aws_sesv2_email_identity.this", None, None),
        ("SES143", "unknown", "module.ses.aws_sns_topic.feedback", None, None),
    ]
    # The plan knows what the source could not: resolved variables and data sources.
    posture = read_plan(FIRST_PLAN, None, ROOT)
    mx = next(r for r in posture.dns_records if r.type == "MX")
    assert mx.values == ("10 feedback-smtp.eu-west-1.amazonses.com",)
    subscription = posture.subscriptions[0]
    assert subscription.topic == Ref("module.ses.aws_sns_topic.feedback", "arn")
    destination = posture.event_destinations[0]
    assert destination.sns_topic == Ref("module.ses.aws_sns_topic.feedback", "arn")


def plan(
    resources: list[dict[str, Any]],
    changes: list[dict[str, Any]] | None = None,
    children: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "format_version": "1.1",
        "terraform_version": "1.7.0",
        "planned_values": {"root_module": {"resources": resources, "child_modules": children or []}},
        "resource_changes": changes or [],
        **extra,
    }


def resource(
    address: str, rtype: str, values: dict[str, Any], mode: str = "managed", index: Any = None
) -> dict[str, Any]:
    item = {
        "address": address,
        "mode": mode,
        "type": rtype,
        "name": address.split(".")[-1].split("[")[0],
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "schema_version": 0,
        "values": values,
        "sensitive_values": {},
    }
    if index is not None:
        item["index"] = index
    return item


LEGACY_SET = resource(
    "aws_ses_configuration_set.legacy",
    "aws_ses_configuration_set",
    {
        "name": "legacy",
        "delivery_options": [{"tls_policy": "Optional"}],
        "reputation_metrics_enabled": False,
        "sending_enabled": True,
    },
)


def write(tmp_path: Path, document: Any, name: str = "plan.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


def test_deleted_resources_are_not_in_the_posture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gone = {
        "address": "aws_ses_configuration_set.old",
        "mode": "managed",
        "type": "aws_ses_configuration_set",
        "name": "old",
        "change": {"actions": ["delete"], "before": {"name": "old"}, "after": None, "after_unknown": {}},
    }
    path = write(tmp_path, plan([LEGACY_SET], [gone]))
    code, findings = lint(capsys, path, "--policy", "baseline")
    assert code == 0  # SES201 is a warning in baseline
    assert sorted({(f["rule"], f["resource"]) for f in findings}) == [
        ("SES201", "aws_ses_configuration_set.legacy"),
        ("SES202", "aws_ses_configuration_set.legacy"),
    ]


def test_state_json_is_the_applied_posture(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = {
        "format_version": "1.0",
        "terraform_version": "1.7.0",
        "values": {"root_module": {"resources": [LEGACY_SET]}},
    }
    code, findings = lint(capsys, write(tmp_path, state), "--policy", "strict")
    assert code == 1
    assert [(f["rule"], f["resource"]) for f in findings] == [
        ("SES201", "aws_ses_configuration_set.legacy"),
        ("SES202", "aws_ses_configuration_set.legacy"),
    ]


def test_for_each_module_instances_and_data_sources(tmp_path: Path) -> None:
    children = [
        {
            "address": f'module.ses["{key}"]',
            "resources": [
                resource(
                    f'module.ses["{key}"].aws_sesv2_configuration_set.this',
                    "aws_sesv2_configuration_set",
                    {"configuration_set_name": f"set-{key}", "delivery_options": [{"tls_policy": "REQUIRE"}]},
                ),
            ],
        }
        for key in ("eu", "us")
    ]
    prior = {
        "format_version": "1.0",
        "values": {
            "root_module": {
                "resources": [
                    resource(
                        "data.aws_route53_zone.main",
                        "aws_route53_zone",
                        {"name": "example.com", "zone_id": "Z1"},
                        mode="data",
                    ),
                ]
            }
        },
    }
    document = plan(
        [
            resource(
                "aws_route53_record.dmarc",
                "aws_route53_record",
                {"name": "_dmarc", "zone_id": "Z1", "type": "TXT", "records": ["v=DMARC1; p=none"]},
            )
        ],
        children=children,
        prior_state=prior,
    )
    posture = read_plan(write(tmp_path, document), None, tmp_path)
    assert [(c.address, c.name) for c in posture.configuration_sets] == [
        ('module.ses["eu"].aws_sesv2_configuration_set.this', "set-eu"),
        ('module.ses["us"].aws_sesv2_configuration_set.this', "set-us"),
    ]
    assert posture.dns_records[0].name == "_dmarc"  # zone known by id only: not qualified, as in the plan


def test_unknown_argument_without_reference_is_unknown(tmp_path: Path) -> None:
    topic = resource("aws_sns_topic.t", "aws_sns_topic", {"name": "t"})
    change = {
        "address": "aws_sns_topic.t",
        "mode": "managed",
        "type": "aws_sns_topic",
        "name": "t",
        "change": {
            "actions": ["create"],
            "after": {"name": "t"},
            "after_unknown": {"policy": True, "arn": True},
        },
    }
    posture = read_plan(write(tmp_path, plan([topic], [change])), None, tmp_path)
    assert posture.topics[0].policy == Unknown("aws_sns_topic.t.policy is known only after apply")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04\x14\x00binary",
            "a binary plan file (terraform plan -out), not JSON: run `terraform show "
            "-json PLANFILE > plan.json` and pass plan.json",
        ),
        (b"", "the file is empty"),
        (b'{"format_version": "1.2", "planned_values": {', "the JSON ends early at line 1 (truncated file?)"),
        (b"not json at all", "invalid JSON at line 1 column 1: Expecting value"),
        (b"[1, 2]", "not a Terraform plan or state: the JSON is not an object"),
        (
            b'{"hello": "world"}',
            "not a Terraform plan or state: no format_version (make it with terraform show -json)",
        ),
        (
            b'{"format_version": "9.0", "planned_values": {}}',
            "format_version 9.0 is not supported (0.1 to 1.x are)",
        ),
        (b'{"format_version": "1.0", "resource_changes": []}', "the plan has no planned_values object"),
        (
            b'{"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"type": "x"}]}}}',
            "a resource in the root module has no address",
        ),
        (b"\xff\xfe\x00\xd8", "not valid UTF-16 text (byte 2)"),
    ],
)
def test_bad_plans_are_one_ses000_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    """Beside a plan that was read, a bad one is an SES000 finding; alone, nothing was checked: exit 2
    with the reason, whatever --fail-on says (CI must not confuse a wrong file with a verdict)."""
    path = tmp_path / "plan.json"
    path.write_bytes(content)
    code, findings = lint(capsys, str(path), FIRST_PLAN, "--source-dir", "terraform/examples/compliant")
    assert code == 1
    assert [(f["rule"], f["message"]) for f in findings] == [("SES000", message)]
    assert cli.main(["plan", str(path), "--fail-on", "never"]) == 2
    assert capsys.readouterr() == ("", f"seslint: {path}: {message}; nothing was checked\n")


def test_bom_and_utf16_plans_are_read(tmp_path: Path) -> None:
    document = json.dumps(plan([LEGACY_SET]))
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + document.encode())
    (tmp_path / "utf16.json").write_bytes(document.encode("utf-16"))
    for name in ("bom.json", "utf16.json"):
        posture = read_plan(str(tmp_path / name), None, tmp_path)
        assert [c.name for c in posture.configuration_sets] == ["legacy"]


def test_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(plan([LEGACY_SET])).encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    code, findings = lint(capsys, "-", "--policy", "strict")
    assert code == 1 and {f["rule"] for f in findings} == {"SES201", "SES202"}


def test_missing_plan_file_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["plan", "nope.json"]) == 2
    assert capsys.readouterr().err == "seslint: nope.json: no such file\n"


def test_noncompliant_plan_matches_check_on_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    """Same rules, same findings: the first plan of the non-compliant example's main root, read with its
    source, reports exactly what `seslint check` reports on that root."""
    code, planned = lint(
        capsys,
        "tests/plan/fixtures/noncompliant-first-plan.json",
        "--policy",
        "strict",
        "--source-dir",
        "terraform/examples/noncompliant",
    )
    assert code == 1
    # The example's directory, not its main.tf: given a file, check reads the DNS records of every root
    # of the repository (as pre-commit must), and this repository's test trees are not the example's.
    cli.main(["check", "terraform/examples/noncompliant", "--policy", "strict", "--format", "json"])
    main_root = "terraform/examples/noncompliant/main.tf"
    checked = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["file"] == main_root]

    def key(f: dict[str, Any]) -> tuple[Any, ...]:
        # Messages may differ where the plan knows more (a resolved set name instead of a reference).
        return (f["rule"], f["status"], f["resource"], f["file"], f["line"])

    assert len(planned) == 34
    assert [key(f) for f in planned] == [key(f) for f in checked]
