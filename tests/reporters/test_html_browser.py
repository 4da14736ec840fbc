"""The HTML report in a real headless Chromium: what it shows, what it fetches, with JavaScript off,
on paper, and with markup planted in DNS. One browser for the module (conftest.py)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dns import nsd
from tests.reporters.browser import Browser
from tests.reporters.page_checks import assert_shows, cell, lint, matrix_text, shown_text

ROOT = Path(__file__).resolve().parents[2]
NONCOMPLIANT = str(ROOT / "terraform" / "examples" / "noncompliant")
PLANS = ROOT / "tests" / "plan" / "fixtures"
PAYLOAD = "<script>document.title='pwned'</script><img src=http://attacker.invalid/x.png>"
EVIL_ZONE = f"""\
$ORIGIN evil.example.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 86400 300
@ IN NS ns1
ns1 IN A 127.0.0.1
@ IN TXT "v=spf1 include:amazonses.com <b>bold</b> -all"
_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:{PAYLOAD}@evil.example"
"""


def test_check_report_shows_every_identity_and_failing_rule(browser: Browser, tmp_path: Path) -> None:
    code, document, path = lint(tmp_path, "check", "check", NONCOMPLIANT, "--policy", "strict")
    assert code == 1
    with browser.page(path) as page:
        assert_shows(page, document, path)
        where = "terraform/examples/noncompliant"
        # A known failing control: example.net declares no DKIM records; the cell links to SES103.
        found = cell(page, "example.net", where, "DKIM records")
        assert found is not None and found[0] == "\u2717 fail"
        assert found[1] is not None and found[1].startswith(
            "SES103\terror\t\u2717 fail\tno DKIM CNAME record"
        )
        assert cell(page, "shop.example.org", where, "DKIM records") == ("\u2713 pass", None)
        assert cell(page, "alerts@example.com", "second-account", "DKIM records") == ("\u2013 n/a", None)
        assert page.evaluate("document.querySelector('.filters input') !== null")  # the script ran


def test_waived_control_and_the_policy_as_applied(browser: Browser, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "version: 1\nname: waived\nextends: strict\nwaivers:\n"
        "  - {rule: SES201, resource: aws_ses_configuration_set.legacy, reason: 'OPS-123 <i>partner</i>',"
        " expires: 2099-01-31}\n"
    )
    _, document, path = lint(tmp_path, "waived", "check", NONCOMPLIANT, "--policy", str(policy))
    assert [f["waived"] for f in document["findings"] if f["rule"] == "SES201"] == [True]
    with browser.page(path) as page:
        found = cell(page, "legacy.example.info", "terraform/examples/noncompliant", "TLS")
        assert found is not None and found[0] == "\u2298 waived"
        assert found[1] is not None and found[1].endswith("OPS-123 <i>partner</i> (until 2099-01-31)")
        applied = page.evaluate("document.querySelector('#policy pre').textContent")
        assert "reason: OPS-123 <i>partner</i>" in applied and "extends" not in applied
        assert page.evaluate("document.querySelectorAll('i').length") == 0


def test_report_reads_the_same_with_javascript_off(browser: Browser, tmp_path: Path) -> None:
    _, document, path = lint(tmp_path, "check", "check", NONCOMPLIANT, "--policy", "strict")
    with browser.page(path) as scripted:
        rows = matrix_text(scripted)
    with browser.page(path, javascript=False) as page:
        assert_shows(page, document, path)
        assert page.evaluate("document.querySelector('.filters')") is None
        assert matrix_text(page) == rows and len(rows) == 9  # the header, two root modules, six rows


def test_filter_hides_rows_and_groups(browser: Browser, tmp_path: Path) -> None:
    _, _, path = lint(tmp_path, "check", "check", NONCOMPLIANT, "--policy", "strict")
    with browser.page(path) as page:
        shown = page.evaluate(
            """(() => { const input = document.querySelector('.filters input');
            input.value = 'shop'; input.dispatchEvent(new Event('input'));
            return [[...document.querySelectorAll('#matrix-table tbody tr:not(.where)')].filter(r => !r.hidden).length,
                    [...document.querySelectorAll('section.group')].filter(g => !g.hidden)
                      .map(g => g.querySelector('h4').textContent.trim())]; })()"""
        )
        assert shown == [1, ["shop.example.org", "aws_sns_topic.shop"]]


def test_prints_on_a4_and_letter_with_a_page_per_section(browser: Browser, tmp_path: Path) -> None:
    _, _, path = lint(tmp_path, "check", "check", NONCOMPLIANT, "--policy", "strict")
    with browser.page(path) as page:
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, page.session)
        breaks = page.evaluate(
            "[...document.querySelectorAll('main > section')].map(s => getComputedStyle(s).breakBefore)"
        )
        assert breaks == ["auto", "page", "page", "page", "page"]
        for width, height in ((8.27, 11.69), (8.5, 11.0)):  # A4, Letter (inches)
            pdf = page.pdf(paperWidth=width, paperHeight=height, printBackground=True)
            pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
            assert pages >= 5, (width, pages)


def test_plan_report(browser: Browser, tmp_path: Path) -> None:
    plan = str(PLANS / "noncompliant-first-plan.json")
    code, document, path = lint(
        tmp_path, "plan", "plan", plan, "--source-dir", NONCOMPLIANT, "--policy", "strict"
    )
    assert code == 1 and document["findings"]
    with browser.page(path) as page:
        assert_shows(page, document, path)
        found = cell(page, "example.net", "", "DKIM records")
        assert found is not None and found[0] == "\u2717 fail"


@pytest.fixture(scope="module")
def evil_nameserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    zones = tmp_path_factory.mktemp("zones")
    for name in ("example.com.zone", "amazonses.com.zone"):
        shutil.copy(nsd.ZONES / name, zones / name)
    (zones / "evil.example.zone").write_text(EVIL_ZONE)
    with nsd.running(tmp_path_factory.mktemp("nsd"), zones) as port:
        yield f"127.0.0.1:{port}"


def test_markup_planted_in_dns_is_inert(browser: Browser, tmp_path: Path, evil_nameserver: str) -> None:
    code, document, path = lint(
        tmp_path, "dns", "dns", "evil.example", "--nameserver", evil_nameserver, "--policy", "strict"
    )
    assert code == 1
    assert PAYLOAD in path.read_text().replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
    with browser.page(path) as page:
        assert_shows(page, document, path)  # the image was not fetched: requests are the page alone
        assert page.evaluate("document.title").startswith("seslint report")
        assert page.evaluate("document.querySelectorAll('img, main script').length") == 0
        assert page.evaluate("[...document.querySelectorAll('b')].map(b => b.textContent)") == [
            "evil.example"
        ]
        text = shown_text(page)
        assert PAYLOAD in text and "<b>bold</b>" in text
        assert cell(page, "evil.example", "evil.example", "DMARC") is not None
