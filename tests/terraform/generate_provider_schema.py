"""Regenerate seslint's provider attribute table from the providers' own schemas.

    python -m tests.terraform.generate_provider_schema [--aws-mirror DIR] [--cloudflare-mirror DIR]

For each provider it writes a small Terraform root that requires the provider, runs `terraform init`
against a local filesystem mirror (a CLI configuration of its own, through TF_CLI_CONFIG_FILE: no
network) and `terraform providers schema -json`, and keeps, for only the resource and data source
types seslint models, each attribute's mode and type:

    "r" required, "o" optional, "c" computed (known only after apply), "oc" optional and computed
    (the configured value when set, else known only after apply)

Nested blocks keep their nesting mode and max_items; nested attributes (plugin-framework providers)
keep their attributes. The table is written to seslint/sources/terraform/provider_schema_<name>.json.

hashicorp/aws 5.100.0 is mirrored on the development machine (/opt/tf-plugins). The Cloudflare
provider is not: its table was written by hand from the provider's schema sources and documentation
(see the file's "_source"); with a mirror holding cloudflare/cloudflare 4.x and 5.x this script
regenerates it, merging the two major versions (an attribute optional in one and computed in the
other is "oc").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "seslint" / "sources" / "terraform"

AWS_VERSION = "5.100.0"
AWS_RESOURCES = (
    "aws_ses_domain_identity",
    "aws_ses_domain_identity_verification",
    "aws_ses_domain_dkim",
    "aws_ses_domain_mail_from",
    "aws_ses_email_identity",
    "aws_ses_identity_notification_topic",
    "aws_ses_identity_policy",
    "aws_ses_configuration_set",
    "aws_ses_event_destination",
    "aws_sesv2_email_identity",
    "aws_sesv2_email_identity_mail_from_attributes",
    "aws_sesv2_email_identity_feedback_attributes",
    "aws_sesv2_email_identity_policy",
    "aws_sesv2_configuration_set",
    "aws_sesv2_configuration_set_event_destination",
    "aws_sesv2_account_suppression_attributes",
    "aws_sns_topic",
    "aws_sns_topic_policy",
    "aws_sns_topic_subscription",
    "aws_cloudwatch_metric_alarm",
    "aws_route53_record",
    "aws_route53_zone",
)
AWS_DATA = (
    "aws_route53_zone",
    "aws_iam_policy_document",
    "aws_caller_identity",
    "aws_region",
    "aws_partition",
    "aws_sns_topic",
    "aws_ses_domain_identity",
    "aws_ses_email_identity",
    "aws_sesv2_email_identity",
    "aws_sesv2_email_identity_mail_from_attributes",
    "aws_sesv2_configuration_set",
)
CLOUDFLARE_VERSIONS = ("4.52.0", "5.8.0")
CLOUDFLARE_RESOURCES = ("cloudflare_record", "cloudflare_dns_record", "cloudflare_zone")
CLOUDFLARE_DATA = ("cloudflare_zone",)


def type_text(cty: Any) -> str:
    """A cty type (schema JSON) as Terraform writes it: list(string), map(object({...}))."""
    if isinstance(cty, str):
        return cty
    kind, inner = cty
    if kind == "object":
        return "object({" + ", ".join(f"{k}={type_text(v)}" for k, v in sorted(inner.items())) + "})"
    if kind == "tuple":
        return "tuple([" + ", ".join(type_text(v) for v in inner) + "])"
    return f"{kind}({type_text(inner)})"


def mode(attribute: dict[str, Any]) -> str:
    if attribute.get("required"):
        return "r"
    optional, computed = bool(attribute.get("optional")), bool(attribute.get("computed"))
    return "oc" if optional and computed else "c" if computed else "o"


def attributes(block: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, attribute in sorted(block.get("attributes", {}).items()):
        nested = attribute.get("nested_type")
        if nested is not None:
            out[name] = {
                "mode": mode(attribute),
                "nesting": nested.get("nesting_mode", "single"),
                "attributes": attributes(nested),
            }
        else:
            out[name] = f"{mode(attribute)} {type_text(attribute.get('type', 'dynamic'))}"
    return out


def compact(block: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": attributes(block)}
    blocks = {}
    for name, nested in sorted(block.get("block_types", {}).items()):
        entry = {"nesting": nested["nesting_mode"], **compact(nested["block"])}
        if "max_items" in nested:
            entry["max_items"] = nested["max_items"]
        blocks[name] = entry
    if blocks:
        out["blocks"] = blocks
    return out


def provider_schema(source: str, version: str, mirror: Path) -> dict[str, Any]:
    """`terraform providers schema -json` of one provider version, installed from the mirror only."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        config = root / "cli.tfrc"
        config.write_text(
            "provider_installation {\n  filesystem_mirror {\n"
            f'    path    = "{mirror}"\n    include = ["registry.terraform.io/{source}"]\n  }}\n}}\n'
        )
        (root / "main.tf").write_text(
            "terraform {\n  required_providers {\n"
            f'    p = {{ source = "{source}", version = "{version}" }}\n  }}\n}}\n'
        )
        env = {"TF_CLI_CONFIG_FILE": str(config), "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": work}
        subprocess.run(
            ["terraform", "init", "-input=false", "-no-color"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        result = subprocess.run(
            ["terraform", "providers", "schema", "-json"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
    schemas = json.loads(result.stdout)["provider_schemas"]
    return schemas[f"registry.terraform.io/{source}"]  # type: ignore[no-any-return]


def table(schema: dict[str, Any], resources: tuple[str, ...], data: tuple[str, ...]) -> dict[str, Any]:
    return {
        "resource": {
            t: compact(schema["resource_schemas"][t]["block"])
            for t in resources
            if t in schema["resource_schemas"]
        },
        "data": {
            t: compact(schema["data_source_schemas"][t]["block"])
            for t in data
            if t in schema["data_source_schemas"]
        },
    }


def merge(a: Any, b: Any) -> Any:
    """Union of two major versions' tables: an attribute present in both takes the weaker promise."""
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k)) for k in sorted({*a, *b})}
    if isinstance(a, str) and isinstance(b, str) and a.split()[0] != b.split()[0]:
        letters = a.split()[0] + b.split()[0]
        joined = "oc" if "c" in letters else "o"  # oc+c, o+c, r+c: set or computed; r+o: optional
        return f"{joined} {a.split(' ', 1)[1]}"
    return a


def write(name: str, content: dict[str, Any]) -> None:
    path = OUT / f"provider_schema_{name}.json"
    path.write_text(json.dumps(content, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aws-mirror", default="/opt/tf-plugins")
    parser.add_argument("--cloudflare-mirror", help="a mirror holding cloudflare/cloudflare 4.x and 5.x")
    args = parser.parse_args(argv)
    aws = table(provider_schema("hashicorp/aws", AWS_VERSION, Path(args.aws_mirror)), AWS_RESOURCES, AWS_DATA)
    write(
        "aws",
        {
            "_source": f"terraform providers schema -json, hashicorp/aws {AWS_VERSION}; "
            "regenerate with python -m tests.terraform.generate_provider_schema",
            **aws,
        },
    )
    if args.cloudflare_mirror:
        v4, v5 = (
            table(
                provider_schema("cloudflare/cloudflare", v, Path(args.cloudflare_mirror)),
                CLOUDFLARE_RESOURCES,
                CLOUDFLARE_DATA,
            )
            for v in CLOUDFLARE_VERSIONS
        )
        write(
            "cloudflare",
            {
                "_source": f"terraform providers schema -json, cloudflare/cloudflare {' and '.join(CLOUDFLARE_VERSIONS)}"
                " merged; regenerate with python -m tests.terraform.generate_provider_schema",
                **merge(v4, v5),
            },
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
