"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="The registry folder (with registry/ and schemas/). Default: "
        "$COOPCTL_ROOT, else the first folder upwards from here that is a registry.",
        show_default=False,
        file_okay=False,
    ),
]
