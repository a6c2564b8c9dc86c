"""The HTML report's page without a browser (tests/test_report_browser.py renders it): dates
for people inside `<time>`, fields of the quality tables in words in every format, hostile
registry text inside dates, labels and charts, and the timeline's stacked markers read from the
SVG's own coordinates.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree.ElementTree import Element

import html5lib
import pytest

from coopctl.i18n import speaking
from coopctl.report.field_words import field_words
from tests.helpers import make_registry
from tests.test_report_golden import ENGLISH
from tests.test_report_golden import _report as golden_report

SVG = "{http://www.w3.org/2000/svg}"
# wide characters (a label is cut by an estimate of its width) and a title far longer than
# any label's room
WIDE_NAME = "WMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWMWM Ｗｉｄｅ 日本語 🙂🙂🙂 " + "Mammutwort" * 500
HOSTILE_TITLE = '2020-09-23</time><script>alert(1)</script> 31.02.2020 "März 2020" & September 2020'


def _partner(pid: str, name: str) -> str:
    return (
        f"kind: partner\nid: {pid}\nname: {json.dumps(name)}\ntype: stadt\nstate: DE-NI\n"
        f"sources:\n  - url: https://example.org/{pid}\n"
    )


FILES = {
    "registry/partners/hildesheim.yaml": _partner("hildesheim", "Stadt Hildesheim"),
    "registry/partners/peine.yaml": _partner("peine", "<img src=x onerror=alert(1)> Peine"),
    "registry/partners/weit.yaml": _partner("weit", WIDE_NAME),
    "registry/agreements/loi.yaml": (
        f"kind: agreement\nid: loi\ntitle: {json.dumps(HOSTILE_TITLE)}\n"
        "short_title: '<b>LoI</b> 2020-09-23'\ninstrument: letter_of_intent\n"
        "legal_form: none\nbinding: false\nstatus: signed\nareas: [basisdienste]\n"
        "sources:\n  - url: https://example.org/loi\n"
        f"notes: {json.dumps(HOSTILE_TITLE)}\n"
        "events:\n"
        "  - date: '2019-11-20'\n    type: meeting\n"
        "    sources:\n      - url: https://example.org/m\n"
        "  - date: '2019-11-20'\n    type: participant_joined\n    partners: [peine]\n"
        "    sources:\n      - url: https://example.org/p\n"
        "  - date: '2020-09'\n    type: signed\n    partners: [hildesheim, weit]\n"
        "  - date: '2020-09-23'\n    type: announced\n"
        "    sources:\n      - url: https://example.org/a\n"
    ),
}


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_registry(tmp_path_factory.mktemp("html") / "reg", FILES)


def _report(root: Path, out: Path, *args: str) -> str:
    return golden_report(root, out, ENGLISH, *args)


def _parse(page: str) -> Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document: Element = parser.parse(page)
    return document


@pytest.mark.parametrize(
    ("lang", "pointer", "kind", "words"),
    [
        ("de", "/events/0/date", "agreement", "Ereignis 1: Datum"),
        ("en", "/events/0/date", "agreement", "Event 1: Date"),
        ("de", "/events/11", "agreement", "Ereignis 12"),
        ("en", "/events/11", "agreement", "Event 12"),
        ("de", "/users/2/from", "solution", "Nutzer 3: Von"),
        ("en", "/contacts/0/until", "partner", "Contact 1: Until"),
        ("de", "/last_reviewed", "partner", "Zuletzt geprüft"),
        ("de", "/areas/1", "agreement", "Handlungsfelder 2"),  # items without a title
        ("de", "/events/0/x~1y", "agreement", "Ereignis 1: x/y"),  # a key the schema lacks
    ],
)
def test_a_field_is_named_in_words(lang: str, pointer: str, kind: str, words: str) -> None:
    with speaking(lang):
        assert field_words(kind, pointer) == words


@pytest.mark.parametrize(
    ("args", "vague", "unsourced"),
    [
        ((), "Ereignis 3: Datum", "Ereignis 3"),
        (("--lang", "en"), "Event 3: Date", "Event 3"),
    ],
)
@pytest.mark.parametrize("fmt", ["markdown", "html", "terminal"])
def test_the_quality_tables_name_fields_in_words(
    registry: Path, tmp_path: Path, fmt: str, args: tuple[str, ...], vague: str, unsourced: str
) -> None:
    text = _report(registry, tmp_path / "report", "-f", fmt, "-s", "quality", *args)
    if fmt == "html":
        cells = ["".join(td.itertext()) for td in _parse(text).iter("td") if td.text is not None]
        assert vague in cells and unsourced in cells
    elif fmt == "markdown":
        assert f"| {vague} |" in text and f"| {unsourced} |" in text
    else:  # the terminal wraps cells of its narrow columns onto more lines
        assert unsourced in text and vague.partition(":")[0] in text
    assert "/events/" not in text
    document = json.loads(_report(registry, tmp_path / "r.json", "-f", "json", "-s", "quality"))
    assert document["quality"]["vague_dates"][0]["pointer"] == "/events/2/date"


def test_dates_are_for_people_and_never_break(registry: Path, tmp_path: Path) -> None:
    german = _report(registry, tmp_path / "de.html", "-f", "html")
    assert '<p class="meta">Stand <time datetime="2026-12-01">01.12.2026</time> ·' in german
    assert '<th scope="row"><time datetime="2019-11-20">20.11.2019</time></th>' in german
    assert '<th scope="row"><time datetime="2020-09">September 2020</time></th>' in german
    assert "time { white-space: nowrap; }" in german
    assert "@page { size: A4; margin:" in german
    english = _report(registry, tmp_path / "en.html", "-f", "html", "--lang", "en")
    assert '<p class="meta">as of <time datetime="2026-12-01">2026-12-01</time> ·' in english
    assert '<th scope="row"><time datetime="2019-11-20">2019-11-20</time></th>' in english
    # every <time> holds a date and says it in ISO
    for page in (german, english):
        for element in _parse(page).iter("time"):
            assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", element.get("datetime", ""))
            assert list(element) == []


def test_hostile_text_stays_text_in_dates_labels_and_charts(registry: Path, tmp_path: Path) -> None:
    page = _report(registry, tmp_path / "report.html", "-f", "html")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    document = _parse(page)
    assert document.findall(".//script") == [] and document.findall(".//img") == []
    cells = ["".join(e.itertext()) for e in document.iter("th")]
    assert "<b>LoI</b> 2020-09-23" in cells  # the agreement's short title, as text
    svg_titles = ["".join(t.itertext()) for t in document.iter(f"{SVG}title")]
    assert HOSTILE_TITLE in svg_titles  # the full title, in the charts' tooltips
    notes = ["".join(e.itertext()) for e in document.iter("li")]
    assert any(HOSTILE_TITLE in note for note in notes)  # the same text as the agreement's notes
    # the dates in the title are marked as dates, the impossible day is left as text
    times = [e.text for e in document.iter("time")]
    assert {"2020-09-23", "März 2020", "September 2020"} <= set(times)
    assert "31.02.2020" not in times
    charts = document.findall(f".//{SVG}svg")
    labels = ["".join(t.itertext()) for chart in charts for t in chart.iter(f"{SVG}text")]
    assert any(label.startswith("<b>LoI</b>") for label in labels)
    peine = "<img src=x onerror=alert(1)> Peine"
    assert any(peine.startswith(label.rstrip("…")) for label in labels)


def _timeline_marks(page: str) -> dict[str, tuple[float, float, float, float]]:
    """The box (left, top, right, bottom) of each marker of the timeline chart, by the title
    of its event, from the SVG's coordinates."""
    chart = next(
        s
        for s in _parse(page).iter(f"{SVG}svg")
        if s.get("aria-labelledby", "").startswith("timeline")
    )
    marks = {}
    for group in chart.iter(f"{SVG}g"):
        if group.get("class") != "event":
            continue
        mark = next(e for e in group if e.get("class") == "mark")
        if mark.tag == f"{SVG}circle":
            x, y, r = (float(mark.get(a, 0)) for a in ("cx", "cy", "r"))
            box = (x - r, y - r, x + r, y + r)
        elif mark.tag == f"{SVG}rect":
            x, y, w, h = (float(mark.get(a, 0)) for a in ("x", "y", "width", "height"))
            box = (x, y, x + w, y + h)
        else:
            points = [tuple(map(float, p.split(","))) for p in mark.get("points", "").split()]
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = (min(xs), min(ys), max(xs), max(ys))
        marks[group.findtext(f"{SVG}title") or ""] = box
    return marks


def test_timeline_markers_of_one_day_are_stacked(registry: Path, tmp_path: Path) -> None:
    marks = _timeline_marks(_report(registry, tmp_path / "report.html", "-f", "html"))
    assert set(marks) == {
        "20.11.2019: Treffen",
        "20.11.2019: Beteiligung beginnt",
        "September 2020: Unterzeichnung",
        "23.09.2020: Bekanntgabe",
    }
    boxes = list(marks.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)
    meeting, joined = marks["20.11.2019: Treffen"], marks["20.11.2019: Beteiligung beginnt"]
    assert meeting[0] + meeting[2] == joined[0] + joined[2]  # the same day: one above the other
