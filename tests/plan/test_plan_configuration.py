"""`seslint plan` without its source: the plan's configuration section says what an unknown value is
built from. The plans here follow `terraform show -json` of Terraform 1.11 for the AWS provider docs'
aws_ses_domain_dkim example (references without the computed index, `count.index` listed beside)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from seslint import cli
from seslint.model import Ref, Template, Unknown, named_after
from seslint.sources.plan.reader import parse
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
    # The token, with the text around it (not in the plan) unknown on both sides.
    assert [n.parts[1] if isinstance(n, Template) else n for n in names] == [
        Ref("aws_ses_domain_dkim.x", "dkim_tokens", i) for i in range(3)
    ]
    assert all(isinstance(n, Template) and isinstance(n.parts[0], Unknown) for n in names)
    assert all(isinstance(n, Template) and isinstance(n.parts[2], Unknown) for n in names)
    assert [named_after(n) for n in names] == [
        Ref("aws_ses_domain_dkim.x", "dkim_tokens", i) for i in range(3)
    ]
    assert isinstance(names[0], Template) and "pass --source-dir" in names[0].parts[0].reason  # type: ignore[union-attr]
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


def dkim_identities(
    *names: str, counted: int = 0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """Planned resources, changes and configuration blocks of v1 identities with aws_ses_domain_dkim:
    one per name, or `counted` instances of aws_ses_domain_identity.x / aws_ses_domain_dkim.x."""
    resources: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    blocks: list[Any] = []
    instances = [("x", i, f"d{i}.example.com") for i in range(counted)] or [
        (n, None, f"{n}.example.com") for n in names
    ]
    for name, index, domain in instances:
        key = f"[{index}]" if index is not None else ""
        for kind, unknown in (
            ("aws_ses_domain_identity", {"arn": True, "id": True, "verification_token": True}),
            ("aws_ses_domain_dkim", {"dkim_tokens": True, "id": True}),
        ):
            resources.append(
                {
                    "address": f"{kind}.{name}{key}",
                    "mode": "managed",
                    "type": kind,
                    "name": name,
                    **({"index": index} if index is not None else {}),
                    "provider_name": "registry.terraform.io/hashicorp/aws",
                    "values": {"domain": domain},
                }
            )
            changes.append(change(f"{kind}.{name}{key}", unknown))
    for name in {n for n, _, _ in instances}:
        blocks.append(
            configuration(f"aws_ses_domain_identity.{name}", name, {"domain": {"references": ["var.d"]}})
        )
        blocks.append(
            configuration(
                f"aws_ses_domain_dkim.{name}",
                name,
                {
                    "domain": {
                        "references": [
                            f"aws_ses_domain_identity.{name}.domain",
                            f"aws_ses_domain_identity.{name}",
                        ]
                    }
                },
            )
        )
    return resources, changes, blocks


def records(
    block: str, keys: list[Any], name_refs: list[str], **extra: Any
) -> tuple[list[Any], list[Any], Any]:
    """A CNAME block whose names and values are known only after apply, with these references."""
    resources, changes = [], []
    for key in keys:
        suffix = f"[{json.dumps(key)}]"
        resources.append(
            {
                "address": f"{block}{suffix}",
                "mode": "managed",
                "type": "aws_route53_record",
                "name": block.split(".")[1],
                "index": key,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "values": {"type": "CNAME", "ttl": 600, "zone_id": "Z0123456789"},
            }
        )
        changes.append(change(f"{block}{suffix}", ROUTE53_UNKNOWN))
    expressions = {
        "name": {"references": name_refs},
        "records": {"references": name_refs},
        "type": {"constant_value": "CNAME"},
        "zone_id": {"constant_value": "Z0123456789"},
    }
    return resources, changes, configuration(block, block.split(".")[1], expressions, **extra)


def plan_of(resources: list[Any], changes: list[Any], blocks: list[Any], **root: Any) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": blocks, **root}},
        "variables": {"d": {"value": "example.com"}},
    }


def judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: dict[str, Any]
) -> list[tuple[str, str, str]]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    cli.main(["plan", str(path), "--policy", "baseline", "--format", "json", "--fail-on", "never"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return [(f["rule"], f["status"], f["resource"]) for f in findings if f["rule"] in ("SES101", "SES103")]


def test_an_index_the_plan_does_not_keep_is_one_of_the_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """for_each over a local (not in the plan), tokens[each.value]: each record is one of x's tokens,
    unknown which: three may cover them (unknown), two cannot (fail); z's verdicts stay z's own."""
    resources, changes, blocks = dkim_identities("x", "z")
    refs = ["aws_ses_domain_dkim.x.dkim_tokens", "aws_ses_domain_dkim.x", "each.value"]
    for keys, verdict in ((["a", "b", "c"], "unknown"), (["a", "b"], "fail")):
        more, more_changes, block = records(
            "aws_route53_record.dkim", keys, refs, for_each_expression={"references": ["local.keys"]}
        )
        got = judged(tmp_path, capsys, plan_of(resources + more, changes + more_changes, [*blocks, block]))
        assert sorted(got) == sorted(
            [
                ("SES101", "fail", "aws_ses_domain_identity.z"),
                ("SES103", "fail", "aws_ses_domain_identity.z"),
                ("SES103", verdict, "aws_ses_domain_identity.x"),
            ]
        ), keys


def test_records_of_some_instance_of_a_block_are_only_that_blocks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Count arithmetic (x[floor(count.index / 3)]): the plan refers to aws_ses_domain_dkim.x and
    count.index only, so each record may be either instance's: both unknown, the other block judged."""
    resources, changes, blocks = dkim_identities(counted=2)
    z_resources, z_changes, z_blocks = dkim_identities("z")
    more, more_changes, block = records(
        "aws_route53_record.dkim",
        list(range(6)),
        ["aws_ses_domain_dkim.x", "count.index"],
        count_expression={"references": ["var.n"]},
    )
    got = judged(
        tmp_path,
        capsys,
        plan_of(
            resources + z_resources + more, changes + z_changes + more_changes, [*blocks, *z_blocks, block]
        ),
    )
    assert sorted(got) == [
        ("SES101", "fail", "aws_ses_domain_identity.z"),
        ("SES101", "unknown", "aws_ses_domain_identity.x[0]"),
        ("SES101", "unknown", "aws_ses_domain_identity.x[1]"),
        ("SES103", "fail", "aws_ses_domain_identity.z"),
        ("SES103", "unknown", "aws_ses_domain_identity.x[0]"),
        ("SES103", "unknown", "aws_ses_domain_identity.x[1]"),
    ]


