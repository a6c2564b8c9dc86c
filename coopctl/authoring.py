"""Building new entities and events from answers, `--set` assignments and `--from` files.

Everything here is pure or reads only: the CLI asks the questions, this module turns the
answers into data, lays the data out as a file, and says what the registry would look like
with it. Writing happens in the CLI through `fsio.write_atomic`, after these checks passed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.errors import UsageError
from coopctl.formatting import canonical_text, schema_target
from coopctl.forms import CHOICE, LIST, OBJECT, AnswerError, Field, parse_answer
from coopctl.gv import Gemeindeverzeichnis, GvEntry, gv_type_of
from coopctl.i18n import _
from coopctl.model import FOLDER_OF_KIND, Problem, Severity, SourceFile
from coopctl.registry import build_registry, read_working_tree
from coopctl.schemas import SchemaSet, values_at
from coopctl.validation import check_registry, locate
from coopctl.yamlio import YamlReader, dump_editable, editable, load_editable, quote_values

_ASSIGNMENT = re.compile(r"^(?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)(?P<op>\+?=)")


@dataclass(frozen=True)
class Assignment:
    """One `--set` option: `path=value` sets, `path+=value` appends to a list."""

    path: tuple[str, ...]
    append: bool
    text: str

    @classmethod
    def parse(cls, option: str) -> Assignment:
        match = _ASSIGNMENT.match(option)
        if not match:
            raise UsageError(
                _("--set '{option}': expected PATH=VALUE or PATH+=VALUE").format(option=option),
                hint=_("for example --set name='Stadt Gifhorn' or --set areas+=basisdienste"),
            )
        return cls(tuple(match["path"].split(".")), match["op"] == "+=", option[match.end() :])


def apply_assignments(
    data: dict[str, Any],
    form: Field,
    assignments: Sequence[Assignment],
    known_ids: Mapping[str, Sequence[str]],
) -> None:
    """Apply `--set` assignments to `data` in order. Values are read as the schema says
    (choices by value or number, dates checked, references checked against the registry);
    `[...]` and `{...}` are read as YAML flow collections for list and object fields."""
    for assignment in assignments:
        try:
            _apply(data, form, assignment, known_ids)
        except AnswerError as exc:
            raise UsageError(f"--set {'.'.join(assignment.path)}: {exc}") from None


def _apply(
    data: dict[str, Any],
    form: Field,
    assignment: Assignment,
    known_ids: Mapping[str, Sequence[str]],
) -> None:
    container: Any = data
    field = form
    path = assignment.path
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if field.input == LIST and field.item is not None:
            if not part.isdigit():
                raise AnswerError(
                    _("'{part}' is not a list position (0, 1, ...)").format(part=part)
                )
            index = int(part)
            if index > len(container):
                raise AnswerError(
                    _("position {index} is past the end of the list").format(index=index)
                )
            field = field.item
            if index == len(container):
                container.append({} if field.input == OBJECT else None)
            if last:
                container[index] = editable(_value(field, assignment.text, known_ids))
                return
            container = container[index]
            continue
        child = field.field(part)
        if child is None:
            known = ", ".join(f.name for f in field.fields)
            raise AnswerError(
                _("unknown field '{field}' (fields here: {fields})").format(
                    field=part, fields=known
                )
            )
        field = child
        if last:
            if assignment.append:
                if field.input != LIST or field.item is None:
                    raise AnswerError(_("+= appends to lists only; use = here"))
                container.setdefault(part, []).append(
                    editable(_value(field.item, assignment.text, known_ids))
                )
            else:
                container[part] = editable(_value(field, assignment.text, known_ids))
            return
        default: Any = [] if field.input == LIST else {}
        container = container.setdefault(part, default)


def _value(field: Field, text: str, known_ids: Mapping[str, Sequence[str]]) -> Any:
    if field.input in {LIST, OBJECT}:
        stripped = text.strip()
        if field.input == LIST and not stripped.startswith("["):
            assert field.item is not None
            return [_value(field.item, text, known_ids)]
        return parse_flow(stripped)
    return parse_answer(field, text, known_ids)


def parse_flow(text: str) -> Any:
    """A YAML flow collection (`[a, b]`, `{url: https://a.de}`) given on the command line."""
    result = YamlReader().load(f"value: {text}\n".encode(), "--set")
    if result.data is None:
        message = result.problems[0].message if result.problems else _("cannot be read")
        raise AnswerError(
            _("'{text}' is not valid YAML: {reason}").format(text=text, reason=message)
        )
    return result.data["value"]


def read_input_file(raw: bytes, name: str) -> dict[str, Any]:
    """The mapping in a `--from` file (YAML or JSON), refused like any registry file."""
    result = YamlReader().load(raw, name)
    if result.data is None:
        problem = result.problems[0]
        raise UsageError(
            f"{name}:{problem.line}:{problem.column}: {problem.message}", code=problem.code
        )
    return result.data


# --- the Gemeindeverzeichnis ------------------------------------------------------------------


def territorial_entries(directory: Gemeindeverzeichnis, key: str) -> tuple[GvEntry, ...]:
    """The entries a 12-digit ARS or an 8-digit AGS names."""
    key = key.strip()
    if re.fullmatch(r"\d{12}", key):
        return directory.entries_for_ars(key)
    if re.fullmatch(r"\d{8}", key):
        entry = directory.by_ags(key)
        return (entry,) if entry else ()
    raise UsageError(_("'{key}' is neither a 12-digit ARS nor an 8-digit AGS").format(key=key))


# Partner types whose name always takes the type's word (Landkreis Gifhorn; their ids keep it),
# and designations of the directory that are abbreviations or the plain word for a town.
PREFIXED_TYPES = frozenset({"landkreis", "samtgemeinde", "verbandsgemeinde", "amt"})
_NOT_A_NAME_PART = frozenset({"", "M", "St", "GKSt", "Stadt", "kreisfreie Stadt", "Stadtkreis"})


def partner_from_entries(entries: Sequence[GvEntry]) -> dict[str, Any]:
    """Partner fields filled from Gemeindeverzeichnis entries that share one key: name, short
    name, type (when the directory's type allows only one), state, ARS and, for a
    municipality, AGS. The editor confirms or changes each."""
    gemeinde = next((e for e in entries if e.ags is not None), None)
    top = entries[0]
    types = frozenset().union(*(e.partner_types for e in entries))
    fields: dict[str, Any] = {"short_name": top.base_name, "state": top.state, "ars": top.ars}
    if len(types) == 1:
        (only,) = types
        fields["type"] = only
    kind = fields.get("type")
    prefix = {
        "landkreis": "Landkreis",
        "stadt": "Stadt",
        "kreisfreie_stadt": "Stadt",
        "samtgemeinde": "Samtgemeinde",
        "verbandsgemeinde": "Verbandsgemeinde",
        "amt": "Amt",
    }.get(str(kind))
    gv_type = gv_type_of(entries, str(kind) if kind else None)
    if kind == "landkreis":
        # The directory says Kreis (43) where the Land says so (Kreis Segeberg, Kreis Paderborn)
        # and Landkreis (44) elsewhere; a name that is already a Kreis takes no word before it.
        if "kreis" in top.base_name.casefold():
            prefix = None
        elif gv_type == "43":
            prefix = "Kreis"
    fields["name"] = f"{prefix} {top.base_name}" if prefix else top.base_name
    # A municipality's own designation in the directory comes first in its name
    # ("Hamburg, Freie und Hansestadt" -> Freie und Hansestadt Hamburg, "Lübeck, Hansestadt"
    # -> Hansestadt Lübeck); abbreviations and the plain "Stadt" do not.
    designation = next((e.name.partition(",")[2].strip() for e in entries if "," in e.name), "")
    if (
        kind not in PREFIXED_TYPES
        and designation not in _NOT_A_NAME_PART
        and designation[:1].isupper()
        and "," not in designation
        and "." not in designation
    ):
        fields["name"] = f"{designation} {top.base_name}"
    if gemeinde is not None and kind != "landkreis":
        fields["ags"] = gemeinde.ags
    if gv_type is not None:
        fields["gv_type"] = gv_type
    return fields


def fill_gv_type(data: dict[str, Any], directory: Gemeindeverzeichnis) -> None:
    """Add the Textkennzeichen of the partner's key (`gv_type`) when it has none yet, the key
    is in the directory and the body still exists: however the key was given (--ars,
    --lookup, --set, a prompt), the file records the type the directory gives it."""
    if "gv_type" in data or "dissolved" in data:
        return
    key = data.get("ars") or data.get("ags")
    if not isinstance(key, str) or not re.fullmatch(r"\d{12}|\d{8}", key):
        return
    partner_type = data.get("type")
    code = gv_type_of(
        territorial_entries(directory, key), partner_type if isinstance(partner_type, str) else None
    )
    if code is not None:
        data["gv_type"] = code


def partner_type_choices(entries: Sequence[GvEntry]) -> tuple[str, ...]:
    return tuple(sorted(frozenset().union(*(e.partner_types for e in entries))))


# --- files and checks -------------------------------------------------------------------------


def entity_path(kind: str, entity_id: str) -> str:
    return f"registry/{FOLDER_OF_KIND[kind]}/{entity_id}.yaml"


def entity_text(data: Mapping[str, Any], kind: str, schemas: SchemaSet) -> str:
    """The canonical file text of a new entity."""
    return canonical_text(editable(dict(data)), kind, schemas)


def missing_required(form: Field, data: Mapping[str, Any]) -> list[str]:
    """Dotted names of required fields that have no value, including inside list items."""
    missing: list[str] = []

    def visit(field: Field, value: Any, prefix: str) -> None:
        if field.input == OBJECT and isinstance(value, Mapping):
            for child in field.fields:
                name = f"{prefix}{child.name}"
                if child.name not in value or value[child.name] in (None, "", []):
                    if child.required:
                        missing.append(name)
                else:
                    visit(child, value[child.name], f"{name}.")
        elif field.input == LIST and field.item is not None and isinstance(value, list):
            for index, item in enumerate(value):
                visit(field.item, item, f"{prefix.rstrip('.')}.{index}.")

    visit(form, data, "")
    return missing


def problems_after(
    root: Path, schemas: SchemaSet, path: str, raw: bytes, today: date
) -> list[Problem]:
    """Problems the registry would have with `raw` at `path` that it does not have now,
    located to line and column. Nothing is written."""
    sources, file_problems = read_working_tree(root)
    before = build_registry(root, sources, file_problems)
    changed = [s for s in sources if s.path != path] + [SourceFile(path, raw)]
    after = build_registry(root, changed, file_problems)
    existing = {_identity(p) for p in check_registry(before, schemas, today)}
    new = [p for p in check_registry(after, schemas, today) if _identity(p) not in existing]
    return sorted(locate(new, after), key=lambda p: p.sort_key)


def _identity(problem: Problem) -> tuple[str, str, str, str | None]:
    return (problem.path, problem.code, problem.message, problem.pointer)


def has_errors(problems: Sequence[Problem]) -> bool:
    return any(p.severity == Severity.ERROR for p in problems)


def event_position(events: Sequence[Any], event_date: str) -> int:
    """Where a new event goes so that events stay in date order (after events of the same
    date, so that the order in which they were recorded is kept)."""
    new = parse_partial_date(event_date)
    if new is None:
        return len(events)
    position = 0
    for index, event in enumerate(events):
        existing = (
            parse_partial_date(str(event.get("date", ""))) if isinstance(event, Mapping) else None
        )
        if existing is not None and existing.first <= new.first:
            position = index + 1
    return position


def choice_labels(field: Field) -> list[str]:
    return [c.label for c in field.choices] if field.input == CHOICE else []


def ordered(data: Mapping[str, Any], form: Field) -> dict[str, Any]:
    """`data` with its keys in the form's order (unknown keys last), recursively."""
    result: dict[str, Any] = {}
    for field in form.fields:
        if field.name in data:
            result[field.name] = _ordered_value(data[field.name], field)
    for key, value in data.items():
        result.setdefault(key, value)
    return result


def _ordered_value(value: Any, field: Field) -> Any:
    if field.input == OBJECT and isinstance(value, Mapping):
        return ordered(value, field)
    if field.input == LIST and field.item is not None and isinstance(value, list):
        return [_ordered_value(item, field.item) for item in value]
    return value


def with_event(
    raw: bytes,
    path: str,
    event: Mapping[str, Any],
    form: Field,
    schemas: SchemaSet,
    status: str | None = None,
) -> str:
    """The text of an agreement file with `event` inserted in date order and, if given, its
    `status` set. Everything else (comments, blank lines, quoting, block styles) stays."""
    document, problems = load_editable(raw, path, keep_quotes=True)
    if document is None:
        problem = problems[0]
        raise UsageError(
            _("{path}:{line}:{column}: cannot add an event: {reason}").format(
                path=path, line=problem.line, column=problem.column, reason=problem.message
            ),
            hint=_("fix the file first (coopctl validate shows all problems)"),
        )
    node = editable(ordered(event, form))
    dates = [p[2:] for p, _ in schemas.rules["agreement"].dates if p[:2] == ("events", "*")]
    quote_values(node, [path for pattern in dates for path, _ in values_at(node, pattern)])
    events = document.get("events")
    if not isinstance(events, list):
        document["events"] = events = editable([])
    events.insert(event_position(events, str(event.get("date", ""))), node)
    if status is not None:
        document["status"] = status
    return dump_editable(document, schema_target("agreement"))
