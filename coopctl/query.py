"""`coopctl list`: the entities of one kind as rows, filtered, sorted, counted, queried.

Each entity has a JSON form: its file's data plus fields derived "as of" a day (see
`DERIVED`). `--where` conditions and `--query` (JMESPath) work on that form; the table and
CSV show chosen columns of it as text.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from coopctl.errors import UsageError
from coopctl.i18n import N_, _
from coopctl.membership import dated_events
from coopctl.model import Entity
from coopctl.registry import Registry
from coopctl.relations import Relations, build_relations, member_roles

KIND_NAMES = {
    "partners": "partner",
    "partner": "partner",
    "agreements": "agreement",
    "agreement": "agreement",
    "solutions": "solution",
    "solution": "solution",
}
DERIVED: dict[str, tuple[str, ...]] = {
    "partner": ("agreements", "participant_in", "cooperates_with", "provides", "operates", "uses"),
    "agreement": ("members", "participants", "member_roles", "signed", "last_event", "solutions"),
    "solution": ("used_by", "user_agreements"),
}
# Derived fields whose size grows with the square of the agreements' sizes (every partner a
# partner shares an agreement with; every agreement of every user of a solution): computed
# only when --columns, --where, --sort, --count-by or --query names them.
ON_REQUEST: dict[str, frozenset[str]] = {
    "partner": frozenset({"cooperates_with"}),
    "agreement": frozenset(),
    "solution": frozenset({"user_agreements"}),
}
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "partner": ("id", "name", "type", "state", "ars", "agreements"),
    "agreement": (
        "id",
        "instrument",
        "legal_form",
        "status",
        "signed",
        "members",
        "participants",
        "last_event",
    ),
    "solution": ("id", "name", "category", "provider", "status", "launched", "used_by"),
}
WHERE_HELP = N_(
    "write FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX or 'FIELD in A,B'; FIELD may be a dotted "
    "path (users.partner); a list field matches when one of its items does"
)
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
_IN = re.compile(r"in(?:\s+|$)")


def kind_of(name: str) -> str:
    kind = KIND_NAMES.get(name.strip().lower())
    if kind is None:
        raise UsageError(
            _("unknown kind '{name}'").format(name=name),
            hint=_("use partners, agreements or solutions"),
            code="kind",
        )
    return kind


# --- the JSON form ---------------------------------------------------------------------------


def _first_date(entity: Entity, relations: Relations, types: frozenset[str]) -> str | None:
    found = [
        e.date.text
        for e in dated_events(entity.data)
        if e.type in types and e.date.first <= relations.day
    ]
    return found[0] if found else None


def _last_event(entity: Entity, day: date) -> str | None:
    known = [e.date for e in dated_events(entity.data) if e.date.first <= day]
    return max(known, key=lambda d: (d.last, d.first)).text if known else None


def json_form(
    entity: Entity, relations: Relations, named: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The entity's data with the derived fields of its kind added; of those `ON_REQUEST`,
    only the ones in `named`."""
    row = dict(entity.data)
    row["id"] = entity.id
    if entity.kind == "partner":
        row["agreements"] = relations.agreements(entity.id)
        row["participant_in"] = relations.agreements(entity.id, "participant")
        if "cooperates_with" in named:
            row["cooperates_with"] = relations.cooperates_with(entity.id)
        for name, role in (("provides", "provider"), ("operates", "operator"), ("uses", "user")):
            row[name] = relations.solutions_of(entity.id, role)
    elif entity.kind == "agreement":
        row["members"] = list(relations.parties.get(entity.id, ()))
        row["participants"] = list(relations.participants.get(entity.id, ()))
        row["member_roles"] = member_roles(entity, relations)
        row["signed"] = _first_date(entity, relations, frozenset({"signed"}))
        row["last_event"] = _last_event(entity, relations.day)
        row["solutions"] = list(relations.solutions_of_agreement.get(entity.id, ()))
    else:
        row["used_by"] = list(relations.users_of_solution.get(entity.id, ()))
        if "user_agreements" in named:
            row["user_agreements"] = relations.user_agreements(entity.id)
    return row


# --- paths and values ------------------------------------------------------------------------


def split_path(text: str, option: str) -> tuple[str, ...]:
    if not _PATH.fullmatch(text.strip()):
        raise UsageError(
            _("{option} '{text}': not a field name").format(option=option, text=text),
            hint=_("a field is a name or a dotted path such as users.partner"),
        )
    return tuple(text.strip().split("."))


