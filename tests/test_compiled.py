"""The compiled validators answer exactly what the reference validator answers.

The reference throughout is coopctl's jsonschema validator (`coopctl.schemas.
reference_validator`: draft 2020-12, a registry of the schema documents by name, the installed
format checker, ECMA-262 patterns). Every test compares a compiled predicate with it, on the
registry's files, on the example registries, on mutated registry documents, on a generated
registry, and on small schemas that exercise one keyword each with the instances where Python
and JSON Schema disagree. The outcome must be the same, exceptions included; the predicate may
decline an instance (raise `Declined`, and the caller asks the reference) only where the
reference may raise.
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib.util
import json
import math
import random
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator

from coopctl.compiled import compile_schema
from coopctl.reference import DIALECT, UnknownDialect, check_schema, reference_validator
from coopctl.schemas import SchemaSet, load_schemas, schema_file
from coopctl.yamlio import YamlReader

REPO = Path(__file__).parent.parent
KINDS = ("partner", "agreement", "solution")
KIND_OF_FOLDER = {f"{kind}s": kind for kind in KINDS}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Predicate = Callable[[Any], bool]


@functools.cache
def real_schemas() -> SchemaSet:
    return load_schemas(REPO / "schemas")


@functools.cache
def real_predicates() -> dict[str, Predicate]:
    predicates = {}
    for kind in KINDS:
        predicate = compile_schema(real_schemas().documents, schema_file(kind))
        assert predicate is not None, f"the {kind} schema must compile"
        predicates[kind] = predicate
    return predicates


def entity_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(kind, path) of every YAML file under `root` whose folder names a kind."""
    for path in sorted(root.rglob("*.yaml")):
        kind = KIND_OF_FOLDER.get(path.parent.name)
        if kind is not None and path.is_file():
            yield kind, path


def parsed(files: Iterator[tuple[str, Path]]) -> list[tuple[str, str, Any]]:
    """(kind, name, data) of the files YamlReader reads; the files it refuses are left out."""
    reader = YamlReader()
    documents = []
    for kind, path in files:
        data = reader.load(path.read_bytes(), str(path)).data
        if data is not None:
            documents.append((kind, path.relative_to(REPO).as_posix(), data))
    return documents


@functools.cache
def registry_documents() -> list[tuple[str, str, Any]]:
    return parsed(entity_files(REPO / "registry"))


def reference(documents: Mapping[str, Any], name: str) -> Validator:
    """The validator coopctl.schemas builds."""
    return reference_validator(documents, name)


def outcome(check: Predicate, instance: Any) -> bool | str:
    try:
        return bool(check(instance))
    except Exception as exc:
        return type(exc).__name__


def holds_inexact_number(instance: Any) -> bool:
    """Infinity, NaN or an integer that no float holds, anywhere in the instance."""
    if isinstance(instance, dict):
        return any(holds_inexact_number(value) for value in instance.values())
    if isinstance(instance, list):
        return any(holds_inexact_number(value) for value in instance)
    if isinstance(instance, float):
        return not math.isfinite(instance)
    if isinstance(instance, int) and not isinstance(instance, bool):
        try:
            float(instance)
        except OverflowError:
            return True
    return False


def assert_agrees(predicate: Predicate, validator: Validator, instance: Any) -> bool:
    """The predicate has the validator's outcome, an exception included, or declines an
    instance that holds a number the reference's arithmetic may raise on. Returns the
    reference's answer (False where it raises)."""
    expected = outcome(validator.is_valid, instance)
    found = outcome(predicate, instance)
    if found == "Declined":
        assert holds_inexact_number(instance), (instance, expected)
    else:
        assert found == expected, (instance, expected, found)
    return expected is True


# --- the registry and the examples ------------------------------------------------------------


def test_the_real_schemas_compile() -> None:
    assert set(real_predicates()) == set(KINDS)
    assert all(callable(predicate) for predicate in real_predicates().values())


@pytest.mark.parametrize("folder", ["registry", "tests/examples"], ids=["registry", "examples"])
def test_every_file_gets_the_reference_answer(folder: str) -> None:
    documents = parsed(entity_files(REPO / folder))
    answers = []
    for kind, name, data in documents:
        expected = real_schemas().validators[kind].is_valid(data)
        assert real_predicates()[kind](data) == expected, name
        answers.append(expected)
    assert len(documents) >= 20
    assert True in answers
    if folder == "tests/examples":
        assert False in answers  # the invalid examples include schema violations


