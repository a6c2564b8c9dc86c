"""coopctl edit."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from coopctl.cli.options import RootOption
from coopctl.escaping import plain
from coopctl.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.model import Problem
    from coopctl.registry import Registry
    from coopctl.schemas import SchemaSet


HELP = _(
    "Edit an entity's file in your editor, validated on save.\n"
    "\n"
    "Opens a copy of the file in $VISUAL, else $EDITOR, else vi (a command with "
    "options, such as 'code --wait', is run by the shell, as git does). The copy "
    "lives in the temporary folder, readable only by you, never inside the registry. "
    "When the editor exits, the registry is checked with the change. If it has "
    "errors, the copy is opened again with the problems as '# coopctl:' comment "
    "lines at the top (they are removed before anything is written), until the file "
    "is clean. New warnings are shown but do not reopen the file. A file that does "
    "not load at all (a YAML mistake) opens with its problems at the top.\n"
    "\n"
    "To abort, quit without saving, or save the file unchanged or empty: nothing is "
    "written. The file is replaced atomically under its lock; if it was changed on "
    "disk while you edited (F010), nothing is overwritten and your version is kept "
    "in the temporary folder.\n"
    "\n"
    "Exit status: 0 written, or no changes made; 1 aborted with errors left, an "
    "emptied file, the editor failed, the file changed meanwhile (F010) or is a link "
    "(F008), or no entity has the id; 2 usage error.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl edit landkreis-gifhorn\n"
    "\n"
    "  EDITOR=nano coopctl edit agreement:braunschweig-salzgitter-wolfsburg --commit\n"
    "\n"
    "  VISUAL='code --wait' coopctl edit ewa"
)


def edit(
    entity_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("The entity to edit: its id, or KIND:ID when several kinds have it."),
        ),
    ],
    commit: Annotated[
        bool, typer.Option("--commit", help=_("Make a git commit of exactly the changed file."))
    ] = False,
    root: RootOption = None,
) -> None:
    """Edit an entity's file in your editor, validated on save."""
    from coopctl.cli.output import make_console
    from coopctl.cli.saving import refusing_links
    from coopctl.cli.show import resolve
    from coopctl.errors import CoopctlError
    from coopctl.fsio import refuse_link
    from coopctl.registry import find_root, load_working_tree
    from coopctl.schemas import load_schemas

    registry_root = find_root(root)
    schemas = load_schemas(registry_root / "schemas")
    registry = load_working_tree(registry_root)
    try:
        entity = resolve(registry, entity_id)
        target = _Target(entity.path, entity.kind, entity.id, ())
    except CoopctlError:
        unread = _unread(registry, entity_id)
        if unread is None:
            raise
        target = unread
    console = make_console(stderr=True)
    with refusing_links(target.path, console):
        refuse_link(registry_root / target.path, target.path)
    session = _Session(registry_root, schemas, target, console)
    if session.run() and commit:
        from coopctl.cli.saving import commit as commit_change

        commit_change(registry_root, target.path, f"Edit {target.kind} {target.id}", console)


class _Target(NamedTuple):
    """The file to edit, and the problems that kept it from loading (shown at the top)."""

    path: str
    kind: str
    id: str
    problems: tuple[Problem, ...]


def _unread(registry: Registry, text: str) -> _Target | None:
    """The one registry file named `text` (ID or KIND:ID) that exists but could not be read,
    so that a broken file can be repaired in the editor."""
    from pathlib import PurePosixPath

    from coopctl.model import KIND_OF_FOLDER
    from coopctl.query import KIND_NAMES

    prefix, _, wanted = text.strip().rpartition(":")
    kinds = {KIND_NAMES.get(prefix.lower())} if prefix else set(KIND_OF_FOLDER.values())
    found: dict[str, list[Problem]] = {}
    for problem in registry.load_problems:
        where = PurePosixPath(problem.path)
        kind = KIND_OF_FOLDER.get(where.parent.name)
        if kind in kinds and where.parent.parent.name == "registry" and where.stem == wanted:
            found.setdefault(problem.path, []).append(problem)
    if len(found) != 1:
        return None
    ((path, problems),) = found.items()
    kind = KIND_OF_FOLDER[PurePosixPath(path).parent.name]
    return _Target(path, kind, wanted, tuple(sorted(problems, key=lambda p: p.sort_key)))


