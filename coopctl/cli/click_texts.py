"""The command-line library's own texts in the language of the run.

typer translates a few texts of its own through gettext (section titles, "default: ..."); they
are listed in `TYPER_TEXTS` so that they are extracted into coopctl's catalog, which
`coopctl.i18n.set_language` makes the process' default gettext domain. The click that typer
bundles (`typer._click`, typer >= 0.26) writes the rest without gettext: "Usage:", "Show this
message and exit.", "Error: ...", "Try '... -h' for help." and the messages of usage errors.
`CoopctlCommandMixin` gives the usage line and the help option their text, and
`show_usage_error` writes a usage error as click would, with its message in the language of
the run (`click_message` reads it from the exception's parts, and an inner message from the
English form the bundled click gives it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

# The bundled click is typer's own module; typer exports only BadParameter of its exceptions.
from typer._click import exceptions as click_exceptions
from typer.exceptions import Abort

from coopctl.i18n import N_, _

TYPER_TEXTS = (
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)


# The inner messages of the bundled click and of typer's Choice, as they spell them in English
# (typer 0.26-0.28), and the msgid that says the same with the same named parts.
_INNER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), msgid)
    for pattern, msgid in (
        (r"(?P<value>.*) is not one of (?P<choices>.*)\.", N_("{value} is not one of {choices}.")),
        (
            r"(?P<value>.*) is not a valid boolean\. Recognized values: (?P<states>.*)",
            N_("{value} is not a valid boolean. Recognized values: {states}"),
        ),
        (
            r"(?P<value>.*) is not a valid (?:integer|int range|integer range)\.",
            N_("{value} is not a valid integer."),
        ),
        (
            r"(?P<value>.*) is not a valid (?:float|float range)\.",
            N_("{value} is not a valid float."),
        ),
        (r"(?P<value>.*) is not a valid (?P<type>.*)\.", N_("{value} is not a valid {type}.")),
        (
            r"(?P<value>.*) is not in the range (?P<range>.*)\.",
            N_("{value} is not in the range {range}."),
        ),
        (
            r"(?P<value>.*) does not match the formats (?P<formats>.*)\.",
            N_("{value} does not match the formats {formats}."),
        ),
        (r"Option (?P<name>.*) requires an argument\.", N_("Option {name} requires an argument.")),
        (
            r"Option (?P<name>.*) does not take a value\.",
            N_("Option {name} does not take a value."),
        ),
        (
            r"Got unexpected extra argument\(s\) \((?P<args>.*)\)",
            N_("Got unexpected extra argument(s) ({args})"),
        ),
        (r"No such option: (?P<name>.*)", N_("No such option: {name}")),
        (r"Choose from:(?P<choices>.*)", N_("Choose from:{choices}")),
    )
)
_SUGGESTION = re.compile(r"(?P<message>.*)\. Did you mean (?P<suggestions>.*)\?", re.DOTALL)


def inner_message(message: str) -> str:
    """A message the bundled click or typer wrote in English, in the language of the run;
    a message coopctl wrote (already translated) as it is."""
    suggested = _SUGGESTION.fullmatch(message)
    if suggested:
        return _("{message}. Did you mean {suggestions}?").format(
            message=inner_message(suggested["message"]), suggestions=suggested["suggestions"]
        )
    for pattern, msgid in _INNER:
        found = pattern.fullmatch(message)
        if found:
            return _(msgid).format(**found.groupdict())
    return message


def _param_hint(exc: click_exceptions.BadParameter) -> str | None:
    hint: Sequence[str] | str | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)  # type: ignore[arg-type]
    if hint is None:
        return None
    if isinstance(hint, str):
        return hint
    return " / ".join(repr(h) for h in hint)


_MISSING = {
    "argument": N_("Missing argument {name}."),
    "option": N_("Missing option {name}."),
    "parameter": N_("Missing parameter {name}."),
}


def _missing_message(exc: click_exceptions.MissingParameter) -> str:
    param_type = exc.param_type
    if param_type is None and exc.param is not None:
        param_type = exc.param.param_type_name
    hint = _param_hint(exc)
    missing = _(_MISSING.get(param_type or "", N_("Missing parameter {name}.")))
    text = missing.format(name=hint or "").replace(" .", ".")
    extra: str = exc.message
    if exc.param is not None:
        more = exc.param.type.get_missing_message(param=exc.param, ctx=exc.ctx) or ""
        extra = f"{extra}. {more}" if extra and more else extra or more
    return f"{text} {inner_message(extra)}" if extra else text


def click_message(exc: click_exceptions.ClickException) -> str:
    """What `exc.format_message()` says, in the language of the run."""
    if isinstance(exc, click_exceptions.MissingParameter):
        return _missing_message(exc)
    if isinstance(exc, click_exceptions.BadParameter):
        hint = _param_hint(exc)
        message = inner_message(exc.message)
        if hint is None:
            return _("Invalid value: {message}").format(message=message)
        return _("Invalid value for {name}: {message}").format(name=hint, message=message)
    if isinstance(exc, click_exceptions.NoSuchOption) and exc.possibilities:
        return _("{message} (Possible options: {options})").format(
            message=inner_message(exc.message), options=", ".join(sorted(exc.possibilities))
        )
    return inner_message(exc.message)


def show_usage_error(exc: click_exceptions.ClickException) -> None:
    """Write `exc` to stderr as the bundled click would, in the language of the run."""
    from typer import echo

    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click_exceptions.NoArgsIsHelpError):
        echo(exc.format_message(), err=True)
        return
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=ctx.help_option_names[0]
            )
            hint += "\n"
        echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    echo(_("Error: {message}").format(message=click_message(exc)), err=True)


class CoopctlCommandMixin:
    """The usage line and the help option of a command in the language of the run."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _("Show this message and exit.")
        return option


def run_standalone(main: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run the command line as click's standalone mode does (exit with the command's code),
    writing usage errors and aborts in the language of the run."""
    try:
        result = main(*args, standalone_mode=False, **kwargs)
    except click_exceptions.ClickException as exc:
        show_usage_error(exc)
        sys.exit(exc.exit_code)
    except Abort:
        from typer import echo

        echo(_("Aborted!"), err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)


__all__ = [
    "TYPER_TEXTS",
    "CoopctlCommandMixin",
    "click_message",
    "inner_message",
    "run_standalone",
    "show_usage_error",
]