def test_a_generated_registry_is_valid_under_both() -> None:
    path = REPO / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("coopctl_benchmark_generate", path)
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    arguments = argparse.Namespace(seed=7, gv=None, partners=150, agreements=40, solutions=20)
    files: dict[str, str] = generate.build(arguments)
    reader = YamlReader()
    kinds = set()
    for name, text in files.items():
        kind = KIND_OF_FOLDER[name.split("/")[1]]
        data = reader.load(text.encode(), name).data
        assert data is not None, name
        assert real_schemas().validators[kind].is_valid(data), name
        assert real_predicates()[kind](data), name
        kinds.add(kind)
    assert kinds == set(KINDS)
    # With the benchmark's injected problems (unknown fields and choices among them), the
    # files that still parse get the reference answer too.
    broken = dict(files)
    generate.inject(broken, 12, random.Random(3))
    answers = []
    for name, text in broken.items():
        data = reader.load(text.encode(), name).data
        if data is not None:
            kind = KIND_OF_FOLDER[name.split("/")[1]]
            expected = real_schemas().validators[kind].is_valid(data)
            assert real_predicates()[kind](data) == expected, name
            answers.append(expected)
    assert False in answers


# --- mutated registry documents ---------------------------------------------------------------


def _walk_schemas(node: Any, found: dict[str, set[Any]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                found["fields"].update(value)
            elif key == "enum":
                found["strings"].update(v for v in value if isinstance(v, str))
            elif key == "const" and isinstance(value, str):
                found["strings"].add(value)
            elif key == "pattern":
                found["patterns"].add(value)
            elif key in {"minLength", "maxLength"}:
                found["lengths"].add(value)
            _walk_schemas(value, found)
    elif isinstance(node, list):
        for item in node:
            _walk_schemas(item, found)


def _schema_facts() -> dict[str, list[Any]]:
    found: dict[str, set[Any]] = {
        "fields": set(),
        "strings": set(),
        "patterns": set(),
        "lengths": set(),
    }
    for path in sorted((REPO / "schemas").glob("*.schema.json")):
        _walk_schemas(json.loads(path.read_text(encoding="utf-8")), found)
    return {key: sorted(values) for key, values in found.items()}


def _values_by_key(node: Any, found: dict[str, list[Any]], key: str = "") -> None:
    """Every value of the registry by the name of the field that holds it; the items of a
    list by the name of the list followed by []."""
    if isinstance(node, dict):
        for name, value in node.items():
            found.setdefault(name, []).append(value)
            _values_by_key(value, found, name)
    elif isinstance(node, list):
        for item in node:
            found.setdefault(f"{key}[]", []).append(item)
            _values_by_key(item, found, f"{key}[]")


FACTS = _schema_facts()
OBSERVED: dict[str, list[Any]] = {}
for _kind, _name, _data in registry_documents():
    _values_by_key(_data, OBSERVED)
OBSERVED_STRINGS = sorted({v for vs in OBSERVED.values() for v in vs if isinstance(v, str)})
URL_HEAD = "https://example.org/"
TRICKY: list[Any] = [
    1,
    0,
    -1,
    True,
    False,
    1.0,
    0.0,
    1.5,
    2**64,
    float("inf"),
    float("nan"),
    "1",
    "",
    " ",
    "true",
    None,
    [],
    {},
    [1],
    [True, 1],
    ["a", "a"],
    {"url": 1},
    "x" * 65,
    "x" * 500,
    "x" * 501,
    "x" * 10_000,
    "x" * 10_001,
    URL_HEAD + "a" * (2000 - len(URL_HEAD)),
    URL_HEAD + "a" * (2001 - len(URL_HEAD)),
    "ü" * 64,
    "üü",
    "٣٣٣٣",
    "2024-02-30",
    "2024-13",
    "2024-1",
    "20240101",
    "2024\n",
    "2024-05-01\n",
    "031010000000\n",
    "DE-NI\n",
    "dataport\n",
    "dataport\r\n",
    "\u0660\u0663\u0661\u0660\u0661\u0660\u0660\u0660",
    "https://example.org/\x85",
    "https://example.org/\u180e",
    "https://example.org/\ufeff",
    "https://example.org/a b",
    "http://ä.de",
    "\x00",
    "😀",
]
# Strings just inside and just outside every length limit of the schemas, plain and as URLs.
BOUNDARIES = sorted(
    {
        head + "x" * (size - len(head))
        for limit in FACTS["lengths"]
        for size in (limit - 1, limit, limit + 1)
        for head in ("", URL_HEAD)
        if size >= len(head)
    }
)
NEAR_MISSES: list[Callable[[str], str]] = [
    str.upper,
    str.title,
    lambda s: s + "\n",
    lambda s: s + "\r\n",
    lambda s: s + "\r",
    lambda s: s + "\u2028",
    lambda s: s + "\x85",
    lambda s: s + "\u180e",
    lambda s: s.replace(" ", "\x85"),
    lambda s: s.replace(" ", "\u180e"),
    lambda s: s.replace(" ", "\ufeff"),
    lambda s: s.replace("a", "ä"),
    lambda s: s + " ",
    lambda s: " " + s,
    lambda s: s[:-1],
    lambda s: s + "-",
    lambda s: s.replace("-", "_"),
    lambda s: s.replace("-", "--"),
    lambda s: s + "ü",
    lambda s: s.replace("u", "ü"),
    lambda s: s.replace("0", "٠"),
    lambda s: s + "\u0301",
]

strings = st.one_of(
    st.sampled_from(FACTS["strings"] + OBSERVED_STRINGS),
    st.builds(
        lambda text, change: change(text),
        st.sampled_from(FACTS["strings"] + OBSERVED_STRINGS),
        st.sampled_from(NEAR_MISSES),
    ),
    st.one_of([st.from_regex(pattern) for pattern in FACTS["patterns"]]),
    st.text(max_size=12),
    # where ECMA-262 and Python's re part: line ends, Unicode digits, letters and spaces
    st.builds(
        lambda text, ending: text + ending,
        st.one_of([st.from_regex(pattern, fullmatch=True) for pattern in FACTS["patterns"]]),
        st.sampled_from(["", "\n", "\r\n", "\r", "\u2028", "\x85", "\u180e", "\ufeff"]),
    ),
    st.text(alphabet="az09-:/. \n\r\x85\u180e\ufeff\u00a0\u2028\u0663\u06f5äü", max_size=10),
)


def _locations(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _locations(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _locations(value, (*path, index))


def _replacement(data: st.DataObject, key: Any) -> Any:
    observed = OBSERVED.get(key) if isinstance(key, str) else None
    choices = [st.sampled_from(TRICKY), st.sampled_from(BOUNDARIES), strings]
    if observed:
        choices.append(st.sampled_from(observed))
    return copy.deepcopy(data.draw(st.one_of(choices)))


def mutate(data: st.DataObject, document: dict[str, Any]) -> None:
    """One change somewhere in the document, often deep inside a list."""
    path, node = data.draw(st.sampled_from(list(_locations(document))))
    if isinstance(node, dict):
        action = data.draw(st.sampled_from(["drop", "add", "replace"] if node else ["add"]))
        if action == "add":
            key = data.draw(
                st.sampled_from(FACTS["fields"]) | st.sampled_from(["x", "sauces", "Kind", "id "])
            )
            node[key] = _replacement(data, key)
        else:
            key = data.draw(st.sampled_from(sorted(node)))
            if action == "drop":
                del node[key]
            else:
                node[key] = _replacement(data, key)
    elif isinstance(node, list):
        key = f"{path[-1]}[]" if path else None
        action = data.draw(st.sampled_from(["append", "copy", "remove", "clear"]))
        if action == "append" or (action == "copy" and not node):
            node.append(_replacement(data, key))
        elif action == "copy":
            node.append(copy.deepcopy(data.draw(st.sampled_from(node))))
        elif action == "remove" and node:
            del node[data.draw(st.integers(0, len(node) - 1))]
        else:
            node.clear()
    elif path:
        parent: Any = document
        for part in path[:-1]:
            parent = parent[part]
        field = path[-1] if isinstance(path[-1], str) else f"{path[-2]}[]"
        parent[path[-1]] = _replacement(data, field)


@SETTINGS
@given(st.data())
def test_mutated_registry_documents_get_the_reference_answer(data: st.DataObject) -> None:
    kind, _name, original = data.draw(st.sampled_from(registry_documents()))
    document = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 3))):
        mutate(data, document)
    valid = real_predicates()[kind](document)
    assert valid == real_schemas().validators[kind].is_valid(document), document
    event("valid" if valid else "invalid")


@SETTINGS
@given(st.data())
def test_strings_at_their_limits_get_the_reference_answer(data: st.DataObject) -> None:
    """One text of a valid document replaced by a text just inside or outside a limit."""
    kind, _name, original = data.draw(st.sampled_from(registry_documents()))
    document = copy.deepcopy(original)
    texts = [path for path, node in _locations(document) if isinstance(node, str)]
    path = data.draw(st.sampled_from(texts))
    parent: Any = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = data.draw(st.sampled_from(BOUNDARIES))
    valid = real_predicates()[kind](document)
    assert valid == real_schemas().validators[kind].is_valid(document), path
    event("valid" if valid else "invalid")


@SETTINGS
@given(st.data())
def test_documents_of_another_kind_get_the_reference_answer(data: st.DataObject) -> None:
    _kind, _name, document = data.draw(st.sampled_from(registry_documents()))
    kind = data.draw(st.sampled_from(KINDS))
    expected = real_schemas().validators[kind].is_valid(document)
    assert real_predicates()[kind](document) == expected


# --- one keyword at a time --------------------------------------------------------------------

SCALARS: list[Any] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2,
    3,
    10,
    2**70,
    10**400,
    -(10**400),
    0.0,
    -0.0,
    1.0,
    1.5,
    2.0,
    0.3,
    1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    "",
    "0",
    "1",
    "a",
    "ab",
    "abc",
    "A",
    "ü",
    "ü" * 3,
    "u\u0308",
    "😀",
    "٣",
    "a\n",
    "a\r\n",
    "\na",
    "a\u2028",
    "\u00a0",
    "\x85",
    "\u180e",
    "\ufeff",
    "\u0663",
    "2024-01-31",
    "2024-02-30",
    "not a date",
    "user@example.org",
    "127.0.0.1",
    "999.0.0.1",
    "::1",
    "https://example.org",
    "ht tp://x",
    "[a-",
    "^a+$",
    "123e4567-e89b-12d3-a456-426614174000",
]
CONTAINERS: list[Any] = [
    [],
    [1],
    [True],
    [1, True],
    [1, 1.0],
    [0, False],
    [1, "1"],
    ["a", "a"],
    ["a", "b"],
    [[1], [True]],
    [[1], [True], [1]],
    [[1], [1.0]],
    [{"a": 1}, {"a": True}],
    [{"a": 1}, {"a": 1.0}],
    [{"a": 1}, {"b": 1}],
    [None, None],
    [1, 2, 3],
    [1, "a", None],
    [[], []],
    [{}, {}],
    {},
    {"a": 1},
    {"a": True},
    {"a": 1.0},
    {"a": float("inf"), "b": 2},
    {"b": 2, "a": float("nan")},
    {"a": "x", "b": 2},
    {"b": 1},
    {"ab": 1, "ba": 2},
    {"ü": 1},
    {"a\n": 1},
    {"children": []},
    {"children": [{"children": []}, {"children": [{}]}]},
    {"children": [{"children": [{"children": 1}]}]},
    {"next": {"next": {"next": None}}},
    {"next": {"next": {"next": "end"}}},
    {"if": 1, "then": 2},
    {"if": 1},
]
INSTANCES = SCALARS + CONTAINERS

