"""Regenerate the committed plan JSON with a real `terraform plan` against a moto server.

    .venv/bin/python tests/plan/regenerate.py            # every target
    .venv/bin/python tests/plan/regenerate.py NAME...    # targets whose name contains NAME

What it plans (the tests read the JSON and need no Terraform CLI):
- every idiom tree whose expect.yaml says `plan: true` -> tests/plan/fixtures/idioms/IDIOM/VARIANT.json;
- the shipped examples -> tests/plan/fixtures/{compliant,noncompliant,noncompliant-second-account}-plan.json.

Needs: the Terraform CLI (1.11) on PATH and hashicorp/aws 5.100.0 in a filesystem mirror (default
/opt/tf-plugins, or SESLINT_TF_MIRROR); no internet. How:
1. starts the test suite's moto server (tests/aws/moto_server.py) on 127.0.0.1 and seeds what data
   sources read: Route53 hosted zones (SEEDED_ZONES) for data "aws_route53_zone" by name;
2. writes a CLI configuration (TF_CLI_CONFIG_FILE) that installs hashicorp/aws from the mirror only
   and nothing else from anywhere, with a plugin cache shared by the runs;
3. copies the tree into a scratch directory at its repository-relative path (with terraform/, so the
   examples' `../../modules` calls resolve), and adds an override file that points every `provider
   "aws"` block of the root (alias by alias) at moto, with fake credentials and no credential,
   account id or metadata checks; the tree itself is never touched;
4. runs `terraform init`, `terraform plan -out` (with the tree's `vars`) and `terraform show -json`;
5. strips what would churn or name this machine: the timestamp, the override's provider arguments
   (endpoints, credentials, skip flags) from `configuration`, and moto's random hosted zone ids
   (replaced by fixed ids, the same in every file).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.terraform.corpus import trees  # noqa: E402

FIXTURES = ROOT / "tests" / "plan" / "fixtures"
MIRROR = os.environ.get("SESLINT_TF_MIRROR", "/opt/tf-plugins")
SEEDED_ZONES = ("example.com", "example.org", "example.net")
ENDPOINT_SERVICES = ("ses", "sesv2", "sns", "route53", "cloudwatch", "sts", "iam")
OVERRIDE = "seslint_moto_override.tf"  # Terraform merges *_override.tf files into the blocks they name
# Provider arguments the override adds: stripped from the plan's `configuration` again.
OVERRIDE_ARGUMENTS = (
    "endpoints",
    "access_key",
    "secret_key",
    "skip_credentials_validation",
    "skip_requesting_account_id",
    "skip_metadata_api_check",
)


@dataclass(frozen=True)
class Target:
    name: str
    tree: Path  # absolute
    output: Path
    vars: dict[str, str] = field(default_factory=dict)


def targets() -> list[Target]:
    examples = ROOT / "terraform" / "examples"
    found = [
        Target("compliant", examples / "compliant", FIXTURES / "compliant-plan.json"),
        Target("noncompliant", examples / "noncompliant", FIXTURES / "noncompliant-plan.json"),
        Target(
            "noncompliant-second-account",
            examples / "noncompliant" / "second-account",
            FIXTURES / "noncompliant-second-account-plan.json",
            {"enable_transactional": "true"},
        ),
    ]
    found += [Target(t.name, t.path, t.plan_file, dict(t.vars)) for t in trees() if t.plan]
    return found


def cli_config(scratch: Path) -> Path:
    cache = scratch / "plugin-cache"
    cache.mkdir()
    path = scratch / "terraform.rc"
    path.write_text(
        f'plugin_cache_dir = "{cache}"\n'
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{MIRROR}"\n'
        '    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n'
        '  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n'
    )
    return path


def provider_aliases(root: Path) -> list[str | None]:
    """The alias of every `provider "aws"` block in the root module's files (None: the default)."""
    aliases: list[str | None] = []
    for path in sorted(root.glob("*.tf")):
        text = path.read_text()
        for match in re.finditer(r'^provider\s+"aws"\s*\{', text, re.MULTILINE):
            body = _block(text, match.end())
            alias = re.search(r'^\s*alias\s*=\s*"([^"]+)"', body, re.MULTILINE)
            aliases.append(alias.group(1) if alias else None)
    return aliases


