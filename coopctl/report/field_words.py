"""A field of an entry named in words for people, from the schemas' titles: the JSON pointer
`/events/0/date` of an agreement reads `Ereignis 1: Datum` in German and `Event 1: date` in
English, `/last_reviewed` reads `Zuletzt geprüft`.

The titles are those of coopctl's own schemas, translated through the catalog
(`coopctl.schemas.schema_text`). A key the schemas do not know is shown as it is (the
renderers escape it like every registry text). JSON keeps the pointer.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from coopctl.i18n import _
from coopctl.localformat import format_number
from coopctl.schemas import (
    ANY,
    Pattern,
    bundled_schema_dir,
    load_schemas,
    schema_file,
    schema_text,
    walk_schema,
)
from coopctl.yamlio import split_pointer


@cache
def _documents() -> Mapping[str, Mapping[str, Any]]:
    return load_schemas(bundled_schema_dir()).documents


@cache
def _titles(kind: str) -> Mapping[Pattern, str]:
    """The `title` of every field pattern of a kind's schema, untranslated."""
    documents = _documents()
    if schema_file(kind) not in documents:
        return {}
    return {
        pattern: str(node["title"])
        for pattern, node in walk_schema(documents, schema_file(kind))
        if isinstance(node.get("title"), str) and node["title"]
    }


def field_words(kind: str, pointer: str) -> str:
    """The field at `pointer` in an entry of `kind`, in words: one part per level, a list
    item named by the title of the list's items and its number (counted from 1)."""
    titles = _titles(kind)
    pattern: Pattern = ()
    parts: list[str] = []
    for token in split_pointer(pointer):
        if token.isdigit() and parts:
            # a list item: "Ereignis 1" (the title of the items, else of the list, and a number)
            pattern = (*pattern, ANY)
            item = titles.get(pattern)
            parts[-1] = _("{item} {number}").format(
                item=schema_text(item) if item else parts[-1], number=format_number(int(token) + 1)
            )
            continue
        pattern = (*pattern, token)
        title = titles.get(pattern)
        parts.append(schema_text(title) if title else token)
    if not parts:
        return _("the whole entry")
    words = parts[0]
    for part in parts[1:]:
        words = _("{field}: {part}").format(field=words, part=part)
    return words
