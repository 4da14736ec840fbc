"""`seslint plan` without its source: the plan's configuration section says what an unknown value is
built from. The plans here follow `terraform show -json` of Terraform 1.11 for the AWS provider docs'
aws_ses_domain_dkim example (references without the computed index, `count.index` listed beside)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
from seslint.model import Ref, Template, Unknown
from seslint.sources.plan.source import read_plan

TOKENS = ["aws_ses_domain_dkim.x.dkim_tokens", "aws_ses_domain_dkim.x", "count.index"]
ROUTE53_UNKNOWN = {"fqdn": True, "id": True, "name": True, "records": True}


def record(index: int) -> dict[str, Any]:
    return {
        "address": f"aws_route53_record.dkim[{index}]",
        "mode": "managed",
        "type": "aws_route53_record",
        "name": "dkim",
        "index": index,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": {"type": "CNAME", "ttl": 600, "zone_id": "Z0123456789"},
    }


def identity(name: str, domain: str) -> dict[str, Any]:
    return {
        "address": f"aws_ses_domain_identity.{name}",
        "mode": "managed",
        "type": "aws_ses_domain_identity",
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": {"domain": domain},
    }


def change(address: str, unknown: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "change": {"actions": ["create"], "after_unknown": unknown}}


def configuration(block: str, name: str, expressions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    kind, _, label = block.partition(".")
    return {
        "address": block,
        "mode": "managed",
        "type": kind,
        "name": label,
        "provider_config_key": "aws",
        "expressions": expressions,
        **extra,
    }


def two_identities_plan() -> dict[str, Any]:
    """x has its three DKIM records (names known only after apply); y has none."""
    dkim = {
        "address": "aws_ses_domain_dkim.x",
        "mode": "managed",
        "type": "aws_ses_domain_dkim",
        "name": "x",
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": {"domain": "example.com"},
    }
    resources = [identity("x", "example.com"), identity("y", "example.org"), dkim, *map(record, range(3))]
    changes = [
        change("aws_ses_domain_identity.x", {"arn": True, "id": True, "verification_token": True}),
        change("aws_ses_domain_identity.y", {"arn": True, "id": True, "verification_token": True}),
        change("aws_ses_domain_dkim.x", {"dkim_tokens": True, "id": True}),
        *(change(f"aws_route53_record.dkim[{i}]", ROUTE53_UNKNOWN) for i in range(3)),
    ]
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}
            },
            "root_module": {
                "resources": [
                    configuration(
                        "aws_ses_domain_identity.x", "x", {"domain": {"constant_value": "example.com"}}
                    ),
                    configuration(
                        "aws_ses_domain_identity.y", "y", {"domain": {"constant_value": "example.org"}}
                    ),
                    configuration(
                        "aws_ses_domain_dkim.x",
                        "x",
                        {
                            "domain": {
                                "references": [
                                    "aws_ses_domain_identity.x.domain",
                                    "aws_ses_domain_identity.x",
                                ]
                            }
                        },
                    ),
                    configuration(
                        "aws_route53_record.dkim",
                        "dkim",
                        {
                            "name": {"references": TOKENS},
                            "records": {"references": TOKENS},
                            "type": {"constant_value": "CNAME"},
                            "zone_id": {"constant_value": "Z0123456789"},
                        },
                        count_expression={"constant_value": 3},
                    ),
                ]
            },
        },
        "variables": {"region": {"value": "eu-west-1"}},
    }


def test_a_record_built_from_token_i_is_that_identitys(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(two_identities_plan()))
    posture = read_plan(str(path), None, tmp_path)
    names = [r.name for r in posture.dns_records]
    assert [n.parts[0] if isinstance(n, Template) else n for n in names] == [
        Ref("aws_ses_domain_dkim.x", "dkim_tokens", i) for i in range(3)
    ]
    assert all(isinstance(n, Template) and isinstance(n.parts[1], Unknown) for n in names)
    assert {i.address: i.region for i in posture.identities} == {
        "aws_ses_domain_identity.x": "eu-west-1",
        "aws_ses_domain_identity.y": "eu-west-1",
    }


def test_one_identitys_records_leave_the_others_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, the three records of x, named only after apply, made every identity's DKIM unknown."""
    document = two_identities_plan()
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    monkeypatch.chdir(tmp_path)
    cli.main(["plan", "plan.json", "--policy", "baseline", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    got = [
        (f["rule"], f["status"], f["resource"])
        for f in findings
        if f["rule"] in ("SES101", "SES102", "SES103")
    ]
    assert got == [
        # x: its records carry its tokens (verified), what the names say around them is not in the plan.
        ("SES103", "unknown", "aws_ses_domain_identity.x"),
        # y: no DKIM at all, and nothing that could verify it.
        ("SES101", "fail", "aws_ses_domain_identity.y"),
        ("SES102", "fail", "aws_ses_domain_identity.y"),
    ]