def test_module_outputs_and_for_each_values_from_the_configuration(tmp_path: Path) -> None:
    """module.ses.dkim_tokens is the module's output expression evaluated in that module; each.value is
    the constant for_each map's element; a local stays unknown."""
    ses_resources, ses_changes, ses_blocks = dkim_identities("this")
    for item in ses_resources:
        item["address"] = f"module.ses.{item['address']}"
    for item in ses_changes:
        item["address"] = f"module.ses.{item['address']}"
    outputs = {
        "dkim_tokens": {
            "expression": {"references": ["aws_ses_domain_dkim.this.dkim_tokens", "aws_ses_domain_dkim.this"]}
        }
    }
    call = {
        "source": "./ses",
        "expressions": {"d": {"constant_value": "example.com"}},
        "module": {"resources": ses_blocks, "outputs": outputs},
    }
    more, more_changes, block = records(
        "aws_route53_record.dkim",
        ["k0", "k1", "k2"],
        ["module.ses.dkim_tokens", "module.ses", "each.value"],
        for_each_expression={"constant_value": {"k0": 0, "k1": 1, "k2": 2}},
    )
    document = plan_of(more, more_changes, [block], module_calls={"ses": call})
    document["planned_values"]["root_module"]["child_modules"] = [
        {"address": "module.ses", "resources": ses_resources}
    ]
    document["resource_changes"] += ses_changes
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    posture = read_plan(str(path), None, tmp_path)
    tokens = "module.ses.aws_ses_domain_dkim.this"
    assert [named_after(r.name) for r in posture.dns_records] == [Ref(tokens, "dkim_tokens")] * 3
    first = posture.dns_records[0].name
    assert isinstance(first, Template) and isinstance(first.parts[1], Unknown)
    assert first.parts[1].origin == Ref(
        tokens, "dkim_tokens"
    )  # one of its tokens: tokens[each.value] is not kept
    plan = parse(json.loads(path.read_text()))
    record = next(r for r in plan.resources if r.address == 'aws_route53_record.dkim["k1"]')
    assert plan.evaluated.scope(record).each == ("k1", 1)
