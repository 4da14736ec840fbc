"""The audit's HTML report in headless Chromium: a moto account, and the snapshot saved by the same
audit read back offline, show the same posture matrix; the run metadata names the snapshot by hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.aws.moto_server import GapFiller
from tests.aws.test_audit import ACCOUNT, REGION, aws, seed, server
from tests.reporters.browser import Browser
from tests.reporters.page_checks import assert_shows, cell, lint, matrix_text

__all__ = ["aws", "server"]  # the moto fixtures of test_audit.py


def test_live_audit_and_its_snapshot_show_the_same_matrix(
    aws: tuple[str, GapFiller], browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(aws[1], good=False)
    snapshot = tmp_path / "evidence.json"
    options = ("--policy", "strict", "--region", REGION)
    code, live, live_page = lint(tmp_path, "live", "audit", *options, "--save-snapshot", str(snapshot))
    assert code == 1
    code, offline, offline_page = lint(
        tmp_path, "offline", "audit", "--from-snapshot", str(snapshot), *options
    )
    assert code == 1 and offline["findings"] == live["findings"]
    digest = hashlib.sha256(snapshot.read_bytes()).hexdigest()
    where = f"{ACCOUNT}/{REGION}"
    with browser.page(live_page) as page:
        assert_shows(page, live, live_page)
        live_matrix = matrix_text(page)
        # TLS OPTIONAL on the identity's default set: the TLS cell fails and links to SES201.
        tls = cell(page, "example.com", where, "TLS")
        assert tls is not None and tls[0] == "\u2717 fail" and (tls[1] or "").startswith("SES201")
        dkim = cell(page, "example.com", where, "DKIM records")
        assert dkim == ("\u2013 n/a", None)  # DNS was not read (no --dns): not judged, so no pass
        account = cell(page, f"account {ACCOUNT} {REGION}", where, "Account status")
        assert account is not None and account[0] == "\u2717 fail"
        evidence = page.evaluate("document.getElementById('findings').innerText")
        assert (
            "sesv2:GetConfigurationSet(ConfigurationSetName=main) \u2192 DeliveryOptions.TlsPolicy"
            in evidence
        )
        assert f"{snapshot} (SHA-256 {digest})" in page.evaluate("document.getElementById('run').innerText")
    with browser.page(offline_page) as page:
        assert_shows(page, offline, offline_page)
        assert matrix_text(page) == live_matrix
        run = page.evaluate("document.getElementById('run').innerText")
        assert f"snapshot read\t{snapshot} (SHA-256 {digest})" in run
        assert f"accounts (1)\t{ACCOUNT}" in run and f"regions (1)\t{REGION}" in run
