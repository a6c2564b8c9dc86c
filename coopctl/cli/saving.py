"""Writing a changed entity file for `set` and `edit`: validated, atomic, under its lock."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from coopctl.escaping import plain
from coopctl.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.model import Problem
    from coopctl.schemas import SchemaSet


class Unchanged(Exception):
    """The change leaves the file exactly as it is: nothing to write."""


def new_problems(root: Path, schemas: SchemaSet, path: str, data: bytes) -> list[Problem]:
    """The problems the registry would have with `data` at `path` that it has not now."""
    from coopctl.authoring import problems_after

    return problems_after(root, schemas, path, data, date.today())


def print_problems(console: Console, problems: list[Problem]) -> None:
    from coopctl.cli.reporters import problem_line

    for problem in problems:
        console.print(problem_line(problem))


def write_checked(
    root: Path,
    schemas: SchemaSet,
    path: str,
    compose: Callable[[bytes], bytes],
    *,
    force: bool,
    console: Console,
) -> bool:
    """Replace the file at `path` with what `compose` makes of its current bytes, read under
    the file's lock, once the registry with it has no new errors (or `force`). New problems
    are shown on `console`. False when the bytes are unchanged (nothing written). A link is
    F008: exit 1, nothing written."""
    from coopctl.authoring import has_errors
    from coopctl.errors import CoopctlError
    from coopctl.fsio import write_locked

    def change(raw: bytes) -> bytes:
        data = compose(raw)
        if data == raw:
            raise Unchanged
        problems = new_problems(root, schemas, path, data)
        print_problems(console, problems)
        if has_errors(problems) and not force:
            raise CoopctlError(
                _("{path}: the changed file has errors; nothing was written").format(path=path),
                hint=_("correct the values (or use --force to write it anyway)"),
            )
        return data

    try:
        with refusing_links(path, console):
            write_locked(root / path, path, change)
    except Unchanged:
        return False
    make_stdout().print(plain(_("wrote {path}").format(path=path)))
    return True


@contextlib.contextmanager
def refusing_links(path: str, console: Console) -> Iterator[None]:
    """Turn LinkNotReplaced into its problem line (F008), 'nothing was written', exit 1."""
    from coopctl.fsio import LinkNotReplaced

    try:
        yield
    except LinkNotReplaced as exc:
        report(console, "F008", exc.reason, path)
        raise typer.Exit(1) from exc


def report(console: Console, code: str, message: str, path: str) -> None:
    """One problem of the file as a whole, and that nothing was written."""
    from coopctl.cli.reporters import problem_line
    from coopctl.codes import new_problem

    console.print(problem_line(new_problem(code, message, path, line=1, column=1)))
    console.print(_("nothing was written"))


def commit(root: Path, path: str, message: str, console: Console) -> None:
    from coopctl.gitstore import commit_file

    sha = commit_file(root, path, message)
    console.print(plain(_("committed {sha}: {message}").format(sha=sha[:12], message=message)))


def make_stdout() -> Console:
    from coopctl.cli.output import make_console

    return make_console()
