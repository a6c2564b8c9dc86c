"""coopctl diff."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from coopctl.cli.options import NoCacheOption, RootOption
from coopctl.i18n import _


class DiffFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


HELP = _(
    "Show what changed in the registry, entity by entity.\n"
    "\n"
    "Compares two revisions (or a revision and the working tree) field by field: entities\n"
    "added, removed, renamed and modified, each changed field with its old and new value.\n"
    "List items are matched by their identity, so reordering a list is no change.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl diff\n"
    "\n"
    "  coopctl diff origin/main...HEAD --format markdown\n"
    "\n"
    "  coopctl diff v1.0 v1.1 --format json"
)


def diff(
    revisions: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[A] [B]",
            help=_(
                "Nothing: HEAD against the working tree. A: A against the working tree. "
                "A B or A..B: A against B. A...B: the common ancestor of A and B against B."
            ),
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help=_("text, markdown or json."))
    ] = DiffFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help=_("Exit with 1 when there are changes."))
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Show what changed in the registry, entity by entity."""
    from coopctl.cli.diff_run import show_diff

    code = show_diff(
        list(revisions or []), root, output_format.value, exit_code, cache=not no_cache
    )
    raise typer.Exit(code)
