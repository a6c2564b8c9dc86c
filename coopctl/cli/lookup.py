"""coopctl lookup."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.i18n import N_, _
from coopctl.localformat import format_number

_COLUMNS = (
    N_("name"),
    N_("type"),
    N_("state"),
    "AGS",
    "ARS",
    "gv_type",
    N_("Destatis type"),
    N_("population"),
)

if TYPE_CHECKING:
    from coopctl.gv import GvEntry


class LookupFormat(StrEnum):
    text = "text"
    json = "json"


HELP = _(
    "Search the Destatis Gemeindeverzeichnis by name or key.\n"
    "\n"
    "Prints name, coopctl partner type, state, AGS, ARS and Textkennzeichen (gv_type): what a\n"
    "partner file needs, and how many matches the limit left out. Exit status: 0 found, 1\n"
    "nothing found.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl lookup Nuernberg\n"
    "\n"
    '  coopctl lookup "Landkreis Gifhorn"\n'
    "\n"
    "  coopctl lookup 031010000000"
)


def lookup(
    text: Annotated[
        str,
        typer.Argument(
            help=_("A name (Nürnberg, Nuernberg, gifhorn) or the start of an ARS/AGS key (03101).")
        ),
    ],
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, help=_("Show at most this many entries (0: all of them).")
        ),
    ] = 20,
    output_format: Annotated[
        LookupFormat, typer.Option("--format", "-f", help=_("text or json."))
    ] = LookupFormat.text,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help=_(
                "Show every record, also those no partner can be (verbandsfreie Gemeinde) "
                "and the several records that share one key."
            ),
        ),
    ] = False,
) -> None:
    """Search the Destatis Gemeindeverzeichnis by name or key."""
    from rich.table import Table
    from rich.text import Text

    from coopctl.cli.output import make_console
    from coopctl.gv import ATTRIBUTION, load

    directory = load()
    attribution = directory.attribution or ATTRIBUTION  # the header of the file in use
    found = _merged(directory.search(text, limit=len(directory)), show_all)
    entries = found[:limit] if limit else found
    left_out = len(found) - len(entries)
    console = make_console()
    if output_format is LookupFormat.json:
        rows = [
            {
                "name": e.name,
                "level": e.level,
                "type_code": e.type_code,
                "type_label": e.type_label,
                "partner_types": sorted(e.partner_types),
                "state": e.state,
                "ags": e.ags,
                "ars": e.ars,
                "population": e.population,
            }
            for e in entries
        ]
        console.file.write(
            json.dumps(
                {
                    "query": text,
                    "results": rows,
                    "left_out": left_out,
                    "attribution": attribution,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif entries:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in _COLUMNS:
            table.add_column(_(column), no_wrap=True)
        for entry in entries:
            population = format_number(entry.population) if entry.population else ""
            table.add_row(
                entry.name,
                ", ".join(sorted(entry.partner_types)) or "-",
                entry.state,
                entry.ags or "-",
                entry.ars,
                entry.type_code or "-",
                entry.type_label,
                population,
            )
        console.print(table)
        if left_out:
            more = _("... and {count} more; use --limit 0 to see all")
            console.print(more.format(count=format_number(left_out)))
        console.print(Text(attribution, style="dim"))
    else:
        console.print(_("nothing found for '{text}'").format(text=text))
    raise typer.Exit(0 if entries else 1)


def _merged(entries: list[GvEntry], show_all: bool) -> list[GvEntry]:
    """One row per ARS: a kreisfreie Stadt appears in the directory as a Kreis, a
    Gemeindeverband and a Gemeinde with the same key; the Gemeinde record (with its AGS) is
    shown. Records no partner can be (verbandsfreie Gemeinde, ...) only with --all."""
    if show_all:
        return entries
    chosen: dict[str, GvEntry] = {}
    for entry in entries:
        if not entry.partner_types:
            continue
        current = chosen.get(entry.ars)
        if current is None or (entry.ags and not current.ags):
            chosen[entry.ars] = entry
    return list(chosen.values())
