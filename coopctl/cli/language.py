"""The language of a run, settled before the command line is built (help texts are translated
when the command modules are imported): `--lang` is taken out of the arguments wherever it
stands before `--`, and the language is chosen as `coopctl.i18n.choose` says."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from coopctl.errors import UsageError
from coopctl.escaping import plain
from coopctl.i18n import (
    LANG_ENV,
    LANGUAGES,
    _,
    choose,
    locale_language,
    normalise,
    set_language,
)

LANG_OPTION = "--lang"
_VALUED_ROOT_OPTIONS = ("--root",)


def split_lang(argv: list[str]) -> tuple[list[str], str | None]:
    """`argv` without its `--lang X` / `--lang=X` (the last one counts), and X."""
    kept: list[str] = []
    chosen: str | None = None
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            kept.extend(argv[index:])
            break
        if arg == LANG_OPTION:
            if index + 1 >= len(argv):
                raise UsageError(
                    _("option {option} needs a value: {choices}").format(
                        option=LANG_OPTION, choices=", ".join(LANGUAGES)
                    )
                )
            chosen = argv[index + 1]
            index += 2
            continue
        if arg.startswith(LANG_OPTION + "="):
            chosen = arg.removeprefix(LANG_OPTION + "=")
        else:
            kept.append(arg)
        index += 1
    return kept, chosen


def command_of(argv: list[str]) -> str | None:
    """The command an argument list runs (the first word that is not an option)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUED_ROOT_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def is_document(argv: list[str], environ: Mapping[str, str]) -> bool:
    """Whether a run writes text about the registry for people: a report, or the job summary
    of `check` (in a CI job, or as Markdown)."""
    command = command_of(argv)
    if command == "report":
        return True
    if command != "check":
        return False
    in_ci = environ.get("GITHUB_ACTIONS") == "true" or environ.get("GITLAB_CI") == "true"
    return in_ci or _format_of(argv) == "markdown"


def _format_of(argv: list[str]) -> str | None:
    found: str | None = None
    for index, arg in enumerate(argv):
        if arg in ("--format", "-f") and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith("--format="):
            found = arg.removeprefix("--format=")
    return found


def _checked(value: str | None, where: str) -> str | None:
    if value is None:
        return None
    found = normalise(value)
    if found is None:
        raise UsageError(
            _("{where}: {value} is not a language coopctl speaks ({choices})").format(
                where=where, value=plain(repr(value)), choices=", ".join(LANGUAGES)
            ),
            code="lang",
        )
    return found


def apply(argv: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """Choose and set the language of a run; `argv` without `--lang`."""
    # A copy: set_language writes $LANGUAGE, which must not count as the user's choice.
    environ = dict(os.environ if environ is None else environ)
    set_language(locale_language(environ) or "en")  # for the errors below
    kept, option = split_lang(argv)
    option = _checked(option, LANG_OPTION)
    from_env = _checked(environ.get(LANG_ENV) or None, LANG_ENV)
    environ = {**environ, LANG_ENV: from_env or ""}
    document = is_document(kept, environ)
    # First without the registry's setting, so that a broken coopctl.toml is reported in the
    # language chosen so far.
    set_language(choose(option=option, environ=environ, configured=None, document=document))
    if option is None and from_env is None:
        configured = _configured_language(kept, environ)
        found = choose(option=None, environ=environ, configured=configured, document=document)
        set_language(found)
    return kept


def _configured_language(argv: list[str], environ: Mapping[str, str]) -> str | None:
    from coopctl.cli.entry import registry_root
    from coopctl.config import read_config

    root = registry_root(argv, environ)
    return None if root is None else read_config(Path(root)).language
