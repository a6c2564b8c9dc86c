"""coopctl history."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.cli.options import RootOption
from coopctl.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from coopctl.history import EntityHistory
    from coopctl.model import Change


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
    from coopctl.history import start_entity_history
    from coopctl.registry import find_root

    pending = start_entity_history(find_root(root), entity, rev)
    # While git walks the commits: the output's modules.
    from coopctl.cli.output import make_console
    from coopctl.cli.reporters import describe_change
    from coopctl.escaping import to_json

    console = make_console()
    result = pending()
    if output_format is HistoryFormat.json:
        console.file.write(to_json(_as_json(result)) + "\n")
    else:
        _as_text(console, result, describe_change)


def _as_json(result: EntityHistory) -> dict[str, object]:
    from coopctl import __version__
    from coopctl.cli.reporters import JSON_FORMAT_VERSION, change_json, field_name

    return {
        "format_version": JSON_FORMAT_VERSION,
        "coopctl_version": __version__,
        "kind": result.kind,
        "id": result.id,
        "path": result.path,
        "commits": [
            {
                "sha": entry.commit.sha,
                "date": entry.commit.date,
                "author": entry.commit.author,
                "subject": entry.commit.subject,
                "path": entry.commit.path,
                "old_path": entry.commit.old_path,
                "changes": [
                    {
                        **change_json(change),
                        "pointer": change.pointer,
                        "field": field_name(change.pointer) if change.pointer else None,
                        "old": change.old,
                        "new": change.new,
                    }
                    for change in entry.changes
                ],
            }
            for entry in result.entries
        ],
    }


def _as_text(
    console: Console, result: EntityHistory, describe_change: Callable[[Change], str]
) -> None:
    """The commits as lines, printed at once (`print_lines`)."""
    from rich.text import Text

    from coopctl.cli.output import print_lines
    from coopctl.cli.words import kind_word
    from coopctl.escaping import plain
    from coopctl.localformat import format_date

    lines: list[Text] = []
    for index, entry in enumerate(result.entries):
        if index:
            lines.append(Text())
        commit = entry.commit
        line = Text(plain(commit.sha[:12]), style="yellow")
        line.append(plain(f" {format_date(commit.date[:10])} {commit.author}: "))
        line.append(plain(commit.subject), style="bold")
        lines.append(line)
        for change in entry.changes:
            indent = "    " if change.pointer else "  "
            lines.append(Text(indent + plain(describe_change(change))))
    if not result.entries:
        message = _("No commits changed {kind} {id}.").format(
            kind=kind_word(result.kind), id=result.id
        )
        lines.append(Text(plain(message)))
    print_lines(console, lines)
