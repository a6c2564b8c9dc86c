"""Values of the shape the schema allows, and nothing else, for the code that derives things.

A file can hold `type: [signed]` where the schema wants one word, or `status: {a: 1}` where it
wants text. Validation reports that (S004, S005); but the checks between fields, membership,
relations, reports and exports read the same data, and each of them assumed the shape the
schema promises. Instead of guarding every reader, a document that fails its schema is first
reduced to the values whose JSON type the schema allows at their place (`shaped`); what was
taken out is returned as notes, so read commands can say what they skipped.

Only types are enforced (from `type`, or from the members of `enum`/`const`): a wrong word
where a word belongs is still a string and harmless to every reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from coopctl.model import Entity, Problem

if TYPE_CHECKING:
    from coopctl.schemas import SchemaSet

_MAX_DEPTH = 32  # as walk_schema: the schemas nest far less


@dataclass
class _Shape:
    types: frozenset[str] | None = None  # None: any JSON type
    properties: dict[str, _Shape] = field(default_factory=dict)
    items: _Shape | None = None


def json_type(value: Any) -> str:
    """The JSON Schema type name of a loaded YAML value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _allowed(node: Mapping[str, Any]) -> frozenset[str] | None:
    declared = node.get("type")
    if isinstance(declared, str):
        declared = [declared]
    if isinstance(declared, list):
        names = set(declared)
        if "number" in names:
            names.add("integer")
        return frozenset(names)
    members = node["enum"] if isinstance(node.get("enum"), list) else None
    if members is None and "const" in node:
        members = [node["const"]]
    if members is not None:
        return frozenset(json_type(m) for m in members)
    return None


def _shape_of(documents: Mapping[str, Mapping[str, Any]], name: str) -> _Shape:
    from coopctl.schemas import resolve_refs

    def build(document: str, node: Mapping[str, Any], depth: int) -> _Shape:
        document, merged = resolve_refs(documents, document, node)
        shape = _Shape(_allowed(merged))
        if depth >= _MAX_DEPTH:
            return shape
        for key, sub in (merged.get("properties") or {}).items():
            if isinstance(sub, Mapping):
                shape.properties[key] = build(document, sub, depth + 1)
        if isinstance(merged.get("items"), Mapping):
            shape.items = build(document, merged["items"], depth + 1)
        return shape

    return build(name, documents[name], 0)


def _fits(shape: _Shape, value: Any) -> bool:
    return shape.types is None or json_type(value) in shape.types


def _reduce(shape: _Shape, value: Any, path: tuple[str | int, ...], skipped: list[Any]) -> Any:
    """`value` without what does not fit; `skipped` gets (path, value, shape) of each part
    taken out. List items taken out leave the later items at lower positions."""
    if isinstance(value, dict) and shape.properties:
        kept = {}
        for key, item in value.items():
            sub = shape.properties.get(key)
            if sub is None:
                kept[key] = item
            elif _fits(sub, item):
                kept[key] = _reduce(sub, item, (*path, key), skipped)
            else:
                skipped.append(((*path, key), item, sub))
        return kept
    if isinstance(value, list) and shape.items is not None:
        items = []
        for index, item in enumerate(value):
            if _fits(shape.items, item):
                items.append(_reduce(shape.items, item, (*path, index), skipped))
            else:
                skipped.append(((*path, index), item, shape.items))
        return items
    return value


def shaped(
    documents: Mapping[str, Mapping[str, Any]], schema_name: str, entity: Entity
) -> tuple[Entity, list[Problem]]:
    """The entity with only values of the types its schema allows, and an S004 note (not
    located) for each value left out. The entity itself is not changed."""
    from coopctl.schemas import type_problem

    skipped: list[Any] = []
    data = _reduce(_shape_of(documents, schema_name), entity.data, (), skipped)
    if not skipped:
        return entity, []
    notes = [
        type_problem(entity, list(path), sorted(shape.types or ()), value)
        for path, value, shape in skipped
    ]
    return Entity(entity.kind, entity.id, entity.path, data, entity.blob_sha), notes


def shape_entity(
    schemas: SchemaSet, entity: Entity, raw: bytes | None
) -> tuple[Entity, list[Problem]]:
    """The entity reduced to the values of the shape its schema allows (itself when it is
    valid), and a note, located in `raw`, for each value left out."""
    from coopctl.facts import locate_in
    from coopctl.schemas import schema_file

    if schemas.is_valid(entity.kind, entity.data):
        return entity, []
    kept, notes = shaped(schemas.documents, schema_file(entity.kind), entity)
    return kept, locate_in(notes, raw)
