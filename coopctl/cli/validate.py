"""coopctl validate."""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from coopctl.cli.options import (
    MaxProblemsOption,
    NoCacheOption,
    RootOption,
    StatsOption,
    WorkersOption,
    registry_relative,
)
from coopctl.i18n import _
from coopctl.limits import DEFAULT_MAX_PROBLEMS


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    sarif = "sarif"


HELP = _(
    "Check the registry against its schemas and rules.\n"
    "\n"
    "Exit status: 0 no errors, 1 errors found, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl validate\n"
    "\n"
    "  coopctl validate registry/partners --select K\n"
    "\n"
    "  coopctl validate --format json > problems.json\n"
    "\n"
    "  coopctl validate --format sarif > coopctl.sarif"
)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_(
                "Files or folders to report on. References are still checked against the "
                "whole registry."
            ),
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    output_format: Annotated[
        ProblemFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "text, json, github, gitlab (Code Quality) or sarif "
                "(default: github when GITHUB_ACTIONS=true, else text)."
            ),
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help=_(
                "Report only these codes or code letters (K, S001, dangling-reference). "
                "Repeatable or comma-separated."
            ),
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help=_("Do not report these codes or code letters.")),
    ] = None,
    warnings_as_errors: Annotated[
        bool, typer.Option("--warnings-as-errors", help=_("Treat warnings as errors (exit 1)."))
    ] = False,
    no_cache: NoCacheOption = False,
    workers: WorkersOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    stats: StatsOption = False,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help=_(
                "First make the repairs of 'coopctl fmt --fix' (listed on stderr), then validate."
            ),
        ),
    ] = False,
    show_source: Annotated[
        bool,
        typer.Option(
            "--show-source", help=_("Show the offending line and a hint under each problem.")
        ),
    ] = False,
) -> None:
    """Check the registry against its schemas and rules."""
    started = time.perf_counter()
    from coopctl.cli.output import make_console, print_stats, problem_format
    from coopctl.cli.reporters import REPORTERS
    from coopctl.registry import find_root
    from coopctl.validation import ValidateOptions, normalise_codes
    from coopctl.validation import validate as run

    registry_root = find_root(root)
    if fix:
        from coopctl.cli.fmt import fix_registry

        fix_registry(registry_root, make_console(stderr=True))
    options = ValidateOptions(
        paths=tuple(registry_relative(p, registry_root) for p in paths or ()),
        select=normalise_codes(select or ()),
        ignore=normalise_codes(ignore or ()),
        warnings_as_errors=warnings_as_errors,
        cache=not no_cache,
        workers=workers,
        max_problems=max_problems,
    )
    result = run(registry_root, options)
    chosen = problem_format(output_format)
    REPORTERS[chosen](make_console(), result, show_source=show_source)
    if stats:
        print_stats(result.stats, started)
    raise typer.Exit(1 if result.errors else 0)
