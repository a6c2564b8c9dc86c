"""coopctl fmt."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopctl.cli.options import RootOption, registry_relative


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Entity files or folders to format (default: the whole registry).",
            show_default=False,
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing; exit 1 and list the files that would change."
        ),
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Change nothing; print what would change as a unified diff."),
    ] = False,
    root: RootOption = None,
) -> None:
    """Rewrite registry files in the one canonical layout.

    Keys follow the order of the schema, lists are indented two spaces under their key, dates
    are single-quoted, other values are quoted only where YAML needs it, comments and blank
    lines stay, and line 1 is the schema modeline. Existing text is not re-wrapped. Running fmt
    twice changes nothing the second time. Files that cannot be read are reported and left
    alone.

    Exit status: 0 done (or nothing to change), 1 files would change (--check) or could not
    be formatted, 2 usage error.

    Examples:

      coopctl fmt

      coopctl fmt --check

      coopctl fmt registry/agreements --diff
    """
    from coopctl.cli.output import make_console
    from coopctl.cli.reporters import problem_line
    from coopctl.escaping import plain
    from coopctl.formatting import format_file
    from coopctl.fsio import write_atomic
    from coopctl.registry import find_root, read_working_tree
    from coopctl.schemas import load_schemas

    registry_root = find_root(root)
    wanted = [registry_relative(p, registry_root) for p in paths or ()]
    schemas = load_schemas(registry_root / "schemas")
    sources, problems = read_working_tree(registry_root)
    console = make_console()
    changed, failed, unchanged = [], len(problems), 0
    for problem in problems:
        if _selected(problem.path, wanted):
            console.print(problem_line(problem))
    for source in sources:
        if not _selected(source.path, wanted):
            continue
        result = format_file(source.raw, source.path, schemas)
        if result.text is None:
            failed += bool(result.problems)
            for problem in result.problems:
                console.print(problem_line(problem))
            continue
        if not result.changed:
            unchanged += 1
            continue
        changed.append(source.path)
        if diff:
            lines = result.diff().split("\n")
            console.out("\n".join(plain(line) for line in lines), end="")
        if check:
            console.print(f"would reformat {plain(source.path)}")
        elif not diff:
            target = registry_root / source.path
            if target.read_bytes() != source.raw:  # edited meanwhile: never clobber that
                console.print(f"{plain(source.path)}: changed while formatting; run fmt again")
                failed += 1
                continue
            write_atomic(target, result.text.encode("utf-8"))
            console.print(f"reformatted {plain(source.path)}")
    verb = "would be reformatted" if check or diff else "reformatted"
    summary = f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}, {unchanged} unchanged"
    if failed:
        summary += f", {failed} could not be formatted"
    make_console(stderr=True).print(summary + ".")
    raise typer.Exit(1 if failed or (check and changed) else 0)


def _selected(path: str, wanted: list[str]) -> bool:
    if not wanted or "." in wanted:
        return True
    return any(path == w or path.startswith(w.rstrip("/") + "/") for w in wanted)
