"""coopctl history."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from coopctl.cli.options import RootOption
from coopctl.i18n import _


class HistoryFormat(StrEnum):
    text = "text"
    json = "json"


HELP = _(
    "List the commits that changed an entity, and how.\n"
    "\n"
    "Follows the entity's file through renames. For each commit: the date, the author, the\n"
    "subject and the semantic changes it made to the entity. Newest first.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl history braunschweig\n"
    "\n"
    "  coopctl history agreement:muenchen-augsburg-nuernberg --format json"
)


def history(
    entity: Annotated[
        str,
        typer.Argument(metavar="ID", help=_("The entity: its id, or KIND:ID."), show_default=False),
    ],
    root: RootOption = None,
    rev: Annotated[
        str, typer.Option("--rev", metavar="REV", help=_("Start from this revision."))
    ] = "HEAD",
    output_format: Annotated[
        HistoryFormat, typer.Option("--format", "-f", help=_("text or json."))
    ] = HistoryFormat.text,
) -> None:
    """List the commits that changed an entity, and how."""
    from coopctl.cli.history_run import show_history

    show_history(entity, root, rev, output_format.value)
