"""The typer application, its error handling and the `main` entry point.

Every exception is mapped to an exit code here and nowhere else: CoopctlError → its code
(1 problems, 2 usage), Ctrl-C → 130 (typer), anything unexpected → 3 with a request to report
it (the traceback only with --debug).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from coopctl import __version__
from coopctl.errors import CoopctlError
from coopctl.i18n import _

EXIT_INTERNAL = 3


class CoopctlGroup(TyperGroup):
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CoopctlError as exc:
            from coopctl.cli.output import print_error

            print_error(exc.message, hint=exc.hint)
            raise typer.Exit(exc.exit_code) from exc
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if isinstance(exc, typer.exceptions.TyperException):  # usage errors: exit 2
                raise
            from coopctl.cli.output import print_error

            if ctx.meta.get("coopctl.debug"):
                traceback.print_exc(file=sys.stderr)
            print_error(
                f"internal error: {type(exc).__name__}: {exc}",
                hint="this is a bug in coopctl; please report it with the command you "
                "ran (run again with --debug for the traceback)",
            )
            raise typer.Exit(EXIT_INTERNAL) from exc


app = typer.Typer(
    cls=CoopctlGroup,
    name="coopctl",
    help="Validate, query and report on a registry of inter-municipal digitalisation "
    "agreements kept as YAML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coopctl {__version__}")
        raise typer.Exit(0)


@app.callback()
def root_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="de|en",
            help=_(
                "The language of messages, help and reports (also $COOPCTL_LANG; default: "
                "the locale, else the registry's coopctl.toml, else German for reports and "
                "job summaries and English otherwise)."
            ),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Validate, query and report on a registry of inter-municipal digitalisation agreements
    kept as YAML files in git."""
    ctx.meta["coopctl.debug"] = debug


def _register() -> None:
    """Every command, in the order --help lists them: editing, analysing, reviewing, help.
    Command modules import only typer at the top; their work is imported when they run."""
    from coopctl.cli import (
        add,
        check,
        diff,
        edit,
        explain,
        export,
        fmt,
        history,
        init,
        lookup,
        report,
        show,
        validate,
    )
    from coopctl.cli import list as list_command
    from coopctl.cli import set as set_command

    commands: dict[str, Callable[..., None]] = {
        "init": init.init,
        "add": add.add,
        "set": set_command.set_fields,
        "edit": edit.edit,
        "fmt": fmt.fmt,
        "validate": validate.validate,
        "list": list_command.list_entities,
        "show": show.show,
        "report": report.report,
        "export": export.export,
        "diff": diff.diff,
        "history": history.history,
        "check": check.check,
        "explain": explain.explain,
        "lookup": lookup.lookup,
    }
    for name, command in commands.items():
        app.command(name)(command)


_register()


def main() -> None:
    app(prog_name="coopctl")
