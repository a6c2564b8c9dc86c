"""One place for output: consoles, error messages, warnings (registry text through
coopctl.escaping.plain)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from coopctl.escaping import plain
from coopctl.i18n import _
from coopctl.localformat import format_number

if TYPE_CHECKING:
    from coopctl.registry import Registry


def make_console(stderr: bool = False) -> Console:
    """A console on the current stdout/stderr (so tests capture it); colour only on a TTY and
    never with NO_COLOR."""
    stream = sys.stderr if stderr else sys.stdout
    no_color = bool(os.environ.get("NO_COLOR"))
    console = Console(
        file=stream,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
        no_color=no_color,
        force_terminal=None,
    )
    if not console.is_terminal:
        console.width = 200  # tables in pipes and files are not squeezed into 80 columns
    return console


def print_lines(console: Console, lines: Sequence[Text]) -> None:
    """Lines at once. Without a colour system (a pipe or a file, unless FORCE_COLOR) the
    console writes each line's characters and nothing else, so they are written straight
    away: rendering a long diff through the console costs more than computing it."""
    if console.color_system is None:
        console.file.write("".join(f"{line.plain}\n" for line in lines))
    else:
        console.print(Text("\n").join(lines))


def print_error(message: str, hint: str | None = None) -> None:
    console = make_console(stderr=True)
    line = Text(_("error: "), style="bold red")
    line.append(plain(message))
    console.print(line)
    if hint:
        console.print(Text("  " + _("hint: {hint}").format(hint=plain(hint)), style="dim"))


def warn_unloaded(registry: Registry) -> None:
    """Name on stderr every file a read command leaves out because it does not load, so a
    listing, report or export is never silently incomplete (the exit code stays 0)."""
    if not registry.load_problems and not registry.skipped:
        return
    console = make_console(stderr=True)
    notes = [(p, _("left out")) for p in registry.load_problems]
    notes.extend((p, _("value skipped")) for p in registry.skipped)
    for found, what in sorted(notes, key=lambda note: note[0].sort_key):
        message = _("warning: {path}:{line}:{column}: [{code}] {message}; {what}").format(
            path=found.path,
            line=found.line,
            column=found.column,
            code=found.code,
            message=found.message,
            what=what,
        )
        console.print(Text(plain(message), style="yellow"))
    hint = _("hint: {hint}").format(hint=_("run 'coopctl validate' for details"))
    console.print(Text("  " + hint, style="dim"))


def print_stats(summary: str, started: float) -> None:
    """The `--stats` line, on stderr so that it never mixes with JSON or SARIF on stdout."""
    import time

    elapsed = time.perf_counter() - started
    seconds = format_number(elapsed, 2)
    sys.stderr.write(_("stats: {summary}; {seconds} s").format(summary=summary, seconds=seconds))
    sys.stderr.write("\n")


def problem_format(chosen: Enum | None) -> str:
    """The format of problem reports: as chosen, else `github` inside GitHub Actions (where
    its annotations show on the pull request), else `text`."""
    if chosen is not None:
        return str(chosen.value)
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
