"""The reference validator: jsonschema's draft 2020-12 validator as coopctl builds it.

Every verdict of coopctl is this validator's (the compiled fast path, `coopctl.compiled`, only
answers faster where it can prove the same answer). `$ref`s resolve only among the registry's
schema documents, by their names; formats are checked; patterns are ECMA-262 (`coopctl.ecma`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from coopctl.i18n import _
from coopctl.yamlio import join_pointer

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DIALECTS = frozenset({DIALECT, DIALECT + "#"})  # the names of draft 2020-12
# Where draft 2020-12 keeps subschemas: one, a list of them, or a mapping of names to them.
_ONE_SCHEMA = frozenset(
    {
        "additionalProperties",
        "contains",
        "contentSchema",
        "else",
        "if",
        "items",
        "not",
        "propertyNames",
        "then",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset(
    {"$defs", "definitions", "dependentSchemas", "patternProperties", "properties"}
)


class UnknownDialect(ValueError):
    """A schema names a dialect other than draft 2020-12."""

    def __init__(self, document: str, pointer: str, dialect: Any) -> None:
        super().__init__(
            _("{pointer}: $schema {dialect} is not supported").format(
                pointer=pointer or "/", dialect=repr(dialect)
            )
        )
        self.document = document


def check_schema(document: Mapping[str, Any]) -> None:
    """Check a schema against the draft 2020-12 meta-schema, patterns read as ECMA-262."""
    from coopctl.ecma import format_checker, reference_class

    validator_class: Any = reference_class()  # check_schema's format_checker is untyped
    validator_class.check_schema(document, format_checker=format_checker())


def reference_validator(documents: Mapping[str, Mapping[str, Any]], name: str) -> Validator:
    """jsonschema's validator for `documents[name]`, `$ref`s resolved among `documents` by name,
    formats checked, patterns ECMA-262 (`coopctl.ecma`): the reference for every verdict.

    jsonschema switches to its own validator classes (with Python's `re`) wherever a schema
    names a dialect in `$schema`. The reference reads copies of the documents without `$schema`
    (2020-12 is the default here), and a schema that names any other dialect is refused with
    UnknownDialect."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    from coopctl.ecma import format_checker, reference_class

    plain = {key: _without_dialect(key, doc, ()) for key, doc in documents.items()}
    registry: Registry[Any] = Registry().with_resources(
        (key, Resource.from_contents(doc, default_specification=DRAFT202012))
        for key, doc in plain.items()
    )
    return reference_class()(plain[name], registry=registry, format_checker=format_checker())


def _without_dialect(document: str, schema: Any, path: tuple[str | int, ...]) -> Any:
    """A copy of a schema without the keyword `$schema` at any depth (values of `const`,
    `enum` and annotations are kept as they are)."""
    if not isinstance(schema, Mapping):
        return schema
    copy: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword == "$schema":
            if value not in DIALECTS:
                raise UnknownDialect(document, join_pointer(path), value)
            continue
        here = (*path, keyword)
        if keyword in _ONE_SCHEMA:
            copy[keyword] = _without_dialect(document, value, here)
        elif keyword in _SCHEMA_LISTS and isinstance(value, list):
            copy[keyword] = [
                _without_dialect(document, sub, (*here, index)) for index, sub in enumerate(value)
            ]
        elif keyword in _SCHEMA_MAPS and isinstance(value, Mapping):
            copy[keyword] = {
                key: _without_dialect(document, sub, (*here, key)) for key, sub in value.items()
            }
        else:
            copy[keyword] = value
    return copy
