"""Changing fields of an existing entity file, keeping its comments and layout.

`coopctl set` turns each `PATH=VALUE`, `PATH+=VALUE`, `PATH-=VALUE` and `--unset PATH` into a
`FieldEdit`; `edited_text` applies them to the file's round-trip document and returns its new
text. Setting and appending read values exactly as `add --set` does (`coopctl.authoring`):
typed by the schema, references checked, `[..]`/`{..}` as YAML flow. Everything not named
stays as it was: comments, blank lines, quoting, key order.

Pure: nothing here reads the registry or writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from dataclasses import dataclass
from typing import Any

from coopctl.authoring import Assignment, parse_flow
from coopctl.authoring import _apply as apply_assignment  # add --set's rules, one assignment
from coopctl.errors import UsageError
from coopctl.formatting import canonical_text, format_file, schema_target
from coopctl.forms import LIST, OBJECT, AnswerError, Field, entity_form
from coopctl.schemas import SchemaSet, values_at
from coopctl.yamlio import dump_editable, load_editable, quote_values

SET, APPEND, REMOVE, UNSET = "=", "+=", "-=", "unset"
_EDIT = re.compile(r"^(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)(?P<op>[+-]?=)")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")


@dataclass(frozen=True)
class FieldEdit:
    """One change: set a value, append to a list, remove an item from a list, or unset."""

    path: tuple[str, ...]
    op: str
    text: str = ""

    @classmethod
    def parse(cls, option: str) -> FieldEdit:
        match = _EDIT.match(option)
        if not match:
            raise UsageError(
                f"'{option}': expected PATH=VALUE, PATH+=VALUE or PATH-=VALUE",
                hint="for example last_reviewed=2026-11-30, areas+=basisdienste or "
                "areas-=smart_city",
            )
        return cls(tuple(match["path"].split(".")), match["op"], option[match.end() :])

    @classmethod
    def unset(cls, path: str) -> FieldEdit:
        if not _PATH.fullmatch(path):
            raise UsageError(
                f"--unset '{path}': expected a dotted PATH",
                hint="for example --unset website or --unset sources.1",
            )
        return cls(tuple(path.split(".")), UNSET)

    @property
    def name(self) -> str:
        return ".".join(self.path)


def apply_edits(
    document: dict[str, Any],
    form: Field,
    edits: Sequence[FieldEdit],
    known_ids: Mapping[str, Sequence[str]],
) -> None:
    """Apply `edits` to `document` in order (UsageError naming the first that cannot)."""
    for edit in edits:
        try:
            if edit.op in {SET, APPEND}:
                assignment = Assignment(edit.path, edit.op == APPEND, edit.text)
                apply_assignment(document, form, assignment, known_ids)
                continue
            container, key, field = _locate(document, form, edit.path)
            if edit.op == UNSET:
                del container[key]
            else:
                _remove(container[key], field, edit.text)
        except AnswerError as exc:
            raise UsageError(f"{edit.name}: {exc}") from None


def edited_text(
    raw: bytes,
    path: str,
    kind: str,
    schemas: SchemaSet,
    edits: Sequence[FieldEdit],
    known_ids: Mapping[str, Sequence[str]],
) -> str:
    """The text of the entity file `raw` with `edits` applied; all else stays as it was.
    A file in fmt's canonical layout stays canonical (a new field takes its place in the
    schema's key order); in any other file only the edited values change, new fields go to
    the end of their mapping and dates set are quoted ('2026-11', never 2026-11)."""
    canonical = not format_file(raw, path, schemas).changed
    document, problems = load_editable(raw, path, keep_quotes=not canonical)
    if document is None:
        problem = problems[0]
        raise UsageError(
            f"{path}:{problem.line}:{problem.column}: cannot change fields: {problem.message}",
            hint=f"fix the file first (coopctl validate shows all problems; coopctl edit "
            f"opens it) [{problem.code}]",
        )
    apply_edits(document, entity_form(schemas, kind), edits, known_ids)
    if canonical:
        return canonical_text(document, kind, schemas)
    edited = [edit.path for edit in edits if edit.op in {SET, APPEND}]
    quote_values(
        document,
        [
            where
            for pattern, _ in schemas.rules[kind].dates
            for where, _ in values_at(document, pattern)
            if any(tuple(map(str, where[: len(named)])) == named for named in edited)
        ],
    )
    return dump_editable(document, schema_target(kind))


def _locate(document: Any, form: Field, path: tuple[str, ...]) -> tuple[Any, Any, Field]:
    """The container holding the value at `path`, its key there, and the value's field."""
    container: Any = document
    field = form
    for depth, part in enumerate(path):
        key: str | int
        if field.input == LIST and field.item is not None:
            if not part.isdigit():
                raise AnswerError(f"'{part}' is not a list position (0, 1, ...)")
            key, child = int(part), field.item
            if not isinstance(container, MutableSequence) or key >= len(container):
                raise AnswerError(f"there is no item {key} (the list has {len(container)})")
        else:
            found = field.field(part)
            if found is None:
                known = ", ".join(f.name for f in field.fields)
                raise AnswerError(f"unknown field '{part}' (fields here: {known})")
            key, child = part, found
            if not isinstance(container, MutableMapping) or part not in container:
                raise AnswerError(f"the file has no value at {'.'.join(path[: depth + 1])}")
        if depth == len(path) - 1:
            return container, key, child
        container, field = container[key], child
    raise AnswerError("no path given")  # unreachable: a path has at least one part


