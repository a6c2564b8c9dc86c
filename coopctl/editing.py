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
from coopctl.i18n import _, ngettext
from coopctl.schemas import SchemaSet, values_at
from coopctl.yamlio import dump_editable, load_editable, quote_values

SET, APPEND, REMOVE, UNSET = "=", "+=", "-=", "unset"
# A path is dotted (events.0.date), or written as problems name it (events[0].date) or as a
# JSON pointer without its leading slash (events/0/date).
_STEP = r"(?:[./][A-Za-z0-9_]+|\[[0-9]+\])"
_EDIT = re.compile(rf"^/?(?P<path>[A-Za-z_][A-Za-z0-9_]*{_STEP}*)(?P<op>[+-]?=)")
_PATH = re.compile(rf"/?[A-Za-z_][A-Za-z0-9_]*{_STEP}*")


def _steps(path: str) -> tuple[str, ...]:
    return tuple(re.split(r"[./]", re.sub(r"\[([0-9]+)\]", r".\1", path).lstrip("/")))


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
                _("'{option}': expected PATH=VALUE, PATH+=VALUE or PATH-=VALUE").format(
                    option=option
                ),
                hint=_(
                    "for example last_reviewed=2026-11-30, areas+=basisdienste or areas-=smart_city"
                ),
            )
        return cls(_steps(match["path"]), match["op"], option[match.end() :])

    @classmethod
    def unset(cls, path: str) -> FieldEdit:
        if not _PATH.fullmatch(path):
            raise UsageError(
                _("--unset '{path}': expected a dotted PATH").format(path=path),
                hint=_("for example --unset website or --unset sources.1"),
            )
        return cls(_steps(path), UNSET)

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
            _("{path}:{line}:{column}: cannot change fields: {reason}").format(
                path=path, line=problem.line, column=problem.column, reason=problem.message
            ),
            hint=_(
                "fix the file first (coopctl validate shows all problems; coopctl edit "
                "opens it) [{code}]"
            ).format(code=problem.code),
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
                raise AnswerError(
                    _("'{part}' is not a list position (0, 1, ...)").format(part=part)
                )
            key, child = int(part), field.item
            if not isinstance(container, MutableSequence) or key >= len(container):
                raise AnswerError(
                    _("there is no item {index} (the list has {count})").format(
                        index=key, count=len(container)
                    )
                )
        else:
            found = field.field(part)
            if found is None:
                known = ", ".join(f.name for f in field.fields)
                raise AnswerError(
                    _("unknown field '{field}' (fields here: {fields})").format(
                        field=part, fields=known
                    )
                )
            key, child = part, found
            if not isinstance(container, MutableMapping) or part not in container:
                raise AnswerError(
                    _("the file has no value at {path}").format(path=".".join(path[: depth + 1]))
                )
        if depth == len(path) - 1:
            return container, key, child
        container, field = container[key], child
    raise AnswerError(_("no path given"))  # unreachable: a path has at least one part


def _remove(items: Any, field: Field, text: str) -> None:
    """Remove the one item of `items` that `text` names: a scalar by its text, an object by
    the fields given as a flow mapping (`{url: https://a.de}`)."""
    if field.input != LIST or not isinstance(items, MutableSequence):
        raise AnswerError(_("-= removes an item from a list; use --unset for other fields"))
    wanted: Any = text.strip()
    if field.item is not None and field.item.input == OBJECT:
        wanted = parse_flow(wanted)
        if not isinstance(wanted, Mapping) or not wanted:
            raise AnswerError(
                _("name the item to remove by its fields, e.g. '{example}'").format(
                    example="{url: https://…}"
                )
            )
    matches = [index for index, item in enumerate(items) if _names(wanted, item)]
    if not matches:
        listing = ", ".join(_short(item) for item in items) or _("the list is empty")
        raise AnswerError(
            _("no item is {item} (items: {items})").format(item=_short(wanted), items=listing)
        )
    if len(matches) > 1:
        raise AnswerError(
            _(
                "{count} items match {item}; give more fields, or remove one by position "
                "with --unset PATH.N (N = {positions})"
            ).format(
                count=len(matches), item=_short(wanted), positions=", ".join(map(str, matches))
            )
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
        ngettext(
            "{count} problem in this file (lines counted without these comments, which are "
            "removed again):",
            "{count} problems in this file (lines counted without these comments, which are "
            "removed again):",
            len(problem_lines),
        ).format(count=len(problem_lines)),
        *(f"  {line}" for line in problem_lines),
        _("correct them and save; save unchanged or empty to abort (nothing is written)."),
    ]
    return "".join(f"{HEADER_PREFIX}{line}\n" for line in header) + text


def without_problem_header(text: str) -> str:
    """`text` without the comment lines `with_problem_header` put at its top."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(HEADER_PREFIX):
        start += 1
    return "".join(lines[start:])
