"""The HTML report rendered by a real browser: headless Chromium driven through chromedriver's
WebDriver HTTP interface (plain urllib, no extra Python package).

Checks: the page loads with no console error, makes no network request (every request the
browser logs is the file itself), lays out its charts, and a screenshot is taken. Skipped,
with the reason, only where Chromium or chromedriver is not installed (.ci/run installs the
Debian packages `chromium` and `chromium-driver` where it can).
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import make_registry, run_cli
from tests.test_report import AT, generate

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="needs headless Chromium and chromedriver (Debian: apt-get install chromium "
        "chromium-driver); not installed here",
    ),
]


class Driver:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")["value"]

    def __call__(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.call(method, f"/session/{self.session}{path}", body)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Driver]:
    assert CHROMEDRIVER and CHROMIUM
    port = _free_port()
    process = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver = Driver(f"http://127.0.0.1:{port}")
    try:
        for _ in range(300):  # up to 30 s on a loaded machine
            try:
                if driver.call("GET", "/status")["ready"]:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        options = {
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--window-size=1280,1600",
                f"--user-data-dir={tmp_path / 'profile'}",
            ],
        }
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
        }
        created = driver.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        driver.session = created["sessionId"]
        yield driver
        driver.call("DELETE", f"/session/{driver.session}")
    finally:
        process.terminate()
        process.wait(timeout=30)


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
