"""Headless Chromium for the tests, driven through chromedriver's WebDriver HTTP interface
(plain urllib, no extra Python package). Used by the browser tests of the HTML report and of
Datasette; each skips, with the reason, where Chromium or chromedriver is not installed
(.ci/run installs the Debian packages `chromium` and `chromium-driver` where it can)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
CHROMEDRIVER = shutil.which("chromedriver")

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs headless Chromium and chromedriver (Debian: apt-get install chromium "
    "chromium-driver); not installed here",
)


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


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def chromium(profile: Path, window: str = "1280,1600") -> Iterator[Driver]:
    """A WebDriver session of headless Chromium with its profile in `profile`, and its
    browser and performance logs on."""
    assert CHROMEDRIVER and CHROMIUM
    port = free_port()
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
                f"--window-size={window}",
                f"--user-data-dir={profile}",
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
