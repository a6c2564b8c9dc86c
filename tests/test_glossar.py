"""The German catalog against docs/glossar.md: no word the glossary forbids, and the terms it
demands wherever the English text names them.

The rules are read from the glossary's tables, so a term added there is checked here, over
every message of the catalog (every command's, not only the report's). The rules themselves
are tested on made-up messages, so that a checker that finds nothing cannot pass unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from tests.helpers import REPO

GLOSSARY = REPO / "docs" / "glossar.md"
GERMAN_CATALOG = REPO / "coopctl" / "locale" / "de" / "LC_MESSAGES" / "coopctl.po"
# German endings a forbidden word may carry and still be the same word
ENDINGS = "(?:e|en|er|ern|es|n|s|se|sen)?"
# code, placeholders and commands (coopctl report) are names, not words of the language
# Code, placeholders, commands, and words with a slash, bracket or underscore: paths, JSON
# pointers and YAML values (registry/partners, events[0], participant_joined).
_CODE = re.compile(r"`[^`]*`|\{[^{}]*\}|\bcoopctl [a-z]+|[^\s„“()]*[/\[_][^\s„“()]*")


@dataclass(frozen=True)
class Forbidden:
    word: str
    english: str  # the row's English term
    german: tuple[str, ...]  # the row's German terms, which may contain the word
    scoped: bool  # only where the English text names `english`
    unless: tuple[str, ...]  # allowed where the German text also has one of these

    def found_in(self, msgid: str, msgstr: str) -> bool:
        if self.scoped and not names(msgid, (self.english,)):
            return False
        text = _CODE.sub(" ", msgstr)
        if any(other.lower() in text.lower() for other in self.unless):
            return False
        for allowed in self.german:  # a longer term of the row that contains the word
            if self.word.lower() in allowed.lower() and self.word.lower() != allowed.lower():
                text = re.sub(rf"(?<![\w-]){re.escape(allowed)}(?!\w)", " ", text, flags=re.I)
        # a file name or path (report.html, registry/partners) is not the word
        pattern = rf"(?<![\w/.-]){re.escape(self.word)}{ENDINGS}(?!\w|[./]\w)"
        for found in re.finditer(pattern, text, re.IGNORECASE):
            # German nouns are capitalised: a lower-case "events" is a table or column name
            if self.word[0].isupper() and found.group(0)[0].islower():
                continue
            return True
        return False


@dataclass(frozen=True)
class Required:
    english: tuple[str, ...]
    german: tuple[str, ...]

    def missing_in(self, msgid: str, msgstr: str) -> bool:
        english = tuple(t for t in self.english if not _kept_as_code(t, msgstr))
        if not names(msgid, english):
            return False
        text = msgstr.lower()
        return not any(form.lower() in text for form in self.german)


def _kept_as_code(term: str, german: str) -> bool:
    """Whether the German text repeats the lower-case English word as it is: then it is a
    value of the registry (`production`), not a word to translate."""
    word = rf"(?<![\w-]){re.escape(term.lower())}s?(?!\w)"  # a column name: participants
    return re.search(word, german) is not None


def names(english_text: str, terms: tuple[str, ...]) -> bool:
    """Whether `english_text` names one of `terms` (at the start of a word, in any case),
    code and placeholders left aside."""
    text = _CODE.sub(" ", english_text)
    return any(re.search(rf"(?<![\w-]){re.escape(t)}", text, re.IGNORECASE) for t in terms)


def _tables(markdown: str) -> Iterator[tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Each table of `markdown` as its header and its rows (cells stripped)."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        if lines[index].startswith("|") and index + 1 < len(lines) and "---" in lines[index + 1]:
            header = _cells(lines[index])
            rows = []
            index += 2
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(_cells(lines[index]))
                index += 1
            yield header, rows
        index += 1


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def _entries(cell: str) -> list[str]:
    """The comma-separated entries of a cell; commas inside parentheses stay."""
    entries, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            entries.append(current.strip())
            current = ""
        else:
            current += char
    return [e for e in [*entries, current.strip()] if e]


def _plain_term(cell: str) -> str:
    return re.sub(r"\([^)]*\)|`", "", cell).strip()


def _quoted(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"„([^“]+)“", text))


def forbidden_rules(markdown: str) -> list[Forbidden]:
    rules = []
    for header, rows in _tables(markdown):
        if header[:3] != ("englisch", "deutsch", "nicht"):
            continue
        for english, german, forbidden, *_ in rows:
            allowed = tuple(_plain_term(g) for g in german.split(" / ") if _plain_term(g)) or (
                german,
            )
            for entry in _entries(forbidden):
                match = re.fullmatch(r"(?P<word>[^()]+?)\s*(?:\((?P<note>.*)\))?", entry)
                assert match, entry
                note = match.group("note") or ""
                word = match.group("word").strip().strip("„“")
                exception = note.startswith("außer")
                rules.append(
                    Forbidden(
                        word=word,
                        english=_plain_term(english),
                        german=allowed,
                        scoped=bool(note) and not exception,
                        unless=_quoted(note) if exception else (),
                    )
                )
    return rules


def required_rules(markdown: str) -> list[Required]:
    for header, rows in _tables(markdown):
        if header == ("englisch", "deutsch enthält"):
            return [
                Required(tuple(_entries(english)), tuple(_entries(german)))
                for english, german in rows
            ]
    raise AssertionError("docs/glossar.md has no table of required terms")


def pairs(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(English, German) for every translated form of every message."""
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            for index, text in enumerate(forms):
                if text:
                    yield (singular if index == 0 else plural), text
        elif message.string:
            yield message.id, str(message.string)


