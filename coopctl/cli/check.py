"""coopctl check."""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Annotated

import typer

from coopctl.cli.options import (
    MaxProblemsOption,
    NoCacheOption,
    RootOption,
    StatsOption,
    WorkersOption,
)
from coopctl.i18n import _
from coopctl.limits import DEFAULT_MAX_PROBLEMS


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"
    gitlab = "gitlab"
    sarif = "sarif"
    markdown = "markdown"


HELP = _(
    "Gate a change: validate, diff against a base, apply rules.\n"
    "\n"
    "Validates the head fully, shows the semantic diff from the base, and applies the change\n"
    "rules (C001-C004): removing or renaming an entity that others still reference, an id\n"
    "change, an agreement's status going back without an event, an event moved to another\n"
    "date. Problems the base already had are reported apart. When $GITHUB_STEP_SUMMARY is set,\n"
    "a Markdown summary is appended to it.\n"
    "\n"
    "Exit status: 0 passed, 1 failed, 2 usage error.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl check --base origin/main\n"
    "\n"
    "  coopctl check --base origin/main --new-only --format sarif > coopctl.sarif\n"
    "\n"
    '  coopctl check --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --format gitlab '
    "> gl-code-quality.json"
)


def check(
    base: Annotated[
        str,
        typer.Option(
            "--base",
            metavar="REV",
            help=_("The revision the change is compared with (origin/main in a pull request)."),
            show_default=False,
        ),
    ],
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="REV",
            help=_("The revision under review (default: the working tree)."),
            show_default=False,
        ),
    ] = None,
    root: RootOption = None,
    new_only: Annotated[
        bool,
        typer.Option(
            "--new-only", help=_("Fail only on errors the change brings, not on those of the base.")
        ),
    ] = False,
    output_format: Annotated[
        CheckFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=_(
                "text, json, github, gitlab (Code Quality), sarif or markdown "
                "(default: github when GITHUB_ACTIONS=true, else text)."
            ),
            show_default=False,
        ),
    ] = None,
    show_source: Annotated[
        bool, typer.Option("--show-source", help=_("Show the offending line under each problem."))
    ] = False,
    no_cache: NoCacheOption = False,
    workers: WorkersOption = None,
    max_problems: MaxProblemsOption = DEFAULT_MAX_PROBLEMS,
    stats: StatsOption = False,
) -> None:
    """Gate a change: validate, diff against a base, apply rules."""
    started = time.perf_counter()
    from coopctl.cli.gate_reporters import CHECK_REPORTERS, write_step_summary
    from coopctl.cli.output import make_console, print_stats, problem_format
    from coopctl.gate import CheckOptions, run_check
    from coopctl.registry import find_root

    options = CheckOptions(
        base=base,
        head=head,
        new_only=new_only,
        cache=not no_cache,
        workers=workers,
        max_problems=max_problems,
    )
    result = run_check(find_root(root), options)
    chosen = problem_format(output_format)
    CHECK_REPORTERS[chosen](make_console(), result, show_source=show_source)
    if stats:
        print_stats(result.stats, started)
    write_step_summary(result)
    raise typer.Exit(1 if result.failed else 0)