def values_at(value: Any, path: Sequence[str], missing: tuple[Any, ...] = ()) -> list[Any]:
    """Every value at a dotted path; lists on the way are walked item by item and a list at the
    end gives its items. A missing field gives `missing` (no values unless asked), once for
    each item of a list on the way that lacks it."""
    if not path:
        return list(value) if isinstance(value, list) else [value]
    if isinstance(value, list):
        head = path[0]
        if head.isdigit():
            index = int(head)
            return values_at(value[index], path[1:], missing) if index < len(value) else []
        return [found for item in value for found in values_at(item, path, missing)]
    if isinstance(value, dict) and path[0] in value:
        return values_at(value[path[0]], path[1:], missing)
    return list(missing)


def value_at(row: dict[str, Any], path: Sequence[str]) -> Any:
    """The value of a column: the field itself, or the list of values a path through lists
    reaches; None when missing."""
    current: Any = row
    for index, part in enumerate(path):
        if isinstance(current, list):
            return values_at(current, path[index:]) or None
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def text_of(value: Any) -> str:
    """A scalar as text: how conditions compare and cells show it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cell_text(value: Any) -> str:
    """A value in a table or CSV cell: lists of scalars joined with ', ', nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(text_of(v) for v in value)
    return text_of(value)


# --- --where ---------------------------------------------------------------------------------