class _Session:
    """One `coopctl edit`: the file as it was, its temporary copy, the editor rounds."""

    def __init__(self, root: Path, schemas: SchemaSet, target: _Target, console: Console) -> None:
        self.root = root
        self.schemas = schemas
        self.target = target
        self.console = console
        self.original = (root / target.path).read_bytes()
        self.keep = False  # the temporary copy outlives the run (F010: your version is in it)

    def run(self) -> bool:
        """Edit until the file is clean or the editor aborts; whether the file was written."""
        name = re.sub(r"[^a-z0-9-]", "", self.target.id)[:64]
        handle, temporary_name = tempfile.mkstemp(
            prefix=f"coopctl-edit-{self.target.kind}-{name}-", suffix=".yaml"
        )
        os.close(handle)  # mkstemp made it 0600: readable by the editor's user only
        temporary = Path(temporary_name)
        try:
            return self._rounds(temporary)
        finally:
            if not self.keep:
                temporary.unlink(missing_ok=True)

    def _rounds(self, temporary: Path) -> bool:
        """The editor rounds; whether the file was written."""
        from coopctl.authoring import has_errors
        from coopctl.cli.reporters import problem_line
        from coopctl.cli.saving import new_problems, print_problems
        from coopctl.editing import with_problem_header, without_problem_header

        path = self.target.path
        body = self.original.decode("utf-8", errors="surrogateescape")
        problems: list[Problem] = list(self.target.problems)  # a file that did not load
        lines = [problem_line(p) for p in problems]
        while True:
            shown = with_problem_header(body, lines) if lines else body
            # Bytes as they are: line ends (CRLF) and undecodable bytes survive a round.
            temporary.write_bytes(shown.encode("utf-8", errors="surrogateescape"))
            self._run_editor(temporary)
            saved = temporary.read_bytes().decode("utf-8", errors="surrogateescape")
            body = without_problem_header(saved) if lines else saved
            if not body.strip():
                self._abort(_("the file was saved empty"))
            if saved == shown and lines:
                print_problems(self.console, problems)
                self._abort(_("the file was saved unchanged with its problems"))
            data = body.encode("utf-8", errors="surrogateescape")
            if data == self.original:
                self.console.print(
                    plain(_("{path}: no changes; nothing was written").format(path=path))
                )
                return False
            problems = new_problems(self.root, self.schemas, path, data)
            if not has_errors(problems):
                break
            lines = [problem_line(p) for p in problems]
        print_problems(self.console, problems)
        return self._write(temporary, data)

    def _write(self, temporary: Path, data: bytes) -> bool:
        from coopctl.cli.saving import make_stdout, refusing_links, report
        from coopctl.errors import CoopctlError
        from coopctl.fsio import write_locked

        path = self.target.path

        def replace(current: bytes) -> bytes:
            if current != self.original:
                raise _ChangedMeanwhile
            return data

        try:
            with refusing_links(path, self.console):
                write_locked(self.root / path, path, replace)
        except _ChangedMeanwhile:
            temporary.write_bytes(data)
            self.keep = True
            report(self.console, "F010", _("changed on disk while it was being edited"), path)
            raise CoopctlError(
                _("your version is kept in {file}").format(file=temporary),
                hint=_("compare it with {path} and edit again (coopctl edit {id})").format(
                    path=path, id=self.target.id
                ),
            ) from None
        make_stdout().print(plain(_("wrote {path}").format(path=path)))
        return True

    def _run_editor(self, temporary: Path) -> None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            completed = subprocess.run(
                ["sh", "-c", f'{editor} "$@"', editor, str(temporary)], check=False
            )
        except OSError as exc:
            self._abort(_("the editor could not be started: {reason}").format(reason=exc.strerror))
        if completed.returncode != 0:
            self._abort(
                _("the editor '{editor}' exited with status {status}").format(
                    editor=editor, status=completed.returncode
                )
            )

    def _abort(self, reason: str) -> None:
        from coopctl.errors import CoopctlError

        raise CoopctlError(
            _("{path}: {reason}; aborted, nothing was written").format(
                path=self.target.path, reason=reason
            ),
            hint=_("run 'coopctl edit {id}' again to make the change").format(id=self.target.id),
        )


class _ChangedMeanwhile(Exception):
    """The file on disk is no longer the one the editor was given."""
