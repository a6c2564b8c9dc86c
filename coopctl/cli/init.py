"""coopctl init."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from coopctl.scaffold import Placement


HELP = _(
    "Create a new, empty registry.\n"
    "\n"
    "Writes the schemas, the kind folders (registry/partners, agreements, solutions), a\n"
    "README, a .gitignore, a pre-commit configuration, CI workflows for GitHub Actions and\n"
    "GitLab CI with the coopctl-requirements.txt they install coopctl from, and runs 'git init'\n"
    "unless the folder is inside a repository already. In a folder that has some of these files\n"
    "already (a new forge repository with a README, a .gitignore, CI files) it adds the missing\n"
    "ones and lists each file as created or kept as it was, with a note where keeping it means\n"
    "the registry may not be checked as coopctl expects. An existing file is never\n"
    "overwritten; a .gitignore without coopctl's line for its temporary files gets that line\n"
    "added at its end. A file that git would ignore is named with the rule that ignores it.\n"
    "\n"
    "Exit status: 0 created, 1 the folder holds a registry already, or a file is a symbolic\n"
    "link or a folder (nothing is written then), 2 usage error.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl init kooperationen\n"
    "\n"
    "  coopctl init kooperationen --ci-requirement 'coopctl @ git+https://github.com/<owner>/coopctl@v0.1.0'\n"
    "\n"
    "  cd kooperationen && coopctl validate"
)


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            help=_("Where to create the registry (created if missing)."), file_okay=False
        ),
    ] = Path(),
    git: Annotated[
        bool,
        typer.Option(
            "--git/--no-git",
            help=_("Run 'git init' when the folder is not inside a git repository."),
        ),
    ] = True,
    ci_requirement: Annotated[
        str | None,
        typer.Option(
            "--ci-requirement",
            metavar="REQUIREMENT",
            help=_(
                "The pip requirement CI installs coopctl from, written to "
                "coopctl-requirements.txt (e.g. 'coopctl @ git+https://github.com/<owner>/"
                "coopctl@v0.1.0'). Default: this coopctl, when it was installed from a package "
                "index or a git or web URL; else none, and CI asks for one."
            ),
        ),
    ] = None,
) -> None:
    """Create a new, empty registry."""
    from coopctl.cli.output import make_console
    from coopctl.escaping import plain
    from coopctl.fsio import WriteError, describe_os_error, write_atomic, write_locked
    from coopctl.scaffold import (
        REQUIREMENTS_FILE,
        appended_ignore,
        checked_requirement,
        installed_requirement,
        plan_scaffold,
        scaffold_files,
    )

    console = make_console()

    requirement = (
        installed_requirement() if ci_requirement is None else checked_requirement(ci_requirement)
    )
    files = scaffold_files(requirement)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            _("{path}: cannot create the folder: {reason}").format(
                path=directory, reason=describe_os_error(exc)
            )
        ) from None
    root = directory.resolve()
    placements = plan_scaffold(root, files)
    for placement in placements:
        target = root / placement.file.path
        if placement.action == "create":
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteError(
                    _("{path}: cannot create: {reason}").format(
                        path=target.parent, reason=describe_os_error(exc)
                    )
                ) from None
            write_atomic(target, placement.file.content, overwrite=False)
        elif placement.action == "append":
            write_locked(target, placement.file.path, appended_ignore)
    ignored: dict[str, str] = {}
    created = False
    if git:
        from coopctl.gitstore import ignored_paths, initialise_repository

        created = initialise_repository(root)
        ignored = ignored_paths(root, [p.file.path for p in placements])
    _report(console, directory, placements, ignored)
    if created:
        console.print(_("initialised a git repository (git init)"))
    kept_requirements = any(
        p.file.path == REQUIREMENTS_FILE and p.action == "keep" for p in placements
    )
    if kept_requirements:
        if ci_requirement is not None:
            console.print(
                _(
                    "note: --ci-requirement was not written: {file} exists; put the "
                    "line into it yourself"
                ).format(file=REQUIREMENTS_FILE)
            )
    elif requirement:
        console.print(
            _("CI installs coopctl from {file}: {requirement}").format(
                file=REQUIREMENTS_FILE, requirement=plain(requirement)
            )
        )
    else:
        console.print(
            _(
                "CI needs to know where to install coopctl from: put a pip requirement line in "
                "{file} (or run init with --ci-requirement)"
            ).format(file=REQUIREMENTS_FILE)
        )
    console.print(_("next: coopctl add partner, then coopctl validate"))


_SHOWN = {"create": N_("created"), "keep": N_("kept as it was"), "append": N_("added to")}


def _report(
    console: Console, directory: Path, placements: list[Placement], ignored: dict[str, str]
) -> None:
    """One line per file: what init did with it, what keeping it means where that matters,
    and the rule by which git ignores it, if one does."""
    from coopctl.escaping import plain

    counts = Counter(p.action for p in placements)
    created = counts["create"]
    summary = ngettext("{count} file created", "{count} files created", created)
    summary = summary.format(count=created)
    if len(placements) > created:
        there = _("{count} there already").format(count=len(placements) - created)
        summary = f"{summary}, {there}"
    console.print(
        _("created a registry in {path} ({summary})").format(
            path=plain(str(directory)), summary=summary
        )
    )
    width = max(len(_(word)) for word in _SHOWN.values())
    for placement in placements:
        path = placement.file.path
        line = f"  {_(_SHOWN[placement.action]):<{width}} {path}"
        if placement.action == "append":
            line += _(": coopctl's line that keeps its temporary files out of git")
        console.print(line)
        if placement.note:
            console.print("    " + _("note: {note}").format(note=_(placement.note)))
        if path in ignored:
            console.print(
                "    "
                + _(
                    "note: git ignores this file ({rule}), so it would not be "
                    "committed: remove or narrow that rule"
                ).format(rule=plain(ignored[path]))
            )
