"""Suite-wide set-up: a private parse cache, and the real DNS server for tests that need one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dns import nsd


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or fill the user's ~/.cache/seslint."""
    previous = os.environ.get("SESLINT_CACHE_DIR")
    os.environ["SESLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("seslint-cache"))
    from seslint import cache

    cache.directory.cache_clear()
    yield
    if previous is None:
        os.environ.pop("SESLINT_CACHE_DIR", None)
    else:
        os.environ["SESLINT_CACHE_DIR"] = previous
    cache.directory.cache_clear()


@pytest.fixture(scope="session")
def nameserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """127.0.0.1:PORT of an NSD serving tests/dns/zones for the whole session."""
    workdir: Path = tmp_path_factory.mktemp("nsd")
    with nsd.running(workdir) as port:
        yield f"127.0.0.1:{port}"
