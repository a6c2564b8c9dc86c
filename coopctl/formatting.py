"""The canonical layout of registry files, as `coopctl fmt` writes it and `coopctl add` uses.

One layout for every file (see yamlio's writing section for the details): keys in the order
the schema gives (`x-key-order`, else the order of `properties`), dates single-quoted, other
quotes only where needed, comments and blank lines kept, the schema modeline on line 1.
Formatting twice gives the same bytes as formatting once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from coopctl.model import Problem
from coopctl.registry import kind_of_path
from coopctl.schemas import SchemaSet, schema_file, values_at
from coopctl.yamlio import dump_editable, load_editable, order_keys, quote_values


@dataclass(frozen=True)
class Formatted:
    """One file and its canonical text, or the problems that keep it from being formatted."""

    path: str
    original: bytes
    text: str | None
    problems: tuple[Problem, ...] = ()

    @property
    def changed(self) -> bool:
        return self.text is not None and self.text.encode("utf-8") != self.original

    def diff(self) -> str:
        """A unified diff from the file as it is to its canonical form ('' when unchanged)."""
        if not self.changed or self.text is None:
            return ""
        before = self.original.decode("utf-8", "replace").splitlines(keepends=True)
        after = self.text.splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{self.path}", f"b/{self.path}")
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def schema_target(kind: str) -> str:
    """The modeline's schema path, relative to a file in registry/<kind folder>/."""
    return f"../../schemas/{schema_file(kind)}"


def canonical_text(document: Any, kind: str, schemas: SchemaSet) -> str:
    """Lay out an editable document (see yamlio.load_editable) the canonical way."""
    rules = schemas.rules[kind]
    order_keys(document, rules.key_orders.get)
    quote_values(
        document,
        [path for pattern, _ in rules.dates for path, _ in values_at(document, pattern)],
    )
    return dump_editable(document, schema_target(kind))


def format_file(raw: bytes, path: str, schemas: SchemaSet) -> Formatted:
    """The canonical text of one registry file (path relative to the registry root)."""
    kind = kind_of_path(path)
    if kind is None:
        return Formatted(path, raw, None)
    document, problems = load_editable(raw, path)
    if document is None:
        return Formatted(path, raw, None, problems)
    return Formatted(path, raw, canonical_text(document, kind, schemas))
