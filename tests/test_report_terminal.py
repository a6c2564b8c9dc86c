"""The terminal report's layout, through the real CLI, on a registry of long German compound
names: no line is wider than the report, no word of the registry is split across lines, every
bar stays on one line with its number, agreements are named by their short titles, and the
registry's text stays inert (rich markup and terminal escapes are shown, not obeyed).

The golden outputs at 80 and 120 columns are in tests/test_report_golden.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import coopctl_process, make_registry, run_cli

AT = "2026-12-01"
ENGLISH = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "COOPCTL_LANG": ""}
LONG_ID = "amt" + "x" * 61  # 64 characters, no hyphen: its file's path is wider than 80 columns
LONG_TITLE = (
    "Zweckvereinbarung über die gemeinsame Digitalisierungsagentur der Landkreise "
    "Mecklenburgische Seenplatte und Vorpommern-Greifswald"
)
PLACE = (
    "Kreisverwaltungsgebäude Neubrandenburg (DE-MV), IT-Koordinierungsstelle, Sitzung 2022-03-16"
)
LONG_LABEL = "Zweckvereinbarung über die gemeinsame… (zv-digitalagentur)"


def _partner(pid: str, name: str, kind: str = "landkreis", sources: bool = True) -> str:
    text = f'kind: partner\nid: {pid}\nname: "{name}"\ntype: {kind}\nstate: DE-MV\n'
    return text + (f"sources:\n  - url: https://example.org/{pid}\n" if sources else "")


PARTNERS = {
    "lk-mse": "Landkreis Mecklenburgische Seenplatte",
    "lk-vg": "Landkreis Vorpommern-Greifswald",
    "lk-lup": "Landkreis Ludwigslust-Parchim",
    "hgw": "Universitäts- und Hansestadt Greifswald",
    "markup": "[bold]x[/] Verwaltungsgemeinschaft Überraschungsbeispiel",
    "escape": "Gemeinde \\e[31mFarbenprächtigkeitshausen",
}
FILES = {
    **{
        f"registry/partners/{pid}.yaml": _partner(
            pid, name, "stadt" if pid == "hgw" else "landkreis"
        )
        for pid, name in PARTNERS.items()
    },
    f"registry/partners/{LONG_ID}.yaml": _partner(
        LONG_ID, "Amt Unbelegtheitsnachweis", "amt", False
    ),
    "registry/agreements/zv-digitalagentur.yaml": (
        f"kind: agreement\nid: zv-digitalagentur\ntitle: {LONG_TITLE}\n"
        "instrument: zweckvereinbarung\nlegal_form: zweckvereinbarung\nbinding: true\n"
        "status: signed\nareas: [basisdienste, online_dienste, fachverfahren]\n"
        "sources:\n  - url: https://example.org/zv\n"
        "events:\n"
        "  - date: '2022-03'\n    type: signed\n    partners: [lk-mse, lk-vg, hgw, markup]\n"
        f"    place: {PLACE}\n"
        "  - date: '2023-05-04'\n    type: accession\n    partners: [lk-lup, escape]\n"
    ),
    "registry/agreements/ag-breitband.yaml": (
        "kind: agreement\nid: ag-breitband\n"
        "title: Arbeitsgemeinschaft Breitbandausbauförderungskoordinierung Westmecklenburg\n"
        "short_title: Breitbandausbauförderungskoordinierung\n"
        "instrument: kooperationsvereinbarung\nlegal_form: arbeitsgemeinschaft\nbinding: false\n"
        "status: active\nareas: [basisdienste]\nsources:\n  - url: https://example.org/ag\n"
        "events:\n"
        "  - date: '2021-11'\n    type: signed\n    partners: [lk-lup, lk-mse]\n"
    ),
    "registry/solutions/bsk.yaml": (
        "kind: solution\nid: bsk\nname: Bürgerservicekontoverwaltungsplattform\n"
        "category: plattform\nstatus: production\nagreements: [zv-digitalagentur]\n"
        "users:\n"
        "  - partner: lk-mse\n    status: production\n    from: '2023-01'\n"
        "  - partner: lk-vg\n    status: pilot\n    from: '2024-09-01'\n"
        "  - partner: hgw\n    status: planned\n"
        "sources:\n  - url: https://example.org/bsk\n"
    ),
}
# The registry's words (names, titles, places) long enough not to be a word of the report's own.
WORDS = sorted(
    {
        word
        for text in (*PARTNERS.values(), LONG_LABEL, "Breitbandausbauförderungskoordinierung")
        for word in re.findall(r"[^\W\d_]+", text)
        if len(word) >= 8
    }
    | {"Kreisverwaltungsgebäude", "Neubrandenburg", "Bürgerservicekontoverwaltungsplattform"}
)
BAR_LINE = re.compile(r"█+ \d[\d.,]*(?: |$)")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_registry(tmp_path_factory.mktemp("compounds") / "reg", FILES)


def _report(root: Path, *args: str) -> str:
    result = run_cli("report", "--root", str(root), "--at", AT, *args, env=ENGLISH)
    assert result.exit_code == 0, result.output
    return result.stdout


def _count(word: str, text: str) -> int:
    return len(re.findall(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text))


@pytest.mark.parametrize("width", [80, 120, 40])
def test_lines_fit_words_stay_whole_and_bars_stay_on_one_line(registry: Path, width: int) -> None:
    """At 40 columns a 38-letter word with a comma or a bullet does not fit: there it is cut,
    as the last resort, and only the solution's name (which stands alone) is checked whole."""
    text = _report(registry, "--width", str(width))
    # The same report with room for every table's natural widths: nothing in it wraps.
    wide = _report(registry, "--width", "1000")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width
    for word in WORDS:
        assert _count(word, wide) > 0, word
        if width >= 80 or word == "Bürgerservicekontoverwaltungsplattform":
            # (a record's value too wide to stand beside its header goes below it, whole)
            assert _count(word, text) == _count(word, wide), f"{word} split at {width} columns"
    # No break inside a date, a Land code or a compound whose first part is short.
    assert not [line for line in lines if re.search(r"(\d-|\bDE-|\bIT-)$", line)]
    bars = [line for line in lines if "█" in line]
    assert bars
    assert all(BAR_LINE.search(line) for line in bars), bars
    assert len(bars) == len([line for line in wide.splitlines() if "█" in line])


