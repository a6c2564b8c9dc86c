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
    from rich.console import Console

    from coopctl.jsonwrite import TextSink
    from coopctl.report.blocks import Section
    from coopctl.report.records import Report

TERMINAL_WIDTH = 80
BAR_WIDTH = 20
TERMINAL_ROWS = 15


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
    from coopctl.report.data import ReportOptions, build_report
    from coopctl.snapshot import load_snapshot

    options = ReportOptions(
        as_of=_as_of(at),
        sections=_sections(section),
        rev=rev,
        review_max_age_days=review_age,
        quiet_years=quiet_years,
    )
    registry = load_snapshot(find_root(root), rev, cache=not no_cache)
    warn_unloaded(registry)
    if output is None and output_format is ReportFormat.html:
        output = Path("report.html")
    with _kept_out_of_collection():
        result = build_report(registry, options)
        if output is None:
            _to_stdout(result, output_format)
            return
        if output_format is ReportFormat.json:
            _json_file(result, output)
        else:
            from coopctl.fsio import write_atomic

            write_atomic(output, _render(result, output_format).encode("utf-8"))
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


def _render(result: Report, output_format: ReportFormat) -> str:
    """The report in a format other than JSON, as one text."""
    if output_format is ReportFormat.markdown:
        from coopctl.report.markdown import render_markdown

        return render_markdown(result)
    if output_format is ReportFormat.html:
        from coopctl.report.html import render_html

        return render_html(result)
    from rich.console import Console

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=TERMINAL_WIDTH,
        no_color=True,
        markup=False,
        highlight=False,
        emoji=False,
        force_terminal=False,
    )
    _draw(console, result)
    return buffer.getvalue()


def _to_stdout(result: Report, output_format: ReportFormat) -> None:
    from coopctl.cli.output import make_console

    if output_format is ReportFormat.json:
        _write_json(result, make_console().file)
        return
    if output_format is not ReportFormat.terminal:
        typer.echo(_render(result, output_format), nl=False)
        return
    console = make_console()
    console.width = min(console.width, TERMINAL_WIDTH)
    _draw(console, result)


def _draw(console: Console, result: Report) -> None:
    from rich.rule import Rule
    from rich.text import Text

    from coopctl.escaping import plain
    from coopctl.report.blocks import TITLE, build_sections, meta_parts

    heading = " · ".join((_(TITLE), *meta_parts(result)))
    console.print(Text(plain(heading), style="bold"))
    for section in build_sections(result, TERMINAL_ROWS):
        console.print()
        console.print(Rule(Text(plain(section.title), style="bold"), align="left"))
        _draw_section(console, section)


def _draw_section(console: Console, section: Section) -> None:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text

    from coopctl.escaping import one_line, plain
    from coopctl.report.blocks import Items, Table, left_out

    for block in section.blocks:
        if isinstance(block, Table):
            table = RichTable(
                title=Text(plain(block.title), style="bold"),
                title_justify="left",
                expand=False,
                box=box.SIMPLE_HEAD,
            )
            for index, header in enumerate(block.headers):
                right = index in block.numeric and index != block.bar
                table.add_column(
                    plain(header), justify="right" if right else "left", overflow="fold"
                )
            top = (
                max((_int(row[block.bar]) for row in block.rows), default=0)
                if block.bar is not None
                else 0
            )
            for row in block.rows:
                cells = [Text(one_line(cell)) for cell in row]
                if block.bar is not None and top:
                    value = _int(row[block.bar])
                    width = max(1, round(BAR_WIDTH * value / top)) if value else 0
                    cells[block.bar] = Text("█" * width, style="cyan") + Text(f" {row[block.bar]}")
                table.add_row(*cells)
            console.print(table)
            if block.more:
                console.print(Text(left_out(block), style="dim"), soft_wrap=False)
        elif isinstance(block, Items):
            console.print(Text(plain(block.title), style="bold"))
            for item in block.items:
                line = Text("  • ") + Text(plain(item.label), style="bold")
                if item.text:
                    line.append(": " + one_line(item.text))
                console.print(line, soft_wrap=False)
            if block.more:
                console.print(Text("  " + left_out(block), style="dim"))
        else:
            console.print(Text(one_line(block.text)), soft_wrap=False)
        console.print()


def _int(cell: str) -> int:
    """A whole number as `number` wrote it, with the digit grouping of either language."""
    digits = cell.replace(".", "").replace(",", "")
    return int(digits) if digits.isdigit() else 0
