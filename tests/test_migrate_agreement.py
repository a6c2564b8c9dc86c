"""The version-1-to-2 step of the agreement files (coopctl/migrations/to_v2_agreement.py).

The step runs on the round-trip documents of the frozen version-1 inputs (tests/data/v1/,
copied, never changed) and its results are validated against the version-2 schemas of this
checkout through the real CLI. Partner and solution files go through their own steps, so the
registries stay whole.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

import pytest

from coopctl.migrations import Change, to_v2_agreement, to_v2_partner, to_v2_solution
from coopctl.yamlio import dump_editable, load_editable
from tests.helpers import SCHEMAS, run_cli

V1 = Path(__file__).resolve().parent / "data" / "v1"
STEPS: dict[str, Callable[[MutableMapping[str, Any]], list[Change]]] = {
    "partners": to_v2_partner.migrate,
    "agreements": to_v2_agreement.migrate,
    "solutions": to_v2_solution.migrate,
}
V1_AGREEMENTS = sorted(V1.glob("**/registry/agreements/*.yaml"))


def _with_legal_form(path: Path) -> bool:
    document = load_editable(path.read_bytes(), path.name)[0]
    return isinstance(document, dict) and "legal_form" in document


# The v1 agreements that read as YAML and have a legal_form (the rest are broken on purpose).
V1_SPLIT_AGREEMENTS = [p for p in V1_AGREEMENTS if _with_legal_form(p)]


def _migrated_text(raw: bytes, folder: str) -> tuple[str, list[Change]]:
    document, problems = load_editable(raw, "x.yaml")
    assert document is not None, problems
    changes = STEPS[folder](document)
    return dump_editable(document, f"../../schemas/{folder[:-1]}.schema.json"), changes


def _migrate_registry(source: Path, target: Path) -> Path:
    """A copy of the v1 registry at `source` with every file migrated and this checkout's
    schemas."""
    shutil.copytree(source / "registry", target / "registry")
    shutil.copytree(SCHEMAS, target / "schemas")
    for folder in STEPS:
        for path in sorted((target / "registry" / folder).glob("*.yaml")):
            text, _changes = _migrated_text(path.read_bytes(), folder)
            path.write_text(text, encoding="utf-8")
    return target


def _problems(root: Path) -> list[dict[str, Any]]:
    result = run_cli("validate", "--root", str(root), "--format", "json")
    problems: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    return problems


@pytest.mark.parametrize("name", ["bundled", "init"])
def test_a_v1_registry_validates_under_v2_after_the_step(name: str, tmp_path: Path) -> None:
    root = _migrate_registry(V1 / name, tmp_path / name)
    # Migration adds no facts, so the one new warning of version 2 stays: bayernid-plugin's
    # notes mention its publiccode.yml, which version 1 had no link for (P001).
    assert [(p["code"], p["path"]) for p in _problems(root)] == [
        ("P001", "registry/solutions/bayernid-plugin.yaml")
    ]
    result = run_cli("show", "braunschweig-salzgitter-wolfsburg", "--root", str(root))
    assert "instrument: letter_of_intent" in result.stdout
    assert "legal_form: none" in result.stdout


@pytest.mark.parametrize("case", sorted(p.name for p in (V1 / "examples").glob("valid-*")), ids=str)
def test_valid_v1_examples_stay_valid(case: str, tmp_path: Path) -> None:
    root = _migrate_registry(V1 / "examples" / case, tmp_path / case)
    assert _problems(root) == []


@pytest.mark.parametrize("path", V1_SPLIT_AGREEMENTS, ids=lambda p: str(p.relative_to(V1)))
def test_every_v1_agreement_gets_what_v2_requires(path: Path, tmp_path: Path) -> None:
    """No file that reads as YAML keeps a v1 legal_form or lacks an instrument (except the
    example of an invalid choice, whose value is no v1 legal form and is left as it is)."""
    raw = path.read_bytes()
    document, _refusals = load_editable(raw, path.name)
    assert isinstance(document, dict)
    old = document["legal_form"]
    changes = to_v2_agreement.migrate(document)
    if old not in to_v2_agreement.SPLITS:
        assert changes == []
        assert "instrument" not in document
        return
    split = to_v2_agreement.SPLITS[old]
    assert document["instrument"] == split.instrument
    assert document.get("legal_form") == split.legal_form
    keys = list(document)
    assert keys.index("instrument") == keys.index("title") + 1 + ("short_title" in keys)
    assert {c.pointer for c in changes} >= {"/instrument", "/legal_form"}
    again = dump_editable(document, "../../schemas/agreement.schema.json")
    assert to_v2_agreement.migrate(document) == []  # idempotent
    assert dump_editable(document, "../../schemas/agreement.schema.json") == again
    (tmp_path / "registry" / "agreements").mkdir(parents=True)
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    (tmp_path / "registry" / "agreements" / path.name).write_text(again, encoding="utf-8")
    about_form = [
        p
        for p in _problems(tmp_path)
        if "instrument" in p["message"] or p["pointer"] in {"/instrument", "/legal_form"}
    ]
    assert about_form == []


V1_TEXT = """\
# yaml-language-server: $schema=../../schemas/agreement.schema.json
kind: agreement
id: example
title: Beispiel
legal_form: {old}  # as the press release calls it
status: signed
events:
  - date: '2020-09-23'
    type: signed
    partners: [a, b]