def violations(catalog: Catalog, markdown: str) -> list[str]:
    found = []
    forbidden, required = forbidden_rules(markdown), required_rules(markdown)
    for msgid, msgstr in pairs(catalog):
        for rule in forbidden:
            if rule.found_in(msgid, msgstr):
                found.append(f"{msgstr!r} uses „{rule.word}“ (for {msgid!r})")
        for need in required:
            if need.missing_in(msgid, msgstr):
                wanted = " or ".join(f"„{g}“" for g in need.german)
                found.append(f"{msgstr!r} lacks {wanted} (for {msgid!r})")
    return found


def _catalog(*messages: tuple[str | tuple[str, str], str | tuple[str, ...]]) -> Catalog:
    catalog = Catalog(locale="de")
    for msgid, msgstr in messages:
        catalog.add(msgid, msgstr)
    return catalog


# --- the real catalog ---------------------------------------------------------------------------


def test_the_german_catalog_follows_the_glossary() -> None:
    with GERMAN_CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="de")
    markdown = GLOSSARY.read_text(encoding="utf-8")
    assert sum(1 for _ in pairs(catalog)) > 100
    assert violations(catalog, markdown) == []


def test_the_glossary_fixes_the_terms_of_the_issue() -> None:
    markdown = GLOSSARY.read_text(encoding="utf-8")
    words = {rule.word for rule in forbidden_rules(markdown)}
    assert {
        "Rechtsform",
        "Vertragspartner",
        "Teilnahme beginnt",
        "Teilnahme endet",
        "Teilnehmer",
        "Ankündigung",
        "Kündigung",
        "Gekündigt",
        "Landesbehörde",
        "Kommunaler IT-Dienstleister",
        "Produktion",
        "Unternehmensführung",
        "Regierungsbezirk",
    } <= words
    required = {e for rule in required_rules(markdown) for e in rule.english}
    assert {"kind of agreement", "participant", "announcement", "state ministry"} <= required


# --- the rules, on made-up messages -------------------------------------------------------------

GLOSSARY_TEXT = GLOSSARY.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("Kind of agreement", "Rechtsform"),
        ("Terminated", "Gekündigt"),
        ("{count} terminations", "{count} Kündigungen"),
        ("Participant", "Teilnehmer"),
        ("Participation begins", "Teilnahme beginnt"),
        ("Announcement", "Ankündigung"),
        ("State ministry", "Landesbehörde"),
        ("IT service provider", "Kommunaler IT-Dienstleister"),
        ("In production", "Produktion"),
        ("Business management & development", "Unternehmensführung"),
        ("Party", "Vertragspartner"),
        ("the region digit {digit}", "die Ziffer {digit} des Regierungsbezirks"),
        ("entity {id}", "Objekt {id}"),
        ("the registry", "die Registry"),
        ("report file", "Report-Datei"),
    ],
)
def test_a_wrong_term_is_found(msgid: str, msgstr: str) -> None:
    assert violations(_catalog((msgid, msgstr)), GLOSSARY_TEXT), (msgid, msgstr)


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("State ministry / supreme state authority", "Landesministerium / oberste Landesbehörde"),
        ("Business management & development", "Unternehmensführung & -entwicklung"),
        (
            "the region digit {digit}",
            "die Ziffer {digit}: Ziffer des Regierungsbezirks bzw. der Statistischen Region",
        ),
        ("must be an object", "muss ein JSON-Objekt sein"),
        ("the object {name}", "das Objekt {name}"),  # "Objekt" is wrong only for an entity
        ("Bayern has no Regierungsbezirk 8", "Bayern hat keinen Regierungsbezirk 8"),
        ("Schema version {version}", "Schemaversion {version}"),
        ("the folder `registry/`", "der Ordner `registry/`"),
        ("to report.html", "nach report.html"),
        ("see coopctl report", "siehe coopctl report"),
        ("{Kuendigung}", "{Kuendigung}"),
        ("Joint public-law institution", "Gemeinsame Anstalt des öffentlichen Rechts"),
        ("{count} participants", "{count} Beteiligte"),
        ("Administrative agreement", "Verwaltungsabkommen"),
        ("status: planned, pilot, production", "Status: planned, pilot, production"),
    ],
)
def test_a_right_term_passes(msgid: str, msgstr: str) -> None:
    assert violations(_catalog((msgid, msgstr)), GLOSSARY_TEXT) == []


def test_a_term_the_english_names_is_required() -> None:
    catalog = _catalog(
        ("Public-law institution", "Anstalt"),
        ("Pilot", "Pilot"),
        ("the signatories of {id}", "die Partner von {id}"),
    )
    found = violations(catalog, GLOSSARY_TEXT)
    assert len(found) == 3, found
    assert "Anstalt des öffentlichen Rechts" in found[0]


def test_each_plural_form_is_checked() -> None:
    catalog = _catalog(
        (
            ("{count} termination", "{count} terminations"),
            ("{count} Beendigung", "{count} Kündigungen"),
        )
    )
    assert violations(catalog, GLOSSARY_TEXT) == [
        "'{count} Kündigungen' uses „Kündigung“ (for '{count} terminations')",
        "'{count} Kündigungen' lacks „Beendigung“ (for '{count} terminations')",
    ]
