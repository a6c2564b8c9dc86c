"""`coopctl export`: the registry as relational tables, in SQLite or as CSV files.

The tables are built once (`build_tables`) and written by either writer, so both formats hold
the same rows. Exports are reproducible: rows come in a fixed order, lists and mappings are
stored as JSON text with their keys in file order, and the only varying value, the export
time, is fixed with `timestamp` (or SOURCE_DATE_EPOCH). Membership periods are derived from
the events by `coopctl.membership`; `joined_by` and `left_by` are the last possible days of the
partial dates, so `joined_by <= D AND (left_by IS NULL OR left_by > D)` is exactly "a member
on day D" as coopctl answers it. A membership's `role` is party or participant, its `function`
the role its joining event gave (lead, office, observer, ...); an agreement's `roles` (tasks
per field of work) are the table agreement_roles, its `legal_basis` four columns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from coopctl import __version__
from coopctl.dates import parse_partial_date
from coopctl.errors import UsageError
from coopctl.export_tables import TABLES
from coopctl.i18n import _
from coopctl.membership import EVENT_DETAILS, memberships
from coopctl.model import Entity
from coopctl.registry import Registry
from coopctl.yamlio import join_pointer

FORMAT_VERSION = 2  # 2: data model 2 (instrument apart from legal_form, new tables)


Row = tuple[Any, ...]


_SQLITE_INTEGERS = range(-(2**63), 2**63)


def sql_value(value: Any) -> Any:
    """A field as a cell: text and numbers as they are, true/false as text, lists and mappings
    as compact JSON with their keys in file order. A whole number beyond SQLite's 64 bits is
    kept as its digits, as text."""
    kind = type(value)
    if kind is str or kind is float or value is None:  # most cells, without the checks below
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value not in _SQLITE_INTEGERS:
        return str(value)
    if value is None or (isinstance(value, int | float | str) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _fields(entity: Entity, names: tuple[str, ...]) -> Row:
    return tuple(sql_value(entity.data.get(name)) for name in names)


def _mappings(value: object) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for index, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, Mapping):
            yield index, item


def _day(text: object, end: bool) -> str | None:
    parsed = parse_partial_date(text) if isinstance(text, str) else None
    if parsed is None:
        return None
    return (parsed.last if end else parsed.first).isoformat()


def _sources(entity: Entity) -> Iterator[Row]:
    def walk(value: Any, where: tuple[str | int, ...]) -> Iterator[Row]:
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key == "sources":
                    for index, source in _mappings(item):
                        yield (
                            entity.kind,
                            entity.id,
                            join_pointer((*where, "sources", index)),
                            *(
                                sql_value(source.get(k))
                                for k in ("url", "title", "publisher", "published", "accessed")
                            ),
                        )
                elif isinstance(item, Mapping | list):  # a text or number holds no sources
                    yield from walk(item, (*where, str(key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping | list):
                    yield from walk(item, (*where, index))

    return walk(entity.data, ())


def _sorted(registry: Registry, kind: str) -> list[Entity]:
    return sorted(registry.by_kind.get(kind, {}).values(), key=lambda e: e.id)


def _agreement_row(agreement: Entity, names: tuple[str, ...]) -> Row:
    """An agreement's fields; `legal_basis` as one column per field (legal_basis_law ...)."""
    basis = agreement.data.get("legal_basis")
    basis = basis if isinstance(basis, Mapping) else {}
    cells = [
        sql_value(basis.get(name.removeprefix("legal_basis_")))
        if name.startswith("legal_basis_")
        else sql_value(agreement.data.get(name))
        for name in names[1:-1]
    ]
    return (agreement.id, *cells, agreement.path)


def content_hash(registry: Registry) -> str:
    """SHA-256 over every file's path and git blob sha: it changes with any file's bytes,
    and needs no file read whose blob sha is known."""
    from coopctl.gitstore import blob_sha

    digest = hashlib.sha256()
    for path in sorted(registry.raw):
        blob = registry.blobs.get(path) or blob_sha(registry.raw[path])
        digest.update(path.encode("utf-8", "surrogateescape") + b"\0" + blob.encode() + b"\0")
    return digest.hexdigest()


def build_tables(registry: Registry, meta: Mapping[str, str]) -> dict[str, list[Row]]:
    """Every table's rows, in a fixed order."""
    return {name: list(make()) for name, make in table_makers(registry, meta).items()}


