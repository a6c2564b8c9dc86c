"""`coopctl export xlsx`: the tables that `coopctl.export.build_tables` made, as one workbook
with one sheet per table, for spreadsheet users.

Every cell has the type its column declares, never the type its text looks like: keys (ARS,
AGS, LeiKa ids, entity ids) and partial dates are text cells, so no spreadsheet drops a
leading zero or turns `2020-09` into a day; a full date in a date column is a date cell shown
as TT.MM.JJJJ; the INTEGER columns hold numbers. Text is always written as text, so a value
such as `=1+1` is never a formula. The workbook is built in memory with XlsxWriter, whose
archive members carry a fixed time, and its created/modified time is the export time, so the
same registry and `--timestamp` give the same bytes. The file is replaced atomically.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from coopctl.errors import CoopctlError, UsageError
from coopctl.export import Row
from coopctl.export_tables import TABLES, Table
from coopctl.fsio import write_atomic
from coopctl.gv import ATTRIBUTION
from coopctl.i18n import _

# Columns that hold dates (partial or full). A full date there becomes a date cell; anything
# else (2020, 2020-09, a malformed value) stays text.
DATE_COLUMNS = frozenset(
    {
        "date",
        "date_first",
        "date_last",
        "from_date",
        "until_date",
        "joined_by",
        "left_by",
        "dissolved",
        "launched",
        "last_reviewed",
        "maturity_as_of",
        "published",
        "accessed",
    }
)
# What the meta sheet adds to the meta table: where the keys come from, under which licence.
KEY_SOURCE = (
    ("key_source", ATTRIBUTION),
    ("key_source_licence", "https://www.govdata.de/dl-de/by-2-0"),
    (
        "key_source_use",
        "ars, ags and gv_type are checked against this directory; coopctl ships it "
        "processed (fields selected and reformatted)",
    ),
    ("entity_sources", "sheet sources: the sources of every partner, agreement and solution"),
)
MAX_CELL = 32_767  # characters a cell holds in Excel and LibreOffice
MAX_ROWS = 1_048_576  # rows of a sheet, the header included
_WIDTH = (6, 60)  # narrowest and widest column, in characters
_EXACT = 2**53  # whole numbers a spreadsheet's floating point holds exactly; larger ones: text
_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIRST_DAY = date(1900, 3, 1)  # spreadsheets count days from 1900 and get its February wrong


def full_date(value: object) -> date | None:
    """The day a cell of a date column names, if it is one full date a spreadsheet can show."""
    if not isinstance(value, str) or not _FULL_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if day >= _FIRST_DAY else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Cut:
    """A cell whose text was longer than a spreadsheet cell holds, cut to fit."""

    table: str
    column: str
    row: str  # the row's first cell, at most 80 characters
    length: int  # of the whole text, in UTF-16 units as spreadsheets count


def _check_rows(table: Table, rows: Sequence[Row]) -> None:
    if len(rows) + 1 > MAX_ROWS:
        raise CoopctlError(
            _(
                "table {table}: {count} rows, more than a spreadsheet sheet holds; not written"
            ).format(table=table.name, count=len(rows)),
            hint=_("export sqlite or csv keep every row"),
        )


def fit(text: str) -> tuple[str, int | None]:
    """`text` as it fits a cell: unchanged, or cut at a character boundary with a note saying
    so, and then also the length of the whole in UTF-16 units (as spreadsheets count)."""
    length = len(text)
    if length > MAX_CELL // 2:  # shorter texts fit even if every character takes two units
        length += sum(1 for c in text if ord(c) > 0xFFFF)
    if length <= MAX_CELL:
        return text, None
    note = _(" … [cut: {length} characters in all; export sqlite or csv keep them]").format(
        length=length
    )
    budget = 2 * (MAX_CELL - len(note.encode("utf-16-le")) // 2)
    head = text.encode("utf-16-le", "surrogatepass")[:budget]
    if head and 0xD800 <= int.from_bytes(head[-2:], "little") <= 0xDBFF:
        head = head[:-2]  # no half of a character outside the BMP
    return head.decode("utf-16-le", "surrogatepass") + note, length


def _width(table: Table, rows: Sequence[Row], index: int) -> int:
    name = table.column_names[index]
    longest = len(name) + 3  # room for the filter button
    for row in rows:
        cell = row[index]
        if cell is not None:
            longest = max(longest, 10 if full_date(cell) else len(_text(cell)))
            if longest >= _WIDTH[1]:
                break
    return max(_WIDTH[0], min(longest + 1, _WIDTH[1]))


def xlsx_bytes(rows: Mapping[str, list[Row]], created: datetime) -> tuple[bytes, list[Cut]]:
    """The workbook: one sheet per table, in the tables' order; `created` (UTC, naive) is its
    created and modified time. Also the cells that had to be cut."""
    import xlsxwriter

    sheets = {table.name: list(rows[table.name]) for table in TABLES}
    sheets["meta"] = [*sheets["meta"], *KEY_SOURCE]
    for table in TABLES:
        _check_rows(table, sheets[table.name])
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    workbook.set_properties({"title": "coopctl export", "created": created})
    header = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "DD.MM.YYYY"})
    cuts: list[Cut] = []
    for table in TABLES:
        sheet = workbook.add_worksheet(table.name)
        cuts += _write_sheet(sheet, table, sheets[table.name], header, day)
    workbook.close()
    return buffer.getvalue(), cuts


def _write_sheet(sheet: Any, table: Table, rows: list[Row], header: Any, day: Any) -> list[Cut]:
    from xlsxwriter.utility import xl_range

    integers = {i for i, (_n, spec) in enumerate(table.columns) if spec.startswith("INTEGER")}
    dates = {i for i, name in enumerate(table.column_names) if name in DATE_COLUMNS}
    cuts: list[Cut] = []
    for column, name in enumerate(table.column_names):
        sheet.write_string(0, column, name, header)
        sheet.set_column(column, column, _width(table, rows, column))
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            if cell is None:
                continue
            if column in integers and type(cell) is int and abs(cell) <= _EXACT:
                sheet.write_number(number, column, cell)
            elif column in dates and (found := full_date(cell)) is not None:
                midnight = datetime(found.year, found.month, found.day)
                sheet.write_datetime(number, column, midnight, day)
            else:
                text, length = fit(_text(cell))
                sheet.write_string(number, column, text)
                if length is not None:
                    name = table.column_names[column]
                    cuts.append(Cut(table.name, name, _text(row[0])[:80], length))
    used = xl_range(0, 0, len(rows), len(table.columns) - 1)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(used)
    sheet.ignore_errors({"number_stored_as_text": used})  # keys are text on purpose
    return cuts


def write_xlsx(path: Path, rows: Mapping[str, list[Row]], created: datetime) -> list[Cut]:
    """The tables as one workbook at `path`, replacing it as a whole (or leaving it alone).
    Returns the cells cut to fit, for the caller to name."""
    if path.is_dir():
        raise UsageError(
            _("{path}: is a folder").format(path=path),
            hint=_("give the name of the workbook file, e.g. registry.xlsx"),
        )
    data, cuts = xlsx_bytes(rows, created)
    write_atomic(path, data)
    return cuts