def linear_pattern(value: str, text: str) -> Any:
    """A --where regular expression compiled by RE2, whose matching time grows linearly with
    the text: `(a+)+$` cannot take exponential time on a hostile value. RE2 has no
    backreferences or lookaround; such a pattern is a usage error that says so."""
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would also print its own message on stderr
    try:
        return re2.compile(value, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise UsageError(
            _("--where '{text}': not a regular expression: {reason}").format(
                text=text, reason=reason
            ),
            hint=_(
                "patterns use RE2 syntax: no backreferences (\\1) or lookaround ((?=...), "
                "(?<=...)); escape special characters with a backslash, e.g. 'name~\\(GmbH\\)'"
            ),
        ) from None


@dataclass(frozen=True)
class Condition:
    text: str
    path: tuple[str, ...]
    operator: str
    values: tuple[str, ...]
    pattern: Any = None  # a compiled RE2 pattern for `~`

    def matches(self, row: dict[str, Any]) -> bool:
        found = [text_of(v) for v in values_at(row, self.path)]
        if self.operator == "~":
            assert self.pattern is not None
            return any(self.pattern.search(v) for v in found)
        hit = any(v in self.values for v in found)
        return not hit if self.operator == "!=" else hit


def parse_where(text: str) -> Condition:
    """One --where condition; a malformed one is a UsageError that says what is expected."""
    stripped = text.strip()
    match = _PATH.match(stripped)
    if not stripped or match is None:
        raise UsageError(
            _("--where '{text}': a condition starts with a field name").format(text=text),
            hint=_(WHERE_HELP),
        )
    path = tuple(match.group().split("."))
    rest = stripped[match.end() :].lstrip()
    if rest.startswith("!="):
        operator, value = "!=", rest[2:]
    elif rest[:1] in {"=", "~"}:
        operator, value = rest[0], rest[1:]
    elif _IN.match(rest) and stripped[match.end() : match.end() + 1].isspace():
        operator, value = "in", rest[2:]
    else:
        message = (
            _("--where '{text}': expected =, !=, ~ or in after '{field}'")
            if match.group()
            else _("--where '{text}': expected =, !=, ~ or in")
        )
        raise UsageError(message.format(text=text, field=match.group()), hint=_(WHERE_HELP))
    value = value.strip()
    if operator == "in":
        values = tuple(v.strip() for v in value.split(",") if v.strip())
        if not values:
            raise UsageError(
                _("--where '{text}': 'in' needs a comma-separated list of values").format(
                    text=text
                ),
                hint=_("for example --where 'state in DE-NI,DE-BY'"),
            )
        return Condition(text, path, operator, values)
    if operator == "~":
        return Condition(text, path, operator, (value,), linear_pattern(value, text))
    return Condition(text, path, operator, (value,))


# --- the listing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListOptions:
    kind: str
    day: date
    columns: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    query: str | None = None
    sort: tuple[str, ...] = ()
    limit: int | None = None
    count_by: str | None = None


@dataclass(frozen=True)
class Listing:
    """What `list` answers. `data` is what --format json prints (rows, counts or the --query
    result); `columns` are the columns of a table when `data` is a list of rows."""

    columns: tuple[str, ...] | None
    data: Any
    ids: tuple[str, ...] | None = None


def known_fields(registry: Registry, kind: str, rows: Iterable[dict[str, Any]]) -> set[str]:
    """Fields a condition or column may name: the schema's, those in the files, the derived."""
    fields = {"id", "kind", *DERIVED[kind]}
    schema = registry.root / "schemas" / f"{kind}.schema.json"
    try:
        properties = json.loads(schema.read_text(encoding="utf-8")).get("properties", {})
        fields.update(p for p in properties if isinstance(p, str))
    except (OSError, ValueError, AttributeError):
        pass  # a broken schema is reported by validate; the files' own keys still count
    for row in rows:
        fields.update(row)
    return fields


def _check_field(path: tuple[str, ...], known: set[str], option: str, kind: str) -> None:
    if path[0] in known:
        return
    close = difflib.get_close_matches(path[0], sorted(known), n=1)
    raise UsageError(
        _("{option}: {kind}s have no field '{field}'").format(
            option=option, kind=kind, field=path[0]
        ),
        hint=_("did you mean '{field}'?").format(field=close[0])
        if close
        else _("fields: {fields}").format(fields=", ".join(sorted(known))),
    )


def _sort_key(value: Any) -> tuple[int, float, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, cell_text(value).casefold())


def sort_rows(rows: list[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Sort by each key in turn ('-field' descending); rows without the field come last."""
    result = list(rows)
    for key in reversed(keys):
        descending = key.startswith("-")
        path = split_path(key.removeprefix("-"), "--sort")
        present = [r for r in result if value_at(r, path) is not None]
        missing = [r for r in result if value_at(r, path) is None]
        present.sort(key=lambda r: _sort_key(value_at(r, path)), reverse=descending)
        result = present + missing
    return result


def count_by(rows: Iterable[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """How often each value of `field` occurs, most frequent first. Every value the path
    reaches counts once: a list of values counts each item, a path through a list of objects
    (users.status) each object, and an object without the field under null; a row that
    reaches no value at all (no field, an empty list) counts once under null."""
    path = split_path(field, "--count-by")
    counts: Counter[str | None] = Counter()
    for row in rows:
        found = [None if v is None else text_of(v) for v in values_at(row, path, (None,))]
        counts.update(found or [None])
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return [{field: value, "count": count} for value, count in ordered]


def run_query(expression: str, data: Any) -> Any:
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.search(expression, data)
    except RecursionError:
        raise UsageError(
            _("--query: the expression nests too deeply"), hint=_("write it with fewer brackets")
        ) from None
    except (JMESPathError, ValueError, TypeError, ArithmeticError) as exc:
        # jmespath raises ValueError for a slice step of 0 and may let others through
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise UsageError(
            _("--query: {reason}").format(reason=message),
            hint=_(
                "JMESPath, for example --query \"[?state=='DE-NI'].name\" "
                "(see https://jmespath.org)"
            ),
        ) from None


def named_fields(options: ListOptions, conditions: Sequence[Condition]) -> frozenset[str]:
    """The fields of `ON_REQUEST` that the options name (in a query: anywhere in its text)."""
    paths = [
        *(c for text in options.columns for c in text.split(",")),
        *(k.removeprefix("-") for k in options.sort),
        *([options.count_by] if options.count_by else []),
    ]
    named = {path.strip().split(".")[0] for path in paths}
    named.update(condition.path[0] for condition in conditions)
    return frozenset(
        field
        for field in ON_REQUEST[options.kind]
        if field in named or (options.query is not None and field in options.query)
    )


def list_entities(registry: Registry, options: ListOptions) -> Listing:
    relations = build_relations(registry, options.day)
    entities = sorted(registry.by_kind.get(options.kind, {}).values(), key=lambda e: e.id)
    conditions = [parse_where(text) for text in options.where]
    requested = named_fields(options, conditions)
    rows = [json_form(entity, relations, requested) for entity in entities]
    known = known_fields(registry, options.kind, rows) | ON_REQUEST[options.kind]
    for condition in conditions:
        _check_field(condition.path, known, "--where", options.kind)
    columns = tuple(c for text in options.columns for c in text.split(",") if c.strip())
    named = [
        *(("--columns", c) for c in columns),
        *(("--sort", k.removeprefix("-")) for k in options.sort),
        *([("--count-by", options.count_by)] if options.count_by else []),
    ]
    for option, path in named:
        _check_field(split_path(path, option), known, option, options.kind)
    rows = [row for row in rows if all(c.matches(row) for c in conditions)]
    rows = sort_rows(rows, options.sort)
    listing: Listing
    if options.count_by:
        counted = count_by(rows, options.count_by)[: options.limit]
        listing = Listing((options.count_by, "count"), counted)
    else:
        rows = rows[: options.limit]
        ids = tuple(str(row["id"]) for row in rows)
        shown = tuple(c.strip() for c in columns)
        if shown:
            selected = [{c: value_at(row, c.split(".")) for c in shown} for row in rows]
            listing = Listing(shown, selected, ids)
        else:
            listing = Listing(DEFAULT_COLUMNS[options.kind], rows, ids)
    if options.query is not None:
        return Listing(None, run_query(options.query, listing.data))
    return listing
