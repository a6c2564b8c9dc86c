"""Problem messages, hints and `coopctl explain` in German and English.

The golden outputs under tests/golden/messages/ are `coopctl validate` (text and json) on some
of the golden invalid examples and `coopctl explain` on some codes, each under
LANG=de_DE.UTF-8 and under LANG=C.UTF-8. Rewrite them after an intended change with
COOPCTL_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from coopctl.cli.explain import problems_markdown
from coopctl.codes import all_codes
from coopctl.i18n import LANGUAGES, catalog, speaking
from tests.helpers import EXAMPLES, REPO, coopctl_process, make_registry, run_cli
from tests.test_examples import _prepare

GOLDEN = Path(__file__).parent / "golden" / "messages"
UPDATE = os.environ.get("COOPCTL_UPDATE_GOLDEN") == "1"
LOCALES = {"de": "de_DE.UTF-8", "en": "C.UTF-8"}
# Each run names $LANGUAGE too: choosing a language sets it in this process (for click), and
# a run in-process must not inherit the language of the one before it.
CASES = (
    "unknown-regierungsbezirk",
    "kind-mismatch-gv",
    "key-shape",
    "key-state-mismatch",
    "ags-ars-mismatch",
    "missing-key",
    "dangling-reference",
    "reference-to-unreadable-file",
    "duplicate-id",
    "duplicate-ars",
    "duplicate-item",
    "id-mismatch",
    "similar-partner",
    "accession-before-signing",
    "leave-without-join",
    "status-events-mismatch",
    "event-without-parties",
    "invalid-date",
    "date-order",
    "no-source",
)
EXPLAINED = ("K002", "K006", "R001", "L001", "E003")
# Texts of the code table that are the same words in German (none so far).
SAME_IN_GERMAN: frozenset[str] = frozenset()


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with COOPCTL_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), name


def _validate(root: Path, lang: str, output: str) -> str:
    result = run_cli(
        "validate",
        "--root",
        str(root),
        "--format",
        output,
        env={"LANG": LOCALES[lang], "LANGUAGE": ""},
    )
    assert result.exit_code in (0, 1), result.output
    return result.stdout.replace(str(root), "<root>")


def _without_text(value: Any) -> Any:
    """A JSON document without its human text (messages and hints)."""
    if isinstance(value, dict):
        return {k: _without_text(v) for k, v in value.items() if k not in ("message", "hint")}
    if isinstance(value, list):
        return [_without_text(v) for v in value]
    return value


# The codes whose messages and hints the checks beyond the schema write (schema and YAML
# messages come from the schema and YAML modules).
CHECK_FAMILIES = tuple("IRKDEQL")


def _texts(document: Any) -> list[tuple[str, str]]:
    """(code, text) of each message and hint of the checks beyond the schema, but for hints
    that are a command line."""
    return [
        (problem["code"], problem[key])
        for problem in document["problems"]
        if problem["code"].startswith(CHECK_FAMILIES)
        for key in ("message", "hint")
        if problem.get(key) and not problem[key].startswith("coopctl ")  # a command to run
    ]


@pytest.mark.parametrize("case", CASES)
def test_validate_speaks_the_language_of_the_locale(case: str, tmp_path: Path) -> None:
    root = _prepare(EXAMPLES / "invalid" / case, tmp_path)
    documents = {}
    for lang in LANGUAGES:
        _golden(f"{case}.validate.{lang}.txt", _validate(root, lang, "text"))
        shown = _validate(root, lang, "json")
        _golden(f"{case}.validate.{lang}.json", shown)
        documents[lang] = json.loads(shown)
    # Keys, codes, positions and severities are the same in both languages; only the text
    # differs, and all of it does.
    assert _without_text(documents["de"]) == _without_text(documents["en"])
    german, english = _texts(documents["de"]), _texts(documents["en"])
    assert len(german) == len(english) > 0
    same = [de for de, en in zip(german, english, strict=True) if de == en]
    assert same == []


@pytest.mark.parametrize("code", EXPLAINED)
def test_explain_speaks_the_language_of_the_locale(code: str) -> None:
    for lang in LANGUAGES:
        result = run_cli("explain", code, env={"LANG": LOCALES[lang], "LANGUAGE": ""})
        assert result.exit_code == 0
        _golden(f"explain-{code}.{lang}.txt", result.stdout)
    german = run_cli("--lang", "de", "explain", code).stdout
    assert "Beispiel:" in german and "Abhilfe:" in german
    assert "Example:" in run_cli("--lang", "en", "explain", code).stdout


def test_k002_names_the_statistical_region_in_niedersachsen(tmp_path: Path) -> None:
    root = _prepare(EXAMPLES / "invalid" / "unknown-regierungsbezirk", tmp_path)
    for lang, region, district, no_districts in (
        ("en", "has no statistical region 5", "has no Regierungsbezirk 8", "no Regierungsbezirke"),
        (
            "de",
            "hat keine Statistische Region 5",
            "hat keinen Regierungsbezirk 8",
            "keine Regierungsbezirke",
        ),
    ):
        problems = json.loads(_validate(root, lang, "json"))["problems"]
        by_file = {p["path"].rsplit("/", 1)[1]: p["message"] for p in problems}
        assert region in by_file["braunschweig.yaml"]  # Niedersachsen
        assert district in by_file["muenchen.yaml"]  # Bayern
        assert no_districts in by_file["hamburg.yaml"]  # Hamburg has none


def test_unknown_code_is_refused_in_german() -> None:
    result = run_cli("--lang", "de", "explain", "X999")
    assert result.exit_code == 2
    assert "unbekannter Code „X999“" in result.stderr
    result = run_cli("--lang", "de", "validate", "--select", "X999")
    assert result.exit_code == 2
    assert "unbekannter Code „X999“" in result.stderr
    assert "„coopctl explain“ ohne Code listet alle auf" in result.stderr


def test_more_problems_are_counted_from_german_facts_in_the_cache(tmp_path: Path) -> None:
    """L001 folds what facts gathered earlier (and cached) left out; its count is read back
    from the message, which is German when the facts were gathered in German."""
    root = _prepare(EXAMPLES / "invalid" / "more-problems", tmp_path)

    def problems(*limit: str) -> list[str]:
        args = ("validate", "--root", str(root), "--format", "json", *limit)
        result = run_cli("--lang", "de", *args)
        return [p["message"] for p in json.loads(result.stdout)["problems"]]

    every = problems("--max-problems-per-file", "0")
    for _ in range(2):  # gathered, then from the cache
        limited = problems("--max-problems-per-file", "3")
        assert len(limited) == 4
        assert limited[0] == f"und {len(every) - 3} weitere Befunde in dieser Datei"


def test_docs_problem_lists_are_generated_from_the_code_table() -> None:
    with speaking("en"):
        english = problems_markdown()
    with speaking("de"):
        german = problems_markdown()
    assert (REPO / "docs" / "problems.md").read_text(encoding="utf-8") == english
    assert (REPO / "docs" / "de" / "probleme.md").read_text(encoding="utf-8") == german
    assert run_cli("--lang", "de", "explain", "--format", "markdown").stdout == german
    for info in all_codes():
        assert f"### {info.code} `{info.name}`" in german


@pytest.mark.parametrize("field", ["summary", "explanation", "fix"])
def test_every_code_text_has_a_german_translation(field: str) -> None:
    german, english = catalog("de"), catalog("en")
    for info in all_codes():
        text = getattr(info, field)
        assert english.gettext(text) == text, info.code
        translated = german.gettext(text)
        if text in SAME_IN_GERMAN:
            continue
        assert translated != text, f"{info.code} {field} is not translated"


def _placeholders(text: str) -> list[str]:
    """The `{name}` fields of a format string (sorted, repeated once each); for a text with
    stray braces, every braced piece."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        import re

        names = set(re.findall(r"\{[^{}]*\}", text))
    return sorted(names)


