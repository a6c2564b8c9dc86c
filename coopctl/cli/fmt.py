"""coopctl fmt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.cli.options import RootOption, registry_relative
from coopctl.i18n import _, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.model import SourceFile
    from coopctl.schemas import SchemaSet


HELP = _(
    "Rewrite registry files in the one canonical layout.\n"
    "\n"
    "Keys follow the order of the schema, lists are indented two spaces under their key, dates\n"
    "are single-quoted, other values are quoted only where YAML needs it, comments and blank\n"
    "lines stay, and line 1 is the schema modeline. Existing text is not re-wrapped. Running fmt\n"
    "twice changes nothing the second time. Files that cannot be read are reported and left\n"
    "alone.\n"
    "\n"
    "With --fix, fmt first makes the repairs that have exactly one answer and lists each: an\n"
    "AGS or ARS read as a number becomes the quoted key with its leading zeros (if the\n"
    "Gemeindeverzeichnis has it), a year read as a number is quoted, a choice in the wrong\n"
    "case gets the right case, a misspelt field its name where only one name is close.\n"
    "\n"
    "Exit status: 0 done (or nothing to change), 1 files would change (--check) or could not\n"
    "be formatted, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl fmt\n"
    "\n"
    "  coopctl fmt --check\n"
    "\n"
    "  coopctl fmt registry/agreements --diff\n"
    "\n"
    "  coopctl fmt --fix"
)


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_("Entity files or folders to format (default: the whole registry)."),
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help=_("Change nothing; exit 1 and list the files that would change.")
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff", help=_("Change nothing; print what would change as a unified diff.")
        ),
    ] = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help=_(
                "Also make the repairs that have exactly one answer (quoted keys and years, "
                "the case of a choice, a misspelt field name) and list each."
            ),
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Rewrite registry files in the one canonical layout."""
    from coopctl.cli.output import make_console
    from coopctl.cli.reporters import problem_line
    from coopctl.fsio import remove_stale
    from coopctl.model import FOLDER_OF_KIND
    from coopctl.registry import REGISTRY_DIR, find_root, read_working_tree
    from coopctl.schemas import load_schemas

    registry_root = find_root(root)
    wanted = [registry_relative(p, registry_root) for p in paths or ()]
    schemas = load_schemas(registry_root / "schemas")
    sources, problems = read_working_tree(registry_root)
    console = make_console()
    outcomes = {_FAILED: len(problems), _CHANGED: 0, _UNCHANGED: 0, _SKIPPED: 0}
    for problem in problems:
        if _selected(problem.path, wanted):
            console.print(problem_line(problem))
    writing = not (check or diff)
    if writing:  # what writers killed earlier left behind
        for folder in FOLDER_OF_KIND.values():
            remove_stale(registry_root / REGISTRY_DIR / folder)
    for source in sources:
        if _selected(source.path, wanted):
            outcome = _format_one(
                registry_root, source, schemas, console, check=check, diff=diff, fix=fix
            )
            outcomes[outcome] += 1
    changed, failed = outcomes[_CHANGED], outcomes[_FAILED]
    if writing:
        summary = ngettext("{count} file reformatted", "{count} files reformatted", changed)
    else:
        summary = ngettext(
            "{count} file would be reformatted", "{count} files would be reformatted", changed
        )
    parts = [summary.format(count=changed)]
    parts.append(_("{count} unchanged").format(count=outcomes[_UNCHANGED]))
    if failed:
        parts.append(_("{count} could not be formatted").format(count=failed))
    make_console(stderr=True).print(", ".join(parts) + ".")
    raise typer.Exit(1 if failed or (check and changed) else 0)


_FAILED, _CHANGED, _UNCHANGED, _SKIPPED = "failed", "changed", "unchanged", "skipped"


def _format_one(
    root: Path,
    source: SourceFile,
    schemas: SchemaSet,
    console: Console,
    *,
    check: bool,
    diff: bool,
    fix: bool = False,
    only_repaired: bool = False,
) -> str:
    """Format one file (or say what would change); the outcome's name. `only_repaired`:
    leave a file that needs no repair as it is (validate --fix)."""
    from coopctl.cli.reporters import problem_line
    from coopctl.codes import new_problem
    from coopctl.escaping import plain
    from coopctl.formatting import format_file
    from coopctl.fsio import LinkNotReplaced, WriteError, refuse_link, write_locked

    result = format_file(source.raw, source.path, schemas, fix=fix)
    if result.text is None:
        if only_repaired:  # validate reports why the file cannot be read
            return _SKIPPED
        for problem in result.problems:
            console.print(problem_line(problem))
        return _FAILED if result.problems else _SKIPPED
    if not result.changed or (only_repaired and not result.repairs):
        return _UNCHANGED
    target = root / source.path
    text = result.text.encode("utf-8")
    try:
        refuse_link(target, source.path)
        if diff:
            lines = result.diff().split("\n")
            console.out("\n".join(plain(line) for line in lines), end="")
        if check:
            console.print(_("would reformat {path}").format(path=plain(source.path)))
        if not (check or diff):
            write_locked(target, source.path, lambda now: _unless_changed(now, source, text))
        line = _("{where}: would fix {repair}") if check or diff else _("{where}: fixed {repair}")
        for repair in result.repairs:
            where = f"{source.path}:{repair.line}:{repair.column}"
            console.print(line.format(where=plain(where), repair=plain(repair.description)))
        if not (check or diff):
            console.print(_("reformatted {path}").format(path=plain(source.path)))
    except LinkNotReplaced as exc:
        console.print(problem_line(new_problem("F008", exc.reason, source.path, line=1, column=1)))
        return _FAILED
    except WriteError as exc:
        console.print(plain(exc.message))
        return _FAILED
    return _CHANGED


def _unless_changed(now: bytes, source: SourceFile, text: bytes) -> bytes:
    """The formatted text, if the file still holds what was formatted."""
    from coopctl.fsio import WriteError

    if now != source.raw:  # edited meanwhile: never clobber that
        raise WriteError(
            _("{path}: changed while formatting; run fmt again").format(path=source.path)
        )
    return text


def _selected(path: str, wanted: list[str]) -> bool:
    if not wanted or "." in wanted:
        return True
    return any(path == w or path.startswith(w.rstrip("/") + "/") for w in wanted)


def fix_registry(registry_root: Path, console: Console) -> int:
    """validate --fix: make the repairs in every file that needs one (written as fmt writes
    it); files that need none stay as they are. The number of files that could not be
    repaired."""
    from coopctl.registry import read_working_tree
    from coopctl.schemas import load_schemas

    schemas = load_schemas(registry_root / "schemas")
    sources, _ = read_working_tree(registry_root)  # unreadable files: validate reports them
    failed = 0
    for source in sources:
        outcome = _format_one(
            registry_root,
            source,
            schemas,
            console,
            check=False,
            diff=False,
            fix=True,
            only_repaired=True,
        )
        failed += outcome == _FAILED
    return failed
