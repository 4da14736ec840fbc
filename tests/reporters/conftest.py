"""One headless Chromium per test module that asks for it (starting one takes about a second)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reporters.browser import Browser, chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running