def _remove(items: Any, field: Field, text: str) -> None:
    """Remove the one item of `items` that `text` names: a scalar by its text, an object by
    the fields given as a flow mapping (`{url: https://a.de}`)."""
    if field.input != LIST or not isinstance(items, MutableSequence):
        raise AnswerError("-= removes an item from a list; use --unset for other fields")
    wanted: Any = text.strip()
    if field.item is not None and field.item.input == OBJECT:
        wanted = parse_flow(wanted)
        if not isinstance(wanted, Mapping) or not wanted:
            raise AnswerError("name the item to remove by its fields, e.g. '{url: https://…}'")
    matches = [index for index, item in enumerate(items) if _names(wanted, item)]
    if not matches:
        listing = ", ".join(_short(item) for item in items) or "the list is empty"
        raise AnswerError(f"no item is {_short(wanted)} (items: {listing})")
    if len(matches) > 1:
        raise AnswerError(
            f"{len(matches)} items match {_short(wanted)}; give more fields, or remove one "
            f"by position with --unset PATH.N (N = {', '.join(map(str, matches))})"
        )
    del items[matches[0]]


def _names(wanted: Any, item: Any) -> bool:
    if isinstance(wanted, Mapping):
        return isinstance(item, Mapping) and all(
            key in item and _same(value, item[key]) for key, value in wanted.items()
        )
    return _same(wanted, item)


def _same(wanted: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return str(wanted).lower() == str(value).lower()
    return str(wanted) == str(value)


def _short(value: Any) -> str:
    text = str(dict(value)) if isinstance(value, Mapping) else repr(str(value))
    return text if len(text) <= 60 else text[:57] + "..."


# --- the problem header of `coopctl edit` -----------------------------------------------------

HEADER_PREFIX = "# coopctl: "


def with_problem_header(text: str, problem_lines: Sequence[str]) -> str:
    """`text` with the problems as comment lines at the top, for the editor to see."""
    header = [
        f"{len(problem_lines)} problem{'s' * (len(problem_lines) != 1)} in this file "
        "(lines counted without these comments, which are removed again):",
        *(f"  {line}" for line in problem_lines),
        "correct them and save; save unchanged or empty to abort (nothing is written).",
    ]
    return "".join(f"{HEADER_PREFIX}{line}\n" for line in header) + text


def without_problem_header(text: str) -> str:
    """`text` without the comment lines `with_problem_header` put at its top."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER_PREFIX):
        start += 1
    return "".join(lines[start:])
