"""coopctl diff."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from coopctl.cli.options import RootOption
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
) -> None:
    """Show what changed in the registry, entity by entity."""
    from coopctl.cli.output import make_console
    from coopctl.cli.reporters import DIFF_REPORTERS
    from coopctl.diff import collection_paused, diff_revisions
    from coopctl.errors import UsageError
    from coopctl.gitstore import GitStore
    from coopctl.registry import find_root

    registry_root = find_root(root)
    store = GitStore(registry_root)
    args = list(revisions or [])
    if len(args) > 2:
        raise UsageError(_("give at most two revisions"), hint="coopctl diff [A] [B]")
    if len(args) == 2:
        base, head, labels = args[0], args[1], (args[0], args[1])
        result = diff_revisions(registry_root, base, head, store, labels=labels)
    elif args and "..." in args[0]:
        left, _sep, right = args[0].partition("...")
        left, right = left or "HEAD", right or "HEAD"
        base = store.merge_base(left, right)
        result = diff_revisions(
            registry_root, base, right, store, labels=(f"{left}...{right}", right)
        )
    elif args and ".." in args[0]:
        left, _sep, right = args[0].partition("..")
        left, right = left or "HEAD", right or "HEAD"
        result = diff_revisions(registry_root, left, right, store, labels=(left, right))
    else:
        result = diff_revisions(registry_root, args[0] if args else "HEAD", None, store)
    with collection_paused():  # the lines of a wide diff are many small objects too
        DIFF_REPORTERS[output_format.value](make_console(), result)
    raise typer.Exit(1 if exit_code and result.changes else 0)
