"""The canonical layout of registry files, as `coopctl fmt` writes it and `coopctl add` uses.

One layout for every file (see yamlio's writing section for the details): keys in the order
the schema gives (`x-key-order`, else the order of `properties`), dates single-quoted, other
quotes only where needed, comments and blank lines kept, the schema modeline on line 1.
Formatting twice gives the same bytes as formatting once.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coopctl.codes import new_problem
from coopctl.errors import UsageError
from coopctl.i18n import _
from coopctl.model import Problem
from coopctl.registry import kind_of_path
from coopctl.schemas import SchemaSet, schema_file, values_at
from coopctl.yamlio import YamlReader, dump_editable, load_editable, order_keys, quote_values

if TYPE_CHECKING:
    from coopctl.repairs import Repair


@dataclass(frozen=True)
class Fixed:
    """A repair made (`coopctl.repairs`), where it was made in the file as it was."""

    line: int
    column: int
    description: str


@dataclass(frozen=True)
class Formatted:
    """One file and its canonical text, or the problems that keep it from being formatted."""

    path: str
    original: bytes
    text: str | None
    problems: tuple[Problem, ...] = ()
    repairs: tuple[Fixed, ...] = ()

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


def format_file(raw: bytes, path: str, schemas: SchemaSet, *, fix: bool = False) -> Formatted:
    """The canonical text of one registry file (path relative to the registry root); with
    `fix`, after the mechanical repairs (`coopctl.repairs`). The text is read back with
    validate's reader; text that is refused or holds other data than the file (with the
    repairs) is never offered (F009)."""
    kind = kind_of_path(path)
    if kind is None:
        return Formatted(path, raw, None)
    document, problems = load_editable(raw, path)
    if document is None:
        return Formatted(path, raw, None, problems)
    reader = YamlReader()
    expected = reader.load(raw, path).data
    fixed: tuple[Fixed, ...] = ()
    if fix and expected is not None:
        fixed = _repair(raw, kind, schemas, document, expected)
    text = canonical_text(document, kind, schemas)
    again = reader.load(text.encode("utf-8"), path)
    if again.data is None or not same_data(again.data, expected):
        message = (
            _("the formatted file would not read as this file does: {reason}; left as it is")
            if again.problems
            else _("the formatted file would not read as this file does; left as it is")
        )
        reason = again.problems[0].message if again.problems else ""
        refusal = new_problem(
            "F009",
            message.format(reason=reason),
            path,
            line=1,
            column=1,
        )
        return Formatted(path, raw, None, (refusal,))
    return Formatted(path, raw, text, repairs=fixed)


def _repair(
    raw: bytes, kind: str, schemas: SchemaSet, document: Any, data: dict[str, Any]
) -> tuple[Fixed, ...]:
    """Make the repairs `data` needs in both the editable document and `data` itself."""
    from coopctl.locator import Locator
    from coopctl.repairs import repairs_for

    try:
        candidates = repairs_for(data, kind, schemas)
    except UsageError:
        raise
    except Exception:  # the boundary around jsonschema: validate reports this file (S001)
        return ()
    locator = Locator(raw)
    repairs, fixed = [], []
    for repair in candidates:
        line, column = locator.locate(repair.pointer, key=repair.rename)
        if _as_written(repair, locator.source_line(line), column):
            repairs.append(repair)
            fixed.append(Fixed(line, column, repair.description))
    for repair in sorted(repairs, key=lambda r: (r.rename, -len(r.path))):  # values first
        repair.apply(document)
        repair.apply(data)
    return tuple(sorted(fixed, key=lambda f: (f.line, f.column)))


def _as_written(repair: Repair, source: str | None, column: int) -> bool:
    """A number made text must end with the digits as the file has them: a key such as
    0310 read as an octal number under YAML 1.1 is another number and is not guessed at."""
    if not repair.number:
        return True
    written = re.match(r"[0-9]+", (source or "")[column - 1 :])
    return written is not None and repair.value.endswith(written.group())


def same_data(left: Any, right: Any) -> bool:
    """Equal data, with types compared too (True is not 1, 1 is not 1.0) and NaN equal to
    itself; mapping keys in any order."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same_data(v, right[k]) for k, v in left.items())
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same_data, left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)
