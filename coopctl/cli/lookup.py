"""coopctl lookup."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coopctl.gv import GvEntry


class LookupFormat(StrEnum):
    text = "text"
    json = "json"


def lookup(
    text: Annotated[
        str,
        typer.Argument(
            help="A name (Nürnberg, Nuernberg, gifhorn) or the start of an ARS/AGS key (03101)."
        ),
    ],
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", min=0, help="Show at most this many entries (0: all of them)."
        ),
    ] = 20,
    output_format: Annotated[
        LookupFormat, typer.Option("--format", "-f", help="text or json.")
    ] = LookupFormat.text,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Show every record, also those no partner can be (verbandsfreie Gemeinde) "
            "and the several records that share one key.",
        ),
    ] = False,
) -> None:
    """Search the Destatis Gemeindeverzeichnis by name or key.

    Prints name, coopctl partner type, state, AGS and ARS: what a partner file needs, and
    how many matches the limit left out. Exit status: 0 found, 1 nothing found.

    Examples:

      coopctl lookup Nuernberg

      coopctl lookup "Landkreis Gifhorn"

      coopctl lookup 031010000000
    """
    from rich.table import Table
    from rich.text import Text

    from coopctl.cli.output import make_console
    from coopctl.gv import ATTRIBUTION, load

    directory = load()
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
                    "attribution": ATTRIBUTION,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif entries:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("name", "type", "state", "AGS", "ARS", "Destatis type", "population"):
            table.add_column(column, no_wrap=True)
        for entry in entries:
            population = f"{entry.population:,}".replace(",", ".") if entry.population else ""
            table.add_row(
                entry.name,
                ", ".join(sorted(entry.partner_types)) or "-",
                entry.state,
                entry.ags or "-",
                entry.ars,
                entry.type_label,
                population,
            )
        console.print(table)
        if left_out:
            console.print(f"... and {left_out} more; use --limit 0 to see all")
        console.print(Text(ATTRIBUTION, style="dim"))
    else:
        console.print(f"nothing found for '{text}'")
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
