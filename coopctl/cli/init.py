"""coopctl init."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    directory: Annotated[
        Path,
        typer.Argument(help="Where to create the registry (created if missing).", file_okay=False),
    ] = Path(),
    git: Annotated[
        bool,
        typer.Option(
            "--git/--no-git",
            help="Run 'git init' when the folder is not inside a git repository.",
        ),
    ] = True,
    ci_requirement: Annotated[
        str | None,
        typer.Option(
            "--ci-requirement",
            metavar="REQUIREMENT",
            help="The pip requirement CI installs coopctl from, written to "
            "coopctl-requirements.txt (e.g. 'coopctl @ git+https://github.com/<owner>/"
            "coopctl@v0.1.0'). Default: this coopctl, when it was installed from a package "
            "index or a git or web URL; else none, and CI asks for one.",
        ),
    ] = None,
) -> None:
    """Create a new, empty registry.

    Writes the schemas, the kind folders (registry/partners, agreements, solutions), a
    README, a .gitignore, a pre-commit configuration, CI workflows for GitHub Actions and
    GitLab CI with the coopctl-requirements.txt they install coopctl from, and runs 'git init'
    unless the folder is inside a repository already. Existing files are never overwritten: if
    any of these files exist, nothing is written.

    Exit status: 0 created, 1 the folder holds a registry or some of the files already, 2
    usage error.

    Examples:

      coopctl init kooperationen

      coopctl init kooperationen --ci-requirement 'coopctl @ git+https://github.com/<owner>/coopctl@v0.1.0'

      cd kooperationen && coopctl validate
    """
    from coopctl.cli.output import make_console
    from coopctl.errors import CoopctlError
    from coopctl.escaping import plain
    from coopctl.fsio import WriteError, describe_os_error, write_atomic
    from coopctl.scaffold import (
        REQUIREMENTS_FILE,
        checked_requirement,
        existing,
        installed_requirement,
        scaffold_files,
    )

    requirement = (
        installed_requirement() if ci_requirement is None else checked_requirement(ci_requirement)
    )
    files = scaffold_files(requirement)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"{directory}: cannot create the folder: {describe_os_error(exc)}"
        ) from None
    root = directory.resolve()
    present = existing(root, files)
    if present:
        shown = ", ".join(present[:5]) + (" ..." if len(present) > 5 else "")
        raise CoopctlError(
            f"{directory}: {len(present)} of the registry's files exist already ({shown}); "
            "nothing was written",
            hint="choose an empty folder, or remove those files first",
        )
    console = make_console()
    for file in files:
        target = root / file.path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"{target.parent}: cannot create: {describe_os_error(exc)}") from None
        write_atomic(target, file.content, overwrite=False)
    console.print(f"created a registry in {plain(str(directory))} ({len(files)} files)")
    if git:
        from coopctl.gitstore import initialise_repository

        created = initialise_repository(root)
        if created:
            console.print("initialised a git repository (git init)")
    if requirement:
        console.print(f"CI installs coopctl from {REQUIREMENTS_FILE}: {plain(requirement)}")
    else:
        console.print(
            f"CI needs to know where to install coopctl from: put a pip requirement line in "
            f"{REQUIREMENTS_FILE} (or run init with --ci-requirement)"
        )
    console.print("next: coopctl add partner, then coopctl validate")
