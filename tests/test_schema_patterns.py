"""Schema patterns mean what JSON Schema says (ECMA-262) on the fast path and the reference path,
through the real CLI on real registries; a schema in another dialect is a usage error."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from coopctl.compiled import compile_schema
from coopctl.reference import reference_validator
from coopctl.schemas import load_schemas, schema_file
from tests.helpers import REPO, make_registry, run_cli
from tests.test_compiled import registry_documents

PATHS = {"fast": {}, "reference": {"COOPCTL_REFERENCE_ONLY": "1"}}
PARTNER = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: {id}
name: {name}
type: other
sources:
  - url: https://example.org
"""


@pytest.mark.parametrize("path", sorted(PATHS))
def test_an_id_with_a_trailing_line_break_is_refused(path: str, tmp_path: Path) -> None:
    """`^[a-z0-9]+(-[a-z0-9]+)*$` under Python's `re` let "dataport\\n" pass, in a file whose
    name ends in the same line break."""
    root = make_registry(
        tmp_path / "reg",
        {"registry/partners/dataport\n.yaml": PARTNER.format(id='"dataport\\n"', name="Dataport")},
    )
    result = run_cli("validate", "--no-cache", "--root", str(root), env=PATHS[path])
    assert result.exit_code == 1, result.output
    assert "[S006]" in result.output
    assert "No problems" not in result.output


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_pattern_only_ecma_262_knows_is_read_and_enforced(path: str, tmp_path: Path) -> None:
    """`\\p{Lu}` is a Unicode property class in ECMA-262 and an error in Python's `re`."""
    root = make_registry(
        tmp_path / "reg",
        {
            "registry/partners/upper.yaml": PARTNER.format(id="upper", name="Überlingen"),
            "registry/partners/lower.yaml": PARTNER.format(id="lower", name="überlingen"),
        },
    )
    schema_path = root / "schemas" / schema_file("partner")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["name"]["pattern"] = "^\\p{Lu}"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = run_cli("validate", "--no-cache", "--root", str(root), env=PATHS[path])
    assert result.exit_code == 1, result.output
    problems = [line for line in result.output.splitlines() if "[S006]" in line]
    assert len(problems) == 1 and "registry/partners/lower.yaml" in problems[0], result.output


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("where", ["root", "nested"])
def test_a_schema_in_another_dialect_is_a_usage_error(
    path: str, where: str, tmp_path: Path
) -> None:
    """jsonschema switches to draft 4 (and Python's `re`) where a subschema says so; coopctl
    reads draft 2020-12 only and says so, on both paths."""
    root = make_registry(
        tmp_path / "reg",
        {"registry/partners/upper.yaml": PARTNER.format(id="upper", name="Upper")},
    )
    schema_path = root / "schemas" / schema_file("partner")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    draft4 = "http://json-schema.org/draft-04/schema#"
    if where == "root":
        schema["$schema"] = draft4
    else:
        schema["properties"]["name"] = {"$schema": draft4, "type": "string"}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    result = run_cli("validate", "--no-cache", "--root", str(root), env=PATHS[path])
    assert result.exit_code == 2, result.output
    assert schema_file("partner") in result.output and "draft-04" in result.output
    assert "Traceback" not in result.output


FIELDS_WITH_PATTERNS = {
    "partner": [("id",), ("ars",), ("ags",), ("sources", 0, "url"), ("last_reviewed",)],
    "agreement": [("id",), ("events", 0, "date"), ("sources", 0, "url")],
    "solution": [("id",), ("sources", 0, "url")],
}
ENDINGS = ["\n", "\r\n", "\r", "\u2028", "\x85"]


def _set(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> bool:
    node: Any = document
    for part in path[:-1]:
        try:
            node = node[part]
        except (LookupError, TypeError):
            return False
    if not isinstance(node, dict | list) or (isinstance(node, dict) and path[-1] not in node):
        return False
    node[path[-1]] = value
    return True


def test_every_patterned_field_of_the_real_schemas_refuses_a_line_break_at_its_end() -> None:
    schemas = load_schemas(REPO / "schemas")
    predicates = {
        kind: compile_schema(schemas.documents, schema_file(kind)) for kind in FIELDS_WITH_PATTERNS
    }
    tried = 0
    for kind, _name, original in registry_documents():
        predicate = predicates[kind]
        assert predicate is not None
        assert predicate(original) and schemas.validators[kind].is_valid(original), _name
        for field in FIELDS_WITH_PATTERNS[kind]:
            for ending in ENDINGS:
                document = copy.deepcopy(original)
                value = _value(original, field)
                if not isinstance(value, str) or not _set(document, field, value + ending):
                    continue
                reference = schemas.validators[kind].is_valid(document)
                assert predicate(document) == reference, (_name, field, ending)
                # U+0085 is no space in ECMA-262, so `[^\s]+` of the address pattern takes it
                if field[-1] != "url" or ending != "\x85":
                    assert not reference, (_name, field, ending)
                tried += 1
    assert tried > 100


def _value(document: Any, path: tuple[str | int, ...]) -> Any:
    node = document
    for part in path:
        try:
            node = node[part]
        except (LookupError, TypeError):
            return None
    return node


@pytest.mark.parametrize(
    "schema",
    [
        {"patternProperties": {"^a$": {}}, "unevaluatedProperties": False},
        {"allOf": [{"patternProperties": {"^a$": {}}}], "unevaluatedProperties": False},
        {
            "$defs": {"a": {"patternProperties": {"^a$": {}}}},
            "$ref": "#/$defs/a",
            "unevaluatedProperties": False,
        },
    ],
    ids=["beside", "under-allOf", "through-ref"],
)
def test_unevaluated_properties_reads_patterns_as_ecma_262(schema: Any) -> None:
    """The reference path only: the fast path leaves `unevaluatedProperties` to it."""
    documents = {"schema.json": schema}
    assert compile_schema(documents, "schema.json") is None
    validator = reference_validator(documents, "schema.json")
    assert validator.is_valid({"a": 1})
    assert not validator.is_valid({"a\n": 1})
    assert not validator.is_valid({"b": 1})


def test_the_registry_wide_checks_read_keys_and_dates_to_the_end_of_the_text(
    tmp_path: Path,
) -> None:
    """The checks beside the schema (keys against the Gemeindeverzeichnis, dates, ids) match
    to the end of the text too: a value ending in a line break is the schema's problem alone,
    not also a key or date that looks well-formed."""
    folder = REPO / "tests" / "hostile" / "trailing-newline-values" / "registry"
    root = make_registry(tmp_path / "reg")
    for source in folder.rglob("*.yaml"):
        target = root / "registry" / source.relative_to(folder)
        target.write_bytes(source.read_bytes())
    result = run_cli("validate", "--no-cache", "-f", "json", "--root", str(root))
    codes = {p["code"] for p in json.loads(result.stdout)["problems"]}
    assert codes == {"S003", "S006"}, codes