def _block(text: str, start: int) -> str:
    depth = 1
    for index in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return text[start:index]
    raise ValueError("unbalanced braces in a provider block")


def override(endpoint: str, aliases: list[str | None]) -> str:
    endpoints = "".join(f'    {service:<10} = "{endpoint}"\n' for service in ENDPOINT_SERVICES)
    blocks = []
    for alias in aliases or [None]:
        blocks.append(
            'provider "aws" {\n'
            + (f'  alias                       = "{alias}"\n' if alias else "")
            + '  access_key                  = "testing"\n'
            + '  secret_key                  = "testing"\n'
            + "  skip_credentials_validation = true\n"
            + "  skip_requesting_account_id  = true\n"
            + "  skip_metadata_api_check     = true\n"
            + f"  endpoints {{\n{endpoints}  }}\n}}\n"
        )
    return "\n".join(blocks)


def seed(endpoint: str) -> dict[str, str]:
    """Hosted zones for data "aws_route53_zone": moto's random id -> a fixed id for the committed JSON."""
    import boto3

    route53 = boto3.client(
        "route53",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    fixed = {}
    for number, zone in enumerate(SEEDED_ZONES, start=1):
        created = route53.create_hosted_zone(Name=zone, CallerReference=f"seslint-{zone}")
        zone_id = created["HostedZone"]["Id"].rsplit("/", 1)[-1]
        fixed[zone_id] = f"Z0SESLINT{number:011d}"
    return fixed


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])} in {cwd}: exit {result.returncode}\n{result.stderr}")
    return result.stdout


def plan(target: Target, scratch: Path, endpoint: str, env: dict[str, str]) -> dict[str, Any]:
    relative = target.tree.relative_to(ROOT)
    copy = scratch / "repo"
    if copy.exists():
        shutil.rmtree(copy)
    # The tree at its own relative path, and terraform/ for the examples' module calls.
    shutil.copytree(ROOT / "terraform", copy / "terraform")
    if not (copy / relative).exists():
        shutil.copytree(target.tree, copy / relative)
    work = copy / relative
    (work / OVERRIDE).write_text(override(endpoint, provider_aliases(work)))
    run(["terraform", "init", "-input=false", "-no-color"], work, env)
    variables = [arg for key, value in sorted(target.vars.items()) for arg in ("-var", f"{key}={value}")]
    run(["terraform", "plan", "-input=false", "-no-color", "-out=plan.out", *variables], work, env)
    document: dict[str, Any] = json.loads(run(["terraform", "show", "-json", "plan.out"], work, env))
    return document


def clean(document: dict[str, Any], zone_ids: dict[str, str]) -> dict[str, Any]:
    document.pop("timestamp", None)
    for config in document.get("configuration", {}).get("provider_config", {}).values():
        expressions = config.get("expressions", {})
        for key in OVERRIDE_ARGUMENTS:
            expressions.pop(key, None)
    text = json.dumps(document, indent=1)
    for moto_id, fixed in zone_ids.items():
        text = text.replace(moto_id, fixed)
    if "127.0.0.1" in text or str(ROOT) in text or tempfile.gettempdir() in text:
        raise RuntimeError("a machine-specific value is left in the plan")
    cleaned: dict[str, Any] = json.loads(text)
    return cleaned


def environment(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update(
        TF_CLI_CONFIG_FILE=str(config),
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def regenerate(selected: list[Target]) -> Iterator[str]:
    from tests.aws.moto_server import moto_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with tempfile.TemporaryDirectory(prefix="seslint-plans-") as name, moto_server() as (endpoint, _):
        scratch = Path(name)
        env = environment(cli_config(scratch))
        zone_ids = seed(endpoint)
        for target in selected:
            document = clean(plan(target, scratch, endpoint, env), zone_ids)
            target.output.parent.mkdir(parents=True, exist_ok=True)
            target.output.write_text(json.dumps(document, indent=1) + "\n")
            yield f"{target.name} -> {target.output.relative_to(ROOT)}"


def main(argv: list[str]) -> int:
    if shutil.which("terraform") is None:
        print("regenerate.py: terraform is not on PATH", file=sys.stderr)
        return 2
    selected = [t for t in targets() if not argv or any(word in t.name for word in argv)]
    for line in regenerate(selected):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
