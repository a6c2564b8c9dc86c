"""coopctl set."""

from __future__ import annotations

from typing import Annotated

import typer

from coopctl.cli.options import RootOption
from coopctl.escaping import plain
from coopctl.i18n import _

HELP = _(
    "Change fields of an entity without an editor.\n"
    "\n"
    "Paths are dotted (sources.0.url, contacts.1.role; list items by position) and "
    "values are read as the schema says, exactly as for 'add --set': choices, dates, "
    "booleans, references checked against the registry, '[a, b]' and '{url: ...}' as "
    "YAML flow. PATH-=VALUE removes the one list item that VALUE names (a text, or "
    "an object by some of its fields); --unset PATH removes a field or an item by "
    "position. Only the edited lines change: comments and blank lines stay; a file "
    "in fmt's layout stays in it (a new field takes its place in the schema's key "
    "order), any other file keeps its own (new fields go last).\n"
    "\n"
    "The registry is checked with the change before anything is written; only new "
    "problems are shown. If there are errors nothing is written (unless --force). "
    "The file is read and replaced atomically under its lock, so concurrent writers "
    "never lose a change; a file that is a symbolic link is never written (F008).\n"
    "\n"
    "To end an agreement, record the event instead: 'coopctl add event ID --set "
    "type=termination ...' also sets the status.\n"
    "\n"
    "Exit status: 0 written (or nothing to change), 1 the change has errors or no "
    "entity has the id, 2 usage error (bad path or value).\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl set landkreis-gifhorn website=https://www.gifhorn.de\n"
    "\n"
    "  coopctl set muenchen-augsburg-nuernberg areas+=basisdienste areas-=smart_city\n"
    "\n"
    "  coopctl set solution:bayernid-plugin website=https://example.org --unset "
    "repository\n"
    "\n"
    "  coopctl set landkreis-gifhorn sources+='{url: https://example.org/a, title: "
    "Bericht}'"
)


def set_fields(
    entity_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("The entity to change: its id, or KIND:ID when several kinds have it."),
        ),
    ],
    assignments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH=VALUE...",
            help=_(
                "Changes, applied in order: PATH=VALUE sets, PATH+=VALUE appends to a list, "
                "PATH-=VALUE removes an item from a list."
            ),
            show_default=False,
        ),
    ] = None,
    unset: Annotated[
        list[str] | None,
        typer.Option(
            "--unset",
            metavar="PATH",
            help=_(
                "Remove a field, or a list item by position (sources.1). Repeatable; applied "
                "after the assignments."
            ),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Write even if the changed registry has errors."))
    ] = False,
    commit: Annotated[
        bool, typer.Option("--commit", help=_("Make a git commit of exactly the changed file."))
    ] = False,
    root: RootOption = None,
) -> None:
    """Change fields of an entity without an editor."""
    from coopctl.cli.output import make_console
    from coopctl.cli.saving import commit as commit_change
    from coopctl.cli.saving import write_checked
    from coopctl.cli.show import resolve
    from coopctl.editing import FieldEdit, edited_text
    from coopctl.errors import UsageError
    from coopctl.registry import find_root, load_working_tree
    from coopctl.schemas import load_schemas

    edits = [FieldEdit.parse(a) for a in assignments or []]
    edits += [FieldEdit.unset(path) for path in unset or []]
    if not edits:
        raise UsageError(
            _("nothing to change: give PATH=VALUE, PATH+=VALUE, PATH-=VALUE or --unset PATH"),
            hint=_("for example: coopctl set landkreis-gifhorn website=https://www.gifhorn.de"),
        )
    registry_root = find_root(root)
    schemas = load_schemas(registry_root / "schemas")
    registry = load_working_tree(registry_root)
    entity = resolve(registry, entity_id)
    known_ids = {kind: registry.ids(kind) for kind in registry.by_kind}
    console = make_console(stderr=True)

    def compose(raw: bytes) -> bytes:
        text = edited_text(raw, entity.path, entity.kind, schemas, edits, known_ids)
        return text.encode("utf-8")

    written = write_checked(
        registry_root, schemas, entity.path, compose, force=force, console=console
    )
    if not written:
        console.print(plain(_("{path}: no changes; nothing was written").format(path=entity.path)))
        return
    if commit:
        names = ", ".join(dict.fromkeys(edit.path[0] for edit in edits))
        message = f"Set {names} of {entity.kind} {entity.id}"
        commit_change(registry_root, entity.path, message, console)
