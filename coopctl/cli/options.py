"""Options shared by several commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from coopctl.errors import UsageError
from coopctl.i18n import _

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help=_(
            "The registry folder (with registry/ and schemas/). Default: "
            "$COOPCTL_ROOT, else the first folder upwards from here that is a registry."
        ),
        show_default=False,
        file_okay=False,
    ),
]

AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="DATE",
        help=_(
            "Answer as of this date (YYYY, YYYY-MM or YYYY-MM-DD; 'today'): membership is "
            "derived from the events up to that date. Combines with --rev."
        ),
        show_default=False,
    ),
]

NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=_(
            "Neither read nor write the result cache ($COOPCTL_CACHE_DIR, else "
            "~/.cache/coopctl): examine every file again."
        ),
    ),
]

MaxProblemsOption = Annotated[
    int,
    typer.Option(
        "--max-problems-per-file",
        min=0,
        metavar="N",
        help=_(
            "Show at most N problems of one file, then one line 'and ... more' (L001); 0 shows all."
        ),
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-j",
        min=1,
        metavar="N",
        help=_(
            "Processes that examine files (default: one per CPU core; small registries and "
            "registries the cache already knows are examined in one process)."
        ),
        show_default=False,
    ),
]

StatsOption = Annotated[
    bool,
    typer.Option(
        "--stats",
        help=_(
            "Also print to stderr how the answer was come by: files from the cache, files "
            "examined and in how many processes, and the time taken."
        ),
    ),
]

RevOption = Annotated[
    str | None,
    typer.Option(
        "--rev",
        metavar="REV",
        help=_(
            "Read the registry as it was at this git revision (branch, tag, sha, HEAD~3) "
            "instead of the working tree."
        ),
        show_default=False,
    ),
]


def registry_relative(path: Path, root: Path) -> str:
    """A path given on the command line as a path relative to the registry root ('.' for the
    root itself); a path that does not exist or lies outside the registry is a usage error."""
    if not path.exists() and not path.is_symlink():
        raise UsageError(_("{path}: no such file or folder").format(path=path))
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 -- keep symlinks as named
    try:
        return absolute.relative_to(root).as_posix().rstrip("/") or "."
    except ValueError:
        raise UsageError(
            _("{path}: not inside the registry {root}").format(path=path, root=root)
        ) from None