json_values = st.recursive(
    st.one_of(
        st.sampled_from(SCALARS),
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=5),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["a", "b", "ab", "ü", "next", "children"]), inner),
    ),
    max_leaves=10,
)

TREE = {
    "type": "object",
    "properties": {"children": {"type": "array", "items": {"$ref": "#"}}},
}
SCHEMAS: dict[str, Any] = {
    # boolean schemas
    "true": True,
    "false": False,
    "empty": {},
    "not-true": {"not": True},
    "property-false": {"properties": {"a": False}},
    # type
    **{
        f"type-{name}": {"type": name}
        for name in ("object", "array", "string", "number", "integer", "boolean", "null")
    },
    "type-integer-or-null": {"type": ["integer", "null"]},
    "type-number-or-string": {"type": ["number", "string"]},
    # enum and const
    "enum-mixed": {"enum": [1, "1", True, None, [1], {"a": 1}, 1.5]},
    "enum-booleans": {"enum": [True, False, "unknown"]},
    "enum-zero": {"enum": [0]},
    "enum-false": {"enum": [False]},
    "enum-strings": {"enum": ["a", "ü", "2024-01-31"]},
    "enum-containers": {"enum": [[1, True], {"a": [1.0]}, []]},
    "enum-empty": {"enum": []},
    "const-true": {"const": True},
    "const-one": {"const": 1},
    "const-one-float": {"const": 1.0},
    "const-zero": {"const": 0},
    "const-null": {"const": None},
    "const-string": {"const": "a"},
    "const-list": {"const": [1, True]},
    "const-object": {"const": {"a": 1}},
    # objects
    "properties": {"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}},
    "required": {"required": ["a", "b"]},
    "closed": {
        "type": "object",
        "properties": {"a": {"type": "integer"}},
        "additionalProperties": False,
    },
    "additional-schema": {"properties": {"a": {}}, "additionalProperties": {"type": "integer"}},
    "additional-true-with-patterns": {
        "patternProperties": {"^a": {"type": "integer"}},
        "additionalProperties": True,
    },
    "pattern-properties": {
        "patternProperties": {"^a": {"type": "integer"}, "b$": {"type": "number"}},
        "additionalProperties": False,
    },
    "pattern-properties-unicode": {
        "patternProperties": {"^ü$": {"const": 1}},
        "additionalProperties": {"type": "string"},
    },
    "pattern-properties-empty-pattern": {
        "patternProperties": {"": {"type": "integer"}},
        "additionalProperties": False,
    },
    "object-sizes": {"minProperties": 1, "maxProperties": 2},
    "property-names": {"propertyNames": {"pattern": "^[a-z]+$"}},
    "dependent-required": {"dependentRequired": {"a": ["b"]}},
    # arrays
    "items": {"type": "array", "items": {"type": "integer"}},
    "prefix-items": {"prefixItems": [{"type": "integer"}, {"type": "string"}]},
    "prefix-items-closed": {"prefixItems": [{"type": "integer"}], "items": False},
    "prefix-items-then-items": {"prefixItems": [{}], "items": {"type": "boolean"}},
    "array-sizes": {"minItems": 1, "maxItems": 2},
    "unique": {"uniqueItems": True},
    "unique-false": {"uniqueItems": False},
    "unique-strings": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "contains": {"contains": {"type": "integer"}},
    "contains-bounds": {"contains": {"type": "integer"}, "minContains": 2, "maxContains": 3},
    "contains-none": {"contains": {"const": 1}, "minContains": 0, "maxContains": 1},
    "max-contains-alone": {"maxContains": 0},
    # strings
    "lengths": {"minLength": 2, "maxLength": 3},
    "lengths-float": {"minLength": 2.0},
    "pattern-anchored": {"pattern": "^[0-9]{4}(-[0-9]{2}){0,2}$"},
    "pattern-digits": {"pattern": "^\\d$"},
    "pattern-unanchored": {"pattern": "b"},
    "pattern-unicode": {"pattern": "^ü+$"},
    "pattern-word": {"pattern": "^\\w+$"},
    "pattern-empty": {"pattern": "^$"},
    "pattern-dollar": {"type": "string", "pattern": "^a$", "maxLength": 2},
    "pattern-space": {"pattern": "^\\s$"},
    "pattern-not-space": {"pattern": "^\\S+$"},
    "pattern-dot": {"pattern": "^.$"},
    "pattern-letter-class": {"pattern": "^\\p{L}+$"},
    "pattern-boundary": {"pattern": "\\bü"},
    "property-names-pattern": {"propertyNames": {"pattern": "^[a-z]+$"}},
    # numbers
    "minimum": {"minimum": 1},
    "maximum-float": {"maximum": 1.5},
    "exclusive": {"exclusiveMinimum": 0, "exclusiveMaximum": 2},
    "integer-range": {"type": "integer", "minimum": 0, "maximum": 3},
    "number-range": {"type": "number", "exclusiveMaximum": 1e308},
    "multiple-int": {"multipleOf": 2},
    "multiple-half": {"multipleOf": 0.5},
    "multiple-tenth": {"multipleOf": 0.1},
    "multiple-typed": {"type": "integer", "multipleOf": 3},
    # where the reference raises depends on the order of its keywords
    "multiple-after-maximum": {"not": {"multipleOf": 0.5, "maximum": 0}},
    "const-before-multiple": {"const": 3, "multipleOf": 1.5},
    "multiple-before-const": {"multipleOf": 1.5, "const": 3},
    "multiple-in-a-property": {
        "properties": {"a": {"multipleOf": 0.5}, "b": {"type": "string"}},
    },
    # format
    **{
        f"format-{name}": {"format": name}
        for name in ("date", "email", "ipv4", "ipv6", "uri", "regex", "uuid", "no-such-format")
    },
    "format-date-string": {"type": "string", "format": "date"},
    # applicators
    "all-of": {"allOf": [{"type": "integer"}, {"minimum": 1}]},
    "any-of": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
    "one-of": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
    "one-of-none": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
    "not": {"not": {"type": "string"}},
    "if-then-else": {
        "if": {"type": "integer"},
        "then": {"minimum": 2},
        "else": {"type": "string"},
    },
    "if-then": {"if": {"required": ["if"]}, "then": {"required": ["then"]}},
    "then-without-if": {"then": False, "else": False},
    # references
    "ref-defs": {"$defs": {"small": {"maximum": 2}}, "$ref": "#/$defs/small"},
    "ref-with-siblings": {"$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s", "minLength": 2},
    "ref-properties": {
        "properties": {"a": {"type": "integer"}, "b": {"$ref": "#/properties/a"}},
    },
    "ref-recursive-root": TREE,
    "ref-recursive-defs": {
        "$defs": {
            "node": {"type": ["object", "null"], "properties": {"next": {"$ref": "#/$defs/node"}}}
        },
        "$ref": "#/$defs/node",
    },
    "ref-escaped": {
        "$defs": {"a/b": {"const": 1}, "c~d": {"$ref": "#/$defs/a~1b"}},
        "$ref": "#/$defs/c~0d",
    },
    "ref-into-list": {"anyOf": [{"type": "null"}, {"$ref": "#/anyOf/0"}]},
    # annotations are ignored
    "annotations": {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "t",
        "description": "d",
        "$comment": "c",
        "examples": [1],
        "default": 1,
        "deprecated": True,
        "readOnly": True,
        "writeOnly": False,
        "definitions": {},
        "x-ref": "partner",
        "x-anything": {"type": "integer"},
        "type": "integer",
    },
}


ANSWERS = {
    **dict.fromkeys(
        [
            "true",
            "empty",
            "unique-false",
            "max-contains-alone",
            "then-without-if",
            "format-uri",
            "format-no-such-format",
        ],
        frozenset({True}),
    ),
    **dict.fromkeys(["false", "not-true", "enum-empty"], frozenset({False})),
}


@functools.cache
def synthetic(name: str) -> tuple[Predicate, Validator]:
    schema = SCHEMAS[name]
    check_schema(schema)
    documents = {"schema.json": schema}
    predicate = compile_schema(documents, "schema.json")
    assert predicate is not None, name
    return predicate, reference(documents, "schema.json")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_keyword_on_tricky_instances(name: str) -> None:
    predicate, validator = synthetic(name)
    answers = {assert_agrees(predicate, validator, instance) for instance in INSTANCES}
    # The instances tell valid from invalid, except under the schemas that decide nothing.
    assert answers == ANSWERS.get(name, {True, False}), name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@settings(max_examples=60, deadline=None)
@given(instance=json_values)
def test_each_keyword_on_generated_instances(name: str, instance: Any) -> None:
    predicate, validator = synthetic(name)
    assert_agrees(predicate, validator, instance)


def test_jsonschema_quirks_that_the_predicates_keep() -> None:
    """What jsonschema answers where a reader of the specification might expect otherwise;
    the compiled predicates answer the same."""
    cases: list[tuple[Any, Any, bool]] = [
        ({"type": "integer"}, 1.0, True),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
        ({"enum": [1]}, True, False),
        ({"enum": [1]}, 1.0, True),
        ({"const": [1]}, [True], False),
        ({"uniqueItems": True}, [1, True], True),
        ({"uniqueItems": True}, [1, 1.0], False),
        # sorting sees [1] and [True] as equal, so the two [1] never become neighbours
        ({"uniqueItems": True}, [[1], [True], [1]], True),
        # patterns are ECMA-262: "$" is the end of the text, and a search is not anchored
        ({"pattern": "^a$"}, "a\n", False),
        ({"pattern": "^a$"}, "a\r\n", False),
        ({"pattern": "[0-9]"}, "x1x", True),
        # \d and \w are ASCII; \s is ECMA-262's list of spaces (U+FEFF in, U+0085 out)
        ({"pattern": "^\\d$"}, "\u0663", False),
        ({"pattern": "^\\w$"}, "ü", False),
        ({"pattern": "^\\s$"}, "\ufeff", True),
        ({"pattern": "^\\s$"}, "\x85", False),
        ({"pattern": "^\\s$"}, "\u180e", False),
        ({"pattern": "^.$"}, "\u2028", False),
        ({"propertyNames": {"pattern": "^[a-z]+$"}}, {"name\n": 1}, False),
        # each pattern of patternProperties exempts a property on its own (jsonschema joins
        # them with "|", where an empty pattern made the joined text empty)
        ({"patternProperties": {"": {}}, "additionalProperties": False}, {"a": 1}, True),
        ({"patternProperties": {"^a$": {}}, "additionalProperties": False}, {"a\n": 1}, False),
        # formats without an installed checker do not assert anything
        ({"format": "uri"}, "not a uri", True),
        ({"format": "date"}, "2024-02-30", False),
        ({"multipleOf": 0.1}, 0.3, False),
    ]
    for schema, instance, answer in cases:
        documents = {"schema.json": schema}
        assert reference(documents, "schema.json").is_valid(instance) is answer, (schema, instance)
        predicate = compile_schema(documents, "schema.json")
        assert predicate is not None
        assert predicate(instance) is answer, (schema, instance)


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"not": {"multipleOf": 0.5, "maximum": 0}}, float("inf")),
        ({"const": 1, "multipleOf": 1.5}, 10**400),
        ({"multipleOf": 1.5, "const": 1}, 10**400),
        ({"properties": {"a": {"multipleOf": 0.5}, "b": {"type": "string"}}}, {"b": 2, "a": 1e999}),
    ],
    ids=repr,
)
def test_where_the_reference_raises_depends_on_its_order_the_predicate_declines(
    schema: Any, instance: Any, tmp_path: Path
) -> None:
    """jsonschema evaluates keywords in the order a schema lists them and stops at the first
    failing one; its `multipleOf` raises on infinity and on integers beyond floats. The
    predicate declines such instances, and a registry's SchemaSet then has the reference's
    outcome, whichever it is."""
    documents = {"schema.json": schema}
    predicate = compile_schema(documents, "schema.json")
    assert predicate is not None
    assert outcome(predicate, instance) == "Declined"
    assert predicate(0.5 if "properties" not in schema else {"a": 0.5}) in {True, False}
    # The same schema as a field of a registry's partner schema.
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    partner_file = tmp_path / "schemas" / schema_file("partner")
    partner_schema = json.loads(partner_file.read_text(encoding="utf-8"))
    partner_schema["properties"]["measure"] = schema
    partner_file.write_text(json.dumps(partner_schema), encoding="utf-8")
    schemas = load_schemas(tmp_path / "schemas")
    _kind, _name, document = next(d for d in registry_documents() if d[0] == "partner")
    document = {**document, "measure": instance}
    expected = outcome(schemas.validators["partner"].is_valid, document)
    assert outcome(lambda value: schemas.is_valid("partner", value), document) == expected


