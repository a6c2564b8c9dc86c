"""Golden outputs of `coopctl report` in German (LANG=de_DE.UTF-8, and the default of a report
under LANG=C.UTF-8) and in English (LANG=C.UTF-8 --lang en): the terminal text at 80 and 120
columns (written to a file, and shown on a real terminal of that width), the Markdown, and the
visible text of the HTML page, on a small registry written here that uses every term the
glossary fixes for the report.

After a deliberate change of the report's text, rewrite the files with
`COOPCTL_UPDATE_GOLDEN=1 pytest tests/test_report_golden.py` and review the diff.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import html5lib
import pytest

from tests.helpers import coopctl_process, make_registry, run_cli

GOLDEN = Path(__file__).resolve().parent / "golden" / "report"
AT = "2026-12-01"
UPDATE = os.environ.get("COOPCTL_UPDATE_GOLDEN") == "1"
GERMAN = {"LANG": "de_DE.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
SVG = "{http://www.w3.org/2000/svg}"
VISIBLE = {"h1", "h2", "h3", "p", "li", "caption", "th", "td", "figcaption"}


def _partner(pid: str, name: str, kind: str, state: str, reviewed: str = "2026-06-01") -> str:
    return (
        f"kind: partner\nid: {pid}\nname: {name}\ntype: {kind}\nstate: {state}\n"
        f"last_reviewed: '{reviewed}'\nsources:\n  - url: https://example.org/{pid}\n"
    )


FILES = {
    "registry/partners/hildesheim.yaml": _partner(
        "hildesheim", "Stadt Hildesheim", "stadt", "DE-NI"
    ),
    "registry/partners/landkreis-peine.yaml": _partner(
        "landkreis-peine", "Landkreis Peine", "landkreis", "DE-NI"
    ),
    "registry/partners/mi-ni.yaml": _partner(
        "mi-ni", "Niedersächsisches Ministerium für Inneres und Sport", "landesbehoerde", "DE-NI"
    ),
    "registry/partners/kdo.yaml": _partner(
        "kdo", "Kommunale Datenverarbeitung Oldenburg", "anstalt", "DE-NI", "2024-01-15"
    ),
    "registry/partners/softfirma.yaml": _partner(
        "softfirma", "Softfirma GmbH", "kommunaler_it_dienstleister", "DE-BY"
    ),
    "registry/partners/wolfenbuettel.yaml": (
        "kind: partner\nid: wolfenbuettel\nname: Stadt Wolfenbüttel\ntype: stadt\nstate: DE-NI\n"
    ),
    "registry/agreements/loi-leine.yaml": (
        "kind: agreement\nid: loi-leine\ntitle: Absichtserklärung Digitales Leinebergland\n"
        "short_title: LoI Leinebergland\ninstrument: letter_of_intent\nlegal_form: none\n"
        "binding: false\n"
        "status: signed\nareas: [basisdienste, online_dienste]\nlast_reviewed: '2026-06-01'\n"
        "notes: The signing is known only to the month.\n"
        "sources:\n  - url: https://example.org/loi\n"
        "events:\n"
        "  - date: '2020-09'\n    type: signed\n    partners: [hildesheim, landkreis-peine]\n"
        "    place: Rathaus Hildesheim\n    note: The press release gives only the month.\n"
        "    sources:\n      - url: https://example.org/loi-signed\n"
        "  - date: '2020-10-02'\n    type: announced\n"
        "    sources:\n      - url: https://example.org/loi-announced\n"
        "  - date: '2021-03-15'\n    type: participant_joined\n    partners: [mi-ni]\n"
        "    sources:\n      - url: https://example.org/loi-mi\n"
        "  - date: '2021-04-23'\n    type: accession\n    partners: [wolfenbuettel]\n"
        "    sources:\n      - url: https://example.org/loi-wf\n"
    ),
    "registry/agreements/zv-it.yaml": (
        "kind: agreement\nid: zv-it\ntitle: Zweckvereinbarung IT-Betrieb\n"
        "instrument: zweckvereinbarung\nlegal_form: zweckvereinbarung\n"
        "binding: true\nstatus: terminated\n"
        "areas: [fachverfahren]\nlast_reviewed: '2026-06-01'\n"
        "sources:\n  - url: https://example.org/zv\n"
        "events:\n"
        "  - date: '2018-01-10'\n    type: signed\n    partners: [hildesheim, kdo]\n"
        "    sources:\n      - url: https://example.org/zv-signed\n"
        "  - date: '2019'\n    type: participant_joined\n    partners: [mi-ni]\n"
        "  - date: '2023-12-31'\n    type: participant_left\n    partners: [mi-ni]\n"
        "    sources:\n      - url: https://example.org/zv-left\n"
        "  - date: '2024-06-30'\n    type: termination\n    partners: [hildesheim, kdo]\n"
        "    sources:\n      - url: https://example.org/zv-end\n"
    ),
    "registry/solutions/gewerbe-online.yaml": (
        "kind: solution\nid: gewerbe-online\nname: Gewerbe online\ncategory: online_dienst\n"
        "provider: softfirma\nstatus: production\nlast_reviewed: '2026-06-01'\n"
        "ozg:\n  themenfeld: unternehmensfuehrung\n"
        "users:\n"
        "  - partner: hildesheim\n    status: production\n    from: '2021-09'\n"
        "  - partner: wolfenbuettel\n    status: pilot\n    from: '2025-02-01'\n"
        "  - partner: landkreis-peine\n    status: retired\n    from: '2019'\n"
        "    until: '2022-06-30'\n"
        "sources:\n  - url: https://example.org/gewerbe\n"
    ),
}


@pytest.fixture(scope="module")
def golden_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_registry(tmp_path_factory.mktemp("golden") / "reg", FILES)


def _report(root: Path, out: Path, env: dict[str, str], *args: str) -> str:
    result = run_cli("report", "--root", str(root), "--at", AT, "-o", str(out), *args, env=env)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    """The text a reader sees in the page's header and main part, one block per line (the
    footer, which names coopctl's version, is left out)."""
    document = html5lib.parse(page, namespaceHTMLElements=False)
    lines = [f"html lang={document.get('lang')}", f"title: {document.findtext('head/title')}"]
    body = document.find("body")
    assert body is not None
    for part in (body.find("header"), body.find("main")):
        assert part is not None
        for element in part.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            tag = tag.removeprefix(SVG)
            if tag in VISIBLE or tag in {"title", "desc"}:
                text = re.sub(r"\s+", " ", "".join(element.itertext())).strip()
                lines.append(f"{tag}: {text}")
    return "\n".join(lines) + "\n"


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; write it with COOPCTL_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


