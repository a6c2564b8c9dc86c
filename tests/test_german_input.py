"""German input wherever an editor types: dates (23.04.2022, 04.2022, 2022), ja/nein at yes/no
questions, Länder by name, choices by their label; what is written stays canonical (ISO dates,
codes). Interactive sessions run in a real terminal (pexpect); their transcripts are golden
files under tests/golden/ (COOPCTL_UPDATE_GOLDEN=1 writes them anew)."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.helpers import interrupt_when_reading, make_registry, run_cli

pexpect = pytest.importorskip("pexpect")

GOLDEN = Path(__file__).parent / "golden"
AGREEMENT = "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"
NEW_PARTNER = "registry/partners/musterverband-niedersachsen.yaml"
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _spawn(root: Path, lang: str, *args: str) -> Any:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "LANG": lang}
    env.pop("LANGUAGE", None)  # an in-process run before may have set it (i18n.set_language)
    env["XDG_STATE_HOME"] = str(root.parent / "state")
    child = pexpect.spawn(
        sys.executable, ["-m", "coopctl", "add", *args], cwd=str(root), encoding="utf-8",
        timeout=30, env=env,
    )  # fmt: skip
    child.logfile_read = io.StringIO()
    return child


def _session(child: Any, steps: list[tuple[str, str | None]]) -> str:
    """Answer each question `steps` expects (None: only expect the text); the transcript, as
    the editor saw it."""
    for question, answer in steps:
        child.expect(question)
        if answer is not None:
            child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.logfile_read.getvalue()
    text = child.logfile_read.getvalue().replace("\r\n", "\n")
    return _ESCAPES.sub("", text)


def _compare_golden(name: str, transcript: str) -> None:
    path = GOLDEN / name
    if os.environ.get("COOPCTL_UPDATE_GOLDEN"):
        path.write_text(transcript, encoding="utf-8")
    assert transcript == path.read_text(encoding="utf-8")


# One new partner, asked for field by field: in German with German input, in English with the
# codes and ISO dates. (question German, answer German, question English, answer English)
PARTNER_STEPS = [
    ("Name:", "Musterverband Niedersachsen", "Name:", "Musterverband Niedersachsen"),
    (r"ID \(Dateiname\)", "", r"Id \(file name\)", ""),
    ("Art:", "Kommunaler Spitzenverband", "Type:", "kommunaler_spitzenverband"),
    (r"Quellen hinzufügen\? \[J/n\]", "ja", r"Add sources\? \[Y/n\]", "y"),
    ("URL:", "https://www.example.org/musterverband", "URL:", "https://www.example.org/musterverband"),
    (r"Titel \(", "", r"Title \(", ""),
    (r"Herausgeber \(", "", r"Publisher \(", ""),
    (r"Veröffentlicht \(TT.MM.JJJJ", "31.02.2022", r"Published \(YYYY", "2022-02-31"),
    (r"Veröffentlicht \(TT.MM.JJJJ", "23.04.2022", r"Published \(YYYY", "2022-04-23"),
    (r"Abgerufen \(", "04.2022", r"Accessed \(", "2022-04"),
    (r"Weiteres Element zu Quellen hinzufügen\? \[j/N\]", "nein",
     r"Add another to sources\? \[y/N\]", "no"),
    (r"Optionale Felder hinzufügen\? \[j/N\]", "j", r"Add optional fields\? \[y/N\]", "j"),
    (r"Kurzname \(", "", r"Short name \(", ""),
    (r"Textkennzeichen \(", "", r"Textkennzeichen \(", ""),
    (r"Sonderstatus \(", "", r"Special status \(", ""),
    (r"Rechtsform der Organisation \(", "Eingetragener Verein",
     r"Legal form of the organisation \(", "eingetragener_verein"),
    (r"Land \(", "Niedersachsen", r"Land \(", "DE-NI"),
    (r"Länder hinzufügen\? \[j/N\]", "", r"Add länder\? \[y/N\]", ""),
    (r"AGS \(", "", r"AGS \(", ""),
    (r"ARS \(", "", r"ARS \(", ""),
    (r"Übergeordnet \(", "mi-niedersachsen", r"Parent \(", "mi-niedersachsen"),
    (r"Träger hinzufügen\? \[j/N\]", "n", r"Add owners\? \[y/N\]", "n"),
    (r"Aufgelöst \(", "", r"Dissolved \(", ""),
    (r"Rechtsnachfolger \(", "", r"Successor \(", ""),
    (r"Website \(", "", r"Website \(", ""),
    (r"Ansprechpersonen hinzufügen\? \[j/N\]", "n", r"Add contacts\? \[y/N\]", "n"),
    (r"Zuletzt geprüft \(", "2026", r"Last reviewed \(", "2026"),
    (r"Anmerkungen \(", "", r"Notes \(", ""),
    (r"schreiben\? \[J/n\]", "j", r"Write .*\? \[Y/n\]", "yes"),
]  # fmt: skip


def test_an_add_session_in_german_writes_the_same_file_as_one_in_english(tmp_path: Path) -> None:
    written = {}
    for lang, locale, column in (("de", "de_DE.UTF-8", 0), ("en", "C.UTF-8", 2)):
        root = make_registry(tmp_path / lang, with_real_registry=True)
        steps = [(step[column], step[column + 1]) for step in PARTNER_STEPS]
        transcript = _session(_spawn(root, locale, "partner"), steps)
        _compare_golden(f"add-partner.{lang}.txt", transcript)
        written[lang] = (root / NEW_PARTNER).read_bytes()
    assert written["de"] == written["en"]
    data = YAML(typ="safe").load(written["de"])
    assert data["type"] == "kommunaler_spitzenverband"
    assert data["state"] == "DE-NI"
    assert data["legal_form"] == "eingetragener_verein"
    assert data["sources"] == [
        {"url": "https://www.example.org/musterverband", "published": "2022-04-23",
         "accessed": "2022-04"}
    ]  # fmt: skip
    assert b"last_reviewed: '2026'" in written["de"]


def test_german_answers_at_every_kind_of_question_of_an_event(registry_root: Path) -> None:
    """Date (a German day without leading zeros), choice by German label, yes/no with ja,
    a reference, and the refusals in German."""
    child = _spawn(registry_root, "de_DE.UTF-8", "event", "braunschweig-salzgitter-wolfsburg")
    transcript = _session(child, [
        (r"Datum \(TT.MM.JJJJ", "1.6.2021"),
        (r"\d+\) accession +Beitritt", None),  # the choices with their German labels
        ("Art:", "Beitrit"),
        ("„Beitrit“ ist keiner der Werte .* \\(meinten Sie Beitritt\\?\\)", "beitritt"),
        (r"Partner hinzufügen\? \[J/n\]", "ja"),
        ("Partner:", "landkreis-gifhorm"),
        ("meinten Sie landkreis-gifhorn", "landkreis-gifhorn"),
        (r"Weiteres Element zu Partner hinzufügen\? \[j/N\]", "vielleicht"),
        (r"antworten Sie mit j \(ja\) oder n \(nein\)", "nein"),
        (r"Quellen hinzufügen\? \[J/n\]", "n"),
        (r"Optionale Felder hinzufügen\? \[j/N\]", "N"),
        (r"schreiben\? \[J/n\]", ""),
    ])  # fmt: skip
    assert "Datum (TT.MM.JJJJ, MM.JJJJ oder JJJJ): 1.6.2021\n" in transcript
    events = YAML(typ="safe").load((registry_root / AGREEMENT).read_text(encoding="utf-8"))
    assert {"date": "2021-06-01", "type": "accession", "partners": ["landkreis-gifhorn"]} in events[
        "events"
    ]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("23.04.2022", "2022-04-23"),
        ("1.4.2022", "2022-04-01"),
        ("04.2022", "2022-04"),
        ("2022", "2022"),
        ("2022-04-23", "2022-04-23"),
    ],
)
def test_set_reads_german_dates_and_writes_iso(
    registry_root: Path, typed: str, written: str
) -> None:
    result = run_cli("--lang", "de", "set", "braunschweig-salzgitter-wolfsburg",
                     f"events/0/date={typed}", "--force", "--root", str(registry_root))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (registry_root / AGREEMENT).read_text(encoding="utf-8")
    assert f"  - date: '{written}'\n" in text


def test_a_day_the_calendar_lacks_is_refused_in_either_language(registry_root: Path) -> None:
    before = (registry_root / AGREEMENT).read_bytes()
    german = run_cli("--lang", "de", "set", "braunschweig-salzgitter-wolfsburg",
                     "events.0.date=31.02.2022", "--root", str(registry_root))  # fmt: skip
    assert german.exit_code == 2
    assert "„31.02.2022“ ist kein Datum: der Februar 2022 hat 28 Tage" in german.output
    english = run_cli("--lang", "en", "set", "braunschweig-salzgitter-wolfsburg",
                      "events[0].date=2022-02-31", "--root", str(registry_root))  # fmt: skip
    assert english.exit_code == 2
    assert "'2022-02-31' is not a date: February 2022 has 28 days" in english.output
    month = run_cli("--lang", "de", "set", "braunschweig-salzgitter-wolfsburg",
                    "events.0.date=13.2022", "--root", str(registry_root))  # fmt: skip
    assert "einen Monat 13 gibt es nicht" in month.output
    assert (registry_root / AGREEMENT).read_bytes() == before


@pytest.mark.parametrize("typed", ["Bayern", "bayern", "DE-BY", "BY", "by"])
def test_a_land_is_given_by_its_name_or_code(registry_root: Path, typed: str) -> None:
    root = make_registry(registry_root.parent / "own")
    result = run_cli("add", "partner", "--set", "name=Musterverband", "--set",
                     "type=kommunaler_spitzenverband", "--set", f"state={typed}",
                     "--no-interactive", "--allow-similar", "--root", str(root))  # fmt: skip
    assert result.exit_code in {0, 1}, result.output  # a partner without sources may warn
    written = (root / "registry/partners/musterverband.yaml").read_text(encoding="utf-8")
    assert "state: DE-BY\n" in written


@pytest.mark.parametrize(
    ("field", "typed", "code"),
    [
        ("instrument", "Absichtserklärung", "letter_of_intent"),
        ("instrument", "letter of intent", "letter_of_intent"),
        ("instrument", "2", "memorandum_of_understanding"),
        ("status", "unterzeichnet", "signed"),
        ("binding", "ja", "true"),
        ("binding", "nein", "false"),
    ],
)
def test_choices_by_label_or_number_are_written_as_codes(
    registry_root: Path, field: str, typed: str, code: str
) -> None:
    result = run_cli("--lang", "de", "set", "braunschweig-salzgitter-wolfsburg",
                     f"{field}={typed}", "--force", "--root", str(registry_root))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (registry_root / AGREEMENT).read_text(encoding="utf-8")
    assert f"\n{field}: {code}\n" in text


def test_a_wrong_land_suggests_the_name(registry_root: Path) -> None:
    result = run_cli("--lang", "de", "set", "landkreis-gifhorn", "state=Niedersachen",
                     "--root", str(registry_root))  # fmt: skip
    assert result.exit_code == 2
    assert "(meinten Sie Niedersachsen?)" in result.output


def test_add_event_takes_the_type_by_its_german_label(registry_root: Path) -> None:
    result = run_cli("--lang", "de", "add", "event", "braunschweig-salzgitter-wolfsburg",
                     "--set", "date=12.05.2022", "--set", "type=Beitritt",
                     "--set", "partners+=landkreis-gifhorn", "--set",
                     "sources+={url: https://www.example.org/gifhorn}", "--no-interactive",
                     "--root", str(registry_root))  # fmt: skip
    assert result.exit_code == 0, result.output
    events = YAML(typ="safe").load((registry_root / AGREEMENT).read_text(encoding="utf-8"))
    added = [e for e in events["events"] if e["date"] == "2022-05-12"]
    assert [e["type"] for e in added] == ["accession"]


def test_show_at_takes_a_german_date(registry_root: Path) -> None:
    german = run_cli("show", "braunschweig-salzgitter-wolfsburg", "--at", "01.06.2021",
                     "--root", str(registry_root))  # fmt: skip
    iso = run_cli("show", "braunschweig-salzgitter-wolfsburg", "--at", "2021-06-01",
                  "--root", str(registry_root))  # fmt: skip
    assert german.exit_code == iso.exit_code == 0
    assert german.output == iso.output


def test_the_session_in_the_german_guide_is_the_golden_one() -> None:
    """docs/de/bearbeiten.md shows lines of the golden German session, in its order."""
    guide = (Path(__file__).parents[1] / "docs/de/bearbeiten.md").read_text(encoding="utf-8")
    shown = guide.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    golden = [
        line.rstrip() for line in (GOLDEN / "add-partner.de.txt").read_text("utf-8").splitlines()
    ]
    position = 0
    for line in shown:
        if line == "…":
            continue
        assert line in golden[position:], line
        position = golden.index(line, position) + 1


def test_ctrl_c_offers_the_draft_in_german_and_nein_keeps_none(registry_root: Path) -> None:
    child = _spawn(registry_root, "de_DE.UTF-8", "partner")
    child.expect("Name:")
    child.sendline("Stadt Abbruch")
    child.expect(r"ID \(Dateiname\) \[stadt-abbruch\]: ")
    interrupt_when_reading(child)
    child.expect(r"Einen Entwurf Ihrer Antworten sichern\? \[J/n\]: ")
    child.sendline("nein")
    child.expect("abgebrochen; nichts wurde geschrieben")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (registry_root.parent / "state" / "coopctl" / "drafts").exists()
    assert not (registry_root / "registry/partners/stadt-abbruch.yaml").exists()


def test_the_options_of_add_set_and_edit_are_explained_in_german(registry_root: Path) -> None:
    from tests.helpers import coopctl_process

    expected = {
        "add": "Ohne Rückfrage schreiben.",
        "set": "Auch schreiben, wenn das geänderte Register Fehler hat.",
        "edit": "Einen git-Commit mit genau der geänderten Datei anlegen.",
    }
    for command, text in expected.items():
        result = coopctl_process(registry_root, command, "--help", LANG="de_DE.UTF-8",
                                 COLUMNS="200")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert text in " ".join(result.stdout.split()), result.stdout


def test_the_choice_after_errors_is_offered_in_german(registry_root: Path) -> None:
    """An accession before the signing: the menu after the checks speaks German, and
    stopping writes nothing."""
    before = (registry_root / AGREEMENT).read_bytes()
    child = _spawn(registry_root, "de_DE.UTF-8", "event", "braunschweig-salzgitter-wolfsburg")
    for question, answer in [
        (r"Datum \(TT.MM.JJJJ", "05.2019"),
        ("Art:", "Beitritt"),
        (r"Partner hinzufügen\? \[J/n\]", "j"),
        ("Partner:", "landkreis-gifhorn"),
        (r"Weiteres Element zu Partner hinzufügen\? \[j/N\]", ""),
        (r"Quellen hinzufügen\? \[J/n\]", "n"),
        (r"Optionale Felder hinzufügen\? \[j/N\]", ""),
        ("Der neue Stand hat Fehler. Wie weiter?", None),
        (r"\d\) trotzdem schreiben \(wie --force\)", None),
        (r"\d\) einen Entwurf sichern, um später weiterzumachen", None),
        (r"(\d)\) aufhören und nichts schreiben", None),
        (r"Auswahl \[\d\]: ", "9"),
        ("wählen Sie eine Zahl von 1 bis", None),
    ]:
        child.expect(question)
        if answer is not None:
            child.sendline(answer)
        elif "aufhören" in question:
            stop = child.match.group(1)
    child.expect(r"Auswahl \[\d\]: ")
    child.sendline(stop)
    child.expect("nichts wurde geschrieben")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert (registry_root / AGREEMENT).read_bytes() == before


def test_set_takes_a_status_by_its_german_label(registry_root: Path) -> None:
    """„beendet“ is the German label of `terminated`: `set` writes the code (and validation
    then asks for the termination event that status needs)."""
    target = registry_root / "registry/agreements/muenchen-augsburg-nuernberg.yaml"
    result = run_cli(
        "set",
        "muenchen-augsburg-nuernberg",
        "status=beendet",
        "--root",
        str(registry_root),
        "--force",
    )
    assert result.exit_code == 0, result.output
    assert "status: terminated\n" in target.read_text(encoding="utf-8")