def test_references_across_documents_and_back() -> None:
    documents: dict[str, Any] = {
        "a.json": {
            "type": "object",
            "properties": {"b": {"$ref": "b.json#/$defs/b"}, "n": {"$ref": "b.json#/$defs/n"}},
        },
        "b.json": {
            "$defs": {
                "b": {"type": ["object", "null"], "properties": {"a": {"$ref": "a.json"}}},
                "n": {"$ref": "#/$defs/m"},
                "m": {"type": "integer"},
            }
        },
    }
    predicate = compile_schema(documents, "a.json")
    assert predicate is not None
    validator = reference(documents, "a.json")
    instances = [
        {},
        {"n": 1},
        {"n": 1.5},
        {"b": None},
        {"b": {"a": {"b": {"a": {"n": 2}}}}},
        {"b": {"a": {"b": {"a": {"n": "2"}}}}},
        {"b": {"a": 1}},
        [],
    ]
    answers = {assert_agrees(predicate, validator, instance) for instance in instances}
    assert answers == {True, False}


# --- what the compiler leaves to jsonschema ---------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        {"unevaluatedProperties": False},
        {"unevaluatedItems": False},
        {"$dynamicRef": "#node"},
        {"$anchor": "node"},
        {"contentSchema": {"type": "object"}},
        {"properties": {"a": {"unevaluatedProperties": False}}},
        {"$defs": {"x": {"dependentSchemas": {}}}, "anyOf": [{"$ref": "#/$defs/x"}]},
        {"$ref": "#node"},
        {"$ref": "#/$defs/missing"},
        {"$ref": "elsewhere.json"},
        {"$defs": {"x": {"$id": "x.json"}}, "$ref": "#/$defs/x"},
        {"$schema": "http://json-schema.org/draft-07/schema#"},
        {"properties": {"a": {"$schema": "http://json-schema.org/draft-04/schema#"}}},
        {"allOf": [{"$schema": "https://json-schema.org/draft/2020-12/schema"}]},
        {"pattern": "(?P<name>a)"},
        {"pattern": "\\Z"},
        {"multipleOf": 10**400},
        {"type": "decimal"},
        {"minLength": -1},
        {"pattern": "(unclosed"},
        {"patternProperties": {"b": {}, "(?i)a": {}}, "additionalProperties": False},
        {"multipleOf": 0},
        {"uniqueItems": 1},
    ],
    ids=repr,
)
def test_what_it_does_not_know_compiles_to_none(schema: Any) -> None:
    assert compile_schema({"schema.json": schema}, "schema.json") is None