"""


@pytest.mark.parametrize("old", sorted(to_v2_agreement.SPLITS))
def test_each_v1_legal_form_maps_as_the_data_model_says(old: str) -> None:
    text, changes = _migrated_text(V1_TEXT.format(old=old).encode(), "agreements")
    split = to_v2_agreement.SPLITS[old]
    lines = [" ".join(line.split()) for line in text.splitlines()]  # comments keep their column
    comment = "# as the press release calls it"
    if split.legal_form is None:
        assert "legal_form" not in text
        assert lines[4] == f"instrument: {split.instrument} {comment}"
    else:
        assert lines[4] == f"instrument: {split.instrument}"
        assert lines[5] == f"legal_form: {split.legal_form} {comment}"
    assert all(c.message for c in changes)
    again, repeated = _migrated_text(text.encode(), "agreements")
    assert (again, repeated) == (text, [])


def test_the_expected_splits() -> None:
    """The table as /docs/data-model.md and the issue state it, pinned value by value."""
    found = {
        old: (s.instrument, s.legal_form, s.label, s.note is not None)
        for old, s in to_v2_agreement.SPLITS.items()
    }
    assert found == {
        "letter_of_intent": ("letter_of_intent", "none", None, False),
        "memorandum_of_understanding": ("memorandum_of_understanding", "none", None, False),
        "kooperationsvereinbarung": ("kooperationsvereinbarung", None, None, False),
        "arbeitsgemeinschaft": ("other", "kommunale_arbeitsgemeinschaft", None, False),
        "zweckvereinbarung": ("zweckvereinbarung", "zweckvereinbarung", None, False),
        "oeffentlich_rechtliche_vereinbarung": (
            "zweckvereinbarung",
            "zweckvereinbarung",
            "Öffentlich-rechtliche Vereinbarung",
            False,
        ),
        "zweckverband": ("satzung", "zweckverband", None, False),
        "gemeinsame_anstalt": ("satzung", "gemeinsame_anstalt", None, False),
        "privatrechtlich": ("vertrag", "other", None, True),
        "verwaltungsabkommen": ("verwaltungsabkommen", "none", None, False),
        "other": ("other", None, None, False),
    }


def test_a_public_law_agreement_keeps_its_words_in_label_as_reported() -> None:
    with_labels = V1_TEXT.format(old="oeffentlich_rechtliche_vereinbarung").replace(
        "status: signed", "label_as_reported:\n  - Vereinbarung\nstatus: signed"
    )
    text, changes = _migrated_text(with_labels.encode(), "agreements")
    assert "label_as_reported:\n  - Vereinbarung\n  - Öffentlich-rechtliche Vereinbarung\n" in text
    assert "/label_as_reported" in {c.pointer for c in changes}
    without, _ = _migrated_text(
        V1_TEXT.format(old="oeffentlich_rechtliche_vereinbarung").encode(), "agreements"
    )
    assert (
        "legal_form: zweckvereinbarung # as the press release calls it\n"
        "label_as_reported:\n- Öffentlich-rechtliche Vereinbarung\nstatus: signed\n"
    ) in "\n".join(" ".join(line.split()) for line in without.splitlines())


def test_a_private_law_form_leaves_a_sentence_in_notes(tmp_path: Path) -> None:
    noted = V1_TEXT.format(old="privatrechtlich") + "notes: Gegründet als GmbH.\n"
    text, changes = _migrated_text(noted.encode(), "agreements")
    words = " ".join(text.split())  # notes are folded
    assert "Gegründet als GmbH. Version 1 of the schema recorded the legal form as" in words
    assert "/notes" in {c.pointer for c in changes}
    fresh, _ = _migrated_text(V1_TEXT.format(old="privatrechtlich").encode(), "agreements")
    assert " ".join(fresh.split()).endswith(
        "notes: >- Version 1 of the schema recorded the legal form as privatrechtlich (a "
        "private-law contract or company)."
    )
    # the result is valid version 2 (partners a and b exist)
    root = tmp_path
    shutil.copytree(SCHEMAS, root / "schemas")
    (root / "registry/agreements").mkdir(parents=True)
    (root / "registry/partners").mkdir(parents=True)
    for partner in ("a", "b"):
        (root / f"registry/partners/{partner}.yaml").write_text(
            f"kind: partner\nid: {partner}\nname: {partner.upper()}\ntype: other\n"
            "sources:\n  - url: https://example.org\n",
            encoding="utf-8",
        )
    (root / "registry/agreements/example.yaml").write_text(text, encoding="utf-8")
    problems = _problems(root)
    assert [p["code"] for p in problems if p["code"] != "Q001"] == []


def test_the_changes_are_worded_in_german_with_lang_de(tmp_path: Path) -> None:
    from coopctl.i18n import speaking

    with speaking("de"):
        _text, changes = _migrated_text(V1_TEXT.format(old="other").encode(), "agreements")
    assert changes[0].message == "legal_form other ist jetzt instrument other"
    assert "nennt keine Rechtsform" in changes[1].message


def test_a_plain_mapping_keeps_its_key_order_too() -> None:
    """The engine hands round-trip documents, but the step does not depend on it."""
    document: dict[str, Any] = {
        "kind": "agreement",
        "id": "x",
        "title": "X",
        "legal_form": "oeffentlich_rechtliche_vereinbarung",
        "status": "signed",
    }
    changes = to_v2_agreement.migrate(document)
    assert list(document) == [
        "kind",
        "id",
        "title",
        "instrument",
        "legal_form",
        "label_as_reported",
        "status",
    ]
    assert document["label_as_reported"] == ["Öffentlich-rechtliche Vereinbarung"]
    assert [c.pointer for c in changes] == ["/instrument", "/legal_form", "/label_as_reported"]
    assert to_v2_agreement.migrate(document) == []


def test_a_value_that_is_no_v1_legal_form_is_left_for_validation() -> None:
    document: dict[str, Any] = {"kind": "agreement", "legal_form": "absichtserklaerung"}
    assert to_v2_agreement.migrate(document) == []
    assert document == {"kind": "agreement", "legal_form": "absichtserklaerung"}
