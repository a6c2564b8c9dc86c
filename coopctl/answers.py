"""One answer checked on its own, as soon as it is given, and problems led back to fields.

`coopctl add` asks for one field at a time. What a single value decides is checked right
then, by the same rules validate applies: the field's subschema through the reference
validator (type, format, ECMA-262 pattern, choices), a date that must not lie ahead
(`x-not-future`), and for a partner's ARS or AGS what the key checks say about it together
with the answers given before (type, Land). References are checked when answers are parsed
(`coopctl.forms.parse_answer`). Problems only the whole registry can show come after the
last question; `field_path` leads each back to the field to ask again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.forms import LIST, OBJECT, Field, typed_form
from coopctl.i18n import _
from coopctl.localformat import format_date
from coopctl.schemas import SchemaSet, readable_path, value_messages
from coopctl.yamlio import split_pointer

_KEY_FIELDS = frozenset({"ars", "ags"})


@dataclass(frozen=True)
class AnswerCheck:
    """Checks answers for fields of one kind; `draft` is the entity as answered so far."""

    schemas: SchemaSet
    kind: str
    today: date
    draft: Mapping[str, Any]

    def __call__(self, field: Field, value: Any) -> str | None:
        """Why `value` cannot stand at `field`, or None."""
        messages = value_messages(self.schemas, self.kind, field.pattern, value)
        if messages:
            return messages[0]
        rules = self.schemas.rules[self.kind]
        if isinstance(value, str) and (field.pattern, True) in rules.dates:
            parsed = parse_partial_date(value)
            if parsed is not None and parsed.certainly_after(self.today):
                return _("{date} lies after today ({today})").format(
                    date=typed_form(value), today=format_date(self.today)
                )
        if self.kind == "partner" and field.pattern in {(name,) for name in _KEY_FIELDS}:
            return self._key_problem(field.name, value)
        return None

    def _key_problem(self, name: str, value: Any) -> str | None:
        from coopctl.checks import keys
        from coopctl.checks.context import CheckContext
        from coopctl.gv import load
        from coopctl.model import Entity

        data = {**self.draft, name: value}
        entity = Entity("partner", str(data.get("id", "")), "", data)
        context = CheckContext(self.schemas, self.today, load)
        for problem in keys.check(entity, context):
            if problem.pointer == f"/{name}":
                return problem.message
        return None


def field_path(form: Field, pointer: str | None) -> tuple[tuple[str | int, ...], Field] | None:
    """The path and form field a problem's pointer names (the deepest field of the form on
    the way, so a problem inside a value leads to that value); None for the whole document,
    for fields the form does not know, and for the id and kind, which are not asked again."""
    path: list[str | int] = []
    field = form
    found: tuple[tuple[str | int, ...], Field] | None = None
    for part in split_pointer(pointer or ""):
        if field.input == LIST and field.item is not None and part.isdigit():
            path.append(int(part))
            field = field.item
        elif field.input == OBJECT and field.field(part) is not None:
            child = field.field(part)
            assert child is not None
            path.append(part)
            field = child
        else:
            break
        found = (tuple(path), field)
    if found is None or found[0][:1] in {("id",), ("kind",)}:
        return None
    return found


def describe(path: tuple[str | int, ...]) -> str:
    return readable_path(list(path))


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(data, Mapping) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def set_at(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    """Put `value` at `path` in `data` (the path exists up to its last step)."""
    container: Any = data
    for part in path[:-1]:
        container = container[part]
    last = path[-1]
    if value is None:
        if isinstance(container, dict):
            container.pop(last, None)
        return
    container[last] = value
