"""The provider attribute table: it covers every type seslint maps, and the AWS part is exactly what
`terraform providers schema -json` gives for the mirrored provider (regenerated and compared when
SESLINT_SCHEMA_CHECK=1: `SESLINT_SCHEMA_CHECK=1 pytest tests/terraform/test_provider_schema.py`)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from seslint.sources.terraform.schema import COMPUTED, OPTIONAL, OPTIONAL_COMPUTED, REQUIRED, block_schema
from seslint.sources.terraform.source import DNS_TYPES
from tests.terraform import generate_provider_schema

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path("/opt/tf-plugins/registry.terraform.io/hashicorp/aws")
DATA_SOURCES_RENDERED = ("aws_iam_policy_document", "aws_region", "aws_caller_identity", "aws_partition")


def mapped_types() -> set[str]:
    text = (ROOT / "seslint" / "sources" / "terraform" / "mapping.py").read_text()
    return set(re.findall(r'self\.of\("([a-z0-9_.]+)"\)', text)) | set(DNS_TYPES)


def test_every_mapped_type_is_in_the_table() -> None:
    missing = [
        key
        for key in sorted(mapped_types())
        if block_schema(key.removeprefix("data."), key.startswith("data.")) is None
    ]
    assert missing == []
    assert all(block_schema(t, True) is not None for t in DATA_SOURCES_RENDERED)


def test_modes_the_evaluator_relies_on() -> None:
    v2 = block_schema("aws_sesv2_email_identity", data=False)
    assert v2 is not None
    assert (v2.mode("email_identity"), v2.mode("arn"), v2.mode("configuration_set_name")) == (
        REQUIRED,
        COMPUTED,
        OPTIONAL,
    )
    signing = v2.nested("dkim_signing_attributes")
    assert signing is not None and signing.mode("tokens") == COMPUTED
    assert signing.mode("next_signing_key_length") == OPTIONAL_COMPUTED
    zone = block_schema("aws_route53_zone", data=True)
    assert zone is not None and (zone.mode("name"), zone.mode("zone_id")) == (OPTIONAL_COMPUTED,) * 2
    cloudflare = block_schema("cloudflare_zone", data=True)
    assert cloudflare is not None and cloudflare.derived("name") == "filter.name"


@pytest.mark.skipif(
    shutil.which("terraform") is None or not MIRROR.is_dir() or not os.environ.get("SESLINT_SCHEMA_CHECK"),
    reason="SESLINT_SCHEMA_CHECK=1 with the Terraform CLI and the hashicorp/aws mirror in /opt/tf-plugins "
    "(loading the provider's schema takes 10 to 25 s)",
)
def test_aws_table_is_what_the_provider_schema_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generate_provider_schema, "OUT", tmp_path)
    assert generate_provider_schema.main(["--aws-mirror", "/opt/tf-plugins"]) == 0
    committed = ROOT / "seslint" / "sources" / "terraform" / "provider_schema_aws.json"
    assert json.loads((tmp_path / "provider_schema_aws.json").read_text()) == json.loads(
        committed.read_text()
    )
