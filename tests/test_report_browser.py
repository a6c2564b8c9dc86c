"""The HTML report rendered by a real browser: headless Chromium driven through chromedriver's
WebDriver HTTP interface (plain urllib, no extra Python package).

Checks, at 1280 and at 390 CSS pixels wide (a desktop and a phone): the page loads with no
console error, makes no network request (every request the browser logs is the file itself),
lays out its charts, and a screenshot is taken. Measured in the page by a script: every SVG
text is drawn at least 11 px high (its font size times the scale of its screen transform),
lies inside its chart, no element reaches past the viewport except inside a box that scrolls
sideways, and no two timeline markers overlap. Printed to PDF (DevTools `Page.printToPDF`
with the page's own `@page` size), every page is A4 and each section starts a page of its own.

With COOPCTL_UPDATE_SCREENSHOTS=1 the screenshots of the bundled registry's report (from its
top down to the timeline chart) are written to docs/report-1280.png and docs/report-390.png.
Skipped, with the reason, only where Chromium or chromedriver is not installed (.ci/run
installs the Debian packages `chromium` and `chromium-driver` where it can).
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import Driver, chromium, needs_chromium
from tests.helpers import REPO, make_registry, run_cli
from tests.test_report import AT, generate
from tests.test_report_html import FILES as HOSTILE_FILES

WIDTHS = (1280, 390)
UPDATE_SCREENSHOTS = os.environ.get("COOPCTL_UPDATE_SCREENSHOTS") == "1"
A4 = (595.28, 841.89)  # points
A4_TEXT_WIDTH = 672  # CSS pixels between the margins of @page: 178 mm

pytestmark = [pytest.mark.slow, needs_chromium]


@pytest.fixture(scope="module")
def chromium_of_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    """One Chromium for the tests of this module (starting it was most of each test's time),
    with a home folder of its own, as every test has (conftest.py)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HOME", str(tmp_path_factory.mktemp("browser-home")))
        with chromium(tmp_path_factory.mktemp("profile")) as driver:
            yield driver


@pytest.fixture
def browser(chromium_of_module: Driver) -> Driver:
    """The module's Chromium as a new browser would be: screen media, the window's own size,
    and a blank page (each test then loads its page with empty logs, see _load)."""
    cdp(chromium_of_module, "Emulation.setEmulatedMedia", media="")
    cdp(chromium_of_module, "Emulation.clearDeviceMetricsOverride")
    chromium_of_module("POST", "/url", {"url": "about:blank"})
    return chromium_of_module


def cdp(browser: Driver, command: str, **params: Any) -> Any:
    """A Chrome DevTools command, through chromedriver."""
    return browser("POST", "/goog/cdp/execute", {"cmd": command, "params": params})


def script(browser: Driver, source: str) -> Any:
    return browser("POST", "/execute/sync", {"script": source, "args": []})


# Every SVG text drawn smaller than 11 px: its font size in the SVG's units times the scale
# from those units to CSS pixels (the screen transform; a rotation keeps its length).
SMALL_TEXT = """
const texts = Array.from(document.querySelectorAll('svg text'));
const small = texts.map(t => {
  const m = t.getScreenCTM();
  return [parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), t.textContent];
}).filter(([size]) => size < 11);
return [texts.length, small];
"""

# Every element (with its right margin) and every line of text reaching past the viewport's
# sides that no box scrolling sideways holds.
TOO_WIDE = """
const width = document.documentElement.clientWidth;
const held = e => {
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
  }
  return false;
};
const past = r => r.right > width + 0.5 || r.left < -0.5;
const wide = [];
for (const e of document.body.querySelectorAll('*')) {
  const r = e.getBoundingClientRect();
  const margin = Math.max(0, parseFloat(getComputedStyle(e).marginRight) || 0);
  if ((r.width || r.height) && past({left: r.left, right: r.right + margin}) && !held(e)) {
    wide.push(`${e.tagName}.${e.getAttribute('class')} ${r.left}..${r.right}+${margin}`);
  }
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const range = document.createRange();
  range.selectNodeContents(n);
  if (Array.from(range.getClientRects()).some(past) && !held(n)) {
    wide.push(`text ${n.textContent.slice(0, 60)}`);
  }
}
return [document.documentElement.scrollWidth, width, wide];
"""

# Every SVG text that reaches out of its chart (and would be cut off).
OUTSIDE = """
const out = [];
for (const svg of document.querySelectorAll('figure svg')) {
  const box = svg.getBoundingClientRect();
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
        || r.bottom > box.bottom + 1) out.push(t.textContent);
  }
}
return out;
"""

# The timeline's markers: the event each stands for and its box.
MARKERS = """
return Array.from(document.querySelectorAll('#timeline svg g.event')).map(g => {
  const r = g.querySelector('.mark').getBoundingClientRect();
  return [g.querySelector('title').textContent, r.left, r.top, r.right, r.bottom];
});
"""


def overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _load(browser: Driver, page: Path, width: int, mobile: bool | None = None) -> None:
    """Load `page` in a viewport `width` CSS pixels wide; a phone's (whose scroll bars take
    no room) below 600."""
    cdp(
        browser,
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=width < 600 if mobile is None else mobile,
    )
    for kind in ("browser", "performance"):  # start with empty logs: only this page counts
        browser("POST", "/se/log", {"type": kind})
    browser("POST", "/url", {"url": page.as_uri()})
    assert browser("GET", "/title").startswith("Kooperationsbericht – Stand")
    assert script(browser, "return window.innerWidth") == width


def _screenshot(browser: Driver, shot: Path, width: int) -> None:
    """The page from its top down to the timeline chart."""
    bottom = script(
        browser,
        "const f = document.querySelector('#timeline figure');"
        "return Math.ceil(f.getBoundingClientRect().bottom + window.scrollY + 16)",
    )
    clip = {"x": 0, "y": 0, "width": width, "height": bottom, "scale": 1}
    taken = cdp(
        browser, "Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True
    )
    shot.write_bytes(base64.b64decode(taken["data"]))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == width  # the PNG's width
    assert shot.stat().st_size > 10_000


def _render(
    browser: Driver, page: Path, shot: Path, width: int, charts: int = 5
) -> list[list[Any]]:
    """Load `page` at `width`, check it (it has `charts` charts), and return its timeline
    markers."""
    _load(browser, page, width)
    _screenshot(browser, shot, width)
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
    layout = script(
        browser,
        "return Array.from(document.querySelectorAll('figure svg'))"
        ".map(s => s.getBoundingClientRect().width)",
    )
    assert len(layout) == charts and all(w > 100 for w in layout)
    texts, small = script(browser, SMALL_TEXT)
    assert texts > 10 and small == [], small
    scroll_width, view_width, wide = script(browser, TOO_WIDE)
    assert wide == [] and scroll_width == view_width <= width, (scroll_width, view_width, wide)
    assert script(browser, OUTSIDE) == []
    markers: list[list[Any]] = script(browser, MARKERS)
    for i, a in enumerate(markers):
        for b in markers[i + 1 :]:
            assert not overlap(a[1:], b[1:]), (a, b)
    return markers


def _report(root: Path, page: Path) -> None:
    result = run_cli("report", "--root", str(root), "-f", "html", "-o", str(page), "--at", AT)
    assert result.exit_code == 0, result.output


def _events_shown(root: Path) -> int:
    result = run_cli("report", "--root", str(root), "-f", "json", "--at", AT, "-s", "timeline")
    return len(json.loads(result.stdout)["timeline"]["events"])


@pytest.mark.parametrize("width", WIDTHS)
def test_bundled_registry_renders_in_chromium(browser: Driver, tmp_path: Path, width: int) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    page = tmp_path / "report.html"
    _report(root, page)
    shot = tmp_path / f"report-{width}.png"
    markers = _render(browser, page, shot, width)
    assert len(markers) == _events_shown(root)
    # events of one day, or a month and a day in it, each visible beside the other
    for first, second in (
        ("20.11.2019: Treffen", "20.11.2019: Beteiligung beginnt"),
        ("September 2020: Unterzeichnung", "23.09.2020: Bekanntgabe"),
    ):
        boxes = {m[0]: m[1:] for m in markers if m[0] in (first, second)}
        assert len(boxes) == 2 and not overlap(boxes[first], boxes[second]), boxes
    if UPDATE_SCREENSHOTS:
        shutil.copyfile(shot, REPO / "docs" / shot.name)


@pytest.mark.parametrize("width", WIDTHS)
def test_generated_registry_renders_in_chromium(
    browser: Driver, tmp_path: Path, width: int
) -> None:
    root = generate(tmp_path / "gen", partners=400, agreements=40, solutions=30)
    page = tmp_path / "report.html"
    _report(root, page)
    markers = _render(browser, page, tmp_path / "generated.png", width)
    assert len(markers) == _events_shown(root)


def test_the_report_prints_on_a4_with_a_page_per_section(browser: Driver, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    page = tmp_path / "report.html"
    _report(root, page)
    _load(browser, page, 1280)
    printed = cdp(browser, "Page.printToPDF", preferCSSPageSize=True, printBackground=True)
    pdf = base64.b64decode(printed["data"])
    assert pdf.startswith(b"%PDF-")
    number = rb"\s*(-?[\d.]+)"
    boxes = [
        tuple(float(v) for v in box)
        for box in re.findall(rb"/MediaBox\s*\[" + number * 4 + rb"\s*\]", pdf)
    ]
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages >= 6 and len(boxes) >= pages, (pages, boxes)
    for left, bottom, right, top in boxes:
        assert abs(right - left - A4[0]) <= 1 and abs(top - bottom - A4[1]) <= 1, boxes


@pytest.mark.parametrize("registry", ["bundled", "generated"])
def test_printed_tables_and_charts_fit_the_width_of_a4(
    browser: Driver, tmp_path: Path, registry: str
) -> None:
    """Laid out for print at the width between the A4 margins (210 - 2 x 16 mm), nothing
    reaches past the page's sides (nothing scrolls on paper)."""
    if registry == "bundled":
        root = make_registry(tmp_path / "reg", with_real_registry=True)
    else:
        root = generate(tmp_path / "gen", partners=400, agreements=40, solutions=30)
    page = tmp_path / "report.html"
    _report(root, page)
    cdp(browser, "Emulation.setEmulatedMedia", media="print")
    _load(browser, page, A4_TEXT_WIDTH, mobile=True)
    scroll_width, view_width, wide = script(browser, TOO_WIDE)
    assert wide == [] and scroll_width == view_width == A4_TEXT_WIDTH, (scroll_width, wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_hostile_and_wide_names_stay_inside_charts_and_screen(
    browser: Driver, tmp_path: Path, width: int
) -> None:
    """Names of wide letters (W, M; CJK, emoji and full-width letters where the machine has
    fonts for them), a 5,000-character word and markup in titles: escaped, cut to the room of
    their label, and never wider than the screen outside a scroller."""
    root = make_registry(tmp_path / "reg", HOSTILE_FILES)
    page = tmp_path / "report.html"
    _report(root, page)
    markers = _render(browser, page, tmp_path / "hostile.png", width, charts=4)  # no solution
    assert len(markers) == _events_shown(root) == 4
    labels = script(
        browser, "return Array.from(document.querySelectorAll('svg text'), t => t.textContent)"
    )
    assert any(label.startswith("WMWMWM") and label.endswith("…") for label in labels)
    assert script(browser, "return document.querySelectorAll('script, img').length") == 0
