"""`coopctl export xlsx`: one sheet per table with typed cells, read back with openpyxl and
converted by headless LibreOffice, through the real CLI."""

from __future__ import annotations

import csv
import io
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from coopctl.export_tables import TABLES
from coopctl.export_xlsx import DATE_COLUMNS, KEY_SOURCE
from coopctl.gv import ATTRIBUTION
from tests.helpers import REPO, make_registry, run_cli

STAMP = "2025-01-01T00:00:00Z"
HOSTILE_VALUES = {
    "name": "=1+1",
    "short_name": '+HYPERLINK("http://x","click")',
    "type": "-2+3",
    "state": "@SUM(A1)",
    "ars": "031010000000",
    "ags": "03101000",
    "gv_type": "061",
    "website": "=cmd|/C calc!A0",
    "last_reviewed": "1899-12-31",
    "dissolved": "2020-02-30",
    "notes": "2021-04-23",
}
HOSTILE = {
    "registry/partners/evil.yaml": "kind: partner\nid: evil\n"
    + "".join(f"{key}: '{value}'\n" for key, value in HOSTILE_VALUES.items())
    + 'contacts:\n  - name: "ctl\\x01 _x0041_ tab\\tend"\n    role: "\\u2028"\n',
    "registry/partners/fine.yaml": "kind: partner\nid: fine\nname: A=B\ntype: other\n"
    "last_reviewed: '2024-05-06'\n",
    "registry/solutions/leika.yaml": "kind: solution\nid: leika\nname: L\ncategory: online_dienst\n"
    "ozg:\n  leika:\n    - leika_id: '09901001000000'\n",
}


def export_xlsx(
    target: Path, *args: str, root: Path = REPO, env: dict[str, str] | None = None
) -> Any:
    result = run_cli("export", "xlsx", str(target), "--root", str(root), *args, env=env)
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}: " in result.stderr
    return openpyxl.load_workbook(target)


def rows_of(sheet: Any) -> list[dict[str, Any]]:
    header, *body = sheet.iter_rows()
    names = [cell.value for cell in header]
    return [dict(zip(names, row, strict=True)) for row in body]


def test_every_table_is_a_sheet_holding_the_rows_of_the_sqlite_export(tmp_path: Path) -> None:
    book = export_xlsx(tmp_path / "r.xlsx", "--timestamp", STAMP)
    result = run_cli("export", "sqlite", str(tmp_path / "r.sqlite"), "--timestamp", STAMP)
    assert result.exit_code == 0, result.output
    assert book.sheetnames == [table.name for table in TABLES]
    database = sqlite3.connect(tmp_path / "r.sqlite")
    dates = 0
    for table in TABLES:
        query = database.execute(f"SELECT * FROM {table.name}")
        columns = [d[0] for d in query.description]
        expected = [dict(zip(columns, row, strict=True)) for row in query]
        got = rows_of(book[table.name])
        if table.name == "meta":  # the meta sheet adds the source of the keys
            assert [row["key"].value for row in got[len(expected) :]] == [k for k, _v in KEY_SOURCE]
            got = got[: len(expected)]
        assert len(got) == len(expected), table.name
        for want, row in zip(expected, got, strict=True):
            for column, value in want.items():
                cell = row[column]
                if value is None:
                    assert cell.value is None, (table.name, column)
                elif isinstance(value, int):
                    assert (cell.data_type, cell.value) == ("n", value), (table.name, column)
                elif isinstance(cell.value, datetime):
                    assert column in DATE_COLUMNS
                    assert cell.value.date().isoformat() == value
                    dates += 1
                else:
                    assert (cell.data_type, cell.value) == ("s", value), (table.name, column)
    assert dates > 100  # full dates were written as dates, not left as text


