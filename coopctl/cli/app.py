"""The typer application, its error handling and the `main` entry point.

Every exception is mapped to an exit code by `coopctl.cli.direct.failure`, here and for the
commands the entry point runs without typer: CoopctlError → its code (1 problems, 2 usage),
Ctrl-C → 130 (typer), anything unexpected → 3 with a request to report it (the traceback only
with --debug).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from coopctl import __version__
from coopctl.cli.click_texts import CoopctlCommandMixin, run_standalone
from coopctl.cli.direct import failure
from coopctl.i18n import _

HELP = _(
    "Validate, query and report on a registry of inter-municipal digitalisation "
    "agreements kept as YAML files in git."
)


class CoopctlCommand(CoopctlCommandMixin, TyperCommand):
    """A command whose usage line and help option speak the language of the run."""


class CoopctlGroup(CoopctlCommandMixin, TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        """As click's standalone mode, with usage errors in the language of the run."""
        if not kwargs.pop("standalone_mode", True):
            kwargs["standalone_mode"] = False
            return super().main(*args, **kwargs)
        run_standalone(super().main, *args, **kwargs)
        return None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if isinstance(exc, typer.exceptions.TyperException):  # usage errors: exit 2
                raise
            raise typer.Exit(failure(exc, bool(ctx.meta.get("coopctl.debug")))) from exc


app = typer.Typer(
    cls=CoopctlGroup,
    name="coopctl",
    help=HELP,
    no_args_is_help=True,
    options_metavar=_("[OPTIONS]"),
    subcommand_metavar=_("COMMAND [ARGS]..."),
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coopctl {__version__}")
        raise typer.Exit(0)


@app.callback(help=HELP)
def root_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Print the version and exit.")
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help=_("Show tracebacks of internal errors."))
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
    ctx.meta["coopctl.debug"] = debug


class _LazyCommands(Mapping[str, Any]):
    """The commands of a group, each turned into its click command when it is first looked up.
    typer inspects a command's signature to build its options, which costs more for sixteen
    commands than most single commands cost to run; a run needs one of them (`--help` all)."""

    def __init__(self, infos: list[typer.models.CommandInfo]) -> None:
        self._infos = {info.name: info for info in infos if info.name}
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = typer.main.get_command_from_info(
                self._infos[name],
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    @property
    def built(self) -> list[str]:
        """The commands built so far, in the order they were."""
        return list(self._built)


def _register() -> None:
    """Every command, in the order --help lists them: editing, analysing, reviewing, help.
    Command modules import only typer at the top; their work is imported when they run. A
    module's `HELP` (translated when it is imported) is the command's help text; without it,
    the function's docstring is."""
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
        migrate,
        report,
        serve,
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
        "migrate": migrate.migrate,
        "validate": validate.validate,
        "list": list_command.list_entities,
        "show": show.show,
        "report": report.report,
        "export": export.export,
        "serve": serve.serve,
        "diff": diff.diff,
        "history": history.history,
        "check": check.check,
        "explain": explain.explain,
        "lookup": lookup.lookup,
    }
    for name, command in commands.items():
        help_text = getattr(sys.modules[command.__module__], "HELP", None)
        app.command(name, help=help_text, cls=CoopctlCommand, options_metavar=_("[OPTIONS]"))(
            command
        )


_register()


def command_line() -> CoopctlGroup:
    """The click group that `app` makes, with each command built when it is first looked up
    (`_LazyCommands`) instead of all of them at once."""
    commands = app.registered_commands
    app.registered_commands = []  # typer builds the group without them ...
    try:
        group = typer.main.get_command(app)
    finally:
        app.registered_commands = commands
    assert isinstance(group, CoopctlGroup)
    group.commands = _LazyCommands(commands)  # type: ignore[assignment]  # ... and they come here
    return group


def main() -> None:
    command_line()(prog_name="coopctl")
