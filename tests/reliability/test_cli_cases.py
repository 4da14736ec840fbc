"""Odd command lines: an audit with a region but no default region, and credentials in the endpoint
URL, which no output shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.aws.moto_server import moto_server
from tests.reliability.hostile import seslint


def _aws_env(tmp_path: Path, endpoint: str) -> dict[str, str]:
    """Credentials and an endpoint, and no region anywhere (no config file; see no_region)."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_MAX_ATTEMPTS": "1",
    }


@pytest.fixture
def no_region(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    yield


def test_audit_with_a_region_needs_no_default_region(tmp_path: Path, no_region: None) -> None:
    with moto_server() as (endpoint, _filler):
        run = seslint(
            "audit",
            "--region",
            "eu-west-1",
            "--format",
            "json",
            "--fail-on",
            "never",
            cwd=tmp_path,
            env=_aws_env(tmp_path, endpoint),
        )
    assert (run.code, run.err) == (0, "")
    assert '"kind": "aws"' in run.out


def test_credentials_in_the_endpoint_url_are_never_shown(tmp_path: Path, no_region: None) -> None:
    env = _aws_env(tmp_path, "http://auditor:s3cr3tpass@127.0.0.1:9/")  # nothing listens there
    run = seslint(
        "audit", "--region", "eu-west-1", "--timeout", "2", "--format", "json", cwd=tmp_path, env=env
    )
    assert (run.code, run.out) == (2, "")
    assert "s3cr3tpass" not in run.err and "auditor" not in run.err
    assert run.err == (
        "seslint: cannot identify the AWS account (sts:GetCallerIdentity): EndpointConnectionError: "
        'Could not connect to the endpoint URL: "http://***@127.0.0.1:9/"\n'
    )
