"""`--help` of every command in German: no English text of the catalog shows, neither as a
line of its own nor wrapped over several lines."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import typer.main
from babel.messages.pofile import read_po

from coopctl.cli.app import app
from coopctl.i18n import LOCALE_DIR
from tests.helpers import coopctl_process

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@cache
def english_texts() -> tuple[frozenset[str], tuple[str, ...]]:
    """Every msgid whose German differs from it, as whole lines and (for texts of four words
    or more, without placeholders) as whitespace-normalised phrases."""
    with (LOCALE_DIR / "de" / "LC_MESSAGES" / "coopctl.po").open("rb") as handle:
        catalog = read_po(handle, locale="de")
    lines: set[str] = set()
    phrases: list[str] = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue
        if message.string == message.id:
            continue
        german = {line.strip() for line in message.string.split("\n")}
        lines.update(
            line.strip()
            for line in message.id.split("\n")
            if len(line.strip()) > 2 and line.strip() not in german
        )
        words = " ".join(message.id.split())
        if "{" not in words and len(words.split()) >= 4:
            phrases.append(words)
    return frozenset(lines), tuple(phrases)


def english_in(output: str) -> list[str]:
    lines, phrases = english_texts()
    found = [
        line.strip()
        for line in output.splitlines()
        if line.strip() in lines or line.strip().rstrip(":") in lines
    ]
    joined = " ".join(output.split())
    found += [phrase for phrase in phrases if phrase in joined]
    return found


@pytest.mark.parametrize("command", [*COMMANDS, None])
def test_help_is_german(tmp_path: Path, command: str | None) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    done = coopctl_process(tmp_path, *args, LANG="de_DE.UTF-8", COOPCTL_NO_MEMO="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Aufruf: coopctl")
    assert "Diese Hilfe zeigen und beenden." in done.stdout
    assert english_in(done.stdout) == []


def test_help_in_english_is_english(tmp_path: Path) -> None:
    """The check above can fail: the same help under C.UTF-8 shows the English texts."""
    done = coopctl_process(tmp_path, "validate", "--help", LANG="C.UTF-8", COOPCTL_NO_MEMO="1")
    assert done.stdout.startswith("Usage: coopctl validate")
    assert "Check the registry against its schemas and rules." in english_in(done.stdout)


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["validate", "--bogus"], "Fehler: Diese Option gibt es nicht: --bogus"),
        (["validate", "--format", "x"], "Fehler: Ungültiger Wert für '--format' / '-f': 'x' "),
        (["check"], "Fehler: Es fehlt die Option '--base'."),
        (["list"], "Fehler: Es fehlt das Argument 'KIND'. Zur Auswahl:"),
        (["vali"], "Fehler: Den Befehl 'vali' gibt es nicht. Meinten Sie 'validate'?"),
        (["validate", "--select"], "Fehler: Die Option '--select' braucht einen Wert."),
        (["list", "partners", "--limit", "x"], "ist keine gültige ganze Zahl."),
    ],
)
def test_usage_errors_in_german(tmp_path: Path, args: list[str], german: str) -> None:
    done = coopctl_process(tmp_path, "--lang", "de", *args, COOPCTL_NO_MEMO="1")
    assert done.returncode == 2
    assert german in done.stderr
    assert not re.search(r"\b(Usage|Error|Try|Missing|Invalid|No such)\b", done.stderr)
    english = coopctl_process(tmp_path, *args, COOPCTL_NO_MEMO="1")
    assert english.returncode == 2
    assert "Error: " in english.stderr