def test_keys_keep_their_zeros_and_only_full_dates_are_dates(tmp_path: Path) -> None:
    book = export_xlsx(tmp_path / "r.xlsx")
    partners = {row["id"].value: row for row in rows_of(book["partners"])}
    braunschweig = partners["braunschweig"]
    assert (braunschweig["ars"].data_type, braunschweig["ars"].value) == ("s", "031010000000")
    assert (braunschweig["ags"].data_type, braunschweig["ags"].value) == ("s", "03101000")
    assert braunschweig["gv_type"].value == "61"
    events = rows_of(book["events"])
    signing = next(e for e in events if e["date"].value == "2020-09")
    assert signing["date"].data_type == "s"  # a partial date stays text
    assert signing["date_first"].value == datetime(2020, 9, 1)
    assert signing["date_first"].number_format == "DD.MM.YYYY"
    assert signing["date_last"].value == datetime(2020, 9, 30)
    assert signing["position"].value == 0 and signing["position"].data_type == "n"


def test_leika_ids_and_entity_ids_are_text(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", HOSTILE)
    book = export_xlsx(tmp_path / "h.xlsx", root=root)
    (solution,) = rows_of(book["solutions"])
    assert (solution["id"].data_type, solution["id"].value) == ("s", "leika")
    assert solution["ozg"].data_type == "s"
    assert solution["ozg"].value == '{"leika":[{"leika_id":"09901001000000"}]}'


def test_sheets_have_a_frozen_bold_header_an_autofilter_and_bounded_widths(tmp_path: Path) -> None:
    book = export_xlsx(tmp_path / "r.xlsx")
    for table in TABLES:
        sheet = book[table.name]
        last = openpyxl.utils.get_column_letter(len(table.columns))
        assert sheet.freeze_panes == "A2", table.name
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", table.name
        assert all(cell.font.b for cell in sheet[1]), table.name
        for index in range(1, len(table.columns) + 1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert 6 <= width <= 61, (table.name, index, width)
    widths = book["partners"].column_dimensions
    assert widths["A"].width < widths["B"].width  # id narrower than name
    assert widths["P"].width > 50  # contacts: long JSON, capped


def test_hostile_values_stay_text_and_no_formula_is_written(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", HOSTILE)
    book = export_xlsx(tmp_path / "h.xlsx", root=root)
    partners = {row["id"].value: row for row in rows_of(book["partners"])}
    evil = partners["evil"]
    for column, value in HOSTILE_VALUES.items():
        assert (evil[column].data_type, evil[column].value) == ("s", value), column
    assert '"name":"ctl\\u0001 _x0041_ tab\\tend"' in evil["contacts"].value
    assert partners["fine"]["last_reviewed"].value == datetime(2024, 5, 6)
    with zipfile.ZipFile(tmp_path / "h.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
        assert not any(n.startswith("xl/calcChain") for n in archive.namelist())


CONTROL = "a\x01b _x0041_ c\x1fd\u2028e"
CONTROL_PARTNER = 'kind: partner\nid: ctl\nname: "a\\x01b _x0041_ c\\x1fd\\u2028e"\ntype: other\n'


def test_control_characters_and_escape_lookalikes_are_escaped_as_ooxml_says(
    tmp_path: Path,
) -> None:
    """XML cannot hold U+0001; OOXML writes it as _x0001_ and a literal `_x0041_` as
    `_x005F_x0041_`. (openpyxl undoes only the second; LibreOffice both, see below.)"""
    root = make_registry(tmp_path / "reg", {"registry/partners/ctl.yaml": CONTROL_PARTNER})
    export_xlsx(tmp_path / "c.xlsx", root=root)
    with zipfile.ZipFile(tmp_path / "c.xlsx") as archive:
        strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
    (escaped,) = re.findall(r"<t>(a_x0001_b[^<]*)</t>", strings)
    assert escaped == "a_x0001_b _x005F_x0041_ c_x001F_d\u2028e"
    assert re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m[1], 16)), escaped) == CONTROL


def test_meta_sheet_names_the_export_and_the_source_of_the_keys(tmp_path: Path) -> None:
    book = export_xlsx(tmp_path / "r.xlsx", "--timestamp", STAMP, "--rev", "HEAD")
    meta = {row["key"].value: row["value"].value for row in rows_of(book["meta"])}
    assert meta["exported_at"] == STAMP
    assert meta["revision"] == "HEAD"
    assert meta["key_source"] == ATTRIBUTION
    assert "dl-de/by-2-0" in meta["key_source"] and "Destatis" in meta["key_source"]
    assert meta["key_source_licence"] == "https://www.govdata.de/dl-de/by-2-0"
    assert "processed" in meta["key_source_use"]
    assert all(isinstance(value, str) for value in meta.values())
    assert book.properties.created == datetime(2025, 1, 1)
    assert book.properties.modified == datetime(2025, 1, 1)


def test_the_same_registry_and_time_give_the_same_bytes(tmp_path: Path) -> None:
    export_xlsx(tmp_path / "a.xlsx", "--timestamp", STAMP)
    export_xlsx(tmp_path / "b.xlsx", "--timestamp", STAMP)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:  # no clock time inside, either
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert core.count(STAMP) == 2  # created and modified
    epoch = {"SOURCE_DATE_EPOCH": "1735689600"}  # 2025-01-01T00:00:00Z
    export_xlsx(tmp_path / "c.xlsx", env=epoch)
    assert (tmp_path / "c.xlsx").read_bytes() == (tmp_path / "a.xlsx").read_bytes()
    export_xlsx(tmp_path / "d.xlsx", "--timestamp", "2025-01-02")
    assert (tmp_path / "d.xlsx").read_bytes() != (tmp_path / "a.xlsx").read_bytes()


def test_an_existing_workbook_is_replaced_whole_and_nothing_is_left_behind(tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"old")
    export_xlsx(target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in target.parent.iterdir()] == ["r.xlsx"]


@pytest.mark.parametrize(
    ("target", "code", "message"),
    [
        ("{tmp}", 2, "is a folder"),
        ("{tmp}/missing/x.xlsx", 1, "cannot write: the folder does not exist"),
        ("{tmp}/file.txt/x.xlsx", 1, "cannot write"),
    ],
)
def test_unwritable_targets_are_clear_errors(
    tmp_path: Path, target: str, code: int, message: str
) -> None:
    (tmp_path / "file.txt").write_text("x")
    result = run_cli("export", "xlsx", target.format(tmp=tmp_path), "--root", str(REPO))
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--timestamp", "soon"), "--timestamp 'soon': not an ISO 8601 date or time"),
        (("--excel",), "--excel applies to csv exports only"),
    ],
)
def test_bad_options_are_usage_errors_and_write_nothing(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("export", "xlsx", str(tmp_path / "x.xlsx"), *args, "--root", str(REPO))
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_leaves_the_old_workbook_as_it_was(tmp_path: Path) -> None:
    """Under a file size limit smaller than the workbook, the export fails with a message and
    exit 1; the old file is kept and no temporary file is left."""
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    command = [sys.executable, "-m", "coopctl", "export", "xlsx", str(target), "--root", str(REPO)]
    result = subprocess.run(
        command, capture_output=True, text=True, check=False, preexec_fn=small_files, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert "the file size limit was reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_a_value_longer_than_a_cell_holds_is_cut_with_a_note_and_named(tmp_path: Path) -> None:
    """A spreadsheet cell holds 32,767 UTF-16 units: a longer text is cut at a character
    boundary (never inside a character outside the BMP), ends with a note, and is named on
    stderr; the rest of the workbook is whole and the exit code 0, as for other read commands."""
    notes = "x" * 40_000
    name = "a" + "\U0001f600" * 20_000  # 40,001 units; a cut at 32,767 - note would split one
    files = {
        "registry/partners/big.yaml": f"kind: partner\nid: big\nname: {name}\nnotes: {notes}\n"
    }
    root = make_registry(tmp_path / "reg", files)
    result = run_cli("export", "xlsx", str(tmp_path / "out.xlsx"), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[:3] == [
        "warning: table partners, column name, row big: 40001 characters, more than the 32767 "
        "a spreadsheet cell holds; cut, with a note at its end",
        "warning: table partners, column notes, row big: 40000 characters, more than the 32767 "
        "a spreadsheet cell holds; cut, with a note at its end",
        "  hint: export sqlite or csv keep the whole value",
    ]
    (row,) = rows_of(openpyxl.load_workbook(tmp_path / "out.xlsx")["partners"])
    for column, whole, units in (("notes", notes, 40_000), ("name", name, 40_001)):
        text = row[column].value
        note = f" … [cut: {units} characters in all; export sqlite or csv keep them]"
        assert text.endswith(note), column
        kept = text.removesuffix(note)
        assert whole.startswith(kept), column
        assert len(text.encode("utf-16-le")) // 2 in {32_766, 32_767}, column
    assert row["id"].value == "big"
    german = run_cli(
        "--lang", "de", "export", "xlsx", str(tmp_path / "de.xlsx"), "--root", str(root)
    )
    assert "Warnung: Tabelle partners, Spalte notes, Zeile big: 40000 Zeichen" in german.stderr


def test_date_columns_are_columns_of_the_tables() -> None:
    names = {name for table in TABLES for name in table.column_names}
    assert names >= DATE_COLUMNS


# --- headless LibreOffice ---------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it in CI"
)
# Comma-separated, UTF-8, every sheet to its own file, cells as shown (dates as formatted).
_ALL_SHEETS_AS_SHOWN = (
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
)


def soffice(tmp_path: Path, source: Path, convert_to: str, *options: str) -> Path:
    assert SOFFICE is not None
    out = tmp_path / "converted"
    profile = (tmp_path / "soffice-profile").as_uri()  # its own profile: runs do not collide
    completed = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            *options,
            "--convert-to",
            convert_to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stderr
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


@needs_soffice
def test_libreoffice_keeps_the_keys_and_shows_german_dates(tmp_path: Path) -> None:
    files = {**HOSTILE, "registry/partners/ctl.yaml": CONTROL_PARTNER}
    root = make_registry(tmp_path / "reg", files, with_real_registry=True)
    export_xlsx(tmp_path / "r.xlsx", root=root)
    out = soffice(tmp_path, tmp_path / "r.xlsx", _ALL_SHEETS_AS_SHOWN)
    partners = {row["id"]: row for row in _csv(out / "r-partners.csv")}
    assert (partners["braunschweig"]["ars"], partners["braunschweig"]["ags"]) == (
        "031010000000",
        "03101000",
    )
    assert partners["landkreis-gifhorn"]["ars"] == "031510000000"
    for column, value in HOSTILE_VALUES.items():
        assert partners["evil"][column] == value, column
    assert partners["fine"]["last_reviewed"] == "06.05.2024"
    assert partners["ctl"]["name"] == CONTROL
    events = _csv(out / "r-events.csv")
    assert [(e["date"], e["date_first"]) for e in events[:2]] == [
        ("2020-09", "01.09.2020"),
        ("23.09.2020", "23.09.2020"),
    ]
    assert {p.name for p in out.iterdir()} == {f"r-{table.name}.csv" for table in TABLES}


@needs_soffice
def test_libreoffice_reads_excel_csv_keys_as_numbers(tmp_path: Path) -> None:
    """What the README says `export csv --excel` cannot keep: opened in a spreadsheet, a key
    column is read as numbers and loses its leading zeros, and full dates become date cells."""
    result = run_cli("export", "csv", str(tmp_path / "csv"), "--excel", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    out = soffice(tmp_path, tmp_path / "csv" / "partners.csv", "xlsx", "--infilter=CSV:59,34,76,1")
    partners = {
        row["id"].value: row
        for row in rows_of(openpyxl.load_workbook(out / "partners.xlsx").active)
    }
    assert partners["braunschweig"]["ars"].value == 31010000000
    assert partners["braunschweig"]["ags"].value == 3101000
    out = soffice(tmp_path, tmp_path / "csv" / "events.csv", "xlsx", "--infilter=CSV:59,34,76,1")
    events = rows_of(openpyxl.load_workbook(out / "events.xlsx").active)
    assert events[1]["date"].value == datetime(2020, 9, 23)
    assert events[0]["date"].value == "2020-09"
