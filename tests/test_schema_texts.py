"""The texts of the schemas (descriptions, titles) reach people in the language of the run:
coopctl's own schema texts are translated through the catalog, a registry's own words are shown
as the registry wrote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import coopctl_process, make_registry, run_cli

GERMAN = {"LANG": "de_DE.UTF-8", "LANGUAGE": ""}
ENGLISH = {"LANG": "C.UTF-8", "LANGUAGE": ""}

WRONG_ID = {
    "registry/partners/Dataport.yaml": (
        "kind: partner\nid: Dataport\nname: Dataport AöR\ntype: anstalt\n"
    ),
}
NO_NAME = {"registry/partners/bs.yaml": "kind: partner\nid: bs\ntype: stadt\n"}

ID_RULE_DE = (
    "id: 'Dataport' hat das falsche Format: Ein Kürzel in Kleinbuchstaben: Buchstaben a-z, "
    "Ziffern und einzelne Bindestriche, höchstens 64 Zeichen (Umlaute umschrieben: nuernberg)."
)
ID_RULE_EN = (
    "id: 'Dataport' has the wrong format: A lower-case slug: letters a-z, digits and single "
    "hyphens, at most 64 characters (umlauts transliterated: nuernberg)."
)


def _s006(output: str) -> str:
    found = [line for line in output.splitlines() if "[S006]" in line]
    assert len(found) == 1, output
    return found[0]


def _hint(output: str, code: str) -> str | None:
    found = [p for p in json.loads(output)["problems"] if p["code"] == code]
    assert len(found) == 1, output
    hint = found[0]["hint"]
    assert hint is None or isinstance(hint, str)
    return hint


@pytest.mark.parametrize(
    ("env", "rule"),
    [(GERMAN, f"Fehler[S006] {ID_RULE_DE}"), (ENGLISH, f"error[S006] {ID_RULE_EN}")],
)
def test_a_wrong_id_names_the_rule_in_the_language_of_the_run(
    tmp_path: Path, env: dict[str, str], rule: str
) -> None:
    root = make_registry(tmp_path / "reg", WRONG_ID)
    result = run_cli("validate", "--root", str(root), env=env)
    assert result.exit_code == 1
    assert _s006(result.output) == f"registry/partners/Dataport.yaml:2:5: {rule}"


def test_a_wrong_id_in_german_through_the_entry_point(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", WRONG_ID)
    result = coopctl_process(root, "validate", **GERMAN)
    assert result.returncode == 1, result.stderr
    assert _s006(result.stdout).endswith(ID_RULE_DE)
    assert "A lower-case slug" not in result.stdout


@pytest.mark.parametrize(
    ("env", "hint"),
    [
        (GERMAN, "Der amtliche Name (Stadt Braunschweig, Landkreis Gifhorn)."),
        (ENGLISH, "The official name (Stadt Braunschweig, Landkreis Gifhorn)."),
    ],
)
def test_a_missing_field_is_described_in_the_language_of_the_run(
    tmp_path: Path, env: dict[str, str], hint: str
) -> None:
    root = make_registry(tmp_path / "reg", NO_NAME)
    result = run_cli("validate", "--root", str(root), "--format", "json", env=env)
    assert result.exit_code == 1
    assert _hint(result.output, "S002") == hint


def test_a_registrys_own_schema_texts_are_shown_as_written(tmp_path: Path) -> None:
    """A registry that rewrote a description in its copy of the schemas sees its words, in
    German as in English; the texts it left alone are still translated."""
    root = make_registry(tmp_path / "reg", {**WRONG_ID, **NO_NAME})
    defs = root / "schemas" / "defs.schema.json"
    document = json.loads(defs.read_text(encoding="utf-8"))
    document["$defs"]["id"]["description"] = "Nur Kleinbuchstaben, wie in unserem Leitfaden."
    defs.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    partner = root / "schemas" / "partner.schema.json"
    document = json.loads(partner.read_text(encoding="utf-8"))
    document["properties"]["name"]["description"] = "The name on the letterhead."
    partner.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    for env, words in ((GERMAN, "hat das falsche Format"), (ENGLISH, "has the wrong format")):
        text = run_cli("validate", "--root", str(root), env=env)
        assert text.exit_code == 1
        assert _s006(text.output).endswith(
            f"{words}: Nur Kleinbuchstaben, wie in unserem Leitfaden."
        )
        found = run_cli("validate", "--root", str(root), "--format", "json", env=env)
        assert _hint(found.output, "S002") == "The name on the letterhead."
    german = run_cli("validate", "--root", str(root), "--format", "json", env=GERMAN)
    problems = json.loads(german.output)["problems"]
    assert any(p["message"] == "das Dokument: das Pflichtfeld „name“ fehlt" for p in problems)


def test_every_bundled_schema_text_has_a_german_translation() -> None:
    """Each text the schemas hold is in the catalog; those written in English read differently
    in German (the German labels such as „Zweckverband“ stay what they are)."""
    from coopctl.i18n import speaking
    from coopctl.schema_texts import TEXTS
    from coopctl.schemas import schema_text

    with speaking("de"):
        german = {text: schema_text(text) for text in TEXTS}
    assert german["Legal form"] == "Rechtsform"
    assert german["The agreement or a step is announced publicly"] == (
        "Die Vereinbarung oder ein Schritt wird öffentlich bekanntgegeben (Bekanntgabe)"
    )
    assert german["Zweckverband"] == "Zweckverband"
    english_words = [text for text in TEXTS if " the " in text or " of " in text]
    assert english_words
    assert all(german[text] != text for text in english_words)
    with speaking("en"):
        assert all(schema_text(text) == text for text in TEXTS)
