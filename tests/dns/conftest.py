from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dns import nsd


@pytest.fixture(scope="session")
def nameserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """127.0.0.1:PORT of an NSD serving tests/dns/zones for the whole session."""
    workdir: Path = tmp_path_factory.mktemp("nsd")
    with nsd.running(workdir) as port:
        yield f"127.0.0.1:{port}"
