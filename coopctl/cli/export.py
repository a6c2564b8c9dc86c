"""coopctl export."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.cli.options import NoCacheOption, RevOption, RootOption
from coopctl.i18n import _
from coopctl.localformat import format_number

if TYPE_CHECKING:
    from coopctl.export_xlsx import Cut


class ExportFormat(StrEnum):
    sqlite = "sqlite"
    csv = "csv"
    xlsx = "xlsx"


HELP = _(
    "Export the registry as SQLite, CSV or Excel (xlsx) tables.\n"
    "\n"
    "Tables: partners, agreements, memberships (derived from the events, with from/until),\n"
    "events, signatories, solutions, solution_users (with the OZG maturity),\n"
    "solution_components, solution_adopting_states, sources and meta (revision, coopctl\n"
    "version, export time). Lists and mappings are stored as JSON text. CSV cells that a\n"
    "spreadsheet would run as a formula get a leading apostrophe; control characters and\n"
    "CI log commands (:: and ##[) are written as visible escapes.\n"
    "\n"
    "xlsx: one sheet per table; keys (ARS, AGS, LeiKa, ids) and partial dates are text\n"
    "cells, full dates are date cells (TT.MM.JJJJ), text is never a formula. The meta\n"
    "sheet also names the source and licence of the keys. For Excel, take xlsx: a CSV\n"
    "file opened there loses the keys' leading zeros.\n"
    "\n"
    "The tables hold every membership period with its dates, not one day's state: a\n"
    "question as of a day is a filter on them (see docs/queries.md).\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl export sqlite registry.sqlite\n"
    "\n"
    "  coopctl export xlsx registry.xlsx\n"
    "\n"
    "  coopctl export csv tables/ --excel\n"
    "\n"
    "  coopctl export sqlite old.sqlite --rev v1.0 --timestamp 2025-01-01T00:00:00Z"
)


def export(
    export_format: Annotated[
        ExportFormat, typer.Argument(metavar="FORMAT", help=_("sqlite, csv or xlsx."))
    ],
    target: Annotated[
        Path,
        typer.Argument(
            metavar="TARGET",
            help=_(
                "sqlite, xlsx: the file (replaced if it exists); csv: a folder, created "
                "if missing, that receives one <table>.csv per table."
            ),
        ),
    ],
    excel: Annotated[
        bool,
        typer.Option("--excel", help=_("csv only: a BOM and ';' between cells, for German Excel.")),
    ] = False,
    timestamp: Annotated[
        str | None,
        typer.Option(
            "--timestamp",
            metavar="TIME",
            help=_(
                "The export time recorded in the meta table and as the workbook's created "
                "time (ISO 8601). Default: "
                "$SOURCE_DATE_EPOCH, else now. Fix it to get the same bytes from the same registry."
            ),
            show_default=False,
        ),
    ] = None,
    datasette: Annotated[
        bool,
        typer.Option(
            "--datasette",
            help=_(
                "sqlite only: also write Datasette metadata (titles, descriptions, facets, "
                "licences) beside the database, as FILE.metadata.json (see docs/datasette.md)."
            ),
        ),
    ] = False,
    rev: RevOption = None,
    no_cache: NoCacheOption = False,
    root: RootOption = None,
) -> None:
    """Export the registry as SQLite, CSV or Excel (xlsx) tables."""
    import os
    from datetime import UTC, datetime

    from coopctl.cli.output import make_console, warn_unloaded
    from coopctl.errors import UsageError
    from coopctl.escaping import plain
    from coopctl.export import build_tables, export_meta, export_time, table_makers
    from coopctl.export_writers import write_csv, write_sqlite
    from coopctl.registry import find_root
    from coopctl.sharing import for_every_kind
    from coopctl.snapshot import load_snapshot

    if excel and export_format is not ExportFormat.csv:
        raise UsageError(_("--excel applies to csv exports only"))
    if datasette and export_format is not ExportFormat.sqlite:
        raise UsageError(_("--datasette applies to sqlite exports only"))
    moment = export_time(timestamp, os.environ, datetime.now(UTC))
    registry = load_snapshot(find_root(root), rev, cache=not no_cache, reduce=for_every_kind())
    warn_unloaded(registry)
    meta = export_meta(registry, rev, moment)
    if export_format is ExportFormat.sqlite:  # one table at a time, as its rows are made
        makers = table_makers(registry, meta)
        counted = write_sqlite(target, {name: make() for name, make in makers.items()})
        where = str(target)
        if datasette:
            from coopctl.datasette import write_metadata
            from coopctl.schemas import load_schemas

            where += f", {write_metadata(target, load_schemas(registry.root / 'schemas'), meta)}"
    elif export_format is ExportFormat.xlsx:
        from coopctl.export_xlsx import write_xlsx

        rows = build_tables(registry, meta)
        created = datetime.strptime(moment, "%Y-%m-%dT%H:%M:%SZ")
        warn_cut(write_xlsx(target, rows, created))
        where = str(target)
        counted = {name: len(table_rows) for name, table_rows in rows.items()}
    else:
        rows = build_tables(registry, meta)
        write_csv(target, rows, excel=excel)
        where = f"{target}{os.sep}"
        counted = {name: len(table_rows) for name, table_rows in rows.items()}
    counts = ", ".join(f"{format_number(number)} {name}" for name, number in counted.items())
    message = _("Wrote {where}: {counts}.").format(where=where, counts=counts)
    make_console(stderr=True).print(plain(message), markup=False)


def warn_cut(cuts: list[Cut]) -> None:
    """Name on stderr every cell of a workbook that was cut to fit (the exit code stays 0)."""
    from rich.text import Text

    from coopctl.cli.output import make_console
    from coopctl.escaping import plain
    from coopctl.export_xlsx import MAX_CELL

    console = make_console(stderr=True)
    for cut in cuts:
        message = _(
            "warning: table {table}, column {column}, row {row}: {length} characters, more "
            "than the {limit} a spreadsheet cell holds; cut, with a note at its end"
        ).format(table=cut.table, column=cut.column, row=cut.row, length=cut.length, limit=MAX_CELL)
        console.print(Text(plain(message), style="yellow"))
    if cuts:
        hint = _("hint: {hint}").format(hint=_("export sqlite or csv keep the whole value"))
        console.print(Text("  " + hint, style="dim"))
