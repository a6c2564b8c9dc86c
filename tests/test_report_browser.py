"""The HTML report rendered by a real browser: headless Chromium driven through chromedriver's
WebDriver HTTP interface (tests/browser.py).

Checks: the page loads with no console error, makes no network request (every request the
browser logs is the file itself), lays out its charts, and a screenshot is taken. Skipped,
with the reason, only where Chromium or chromedriver is not installed (.ci/run installs the
Debian packages `chromium` and `chromium-driver` where it can).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Driver, chromium, needs_chromium
from tests.helpers import make_registry, run_cli
from tests.test_report import AT, generate

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Driver]:
    with chromium(tmp_path / "profile") as driver:
        yield driver


def _render(browser: Driver, page: Path, shot: Path) -> None:
    for kind in ("browser", "performance"):  # start with empty logs: only this page counts
        browser("POST", "/se/log", {"type": kind})
    browser("POST", "/url", {"url": page.as_uri()})
    assert browser("GET", "/title").startswith("Kooperationsbericht – Stand")
    shot.write_bytes(base64.b64decode(browser("GET", "/screenshot")))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    console = browser("POST", "/se/log", {"type": "browser"})
    assert [e for e in console if e["level"] == "SEVERE"] == []
    requests = []
    for entry in browser("POST", "/se/log", {"type": "performance"}):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    # chrome:// pages are the browser's own start page, and data: URLs carry their content
    # inline (Chromium itself at times loads a 1x1 data: image): neither leaves the machine
    outside = [url for url in requests if not url.startswith(("chrome://", "data:"))]
    assert outside == [page.as_uri()], outside
    layout = browser(
        "POST",
        "/execute/sync",
        {
            "script": "return Array.from(document.querySelectorAll('figure svg'))"
            ".map(s => s.getBoundingClientRect().width)",
            "args": [],
        },
    )
    assert len(layout) == 5 and all(width > 100 for width in layout)


def test_bundled_registry_renders_in_chromium(browser: Driver, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    page = tmp_path / "report.html"
    assert (
        run_cli("report", "--root", str(root), "-f", "html", "-o", str(page), "--at", AT).exit_code
        == 0
    )
    _render(browser, page, tmp_path / "bundled.png")


def test_generated_registry_renders_in_chromium(browser: Driver, tmp_path: Path) -> None:
    root = generate(tmp_path / "gen", partners=400, agreements=40, solutions=30)
    page = tmp_path / "report.html"
    assert (
        run_cli("report", "--root", str(root), "-f", "html", "-o", str(page), "--at", AT).exit_code
        == 0
    )
    _render(browser, page, tmp_path / "generated.png")