def table_makers(
    registry: Registry, meta: Mapping[str, str]
) -> dict[str, Callable[[], Iterator[Row]]]:
    """For every table, in a fixed order, a function that yields its rows (the rows of
    `build_tables`), so that a writer can take one table at a time and never hold the rows
    of all."""
    columns = {table.name: table.column_names for table in TABLES}

    def partners() -> Iterator[Row]:
        for partner in _sorted(registry, "partner"):
            yield (partner.id, *_fields(partner, columns["partners"][1:-1]), partner.path)

    def partner_owners() -> Iterator[Row]:
        for partner in _sorted(registry, "partner"):
            for index, owner in _mappings(partner.data.get("owners")):
                keys = ("partner", "state", "name", "note")
                yield (partner.id, index, *(sql_value(owner.get(k)) for k in keys))

    def agreements() -> Iterator[Row]:
        for agreement in _sorted(registry, "agreement"):
            yield _agreement_row(agreement, columns["agreements"])

    def agreement_roles() -> Iterator[Row]:
        for agreement in _sorted(registry, "agreement"):
            for index, item in _mappings(agreement.data.get("roles")):
                if isinstance(item.get("partner"), str):
                    yield (
                        agreement.id,
                        index,
                        item["partner"],
                        *(
                            sql_value(item.get(k))
                            for k in ("role", "area", "topic", "from", "until")
                        ),
                        sql_value(item.get("note")),
                    )

    def membership_rows() -> Iterator[Row]:
        for agreement in _sorted(registry, "agreement"):
            periods = sorted(
                memberships(agreement.data),
                key=lambda m: (m.since.first, m.joined_event, m.partner, m.role),
            )
            for m in periods:
                yield (
                    agreement.id,
                    m.partner,
                    m.role,
                    m.function,
                    m.since.text,
                    m.until.text if m.until else None,
                    m.since.last.isoformat(),
                    m.until.last.isoformat() if m.until else None,
                    m.joined_event,
                    m.left_event,
                )

    def events() -> Iterator[Row]:
        for agreement in _sorted(registry, "agreement"):
            for position, event in _mappings(agreement.data.get("events")):
                partners = event.get("partners")
                yield (
                    agreement.id,
                    position,
                    sql_value(event.get("date")),
                    _day(event.get("date"), end=False),
                    _day(event.get("date"), end=True),
                    sql_value(event.get("type")),
                    sql_value(partners) if isinstance(partners, list) else None,
                    sql_value(event.get("role")),
                    *(sql_value(event.get(k)) for k in EVENT_DETAILS),
                    sql_value(event.get("place")),
                    sql_value(event.get("note")),
                )

    def signatories() -> Iterator[Row]:
        for agreement in _sorted(registry, "agreement"):
            for position, event in _mappings(agreement.data.get("events")):
                for index, signatory in _mappings(event.get("signatories")):
                    keys = ("name", "role", "on_behalf_of")
                    yield (
                        agreement.id,
                        position,
                        index,
                        *(sql_value(signatory.get(k)) for k in keys),
                    )

    def of_solutions(name: str) -> Callable[[], Iterator[Row]]:
        def rows() -> Iterator[Row]:
            for solution in _sorted(registry, "solution"):
                made: dict[str, list[Row]] = {table: [] for table in _SOLUTION_TABLES}
                _solution_rows(solution, columns["solutions"], made)
                yield from made[name]

        return rows

    def sources() -> Iterator[Row]:
        for kind in ("partner", "agreement", "solution"):
            for entity in _sorted(registry, kind):
                yield from _sources(entity)

    def meta_rows() -> Iterator[Row]:
        yield from sorted(meta.items())

    makers: dict[str, Callable[[], Iterator[Row]]] = {
        "partners": partners,
        "partner_owners": partner_owners,
        "agreements": agreements,
        "agreement_roles": agreement_roles,
        "memberships": membership_rows,
        "events": events,
        "signatories": signatories,
        **{table: of_solutions(table) for table in _SOLUTION_TABLES},
        "sources": sources,
        "meta": meta_rows,
    }
    return {table.name: makers[table.name] for table in TABLES}


# The tables made from solutions (`_solution_rows`).
_SOLUTION_TABLES = (
    "solutions",
    "solution_users",
    "solution_components",
    "solution_adopting_states",
)
# The solutions columns taken from inside `efa`, after the top-level fields.
_EFA_COLUMNS = frozenset({"implementing_state", "federal_partner", "channels", "focus_service"})


def _solution_rows(solution: Entity, names: tuple[str, ...], rows: dict[str, list[Row]]) -> None:
    """A solution's row, its users (with their OZG maturity), components and adopting Länder."""
    efa = solution.data.get("efa")
    efa = efa if isinstance(efa, Mapping) else {}
    cells = [
        sql_value(efa.get(name)) if name in _EFA_COLUMNS else sql_value(solution.data.get(name))
        for name in names[1:-1]
    ]
    rows["solutions"].append((solution.id, *cells, solution.path))
    for index, user in _mappings(solution.data.get("users")):
        if not isinstance(user.get("partner"), str):
            continue
        maturity = user.get("maturity")
        maturity = maturity if isinstance(maturity, Mapping) else {}
        rows["solution_users"].append(
            (
                solution.id,
                index,
                sql_value(user.get("partner")),
                *(sql_value(user.get(k)) for k in ("status", "from", "until", "note")),
                *(sql_value(maturity.get(k)) for k in ("level", "model", "as_of")),
            )
        )
    rows["solution_components"] += [
        (
            solution.id,
            index,
            *(sql_value(c.get(k)) for k in ("name", "repository", "license", "note")),
        )
        for index, c in _mappings(solution.data.get("components"))
    ]
    rows["solution_adopting_states"] += [
        (solution.id, index, sql_value(a.get("state")), sql_value(a.get("from")))
        for index, a in _mappings(efa.get("adopting_states"))
    ]


def export_meta(registry: Registry, revision: str | None, timestamp: str) -> dict[str, str]:
    return {
        "format_version": str(FORMAT_VERSION),
        "coopctl_version": __version__,
        "exported_at": timestamp,
        "revision": revision or "working tree",
        "content_sha256": content_hash(registry),
        "files": str(registry.file_count),
    }


def export_time(text: str | None, environ: Mapping[str, str], now: datetime) -> str:
    """The export time as UTC ISO 8601: --timestamp, else $SOURCE_DATE_EPOCH, else now."""
    moment = now
    if text is not None:
        try:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            raise UsageError(
                _("--timestamp '{text}': not an ISO 8601 date or time").format(text=text),
                hint=_("for example --timestamp 2025-01-01T00:00:00Z or --timestamp 2025-01-01"),
            ) from None
    elif environ.get("SOURCE_DATE_EPOCH", "").strip():
        try:
            moment = datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                _("SOURCE_DATE_EPOCH '{value}': not a number of seconds").format(
                    value=environ["SOURCE_DATE_EPOCH"]
                )
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
