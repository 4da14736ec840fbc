"""Regenerate docs/report.png: the HTML report of the shipped non-compliant example, as the test suite's
headless Chromium shows it (the posture matrix).

    python docs/screenshot.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reporters.browser import chromium  # noqa: E402

OUT = ROOT / "docs" / "report.png"
COMMAND = ["check", "terraform/examples/noncompliant", "--policy", "strict", "--format", "html"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "report.html"
        subprocess.run(
            [sys.executable, "-m", "seslint", *COMMAND, "--output", str(page_file)], cwd=ROOT, check=False
        )
        with chromium() as browser, browser.page(page_file, width=1100, height=800) as page:
            top = page.evaluate("document.getElementById('matrix').getBoundingClientRect().top + scrollY")
            bottom = page.evaluate(
                "document.getElementById('matrix').getBoundingClientRect().bottom + scrollY"
            )
            clip = {"x": 0, "y": top - 8, "width": 1100, "height": bottom - top + 16, "scale": 1}
            data = browser.call(
                "Page.captureScreenshot",
                {"format": "png", "clip": clip, "captureBeyondViewport": True},
                page.session,
            )["data"]
    import base64

    OUT.write_bytes(base64.b64decode(data))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