LANGUAGES = [
    pytest.param("de", GERMAN, (), id="de_DE.UTF-8"),
    pytest.param("de", ENGLISH, (), id="C.UTF-8-report-default"),
    pytest.param("en", ENGLISH, ("--lang", "en"), id="C.UTF-8-lang-en"),
]


def _terminal_golden(lang: str, width: int) -> str:
    return f"terminal.{lang}.txt" if width == 80 else f"terminal.{lang}.{width}.txt"


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(("lang", "env", "extra"), LANGUAGES)
def test_terminal(
    golden_registry: Path,
    tmp_path: Path,
    lang: str,
    env: dict[str, str],
    extra: tuple[str, ...],
    width: int,
) -> None:
    """A file gets 80 columns unless --width says otherwise."""
    widths = () if width == 80 else ("--width", str(width))
    text = _report(golden_registry, tmp_path / "report.txt", env, *extra, *widths)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "\x1b" not in text
    _compare(_terminal_golden(lang, width), text)


def _on_a_terminal(root: Path, columns: int, *args: str, **env: str) -> str:
    """coopctl's output on a pseudo-terminal `columns` wide (no $COLUMNS: rich asks the
    terminal), with its colours taken out and its line ends made `\n`."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    clean = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "NO_COLOR"}}
    process = subprocess.Popen(
        [sys.executable, "-m", "coopctl", *args],
        cwd=root,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**clean, "TERM": "xterm-256color", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux: EIO once the process has exited and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert "\x1b[" in text  # the terminal gets colour
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize(("columns", "width"), [(120, 120), (60, 80), (80, 80)])
def test_terminal_takes_the_terminals_width_and_at_least_80(
    golden_registry: Path, columns: int, width: int
) -> None:
    text = _on_a_terminal(
        golden_registry,
        columns,
        "report",
        "--root",
        str(golden_registry),
        "--at",
        AT,
        COOPCTL_LANG="",
        **GERMAN,
    )
    expected = (GOLDEN / _terminal_golden("de", width)).read_text(encoding="utf-8")
    assert text == expected


def test_terminal_in_a_pipe_is_80_columns_of_plain_text(golden_registry: Path) -> None:
    run = coopctl_process(
        golden_registry,
        "report",
        "--root",
        str(golden_registry),
        "--at",
        AT,
        COLUMNS="160",
        COOPCTL_LANG="",
        **GERMAN,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == (GOLDEN / "terminal.de.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "env", "extra"), LANGUAGES)
def test_markdown(
    golden_registry: Path, tmp_path: Path, lang: str, env: dict[str, str], extra: tuple[str, ...]
) -> None:
    _compare(
        f"markdown.{lang}.md",
        _report(golden_registry, tmp_path / "report.md", env, "-f", "markdown", *extra),
    )


@pytest.mark.parametrize(("lang", "env", "extra"), LANGUAGES)
def test_html_visible_text(
    golden_registry: Path, tmp_path: Path, lang: str, env: dict[str, str], extra: tuple[str, ...]
) -> None:
    page = _report(golden_registry, tmp_path / "report.html", env, "-f", "html", *extra)
    assert f'<html lang="{lang}">' in page
    _compare(f"html.{lang}.txt", visible_text(page))


def test_json_keeps_iso_dates_and_plain_numbers_in_both_languages(
    golden_registry: Path, tmp_path: Path
) -> None:
    german = _report(golden_registry, tmp_path / "de.json", GERMAN, "-f", "json")
    english = _report(golden_registry, tmp_path / "en.json", ENGLISH, "-f", "json", "--lang", "en")
    assert german == english
    document = json.loads(german)
    assert document["as_of"] == AT
    assert document["overview"]["agreements"][0]["signed"] == "2020-09"
    assert "Beendet" not in german and "21.11." not in german


def test_a_fresh_process_under_c_utf8_reports_in_german(golden_registry: Path) -> None:
    """Through the real entry point: the locale names no language, so the report is German;
    --lang en makes it English; other commands stay English."""
    clean = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "COOPCTL_LANG": ""}
    args = ("report", "--root", str(golden_registry), "--at", AT, "-s", "overview")
    german = coopctl_process(golden_registry, *args, **clean)
    assert german.returncode == 0, german.stderr
    assert german.stdout.startswith("Kooperationsbericht · Stand 01.12.2026 · 9 Dateien\n")
    english = coopctl_process(golden_registry, *args, "--lang", "en", **clean)
    assert english.stdout.startswith("Cooperation report · as of 2026-12-01 · 9 files\n")
    british = coopctl_process(golden_registry, *args, **{**clean, "LANG": "en_GB.UTF-8"})
    assert british.stdout.startswith("Cooperation report · as of 2026-12-01 · 9 files\n")
    helped = coopctl_process(golden_registry, "report", "--help", **clean)
    assert "Bericht über Kooperationen" in helped.stdout