def test_a_piece_wider_than_the_report_is_cut_as_the_last_resort(registry: Path) -> None:
    """A file's path has no space to break at: the only text the report cuts, after a `/`
    where one fits."""
    path = f"registry/partners/{LONG_ID}.yaml"
    assert len(path) > 80
    text = _report(registry)
    assert path not in text
    assert path in "".join(line.strip() for line in text.splitlines())
    assert f"  registry/partners/\n    {LONG_ID}.yaml" in text  # cut after a slash
    assert max(len(line) for line in text.splitlines()) <= 80


def test_agreements_are_named_by_their_short_titles(registry: Path) -> None:
    text = _report(registry, "--width", "120")
    assert LONG_TITLE not in " ".join(text.split())
    assert _count("Breitbandausbauförderungskoordinierung", text) > 1
    assert "Westmecklenburg" not in text
    assert text.count(LONG_LABEL) > 3  # overview, events, members, areas, adoption
    # The data-quality tables name an entry with its id once, even where the label has it.
    assert f"{LONG_LABEL} (zv-digitalagentur)" not in text
    assert "Breitbandausbauförderungskoordinierung (ag-breitband)" in text


def test_registry_text_is_shown_not_obeyed(registry: Path) -> None:
    """Through the real entry point into a pipe: plain text, no escape sequence at all; the
    registry's markup is printed as it is written and its ESC as `\\x1b`."""
    run = coopctl_process(registry, "report", "--at", AT, "--root", str(registry), **ENGLISH)
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout
    assert "[bold]x[/] Verwaltungsgemeinschaft" in run.stdout
    assert "\\x1b[31mFarbenprächtigkeitshausen" in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= 80


def test_a_width_below_40_is_a_usage_error(registry: Path) -> None:
    result = run_cli("report", "--root", str(registry), "--width", "39", env=ENGLISH)
    assert result.exit_code == 2
    assert "--width" in result.output
