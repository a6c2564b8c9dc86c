"""coopctl migrate."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.cli.options import RootOption
from coopctl.i18n import _, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.migrate import MigrationPlan


HELP = _(
    "Upgrade a registry to the schema version this coopctl reads.\n"
    "\n"
    "Runs the declared migration of each kind, version by version, on every entity file\n"
    "(comments and layout stay), replaces the registry's copy of the schemas with coopctl's\n"
    "own, and checks the whole result before anything is written. A migration that would give\n"
    "a file without errors an error, or a file that cannot be read, is refused with its\n"
    "problems and nothing is written. Each changed file is listed with every change.\n"
    "\n"
    "Exit status: 0 migrated (or up to date), 1 files would change (--check) or the migration\n"
    "was refused, 2 usage error (also a registry newer than this coopctl).\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl migrate --check\n"
    "\n"
    "  coopctl migrate\n"
    "\n"
    "  coopctl migrate --to 2 kooperationen"
)


def migrate(
    directory: Annotated[
        Path | None,
        typer.Argument(
            metavar="DIR",
            help=_("The registry folder (default: as --root)."),
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help=_("Change nothing; exit 1 and list what would change.")),
    ] = False,
    to: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="VERSION",
            help=_("The schema version to migrate to (default: the one this coopctl reads)."),
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Upgrade a registry to the schema version this coopctl reads."""
    from coopctl.cli.output import make_console
    from coopctl.cli.saving import print_problems
    from coopctl.migrate import plan_migration, write_plan
    from coopctl.registry import find_root

    registry_root = find_root(directory or root)
    plan = plan_migration(registry_root, to)
    console, status = make_console(), make_console(stderr=True)
    if plan.problems:
        print_problems(console, list(plan.problems))
        if plan.in_result:
            status.print(
                _(
                    "the migrated registry would have these new errors (lines as in the migrated "
                    "files); the migration was refused; nothing was written"
                )
            )
            hint = _("a migration step made them; please report it with the files named")
        else:
            status.print(_("the migration was refused; nothing was written"))
            hint = _("correct these files, then run 'coopctl migrate' again")
        status.print("  " + _("hint: {hint}").format(hint=hint))
        raise typer.Exit(1)
    if not plan.changed:
        status.print(
            _("The registry is of schema version {version}; nothing to migrate.").format(
                version=plan.to_version
            )
        )
        raise typer.Exit(0)
    if not check:
        write_plan(plan)  # before listing: a write that fails lists nothing as migrated
    _list_changes(console, plan, written=not check)
    count = len(plan.files)
    if check:
        summary = ngettext(
            "{count} file would change (schema version {old} to {new}); run 'coopctl migrate'.",
            "{count} files would change (schema version {old} to {new}); run 'coopctl migrate'.",
            count,
        )
    else:
        summary = ngettext(
            "Migrated from schema version {old} to {new}: {count} file changed.",
            "Migrated from schema version {old} to {new}: {count} files changed.",
            count,
        )
    status.print(summary.format(count=count, old=plan.from_version, new=plan.to_version))
    raise typer.Exit(1 if check else 0)


def _list_changes(console: Console, plan: MigrationPlan, *, written: bool) -> None:
    from coopctl.escaping import plain

    heading = _("migrated {path}") if written else _("would migrate {path}")
    for change in plan.files:
        console.print(plain(heading.format(path=change.path)))
        for item in change.changes:
            line = f"{item.pointer}: {item.message}" if item.pointer else item.message
            console.print("  " + plain(line))
