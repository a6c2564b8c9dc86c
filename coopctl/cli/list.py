"""coopctl list."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coopctl.cli.options import AtOption, NoCacheOption, RevOption, RootOption
from coopctl.i18n import _

if TYPE_CHECKING:
    from rich.console import Console


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    csv = "csv"
    ids = "ids"


class Kind(StrEnum):
    partners = "partners"
    agreements = "agreements"
    solutions = "solutions"


HELP = _(
    "List partners, agreements or solutions.\n"
    "\n"
    "Each row is an entity's data plus fields derived as of --at (default today):\n"
    "partners get agreements, participant_in, cooperates_with, provides, operates, uses;\n"
    "agreements get members, participants, signed, last_event, solutions; solutions get\n"
    "used_by and user_agreements.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl list partners --where state=DE-NI\n"
    "\n"
    "  coopctl list agreements --at 2020-12-31 --columns id,members\n"
    "\n"
    "  coopctl list partners --count-by state\n"
    "\n"
    "  coopctl list solutions --query \"[?category=='plattform'].name\""
)


def list_entities(
    kind: Annotated[
        Kind, typer.Argument(metavar="KIND", help=_("partners, agreements or solutions."))
    ],
    columns: Annotated[
        list[str] | None,
        typer.Option(
            "--columns",
            "-c",
            metavar="FIELDS",
            help=_(
                "Columns to show (comma-separated or repeated; dotted paths such as "
                "users.partner). With json/yaml only these fields are printed."
            ),
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            "-w",
            metavar="CONDITION",
            help=_(
                "Keep rows where FIELD=VALUE, FIELD!=VALUE, FIELD~REGEX or 'FIELD in A,B'. "
                "Repeat for AND. A list field matches when one of its items does."
            ),
        ),
    ] = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            metavar="JMESPATH",
            help=_("A JMESPath expression over what --format json would print."),
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        list[str] | None,
        typer.Option(
            "--sort",
            "-s",
            metavar="FIELDS",
            help=_("Sort by these fields; -FIELD sorts descending."),
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", min=0, metavar="N", help=_("Show at most this many rows.")),
    ] = None,
    count_by: Annotated[
        str | None,
        typer.Option(
            "--count-by",
            metavar="FIELD",
            help=_(
                "Count the values of FIELD (e.g. state); a list counts each item, "
                "users.status each use."
            ),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help=_("table, json, yaml, csv or ids."))
    ] = ListFormat.table,
    at: AtOption = None,
    rev: RevOption = None,
    no_cache: NoCacheOption = False,
    root: RootOption = None,
) -> None:
    """List partners, agreements or solutions."""
    from datetime import date

    from coopctl.cli.output import warn_unloaded
    from coopctl.query import ListOptions, kind_of
    from coopctl.query import list_entities as run
    from coopctl.registry import find_root
    from coopctl.relations import as_of, relations_only
    from coopctl.snapshot import load_snapshot

    options = ListOptions(
        kind=kind_of(kind.value),
        day=as_of(at, date.today()),
        columns=tuple(columns or ()),
        where=tuple(where or ()),
        query=query,
        sort=tuple(s for text in sort or () for s in text.split(",") if s.strip()),
        limit=limit,
        count_by=count_by,
    )
    registry = load_snapshot(
        find_root(root), rev, cache=not no_cache, reduce=relations_only(options.kind)
    )
    warn_unloaded(registry)
    listing = run(registry, options)
    render(listing.data, listing.columns, listing.ids, output_format)


def render(
    data: Any, columns: tuple[str, ...] | None, ids: tuple[str, ...] | None, chosen: ListFormat
) -> None:
    from coopctl.cli.output import make_console
    from coopctl.errors import UsageError
    from coopctl.escaping import one_line, plain, write_json

    console = make_console()
    if data == [] and chosen in {ListFormat.table, ListFormat.ids}:
        # stdout stays empty, so a pipeline sees no rows; the person reading is told why
        make_console(stderr=True).print(plain(_("No entries match.")), markup=False)
        return
    if chosen is ListFormat.json:
        write_json(data, console.file)
        return
    if chosen is ListFormat.yaml:
        from coopctl.yamlio import dump_plain

        console.file.write(dump_plain(_log_safe(data)))
        return
    if chosen is ListFormat.ids:
        if ids is None:
            ids = _scalars(data)
        if ids is None:
            raise UsageError(
                _("--format ids needs a list of rows or of single values"),
                hint=_("end the --query with a projection such as [].id"),
            )
        for entity_id in ids:
            console.file.write(plain(entity_id) + "\n")
        return
    header, rows = _tabular(data, columns)
    if chosen is ListFormat.csv:
        from coopctl.export_writers import csv_bytes

        console.file.write(csv_bytes(header, rows).decode("utf-8"))
    else:
        _print_table(console, header, [tuple(one_line(c) for c in row) for row in rows])


def _scalars(data: Any) -> tuple[str, ...] | None:
    from coopctl.query import text_of

    if isinstance(data, list) and all(not isinstance(v, dict | list) for v in data):
        return tuple(text_of(v) for v in data)
    return None


def _log_safe(data: Any) -> Any:
    """The data with `::` and `##[` neutralised in every key and text, so that no line of the
    YAML (which wraps long text and writes keys at the start of a line) is a workflow command
    in a CI log; YAML escapes control characters itself."""
    from coopctl.escaping import neutralise_log_commands

    if isinstance(data, str):
        return neutralise_log_commands(data)
    if isinstance(data, dict):
        return {_log_safe(key): _log_safe(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_log_safe(item) for item in data]
    return data


def _tabular(
    data: Any, columns: tuple[str, ...] | None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Rows of text for a table or CSV; a --query result that is not a list of rows is shown
    as one column."""
    from coopctl.query import cell_text, value_at

    if data == [] and columns is not None:
        return columns, []  # no rows: the columns they would have had
    if isinstance(data, list) and data and all(isinstance(row, dict) for row in data):
        if columns is None:
            seen: dict[str, None] = {}
            for row in data:
                seen.update(dict.fromkeys(row))
            columns = tuple(seen)
        return columns, [
            tuple(
                cell_text(row[column] if column in row else value_at(row, column.split(".")))
                for column in columns
            )
            for row in data
        ]
    values = data if isinstance(data, list) else [data]
    return ("value",), [(cell_text(v),) for v in values]


def _print_table(console: Console, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Columns padded to their widest cell, two spaces apart; nothing cut or wrapped. The
    cells are escaped already; the header is escaped here (--columns names it)."""
    from rich.text import Text

    from coopctl.escaping import one_line

    header = tuple(one_line(h) for h in header)
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(header)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    console.print(Text(line(header), style="bold"))
    for row in rows:
        console.print(Text(line(row)))
