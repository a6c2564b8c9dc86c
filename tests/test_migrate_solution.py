"""The solution step of the migration from schema version 1 to 2 (coopctl/migrations/
to_v2_solution.py), run directly on the frozen version-1 inputs and checked with the
version-2 schemas through the real `coopctl validate`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from coopctl.migrations.to_v2_solution import migrate
from coopctl.yamlio import dump_editable, load_editable
from tests.helpers import make_registry, run_cli

V1 = Path(__file__).resolve().parent / "data" / "v1"
SCHEMA_TARGET = "../../schemas/solution.schema.json"


def _readable(path: Path) -> bool:
    """Whether a file can be edited at all: the examples of unreadable files are not."""
    document, problems = load_editable(path.read_bytes(), path.name)
    return not problems and isinstance(document, dict)


V1_SOLUTIONS = [
    path
    for path in sorted(
        [
            *(V1 / "bundled" / "registry" / "solutions").glob("*.yaml"),
            *(V1 / "init" / "registry" / "solutions").glob("*.yaml"),
            *(V1 / "examples").glob("*/registry/solutions/*.yaml"),
        ]
    )
    if _readable(path)
]


def _load(path: Path) -> Any:
    document, problems = load_editable(path.read_bytes(), path.name)
    assert problems == ()
    return document


def _migrated_text(path: Path) -> tuple[str, list[str]]:
    document = _load(path)
    changes = migrate(document)
    return dump_editable(document, SCHEMA_TARGET), [c.pointer for c in changes]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _validate(root: Path, *paths: str) -> list[tuple[str, str]]:
    wanted = [str(root / path) for path in paths]
    result = run_cli("validate", "--root", str(root), "--format", "json", *wanted)
    return [(p["code"], p["pointer"]) for p in json.loads(result.stdout)["problems"]]


def test_there_are_version_1_solutions_with_efa() -> None:
    with_efa = [p for p in V1_SOLUTIONS if "umsetzendes_land" in p.read_text(encoding="utf-8")]
    assert len(with_efa) >= 3  # bundled, init and the invalid-choice example


@pytest.mark.parametrize("path", V1_SOLUTIONS, ids=lambda p: str(p.relative_to(V1)))
def test_the_facts_stay_and_only_the_key_is_renamed(path: Path) -> None:
    before = _plain(_load(path))
    after_text, pointers = _migrated_text(path)
    document, problems = load_editable(after_text.encode("utf-8"), path.name)
    assert problems == ()
    after = _plain(document)
    if "umsetzendes_land" in before.get("efa", {}):
        assert pointers == ["/efa/implementing_state"]
        state = before["efa"].pop("umsetzendes_land")
        assert next(iter(after["efa"])) == "implementing_state"
        assert after["efa"].pop("implementing_state") == state
    else:
        assert pointers == []
    assert after == before


@pytest.mark.parametrize("case", ["bundled", "init"])
def test_migrated_bundled_solutions_are_valid_version_2(case: str, tmp_path: Path) -> None:
    root = make_registry(tmp_path / case)
    shutil.copytree(
        V1 / case / "registry" / "partners", root / "registry" / "partners", dirs_exist_ok=True
    )
    shutil.copytree(
        V1 / case / "registry" / "agreements", root / "registry" / "agreements", dirs_exist_ok=True
    )
    for path in (V1 / case / "registry" / "solutions").glob("*.yaml"):
        text, _pointers = _migrated_text(path)
        (root / "registry" / "solutions" / path.name).write_text(text, encoding="utf-8")
    # Only the solution files are reported: the other kinds have steps of their own. The one
    # finding is a new warning about a fact version 1 lacked (bayernid-plugin's notes speak of
    # its publiccode.yml, which has no publiccode_url): migration adds no facts.
    assert _validate(root, "registry/solutions") == [("P001", "/notes")]
    # The version-1 file itself is refused by the version-2 schema.
    shutil.copy(
        V1 / case / "registry" / "solutions" / "ewa.yaml", root / "registry/solutions/ewa.yaml"
    )
    assert _validate(root, "registry/solutions/ewa.yaml") == [
        ("S002", "/efa"),
        ("S003", "/efa/umsetzendes_land"),
    ]


def test_a_migrated_invalid_value_stays_reported_at_its_new_place(tmp_path: Path) -> None:
    case = V1 / "examples" / "invalid-invalid-choice" / "registry"
    root = make_registry(tmp_path / "r")
    shutil.copytree(case, root / "registry", dirs_exist_ok=True)
    text, pointers = _migrated_text(case / "solutions" / "ewa.yaml")
    (root / "registry/solutions/ewa.yaml").write_text(text, encoding="utf-8")
    assert pointers == ["/efa/implementing_state"]
    assert ("S005", "/efa/implementing_state") in _validate(root, "registry/solutions/ewa.yaml")


COMMENTED = """\
kind: solution
id: x
name: X
category: online_dienst
efa:
  # who built it
  umsetzendes_land: DE-HH  # from the Dataport page
  fit_store_url: https://example.org/fit
notes: Known.
"""


def test_the_renamed_key_keeps_its_place_and_comments() -> None:
    document, _problems = load_editable(COMMENTED.encode("utf-8"), "x.yaml")
    assert len(migrate(document)) == 1
    text = dump_editable(document, SCHEMA_TARGET)
    assert re.search(
        r"\nefa:\n  # who built it\n  implementing_state: DE-HH +# from the Dataport page\n"
        r"  fit_store_url: https://example.org/fit\n",
        text,
    )


def test_the_step_is_idempotent() -> None:
    document, _problems = load_editable(COMMENTED.encode("utf-8"), "x.yaml")
    migrate(document)
    once = dump_editable(document, SCHEMA_TARGET)
    assert migrate(document) == []
    assert dump_editable(document, SCHEMA_TARGET) == once


@pytest.mark.parametrize(
    ("old", "pointer", "notes"),
    [
        ("DE-HH", "/efa/umsetzendes_land", "Known."),
        ("DE-BY", "/notes", "Known. Version 1 named another implementing Land: DE-BY."),
    ],
)
def test_both_keys_lose_nothing(old: str, pointer: str, notes: str) -> None:
    text = COMMENTED.replace(
        "  umsetzendes_land: DE-HH", f"  implementing_state: DE-HH\n  umsetzendes_land: {old}"
    )
    document, _problems = load_editable(text.encode("utf-8"), "x.yaml")
    changes = migrate(document)
    assert [c.pointer for c in changes] == [pointer]
    assert "umsetzendes_land" not in document["efa"]
    assert document["efa"]["implementing_state"] == "DE-HH"
    assert document["notes"] == notes
