"""coopctl report."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopctl.cli.options import AtOption, NoCacheOption, RevOption, RootOption
from coopctl.i18n import _

if TYPE_CHECKING:
    from coopctl.jsonwrite import TextSink
    from coopctl.report.records import Report

# The width of the terminal report in a pipe or a file, and its least width on a terminal.
TERMINAL_WIDTH = 80


class ReportFormat(StrEnum):
    terminal = "terminal"
    markdown = "markdown"
    html = "html"
    json = "json"


def report(
    root: RootOption = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help=_("terminal, markdown, html or json.")),
    ] = ReportFormat.terminal,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=_(
                "Write the report to FILE and print its path. With --format html and no "
                "--output the report goes to report.html in the current folder."
            ),
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    section: Annotated[
        list[str] | None,
        typer.Option(
            "--section",
            "-s",
            metavar="NAME",
            help=_(
                "Only these sections: overview, timeline, network, areas, adoption, "
                "quality. Repeatable or comma-separated. Default: all."
            ),
            show_default=False,
        ),
    ] = None,
    at: AtOption = None,
    rev: RevOption = None,
    no_cache: NoCacheOption = False,
    review_age: Annotated[
        int,
        typer.Option(
            "--review-age",
            metavar="DAYS",
            min=0,
            help=_("Data quality: a last_reviewed date older than this many days is reported."),
        ),
    ] = 365,
    width: Annotated[
        int | None,
        typer.Option(
            "--width",
            metavar="COLUMNS",
            min=40,
            help=_(
                "Terminal format: lay the report out in this many columns. Default: the "
                "terminal's width (at least 80), or 80 in a pipe or a file."
            ),
            show_default=False,
        ),
    ] = None,
    quiet_years: Annotated[
        int,
        typer.Option(
            "--quiet-years",
            metavar="YEARS",
            min=1,
            help=_(
                "Data quality: agreements with no recorded event for this many years are reported."
            ),
        ),
    ] = 2,
) -> None:
    # The command's help is set below, translated (a docstring would not be).
    from coopctl.cli.output import warn_unloaded
    from coopctl.registry import find_root
    from coopctl.report.data import ReportOptions, build_report, reduced_for_report
    from coopctl.snapshot import load_snapshot

    options = ReportOptions(
        as_of=_as_of(at),
        sections=_sections(section),
        rev=rev,
        review_max_age_days=review_age,
        quiet_years=quiet_years,
    )
    registry = load_snapshot(find_root(root), rev, cache=not no_cache, reduce=reduced_for_report())
    warn_unloaded(registry)
    if output is None and output_format is ReportFormat.html:
        output = Path("report.html")
    with _kept_out_of_collection():
        result = build_report(registry, options)
        if output is None:
            _to_stdout(result, output_format, width)
            return
        if output_format is ReportFormat.json:
            _json_file(result, output)
        else:
            from coopctl.fsio import write_atomic

            text = _render(result, output_format, width or TERMINAL_WIDTH)
            write_atomic(output, text.encode("utf-8"))
    from coopctl.escaping import plain

    typer.echo(plain(output.resolve()))


report.__doc__ = _(
    "Report on cooperations, solutions and data gaps.\n\n"
    "Sections: overview (counts), timeline (events per year), network (who cooperates with "
    "whom), areas (fields of work), adoption (shared solutions) and quality (gaps in the data). "
    "Membership is as of --at (default: today). The report speaks German unless English is "
    "asked for (--lang en).\n\n"
    "Examples:\n\n"
    "  coopctl report\n\n"
    "  coopctl report --format html --output bericht.html\n\n"
    "  coopctl report --section network,adoption --at 2021-05-01 --format markdown\n\n"
    "  coopctl report --format json | jq .network.partners"
)


@contextlib.contextmanager
def _kept_out_of_collection() -> Iterator[None]:
    """The registry (millions of objects at national scale) lives until the command ends, and
    holds no reference cycles: while the report is built and written, the garbage collector
    leaves it out (`gc.freeze`) instead of walking it again at each of its full collections."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _as_of(text: str | None) -> date:
    from coopctl.dates import parse_query_date
    from coopctl.errors import UsageError

    if text is None or text.strip().lower() == "today":
        return date.today()
    try:
        return parse_query_date(text)
    except ValueError as exc:
        raise UsageError(
            _("--at: {reason}").format(reason=exc), hint=_("for example --at 2021-05-01")
        ) from None


def _sections(values: list[str] | None) -> tuple[str, ...]:
    from coopctl.errors import UsageError
    from coopctl.escaping import plain
    from coopctl.report.records import SECTIONS

    names = [n.strip() for v in values or () for n in v.split(",") if n.strip()]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise UsageError(
            _("--section: unknown section {name}").format(name=plain(repr(unknown[0]))),
            hint=_("choose from {names}").format(names=", ".join(SECTIONS)),
        )
    return tuple(names) or SECTIONS


def _write_json(result: Report, stream: TextSink) -> None:
    """The JSON report, written as it is made (`write_json`), not first as one text."""
    from coopctl.escaping import write_json
    from coopctl.report.records import json_document

    write_json(json_document(result, lazy=True), stream)


def _json_file(result: Report, output: Path) -> None:
    from coopctl.fsio import write_atomic_with

    def produce(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            _write_json(result, stream)

    write_atomic_with(output, produce)


def _render(result: Report, output_format: ReportFormat, width: int) -> str:
    """The report in a format other than JSON, as one text (the terminal format in `width`
    columns, without colour)."""
    if output_format is ReportFormat.markdown:
        from coopctl.report.markdown import render_markdown

        return render_markdown(result)
    if output_format is ReportFormat.html:
        from coopctl.report.html import render_html

        return render_html(result)
    from rich.console import Console

    from coopctl.cli.report_terminal import draw

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        no_color=True,
        markup=False,
        highlight=False,
        emoji=False,
        force_terminal=False,
    )
    draw(console, result, width)
    return buffer.getvalue()


def _to_stdout(result: Report, output_format: ReportFormat, width: int | None) -> None:
    from coopctl.cli.output import make_console
    from coopctl.cli.report_terminal import draw

    if output_format is ReportFormat.json:
        _write_json(result, make_console().file)
        return
    if output_format is not ReportFormat.terminal:
        typer.echo(_render(result, output_format, TERMINAL_WIDTH), nl=False)
        return
    console = make_console()
    if width is None:
        # On a terminal its width (rich asks the terminal, or reads $COLUMNS), at least
        # TERMINAL_WIDTH; in a pipe TERMINAL_WIDTH, so that the text does not depend on where
        # it is written.
        width = max(TERMINAL_WIDTH, console.width) if console.is_terminal else TERMINAL_WIDTH
    console.width = width
    draw(console, result, width)
