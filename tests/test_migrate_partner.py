"""The version 1 -> 2 step of the partner files (coopctl/migrations/to_v2_partner.py), run
directly on the frozen v1 inputs (tests/data/v1/, copied, never changed): the result is valid
version 2 by the real `validate`, keeps every value and comment, and a second run changes
nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from coopctl.migrations import to_v2_partner
from coopctl.yamlio import dump_editable, load_editable
from tests.helpers import make_registry, run_cli

V1 = Path(__file__).resolve().parent / "data" / "v1"
SCHEMA_TARGET = "../../schemas/partner.schema.json"
# Registries whose v1 partners are all valid: the bundled data, an init registry filled with
# it, and every valid golden example.
VALID_SOURCES = sorted(
    [V1 / "bundled", V1 / "init", *(V1 / "examples").glob("valid-*")], key=lambda p: p.name
)
ALL_PARTNER_FILES = sorted(V1.glob("**/registry/partners/*.yaml"))
# The v1 inputs that read as YAML; the others are broken on purpose (examples of Y codes).
READABLE_PARTNER_FILES = [
    p for p in ALL_PARTNER_FILES if load_editable(p.read_bytes(), p.name)[0] is not None
]


def test_only_inputs_broken_on_purpose_are_left_out() -> None:
    left_out = [p for p in ALL_PARTNER_FILES if p not in READABLE_PARTNER_FILES]
    assert READABLE_PARTNER_FILES and left_out
    for path in left_out:
        problems = load_editable(path.read_bytes(), path.name)[1]
        assert problems and problems[0].code.startswith("Y"), path
        assert "invalid-" in str(path), path


def _migrated(raw: bytes, name: str) -> tuple[Any, list[to_v2_partner.Change]]:
    document, problems = load_editable(raw, name)
    assert document is not None, problems
    return document, to_v2_partner.migrate(document)


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("source", VALID_SOURCES, ids=[p.name for p in VALID_SOURCES])
def test_migrated_v1_partners_are_valid_version_2(source: Path, tmp_path: Path) -> None:
    copy = tmp_path / "v1"
    shutil.copytree(source / "registry" / "partners", copy)
    root = make_registry(tmp_path / "v2")
    for path in sorted(copy.glob("*.yaml")):
        document, _changes = _migrated(path.read_bytes(), path.name)
        text = dump_editable(document, SCHEMA_TARGET)
        (root / "registry" / "partners" / path.name).write_text(text, encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert [(p["path"], p["code"], p["message"]) for p in problems] == []
    assert result.exit_code == 0


def test_the_step_types_what_version_1_called_gemeindeverband_and_fills_gv_type() -> None:
    raw = V1 / "examples/valid-territorial-keys/registry/partners/samtgemeinde-meinersen.yaml"
    document, changes = _migrated(raw.read_bytes(), raw.name)
    assert document["type"] == "samtgemeinde"
    assert document["gv_type"] == "52"
    assert [c.pointer for c in changes] == ["/type", "/gv_type"]
    assert "Textkennzeichen 52" in changes[0].message
    assert list(document).index("gv_type") == list(document).index("type") + 1


def test_region_hannover_and_a_berlin_bezirk_keep_their_comments() -> None:
    raw = (
        b"# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
        b"kind: partner\n"
        b"id: region-hannover\n"
        b"name: Region Hannover\n"
        b"type: landkreis  # as version 1 knew it\n"
        b"state: DE-NI\n"
        b"ars: '032410000000'\n"
        b"sources:\n"
        b"  - url: https://www.hannover.de\n"
    )
    document, changes = _migrated(raw, "region-hannover.yaml")
    assert (document["type"], document["gv_type"]) == ("region", "44")
    assert [c.pointer for c in changes] == ["/type", "/gv_type"]
    text = dump_editable(document, SCHEMA_TARGET)
    # the comment keeps its column; gv_type comes right after type, as x-key-order says
    assert re.search(r"\ntype: region +# as version 1 knew it\ngv_type: '44'\nstate: DE-NI\n", text)

    saarbruecken = (
        b"kind: partner\nid: rv\nname: Regionalverband Saarbr\xc3\xbccken\ntype: landkreis\n"
        b"state: DE-SL\nars: '100410000000'\n"
    )
    document, changes = _migrated(saarbruecken, "rv.yaml")
    assert (document["type"], document["gv_type"]) == ("regionalverband", "45")
    assert "Textkennzeichen 45" in changes[0].message
    gifhorn = (
        b"kind: partner\nid: lk\nname: Landkreis Gifhorn\ntype: landkreis\nars: '031510000000'\n"
    )
    document, changes = _migrated(gifhorn, "lk.yaml")
    assert (document["type"], [c.pointer for c in changes]) == ("landkreis", ["/gv_type"])

    bezirk = b"kind: partner\nid: pankow\nname: Bezirk Pankow\ntype: bezirk\nstate: DE-BE\n"
    document, changes = _migrated(bezirk, "pankow.yaml")
    assert document["type"] == "stadtbezirk"
    assert [c.pointer for c in changes] == ["/type"]
    bavarian = b"kind: partner\nid: obb\nname: Bezirk Oberbayern\ntype: bezirk\nstate: DE-BY\n"
    assert _migrated(bavarian, "obb.yaml")[1] == []


@pytest.mark.parametrize(
    "path", READABLE_PARTNER_FILES, ids=[str(p.relative_to(V1)) for p in READABLE_PARTNER_FILES]
)
def test_the_step_keeps_every_value_and_is_idempotent(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    document, problems = load_editable(copy.read_bytes(), copy.name)
    assert document is not None, problems
    before = _plain(document)
    changes = to_v2_partner.migrate(document)
    after = _plain(document)
    changed = {c.pointer.lstrip("/") for c in changes}
    for key, value in before.items():
        assert key in after
        if key not in changed:
            assert after[key] == value
    assert set(after) - set(before) <= {"gv_type"}
    assert to_v2_partner.migrate(document) == []
    assert _plain(document) == after
