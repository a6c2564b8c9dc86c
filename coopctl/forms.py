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

from coopctl.dates import DateError, typed_date
from coopctl.i18n import N_, _, catalog
from coopctl.schemas import ANY, Pattern, SchemaSet, schema_file, schema_text, walk_schema

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

KIND_NAMES = {
    "partner": N_("partner"),
    "agreement": N_("agreement"),
    "solution": N_("solution"),
    "event": N_("event"),
}


def kind_name(kind: str | None) -> str:
    """A kind of entry as a word of the language (partner, Vereinbarung, Lösung)."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else str(kind)


@dataclass(frozen=True)
class Choice:
    """One enum value; `name` is its label from coopctl.report.labels (the catalog's msgid or
    text), shown to people and accepted as an answer in German and English."""

    value: Any
    description: str
    name: str | None = None

    @property
    def label(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)

    @property
    def shown_name(self) -> str | None:
        """The label in the language of the run."""
        return _(self.name) if self.name else None

    def names(self) -> set[str]:
        """Every text that stands for this choice, folded: the value, its label in both
        languages, and for a Land the code without `DE-` (`NI`)."""
        found = {self.label.casefold()}
        if self.name:
            for lang in ("de", "en"):
                found |= _label_forms(catalog(lang).gettext(self.name))
        if isinstance(self.value, str) and self.value.startswith("DE-"):
            found.add(self.value[3:].casefold())
        return found


def _label_forms(label: str) -> set[str]:
    """A label and, for one with a parenthesis ("Absichtserklärung (Letter of Intent)"), each
    of its two parts, folded."""
    forms = {label.casefold()}
    head, bracket, tail = label.partition(" (")
    if bracket and tail.endswith(")"):
        forms |= {head.casefold(), tail[:-1].casefold()}
    return forms


def _label_table(values: Sequence[Any]) -> Mapping[str, str] | None:
    """The table of coopctl.report.labels that names every value of an enum, the one with the
    fewest other codes (partner types, Länder, event types ...); None when no table does."""
    from coopctl.report import labels

    tables = (
        labels.STATES,
        labels.PARTNER_TYPES,
        labels.INSTRUMENTS,
        labels.SPECIAL_STATUS,
        labels.PARTNER_LEGAL_FORMS,
        labels.LEGAL_FORMS,
        labels.TASK_TRANSFERS,
        labels.MEMBER_ROLES,
        labels.TASKS,
        labels.AGREEMENT_STATUS,
        labels.EVENT_TYPES,
        labels.AREAS,
        labels.SOLUTION_CATEGORIES,
        labels.SOLUTION_STATUS,
        labels.USE_STATUS,
        labels.THEMENFELDER,
    )
    codes = {v for v in values if isinstance(v, str)}
    if not codes or len(codes) != len(values):
        return None
    fitting = [t for t in tables if codes <= set(t)]
    return min(fitting, key=len) if fitting else None


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
    # x-asked-when: asked only where sibling fields hold one of the values given (an
    # event's body only for a council_decision)
    asked_when: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def asked_for(self, data: Mapping[str, Any]) -> bool:
        """Whether the field is asked, given the answers of its siblings so far."""
        return all(data.get(key) in values for key, values in self.asked_when)

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
    # Titles, descriptions and questions are in the catalog (coopctl/schema_texts.py).
    title = (
        schema_text(str(node["title"]))
        if node.get("title")
        else name.replace("_", " ").capitalize()
    )
    description = " ".join(schema_text(str(node.get("description", ""))).split())

    when = node.get("x-asked-when")
    asked_when = (
        tuple((str(k), tuple(v)) for k, v in when.items() if isinstance(v, list))
        if isinstance(when, Mapping)
        else ()
    )

    def make(input_: str, **details: Any) -> Field:
        return Field(
            name,
            title,
            description,
            input_,
            required,
            pattern=pattern,
            asked_when=asked_when,
            **details,
        )

    if "const" in node:
        return make(CONSTANT, constant=node["const"])
    if "x-ref" in node:
        return make(REFERENCE, reference=str(node["x-ref"]))
    if "enum" in node:
        descriptions = node.get("x-enum-descriptions") or {}
        table = _label_table(list(node["enum"]))
        choices = tuple(
            Choice(
                value,
                schema_text(str(descriptions.get(Choice(value, "").label, ""))),
                table.get(value) if table is not None else None,
            )
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
        question = schema_text(str(node.get("x-question", "")))
        return make(OBJECT, fields=fields, question=question)
    if kind in {"integer", "number"}:
        return make(NUMBER)
    if kind == "boolean":
        return make(FLAG)
    return make(TEXT)


# --- answers --------------------------------------------------------------------------------


class AnswerError(ValueError):
    """An answer that does not fit its field; the message says what would."""


YES = frozenset({"j", "ja", "y", "yes", "true"})
NO = frozenset({"n", "nein", "no", "false"})


def yes_or_no(text: str) -> bool | None:
    """True for j/ja/y/yes, False for n/nein/no (in any case, in either language); None for
    anything else."""
    folded = text.strip().casefold()
    return True if folded in YES else False if folded in NO else None


def typed_form(value: str) -> str:
    """A partial ISO date as an editor of the run's language types it: `23.04.2022`,
    `04.2022`, `2022` in German, ISO in English (what `typed_date` reads back)."""
    from coopctl.i18n import language

    if language() != "de" or typed_date_or_none(value) != value or len(value) < 7:
        return value
    year, month, *day = value.split("-")
    return ".".join([*day, month, year])


def typed_date_or_none(text: str) -> str | None:
    try:
        return typed_date(text)
    except DateError:
        return None


def parse_answer(field: Field, text: str, known_ids: Mapping[str, Sequence[str]]) -> Any:
    """The value an answer stands for. Choices accept their number, their value or their
    label in German or English (`Niedersachsen`, `NI`, `Landkreis`); dates are typed as
    people type them (`23.04.2022`, `04.2022`, `2022` or ISO) and kept as ISO; references must
    name an existing entity ("did you mean" otherwise)."""
    text = text.strip()
    if field.input == CHOICE:
        return _choose(field, text)
    if field.input == DATE:
        try:
            return typed_date(text)
        except DateError as exc:
            raise AnswerError(str(exc)) from None
    if field.input == REFERENCE:
        ids = known_ids.get(field.reference or "", ())
        if text not in ids:
            raise AnswerError(
                _("no {kind} with id '{id}'").format(kind=kind_name(field.reference), id=text)
                + did_you_mean(text, ids)
            )
        return text
    if field.input == NUMBER:
        try:
            return int(text)
        except ValueError:
            raise AnswerError(_("'{text}' is not a whole number").format(text=text)) from None
    if field.input == FLAG:
        answer = yes_or_no(text)
        if answer is None:
            raise AnswerError(_("'{text}' is not yes or no").format(text=text))
        return answer
    if field.input == CONSTANT:
        if text != str(field.constant):
            raise AnswerError(_("this field is always '{value}'").format(value=field.constant))
        return field.constant
    if not text:
        raise AnswerError(_("an answer is needed"))
    return text


def _choose(field: Field, text: str) -> Any:
    if text.isdigit() and 1 <= int(text) <= len(field.choices):
        return field.choices[int(text) - 1].value
    for choice in field.choices:
        if choice.label == text:
            return choice.value
    folded = text.casefold()
    for choice in field.choices:
        if folded in choice.names():
            return choice.value
    decided = yes_or_no(text)  # binding: true | false | unknown also takes ja / nein
    if decided is not None and any(c.value is decided for c in field.choices):
        return decided
    labels = [c.label for c in field.choices]
    names = [c.shown_name for c in field.choices if c.shown_name]
    raise AnswerError(
        _("'{text}' is not one of {choices}").format(text=text, choices=", ".join(labels))
        + did_you_mean(text, labels + names)
    )


def did_you_mean(text: str, candidates: Sequence[str]) -> str:
    """' (did you mean x?)' for the closest candidates, or ''."""
    close = difflib.get_close_matches(text, list(candidates), n=3, cutoff=0.6)
    if not close:
        folded = text.lower()
        close = [c for c in candidates if folded and folded in c.lower()][:3]
    if not close:
        return ""
    return " " + _("(did you mean {candidates}?)").format(candidates=_(" or ").join(close))


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
