"""What `coopctl history` does once its arguments are read (by typer, or by
`coopctl.cli.direct`): the entity's commits, as text or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coopctl.i18n import _

if TYPE_CHECKING:
    from coopctl.cli.changes import Line
    from coopctl.history import EntityHistory


def show_history(entity: str, root: Path | None, rev: str, output_format: str) -> int:
    """Print the history of `entity` (ID or KIND:ID) from `rev`; the exit status."""
    from coopctl.history import start_entity_history
    from coopctl.registry import find_root

    pending = start_entity_history(find_root(root), entity, rev)
    # While git walks the commits: the output's modules.
    from coopctl.cli import changes
    from coopctl.escaping import to_json

    result = pending()
    if output_format == "json":
        sys.stdout.write(to_json(_as_json(result)) + "\n")
    else:
        changes.write_lines(_as_text(result))
    return 0


def _as_json(result: EntityHistory) -> dict[str, object]:
    from coopctl import __version__
    from coopctl.cli.changes import JSON_FORMAT_VERSION, change_json, field_name

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


def _as_text(result: EntityHistory) -> list[Line]:
    """The commits as lines: a commit's sha (yellow), date, author and subject (bold), then
    its changes, a blank line between commits."""
    from coopctl.cli.changes import describe_change
    from coopctl.cli.words import kind_word
    from coopctl.escaping import plain
    from coopctl.localformat import format_date

    lines: list[Line] = []
    for index, entry in enumerate(result.entries):
        if index:
            lines.append([])
        commit = entry.commit
        lines.append(
            [
                (plain(commit.sha[:12]), "yellow"),
                (plain(f" {format_date(commit.date[:10])} {commit.author}: "), None),
                (plain(commit.subject), "bold"),
            ]
        )
        for change in entry.changes:
            indent = "    " if change.pointer else "  "
            lines.append([(indent + plain(describe_change(change)), None)])
    if not result.entries:
        message = _("No commits changed {kind} {id}.").format(
            kind=kind_word(result.kind), id=result.id
        )
        lines.append([(plain(message), None)])
    return lines
