"""`history` and `diff` run straight from the entry point, without the command line library.

Both commands are read many times a day and most of their time is git's: importing typer and
building its command line cost more than a `history` needs for its own work. For an argument
list in the plain forms below the entry point calls the command's body itself, with the same
arguments typer would give it and the same failures (`failure`, also used by the typer
application); any other list (help, `--debug`, a short option with its value attached, `--`,
an unknown or doubled option, a value typer would refuse) goes through typer as before.

    history ID [--rev REV] [--format|-f text|json] [--root DIR]
    diff [A [B]] [--format|-f text|markdown|json] [--exit-code] [--no-cache] [--root DIR]

Options may stand anywhere among the arguments, as typer lets them. Neither this module nor
the bodies import typer or rich (rich only for colour on a terminal and for errors).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

EXIT_INTERNAL = 3
_COMPLETION = "_COOPCTL_COMPLETE"  # click's shell completion variable for prog "coopctl"
_FORMATS = {"history": ("text", "json"), "diff": ("text", "markdown", "json")}
_VALUED = {"--rev": "rev", "--format": "format", "--root": "root"}
_FLAGS = {"--exit-code": "exit_code", "--no-cache": "no_cache"}
_ALLOWED = {
    "history": {"rev", "format", "root"},
    "diff": {"format", "root", "exit_code", "no_cache"},
}

Body = Callable[[], int]


def direct_command(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Body | None:
    """The body of the command `argv` names, ready to run, if `argv` is in one of the plain
    forms; else None (then typer runs it)."""
    environ = os.environ if environ is None else environ
    if not argv or argv[0] not in _FORMATS or _COMPLETION in environ:
        return None
    parsed = _parse(argv[0], argv[1:])
    if parsed is None:
        return None
    words, options = parsed
    given_root = options.get("root")
    if given_root is not None and _refused(str(given_root)):
        return None
    root = None if given_root is None else Path(str(given_root))
    output_format = str(options.get("format", "text"))
    if output_format not in _FORMATS[argv[0]]:
        return None
    if argv[0] == "history":
        if len(words) != 1:
            return None
        from coopctl.cli.history_run import show_history

        entity, rev = words[0], str(options.get("rev", "HEAD"))
        return lambda: show_history(entity, root, rev, output_format)
    if len(words) > 2:  # typer would take them; the body's own message is the same
        return None
    from coopctl.cli.diff_run import show_diff

    exit_code, cache = bool(options.get("exit_code")), not options.get("no_cache")
    return lambda: show_diff(words, root, output_format, exit_code, cache=cache)


def _parse(command: str, args: Sequence[str]) -> tuple[list[str], dict[str, str | bool]] | None:
    words: list[str] = []
    options: dict[str, str | bool] = {}
    allowed = _ALLOWED[command]
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg.startswith("-"):
            words.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name in _FLAGS and not equals:
            key: str = _FLAGS[name]
            found: str | bool = True
        elif name.startswith("--") and name in _VALUED:
            key = _VALUED[name]
            if not equals:
                if index >= len(args) or args[index].startswith("-"):
                    return None
                value = args[index]
                index += 1
            found = value
        elif arg == "-f" and index < len(args) and not args[index].startswith("-"):
            key, found = "format", args[index]
            index += 1
        else:
            return None
        if key not in allowed or key in options:
            return None
        options[key] = found
    return words, options


def _refused(root: str) -> bool:
    """Whether typer refuses this --root (a file, an unreadable folder; one that does not
    exist it takes): then typer runs, and says so."""
    try:
        info = Path(root).stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) or not os.access(root, os.R_OK)


def run_direct(body: Body) -> None:
    """Run a body as the typer application would, and exit with its status."""
    import gc

    # As while starting up (entry.main): the imports and the parsed files are many objects
    # and no cyclic garbage worth the cycle collector's passes over them, in a short run.
    gc.disable()
    try:
        code = body()
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # mapped to an exit code, as in the application
        code = failure(exc, debug=False)
    sys.exit(code)


def failure(exc: Exception, debug: bool) -> int:
    """The message and exit status of a command that failed: a CoopctlError's own (1 or 2),
    anything else an internal error (3) with a request to report it."""
    import traceback

    from coopctl.cli.output import print_error
    from coopctl.errors import CoopctlError
    from coopctl.i18n import _

    if isinstance(exc, CoopctlError):
        print_error(exc.message, hint=exc.hint)
        return exc.exit_code
    if debug:
        traceback.print_exc(file=sys.stderr)
    print_error(
        _("internal error: {kind}: {error}").format(kind=type(exc).__name__, error=exc),
        hint=_(
            "this is a bug in coopctl; please report it with the command you "
            "ran (run again with --debug for the traceback)"
        ),
    )
    return EXIT_INTERNAL
