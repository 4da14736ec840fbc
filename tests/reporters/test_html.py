"""The HTML report as text: escaping, its Content-Security-Policy, nothing to fetch, lazy imports.
(What a browser makes of it: test_html_browser.py.)"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

from seslint import cli
from seslint.reporters import render
from tests.reporters.test_reporters import FULL, HOSTILE, report

ROOT = Path(__file__).resolve().parents[2]
NONCOMPLIANT = str(ROOT / "terraform" / "examples" / "noncompliant")


def test_hostile_values_are_text() -> None:
    page = render("html", report(HOSTILE))
    assert page.count("<script") == 1  # the page's own
    assert "&lt;script&gt;&amp;amp;\\x07" in page  # the message's markup and control character, as text
    assert "aws_sns_topic.x\\x1b[31m|&lt;b&gt;&amp;&#34;evil&#34;" in page
    assert "<ample>" not in page and "<b>" not in page
    assert "\x1b" not in page and "\x07" not in page


def test_content_security_policy_allows_only_the_inline_style_and_script() -> None:
    page = render("html", FULL)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert style is not None and script is not None

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert html.unescape(csp.group(1)) == (
        f"default-src 'none'; style-src {digest(style.group(1))}; script-src {digest(script.group(1))}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


def test_nothing_to_fetch(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert (
        cli.main(["check", NONCOMPLIANT, "--policy", "strict", "--format", "html", "--output", str(page)])
        == 1
    )
    text = page.read_text()
    targets = re.findall(
        r"""\b(?:src|href|action|srcset|data|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", text
    )
    assert targets and all(t.strip("\"'").startswith("#") for t in targets)
    assert "url(" not in text and "@import" not in text and "http://" not in text and "https://" not in text


def test_without_context_every_finding_is_still_listed() -> None:
    """A Report built without the matrix (not through the CLI) still renders each finding."""
    page = render("html", FULL)
    for finding in FULL.findings:
        assert f"<td>{finding.rule}<td>" in page
    assert 'id="matrix"' not in page


def test_jinja2_loads_only_for_html() -> None:
    probe = (
        "import sys; from seslint.cli import main; "
        "main(['check', 'terraform/examples/compliant', '--policy', 'strict', '--format', 'json']); "
        "print([m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')], file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stderr.splitlines()[-1] == "[]"


def test_nothing_found(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    page = tmp_path / "report.html"
    assert cli.main(["check", str(tmp_path), "--format", "html", "--output", str(page)]) == 0
    text = page.read_text()
    assert "No identity or account was found in the input." in text and "No findings." in text
    assert 'id="matrix-table"' not in text
