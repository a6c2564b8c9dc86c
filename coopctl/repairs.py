"""The mechanical repairs `fmt --fix` and `validate --fix` make: those with exactly one answer.

* an AGS or ARS written without quotes, read as a number (its leading zero gone), becomes the
  key as text, zero-padded to the field's length, if that key is in the Gemeindeverzeichnis;
* a year written without quotes (`published: 2020`, read as a number) becomes the text '2020';
* a choice in the wrong case (`Kreisfreie_Stadt`) becomes the one choice it matches;
* a misspelt field (`webseite`) gets its intended name, where the schema knows exactly one
  close name and the mapping does not have that field already.

The repairs are found from the schema's errors on the loaded data and applied to any nested
mappings and lists: to the round-trip document that fmt writes and to the loaded data that
the written file is checked against.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from coopctl.i18n import _
from coopctl.schemas import SchemaSet, digits_length, quoted_number, readable_path
from coopctl.yamlio import join_pointer, quoted, yaml_text

Path = tuple[str | int, ...]
_YEAR = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Repair:
    """One change: the value at `path` set to `value`, or (with `rename`) the key at the end
    of `path` renamed to `value`."""

    path: Path
    value: Any
    description: str
    rename: bool = False
    number: bool = False  # a number made text (then the file must hold its digits)

    @property
    def pointer(self) -> str:
        return join_pointer(self.path)

    def apply(self, document: Any) -> None:
        parent = document
        for part in self.path[:-1]:
            parent = parent[part]
        last = self.path[-1]
        if not self.rename:
            parent[last] = self.value
            return
        keys = list(parent)
        if hasattr(parent, "insert"):  # a round-trip mapping: keep the place and comments
            comments = getattr(parent, "ca", None)
            parent.insert(keys.index(last), self.value, parent.pop(last))
            if comments is not None and last in comments.items:
                comments.items[self.value] = comments.items.pop(last)
        else:
            parent[self.value] = parent.pop(last)


KeyExists = Callable[[str, int], bool]


def known_key(key: str, length: int) -> bool:
    """Whether an 8-digit AGS or a 12-digit ARS is in the bundled Gemeindeverzeichnis."""
    from coopctl.gv import load

    directory = load()
    if length == 8:
        return directory.by_ags(key) is not None
    return bool(directory.entries_for_ars(key))


def repairs_for(
    data: Mapping[str, Any], kind: str, schemas: SchemaSet, key_exists: KeyExists = known_key
) -> list[Repair]:
    """The repairs one loaded document needs, in the order of their paths."""
    if schemas.is_valid(kind, data):
        return []
    dates = {pattern for pattern, _ in schemas.rules[kind].dates}
    found: dict[Path, Repair] = {}
    for error in _errors(schemas.validators[kind].iter_errors(data)):
        path = tuple(error.absolute_path)
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        for repair in _repairs_of(str(error.validator), path, schema, error.instance, dates):
            if repair.path not in found and _checked(repair, schema, key_exists):
                found[repair.path] = repair
    return [found[path] for path in sorted(found, key=lambda p: [str(part) for part in p])]


def _errors(errors: Any) -> Iterator[Any]:
    for error in errors:
        yield error
        if error.context:
            yield from _errors(error.context)


def _pattern_of(path: Path) -> tuple[str, ...]:
    return tuple("*" if isinstance(part, int) else part for part in path)


def _repairs_of(
    keyword: str, path: Path, schema: Mapping[str, Any], instance: Any, dates: set[Any]
) -> Iterator[Repair]:
    where = readable_path(path)
    is_number = isinstance(instance, int | float) and not isinstance(instance, bool)
    if keyword == "type" and schema.get("type") == "string" and is_number:
        if digits_length(schema) is not None and isinstance(instance, int):
            text = quoted_number(instance, schema)
            yield Repair(
                path,
                text,
                _("{where}: {old} -> '{new}' (quoted key)").format(
                    where=where, old=yaml_text(instance), new=text
                ),
                number=True,
            )
        elif (
            _pattern_of(path) in dates
            and isinstance(instance, int)
            and _YEAR.fullmatch(str(instance))
        ):
            yield Repair(
                path,
                str(instance),
                _("{where}: {old} -> '{new}' (date)").format(
                    where=where, old=instance, new=instance
                ),
                number=True,
            )
    elif keyword == "enum" and isinstance(instance, str):
        same = [
            c
            for c in schema.get("enum", ())
            if isinstance(c, str) and c.lower() == instance.lower()
        ]
        if len(same) == 1 and same[0] != instance:
            description = _("{where}: {old} -> {new}").format(
                where=where, old=quoted(instance), new=quoted(same[0])
            )
            yield Repair(path, same[0], description)
    elif keyword in {"additionalProperties", "unevaluatedProperties"} and isinstance(
        instance, dict
    ):
        known = [str(k) for k in (schema.get("properties") or {})]
        for extra in instance:
            if not isinstance(extra, str) or extra in known:
                continue
            close = difflib.get_close_matches(extra, known, n=2, cutoff=0.6)
            if len(close) == 1 and close[0] not in instance:
                yield Repair(
                    (*path, extra),
                    close[0],
                    _("{where}: field {old} renamed to {new}").format(
                        where=readable_path((*path, extra)), old=quoted(extra), new=quoted(close[0])
                    ),
                    rename=True,
                )


def _checked(repair: Repair, schema: Mapping[str, Any], key_exists: KeyExists) -> bool:
    """A zero-padded key is a repair only if the Gemeindeverzeichnis has it."""
    if repair.rename or not isinstance(repair.value, str):
        return True
    length = digits_length(schema)
    if length is None:
        return True
    return len(repair.value) == length and key_exists(repair.value, length)
