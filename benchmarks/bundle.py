"""A registry's schemas as the peers read them: each kind's schema in one document.

The kind schemas refer to `defs.schema.json#/$defs/NAME`. A peer that resolves such a
reference by reading the other file (check-jsonschema does, for every file it checks) spends
its time on that, not on validating; bundling puts the shared definitions into the kind
schema's own `$defs` and rewrites each reference to `#/$defs/NAME`, which every validator
resolves within the document. The bundled schema accepts exactly what the pair accepts.

Also here: the `format` names a schema uses, and the fields that hold references to other
entities (`x-ref`), which the library stack checks as coopctl does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DEFS = "defs.schema.json"
KINDS = ("partner", "agreement", "solution")

# A reference path: the keys from the top of a document to a field, "*" for any list item.
RefPath = tuple[str, ...]


def read_schema(schemas: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((schemas / name).read_text(encoding="utf-8"))
    return data


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        out = {key: _rewrite(value) for key, value in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(f"{DEFS}#/$defs/"):
            out["$ref"] = ref[len(DEFS) :]
        return out
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def bundled_schema(schemas: Path, kind: str) -> dict[str, Any]:
    """The kind's schema with the shared definitions inside it."""
    schema = _rewrite(read_schema(schemas, f"{kind}.schema.json"))
    shared = _rewrite(read_schema(schemas, DEFS)).get("$defs", {})
    own = schema.setdefault("$defs", {})
    clash = sorted(set(own) & set(shared))
    if clash:
        raise ValueError(f"{kind}.schema.json and {DEFS} both define {', '.join(clash)}")
    own.update(shared)
    left = sorted(set(_external_refs(schema)))
    if left:
        raise ValueError(f"{kind}.schema.json: references left outside the bundle: {left}")
    return schema


def _external_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield ref
        for value in node.values():
            yield from _external_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _external_refs(item)


def write_bundles(schemas: Path, target: Path) -> dict[str, Path]:
    """Write `KIND.schema.json` bundles into target; their paths by kind."""
    target.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind in KINDS:
        path = target / f"{kind}.schema.json"
        path.write_text(json.dumps(bundled_schema(schemas, kind), indent=1), encoding="utf-8")
        paths[kind] = path
    return paths


def format_names(schemas: Path) -> set[str]:
    """Every `format` value in the registry's schemas."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                names.add(node["format"])
            for key, value in node.items():
                if key not in ("properties", "$defs", "patternProperties") or not isinstance(
                    value, dict
                ):
                    walk(value)
                else:
                    for sub in value.values():
                        walk(sub)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(schemas.glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return names


def reference_paths(schema: dict[str, Any]) -> list[tuple[RefPath, str]]:
    """The paths of the fields marked `x-ref` in a bundled schema, with the kind each names."""
    defs = schema.get("$defs", {})
    found: set[tuple[RefPath, str]] = set()

    def walk(node: Any, path: RefPath, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        if isinstance(node.get("x-ref"), str):
            found.add((path, node["x-ref"]))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref not in seen:
            walk(defs.get(ref[len("#/$defs/") :]), path, seen | {ref})
        for name, sub in (node.get("properties") or {}).items():
            walk(sub, (*path, name), seen)
        if isinstance(node.get("items"), dict):
            walk(node["items"], (*path, "*"), seen)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or ():
                walk(sub, path, seen)
        for key in ("if", "then", "else", "not"):
            walk(node.get(key), path, seen)

    walk(schema, (), frozenset())
    return sorted(found)


def values_at(data: Any, path: RefPath, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """The values found at a reference path, each with its JSON pointer."""
    if not path:
        yield pointer, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from values_at(item, rest, f"{pointer}/{index}")
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, f"{pointer}/{head}")
