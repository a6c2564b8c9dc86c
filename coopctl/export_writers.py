"""The writers of `coopctl export`: the tables that `coopctl.export.build_tables` made, as one
SQLite database or as one CSV file per table, each replacing what was there as a whole."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from coopctl.errors import CoopctlError, UsageError
from coopctl.escaping import csv_cell
from coopctl.export import FORMAT_VERSION, Row
from coopctl.export_tables import TABLES
from coopctl.fsio import write_atomic_with
from coopctl.fsswap import replace_folder
from coopctl.i18n import _


def _fill_database(path: Path, rows: Mapping[str, Iterable[Row]], counts: dict[str, int]) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        with connection:
            indexes: list[str] = []
            for table in TABLES:
                create, *indexed = table.ddl()
                connection.execute(create)
                marks = ", ".join("?" for _ in table.columns)
                counted = _Counted(rows[table.name])
                connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", counted)
                counts[table.name] = counted.count
                indexes.extend(indexed)
            for statement in indexes:  # built once over all rows: faster than row by row
                connection.execute(statement)
    finally:
        connection.close()


class _Counted:
    """The rows of one table, as they are taken, and how many were taken."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self._rows = iter(rows)
        self.count = 0

    def __iter__(self) -> Iterator[Row]:
        for row in self._rows:
            self.count += 1
            yield row


def write_sqlite(path: Path, rows: Mapping[str, Iterable[Row]]) -> dict[str, int]:
    """The tables as one SQLite database, built next to `path` and then moved into place;
    the rows of each table are taken one table at a time (`export.table_makers` gives them
    as they are made). How many rows each table got."""
    if path.is_dir():
        raise UsageError(
            _("{path}: is a folder").format(path=path),
            hint=_("give the name of the database file"),
        )

    def produce(temporary: Path) -> None:
        try:
            _fill_database(temporary, rows, counts)
        except sqlite3.Error as exc:
            raise CoopctlError(
                _("{path}: cannot write the database: {reason}").format(path=path, reason=exc)
            ) from None

    counts: dict[str, int] = {}
    write_atomic_with(path, produce)
    return counts


def csv_bytes(header: tuple[str, ...], rows: list[Row], *, excel: bool = False) -> bytes:
    """RFC 4180 CSV in UTF-8; for German Excel with a BOM and ';' between cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "" if cell is None else csv_cell(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    data = buffer.getvalue().encode("utf-8")
    return b"\xef\xbb\xbf" + data if excel else data


def write_csv(folder: Path, rows: Mapping[str, list[Row]], *, excel: bool = False) -> list[Path]:
    """One <table>.csv per table in `folder`, replaced as one set (see `fsswap`): a reader
    never finds tables of two exports side by side."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("{path}: is not a folder").format(path=folder),
            hint=_("give a folder for the CSV files"),
        )
    files = {
        f"{table.name}.csv": csv_bytes(table.column_names, rows[table.name], excel=excel)
        for table in TABLES
    }
    replace_folder(folder, files)
    return [folder / name for name in files]
