"""The report laid out as blocks (headings, tables, lists, text), shared by every renderer.

Markdown, HTML and the terminal draw the same tables with the same labels, in the language of
the run (German unless English is asked for); only the drawing differs. Cells are plain text
here: each renderer escapes them for its medium.
Long lists are cut at `limit` rows and say how many were left out (JSON has them all, except
the pairs of partners beyond the first 1,000 and a solution's agreements beyond the first 50,
which it counts). Only the rows shown are built (`first`), and a cell that names many entries
names the first CELL_NAMES and how many there are (`names_cell`), so a national registry's
report costs what it shows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from coopctl.i18n import N_, _, ngettext
from coopctl.localformat import format_date, format_number
from coopctl.report import labels as L
from coopctl.report.records import Count, Report

T = TypeVar("T")
# The registry's notes are written in English, its names and titles in German.
NOTES_LANG = "en"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    bar: int | None = None  # a numeric column the terminal draws as a bar
    lang_columns: tuple[tuple[int, str], ...] = ()  # columns in a language of their own
    more: int = 0  # rows left out
    listed_in_json: int | None = None  # when JSON, too, has only the first rows: how many


@dataclass(frozen=True)
class Item:
    label: str
    text: str = ""
    lang: str | None = None  # the language of `text` when it is not the report's


@dataclass(frozen=True)
class Items:
    title: str
    items: tuple[Item, ...]
    more: int = 0


@dataclass(frozen=True)
class Paragraph:
    text: str


Block = Table | Items | Paragraph


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    blocks: tuple[Block, ...]


def number(n: int) -> str:
    """`n` with the digit grouping of the language: 12.345 in German, 12,345 in English."""
    return format_number(n)


def left_out(block: Table | Items) -> str:
    """The line under a cut table or list: how many rows it leaves out."""
    if isinstance(block, Table) and block.listed_in_json is not None:
        return _("… and {count} more (--format json lists the first {listed} of {total})").format(
            count=number(block.more),
            listed=number(block.listed_in_json),
            total=number(len(block.rows) + block.more),
        )
    return _("… and {count} more (all of them with --format json)").format(count=number(block.more))


TITLE = N_("Cooperation report")


def as_of_text(report: Report) -> str:
    return _("as of {date}").format(date=format_date(report.as_of))


def meta_parts(report: Report) -> list[str]:
    """The report's date, its number of files and the revision it reads, for its heading."""
    files = ngettext("{count} file", "{count} files", report.files)
    parts = [as_of_text(report), files.format(count=number(report.files))]
    if report.rev:
        parts.append(_("revision {rev}").format(rev=report.rev))
    return parts


# A table cell or list entry names at most this many entries, then how many there are.
CELL_NAMES = 10


def first(records: Sequence[T], limit: int) -> Sequence[T]:
    """The records a table or list of `limit` rows shows (build rows of these only, and give
    `count=len(records)`)."""
    return records[:limit]


def names_cell(names: Iterable[str], count: int) -> str:
    """The first CELL_NAMES of `count` names, comma-separated, and how many there are when
    some are left out."""
    shown = ", ".join(itertools.islice(names, CELL_NAMES))
    if count <= CELL_NAMES:
        return shown
    return _("{names} … ({count} in all)").format(names=shown, count=number(count))


def table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, ...]],
    limit: int,
    numeric: Sequence[int] = (),
    bar: int | None = None,
    lang_columns: Sequence[tuple[int, str]] = (),
    total: int | None = None,
    count: int | None = None,
) -> Table:
    """`rows` cut at `limit`; `count` is the number of rows there are when `rows` holds only
    the first `limit` of them (`first`); `total` the number there are when JSON, too, lists
    only the first `count`."""
    kept = tuple(rows[:limit])
    listed = len(rows) if count is None else count
    more = max(0, listed - len(kept))
    short = total is not None and total > listed
    if total is not None:
        more = total - len(kept)
    return Table(
        title,
        tuple(headers),
        kept,
        tuple(numeric),
        bar,
        tuple(lang_columns),
        more,
        listed if short else None,
    )


def item_list(title: str, entries: Sequence[Item], limit: int, count: int | None = None) -> Items:
    """`entries` cut at `limit`; `count` as in `table`."""
    listed = len(entries) if count is None else count
    return Items(title, tuple(entries[:limit]), max(0, listed - limit))


def count_table(title: str, header: str, data: Iterable[Count], names: Mapping[str, str]) -> Table:
    rows = [(L.label(names, c.key), number(c.count)) for c in data]
    return Table(title, (header, _("Count")), tuple(rows), (1,), 1)


def date_text(value: str | None) -> str:
    """A date for people (01.12.2026, September 2020, 2020); a dash when there is none."""
    return format_date(value) if value else "–"


def build_sections(report: Report, limit: int) -> list[Section]:
    from coopctl.report.section_blocks import BUILDERS

    return [
        Section(name, L.label(L.SECTION_TITLES, name), tuple(BUILDERS[name](report, limit)))
        for name in report.sections
    ]
