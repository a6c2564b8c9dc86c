"""coopctl explain."""

from __future__ import annotations

from typing import Annotated

import typer


def explain(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A problem code (K003) or name (ags-ars-mismatch). Without it: list all codes.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Explain a problem code and how to fix it.

    Examples:

      coopctl explain R001

      coopctl explain dangling-reference

      coopctl explain          (lists every code)
    """
    from rich.text import Text

    from coopctl.cli.output import make_console
    from coopctl.codes import all_codes, info_for
    from coopctl.errors import UsageError

    console = make_console()
    if code is None:
        for item in all_codes():
            row = Text(f"{item.code}  ", style="bold")
            row.append(f"{item.name:<28} {item.severity.value:<8} {item.summary}")
            console.print(row)
        return
    info = info_for(code)
    if info is None:
        raise UsageError(
            f"unknown problem code '{code}'", hint="'coopctl explain' without a code lists them all"
        )
    console.print(Text(f"{info.code} {info.name} ({info.severity.value})", style="bold"))
    console.print(info.summary)
    console.print()
    console.print(info.explanation)
    console.print()
    console.print(Text("Example:", style="bold"))
    for line in info.example.splitlines():
        console.print(f"    {line}")
    console.print()
    console.print(Text("Fix:", style="bold"))
    console.print(f"    {info.fix}")
