"""Forms derived from the schemas: what `coopctl add` asks for and how answers become values.

A `Field` describes one key of an entity (or of a list item) as the schema defines it: its
title and description, whether it is required, and how an answer is read (text, a choice
among the enum values, a partial date, the id of another entity, a list, a nested object).
Nothing here is written twice: titles, descriptions, choices and key order all come from
the JSON Schemas. Parsing answers is pure, so prompts and `--set` share it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.schemas import ANY, Pattern, SchemaSet, schema_file, walk_schema

TEXT, CHOICE, DATE, REFERENCE, LIST, OBJECT, CONSTANT, NUMBER, FLAG = (
    "text",
    "choice",
    "date",
    "reference",
    "list",
    "object",
    "constant",
    "number",
    "flag",
)
_DATE_PATTERN_START = "^[0-9]{4}(-"


@dataclass(frozen=True)
class Choice:
    value: Any
    description: str

    @property
    def label(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class Field:
    """One key of a form. `fields` for objects (in the schema's key order), `item` for lists."""

    name: str
    title: str
    description: str
    input: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    reference: str | None = None
    item: Field | None = None
    fields: tuple[Field, ...] = ()
    constant: Any = None
    pattern: Pattern = ()
    question: str = ""  # x-question: the yes/no question that opens an optional group

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def required_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    @property
    def optional_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.required)


def entity_form(schemas: SchemaSet, kind: str) -> Field:
    """The form of a whole entity of `kind`."""
    return _form_at(schemas, kind, ())


def item_form(schemas: SchemaSet, kind: str, pattern: Pattern) -> Field:
    """The form of the object at `pattern` (e.g. ("events", "*") for one event)."""
    return _form_at(schemas, kind, pattern)


def _form_at(schemas: SchemaSet, kind: str, start: Pattern) -> Field:
    nodes = dict(walk_schema(schemas.documents, schema_file(kind)))
    return _build(nodes, start, start[-1] if start else kind, required=True)


def _build(
    nodes: Mapping[Pattern, Mapping[str, Any]], pattern: Pattern, name: str, required: bool
) -> Field:
    node = nodes[pattern]
    title = str(node.get("title") or name.replace("_", " ").capitalize())
    description = " ".join(str(node.get("description", "")).split())

    def make(input_: str, **details: Any) -> Field:
        return Field(name, title, description, input_, required, pattern=pattern, **details)

    if "const" in node:
        return make(CONSTANT, constant=node["const"])
    if "x-ref" in node:
        return make(REFERENCE, reference=str(node["x-ref"]))
    if "enum" in node:
        descriptions = node.get("x-enum-descriptions") or {}
        choices = tuple(
            Choice(value, str(descriptions.get(Choice(value, "").label, "")))
            for value in node["enum"]
        )
        return make(CHOICE, choices=choices)
    if str(node.get("pattern", "")).startswith(_DATE_PATTERN_START):
        return make(DATE)
    kind = node.get("type")
    if kind == "array" and (*pattern, ANY) in nodes:
        item = _build(nodes, (*pattern, ANY), name, required=True)
        return make(LIST, item=item)
    if kind == "object" or "properties" in node:
        required_keys = set(node.get("required") or ())
        order = node.get("x-key-order") or list(node.get("properties") or ())
        fields = tuple(
            _build(nodes, (*pattern, key), key, key in required_keys)
            for key in order
            if (*pattern, key) in nodes
        )
        return make(OBJECT, fields=fields, question=str(node.get("x-question", "")))
    if kind in {"integer", "number"}:
        return make(NUMBER)
    if kind == "boolean":
        return make(FLAG)
    return make(TEXT)


# --- answers --------------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer that does not fit its field; the message says what would."""


def parse_answer(field: Field, text: str, known_ids: Mapping[str, Sequence[str]]) -> Any:
    """The value an answer stands for. Choices accept their number or their value; dates must
    be partial ISO dates; references must name an existing entity ("did you mean" otherwise)."""
    text = text.strip()
    if field.input == CHOICE:
        return _choose(field, text)
    if field.input == DATE:
        if parse_partial_date(text) is None:
            raise AnswerError(f"'{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD")
        return text
    if field.input == REFERENCE:
        ids = known_ids.get(field.reference or "", ())
        if text not in ids:
            raise AnswerError(
                f"no {field.reference} with id '{text}'{did_you_mean(text, ids)}".rstrip()
            )
        return text
    if field.input == NUMBER:
        try:
            return int(text)
        except ValueError:
            raise AnswerError(f"'{text}' is not a whole number") from None
    if field.input == FLAG:
        if text.lower() in {"true", "yes", "ja", "y", "j"}:
            return True
        if text.lower() in {"false", "no", "nein", "n"}:
            return False
        raise AnswerError(f"'{text}' is not yes or no")
    if field.input == CONSTANT:
        if text != str(field.constant):
            raise AnswerError(f"this field is always '{field.constant}'")
        return field.constant
    if not text:
        raise AnswerError("an answer is needed")
    return text


def _choose(field: Field, text: str) -> Any:
    if text.isdigit() and 1 <= int(text) <= len(field.choices):
        return field.choices[int(text) - 1].value
    for choice in field.choices:
        if choice.label == text or choice.label.lower() == text.lower():
            return choice.value
    labels = [c.label for c in field.choices]
    raise AnswerError(
        f"'{text}' is not one of {', '.join(labels)}{did_you_mean(text, labels)}".rstrip()
    )


def did_you_mean(text: str, candidates: Sequence[str]) -> str:
    """' (did you mean x?)' for the closest candidates, or ''."""
    close = difflib.get_close_matches(text, list(candidates), n=3, cutoff=0.6)
    if not close:
        folded = text.lower()
        close = [c for c in candidates if folded and folded in c.lower()][:3]
    return f" (did you mean {' or '.join(close)}?)" if close else ""


# --- ids --------------------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ẞ": "ss"}
)
MAX_ID_LENGTH = 64


def slug(name: str) -> str:
    """An id suggested from a name: lower case, umlauts transliterated (Nürnberg → nuernberg),
    other accents dropped, everything else a single hyphen, at most 64 characters."""
    import unicodedata

    text = name.translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return text[:MAX_ID_LENGTH].rstrip("-")


def unique_id(suggestion: str, taken: Sequence[str]) -> str:
    """`suggestion`, or with -2, -3 ... appended when that id is taken."""
    if suggestion not in taken:
        return suggestion
    number = 2
    while f"{suggestion[: MAX_ID_LENGTH - 4]}-{number}" in taken:
        number += 1
    return f"{suggestion[: MAX_ID_LENGTH - 4]}-{number}"
