"""The report laid out as blocks (headings, tables, lists, text), shared by every renderer.

Markdown, HTML and the terminal draw the same tables with the same German labels; only the
drawing differs. Cells are plain text here: each renderer escapes them for its medium.
Long lists are cut at `limit` rows and say how many were left out (JSON has them all).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from coopctl.report import labels as L
from coopctl.report.records import Count, Report

# The registry's notes are written in English, its names and titles in German.
NOTES_LANG = "en"


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    bar: int | None = None  # a numeric column the terminal draws as a bar
    lang_columns: tuple[tuple[int, str], ...] = ()  # columns not in German
    more: int = 0  # rows left out


@dataclass(frozen=True)
class Item:
    label: str
    text: str = ""
    lang: str = "de"


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
    """German digit grouping: 12.345."""
    return f"{n:,}".replace(",", ".")


def plural(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"


def left_out(more: int) -> str:
    return f"… und {number(more)} weitere (vollständig mit --format json)"


def _cut(rows: Sequence[tuple[str, ...]], limit: int) -> tuple[tuple[tuple[str, ...], ...], int]:
    return tuple(rows[:limit]), max(0, len(rows) - limit)


def table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, ...]],
    limit: int,
    numeric: Sequence[int] = (),
    bar: int | None = None,
    lang_columns: Sequence[tuple[int, str]] = (),
) -> Table:
    kept, more = _cut(rows, limit)
    return Table(title, tuple(headers), kept, tuple(numeric), bar, tuple(lang_columns), more)


def count_table(title: str, header: str, data: Iterable[Count], names: Mapping[str, str]) -> Table:
    rows = [(L.label(names, c.key), number(c.count)) for c in data]
    return Table(title, (header, "Anzahl"), tuple(rows), (1,), 1)


def date_text(value: str | None) -> str:
    if not value:
        return "–"
    if len(value) == 4:
        return f"{value} (nur Jahr)"
    if len(value) == 7:
        return f"{value} (nur Monat)"
    return value


def build_sections(report: Report, limit: int) -> list[Section]:
    from coopctl.report.section_blocks import BUILDERS

    return [
        Section(name, L.SECTION_TITLES[name], tuple(BUILDERS[name](report, limit)))
        for name in report.sections
    ]