def _po_messages(lang: str) -> list[Any]:
    path = REPO / "coopctl" / "locale" / lang / "LC_MESSAGES" / "coopctl.po"
    with path.open("rb") as handle:
        return [m for m in read_po(handle, locale=lang) if m.id]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_the_same_in_every_translation(lang: str) -> None:
    wrong = []
    for message in _po_messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _placeholders(ids[-1])
        # A singular may leave the number out ("once" for "{count} times"); nothing else may
        # differ, and no form may bring a name of its own.
        if len(ids) > 1 and not set(_placeholders(ids[0])) <= set(wanted):
            wrong.append((ids[0], "the singular has names the plural lacks"))
        for position, translated in enumerate(strings):
            found = _placeholders(translated) if translated else wanted
            last = position == len(strings) - 1
            if (found != wanted) if (last or len(ids) == 1) else not set(found) <= set(wanted):
                wrong.append((ids[0], translated))
    assert wrong == []


def test_placeholder_check_sees_a_wrong_translation() -> None:
    assert _placeholders("{field}: {value} ist kein Tag") != _placeholders(
        "{field}: {wert} is not a day"
    )
    assert _placeholders("[{{url: ...}}] {n}") == ["n"]


def test_explain_help_is_german(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg")
    result = coopctl_process(root, "explain", "--help", LANG="de_DE.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "Einen Code eines Befunds erklären" in result.stdout
    assert "alle Codes auflisten" in result.stdout