def test_a_nested_dialect_is_declined_by_the_fast_path_and_refused_by_the_reference() -> None:
    """jsonschema reads a subschema with `$schema` in that dialect: draft 4 has no 5.0 among
    its integers. The fast path read it as draft 2020-12 and accepted 5.0."""
    draft4 = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"}
    documents = {"schema.json": {"properties": {"a": draft4}}}
    assert compile_schema(documents, "schema.json") is None
    with pytest.raises(UnknownDialect, match="draft-04"):
        reference(documents, "schema.json")
    # The dialect coopctl reads may be named anywhere; it changes nothing.
    named = {"schema.json": {"properties": {"a": {**draft4, "$schema": DIALECT}}}}
    assert reference(named, "schema.json").is_valid({"a": 5.0})


def test_unreached_definitions_do_not_matter() -> None:
    schema = {"$defs": {"unused": {"unevaluatedProperties": False}}, "type": "integer"}
    assert compile_schema({"schema.json": schema}, "schema.json") is not None
    assert compile_schema({"schema.json": schema}, "other.json") is None


def test_every_jsonschema_keyword_is_compiled_or_declined() -> None:
    """Every keyword jsonschema knows is either compiled or declined, never skipped."""
    for keyword in sorted(Draft202012Validator.VALIDATORS):
        value: Any = {
            "$ref": "#",
            "$dynamicRef": "#",
            "type": "string",
            "required": [],
            "enum": [1],
            "const": 1,
            "format": "date",
            "pattern": "a",
            "uniqueItems": True,
            "dependentRequired": {},
        }.get(keyword, 1 if re.match("m(in|ax)|multipleOf|exclusive", keyword) else {})
        if keyword in {"allOf", "anyOf", "oneOf", "prefixItems"}:
            value = [{}]
        if keyword in {"properties", "patternProperties", "dependentSchemas"}:
            value = {"a": {}}
        schema = {keyword: value}
        Draft202012Validator.check_schema(schema)
        predicate = compile_schema({"schema.json": schema}, "schema.json")
        if predicate is not None:
            validator = reference({"schema.json": schema}, "schema.json")
            for instance in INSTANCES:
                assert_agrees(predicate, validator, instance)
        else:
            assert keyword in {
                "$dynamicRef",
                "dependentSchemas",
                "unevaluatedItems",
                "unevaluatedProperties",
            }
