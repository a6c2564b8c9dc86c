"""`coopctl export sqlite|csv`: tables, keys, reproducible bytes and spreadsheet safety,
through the real CLI. Row counts are checked against counts made here over the YAML files."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, REPO, make_registry, run_cli
from tests.test_query import read_kind

PARTNERS = read_kind(REPO, "partners")
AGREEMENTS = read_kind(REPO, "agreements")
SOLUTIONS = read_kind(REPO, "solutions")
TABLES = [
    "partners",
    "partner_owners",
    "agreements",
    "memberships",
    "events",
    "signatories",
    "agreement_roles",
    "solutions",
    "solution_users",
    "solution_components",
    "solution_adopting_states",
    "sources",
    "meta",
]
STAMP = "2025-01-01T00:00:00Z"


def export_sqlite(target: Path, *args: str, root: Path = REPO) -> sqlite3.Connection:
    result = run_cli("export", "sqlite", str(target), "--root", str(root), *args)
    assert result.exit_code == 0, result.output
    return sqlite3.connect(target)


def _count_sources(value: Any) -> int:
    if isinstance(value, dict):
        return sum(len(v) if k == "sources" else _count_sources(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_count_sources(v) for v in value)
    return 0


def test_tables_hold_what_the_files_hold(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite", "--timestamp", STAMP)
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert names == TABLES

    def count(table: str) -> int:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    events = [e for a in AGREEMENTS.values() for e in a["events"]]
    assert count("partners") == len(PARTNERS)
    assert count("partner_owners") == sum(len(p.get("owners", [])) for p in PARTNERS.values())
    assert count("agreements") == len(AGREEMENTS)
    assert count("solutions") == len(SOLUTIONS)
    assert count("events") == len(events)
    assert count("signatories") == sum(len(e.get("signatories", [])) for e in events)
    assert count("solution_users") == sum(len(s["users"]) for s in SOLUTIONS.values())
    joins = ("signed", "accession", "participant_joined")
    assert count("memberships") == sum(len(e["partners"]) for e in events if e["type"] in joins)
    everything = [*PARTNERS.values(), *AGREEMENTS.values(), *SOLUTIONS.values()]
    assert count("sources") == sum(_count_sources(d) for d in everything)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["exported_at"] == STAMP
    assert meta["revision"] == "working tree"
    assert meta["files"] == str(len(everything))
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_keys_and_indexes_are_declared(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite")
    targets = {(r[2], r[3], r[4]) for r in db.execute("PRAGMA foreign_key_list(memberships)")}
    assert targets == {("agreements", "agreement_id", "id"), ("partners", "partner_id", "id")}
    signatory_keys = {r[2] for r in db.execute("PRAGMA foreign_key_list(signatories)")}
    assert signatory_keys == {"events", "partners"}
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"memberships_partner_id", "solution_users_partner_id", "partners_state"} <= indexes


def test_membership_on_a_day_in_sql(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite")
    query = (
        "SELECT partner_id FROM memberships WHERE agreement_id = ? AND role = 'party' "
        "AND joined_by <= ? AND (left_by IS NULL OR left_by > ?) ORDER BY partner_id"
    )
    bsw = "braunschweig-salzgitter-wolfsburg"

    def members(day: str) -> list[str]:
        return [r[0] for r in db.execute(query, (bsw, day, day))]

    assert "landkreis-gifhorn" in members("2021-05-01")
    assert "landkreis-gifhorn" not in members("2021-01-01")


def test_same_registry_same_bytes(tmp_path: Path, registry_root: Path) -> None:
    first, second, third = tmp_path / "1.sqlite", tmp_path / "2.sqlite", tmp_path / "3.sqlite"
    export_sqlite(first, "--timestamp", STAMP).close()
    export_sqlite(second, "--timestamp", STAMP, root=registry_root).close()
    export_sqlite(third, "--timestamp", "2025-01-02").close()
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != third.read_bytes()
    for name in ("a", "b"):
        result = run_cli(
            "export",
            "csv",
            str(tmp_path / name),
            "--root",
            str(REPO),
            env={"SOURCE_DATE_EPOCH": "1735689600"},
        )
        assert result.exit_code == 0, result.output
    for table in TABLES:
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (
            tmp_path / "b" / f"{table}.csv"
        ).read_bytes()
    meta = (tmp_path / "a" / "meta.csv").read_bytes()
    assert f"exported_at,{STAMP}\r\n".encode() in meta


def test_a_changed_file_changes_the_export(tmp_path: Path, registry_root: Path) -> None:
    before = tmp_path / "before.sqlite"
    export_sqlite(before, "--timestamp", STAMP, root=registry_root).close()
    path = registry_root / "registry/partners/akdb.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "last_reviewed: '2025-01-01'\n")
    after = export_sqlite(tmp_path / "after.sqlite", "--timestamp", STAMP, root=registry_root)
    assert after.execute("SELECT last_reviewed FROM partners WHERE id='akdb'").fetchone() == (
        "2025-01-01",
    )
    old = sqlite3.connect(before)
    assert old.execute("SELECT value FROM meta WHERE key='content_sha256'").fetchone() != (
        after.execute("SELECT value FROM meta WHERE key='content_sha256'").fetchone()
    )


def test_export_replaces_a_database_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.sqlite"
    target.parent.mkdir()
    target.write_bytes(b"old")
    export_sqlite(target).close()
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.sqlite"]


HOSTILE = {
    "registry/partners/evil.yaml": (
        'kind: partner\nid: evil\nname: \'=HYPERLINK("http://x","click")\'\n'
        "short_name: '+49 1234'\ntype: '-2+3'\nstate: '@SUM(A1)'\nwebsite: \"\\tTAB\"\n"
        'notes: "\\rCR"\n'
    ),
    "registry/partners/fine.yaml": "kind: partner\nid: fine\nname: A=B\ntype: other\n",
}


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", HOSTILE)
    result = run_cli("export", "csv", str(tmp_path / "out"), "--root", str(root))
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in _csv_rows(tmp_path / "out" / "partners.csv")}
    evil = rows["evil"]
    assert evil["name"] == '\'=HYPERLINK("http://x","click")'
    assert evil["short_name"] == "'+49 1234"
    assert evil["type"] == "'-2+3"
    assert evil["state"] == "'@SUM(A1)"
    assert evil["website"] == "'\tTAB"
    assert evil["notes"] == "'\rCR"
    assert rows["fine"]["name"] == "A=B"


def test_excel_csv_has_a_bom_and_semicolons(tmp_path: Path) -> None:
    result = run_cli("export", "csv", str(tmp_path / "x"), "--excel", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "x" / "partners.csv").read_bytes()
    assert raw.startswith(
        b"\xef\xbb\xbfid;name;short_name;type;gv_type;special_status;legal_form;state;"
    )
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert {r["id"] for r in rows} == set(PARTNERS)
    names = {r["id"]: r["name"] for r in rows}
    assert names["nuernberg"] == "Stadt Nürnberg"


def test_csv_and_sqlite_hold_the_same_rows(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite", "--timestamp", STAMP)
    run_cli("export", "csv", str(tmp_path / "c"), "--timestamp", STAMP, "--root", str(REPO))
    for table in TABLES:
        from_csv = _csv_rows(tmp_path / "c" / f"{table}.csv")
        from_db = db.execute(f"SELECT * FROM {table}")
        columns = [d[0] for d in from_db.description]
        expected = [
            {c: "" if v is None else str(v) for c, v in zip(columns, row, strict=True)}
            for row in from_db
        ]
        assert from_csv == expected, table


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["sqlite", "{tmp}/x.sqlite", "--excel"], 2, "--excel applies to csv exports only"),
        (["sqlite", "{tmp}/x.sqlite", "--timestamp", "soon"], 2, "--timestamp 'soon': not an"),
        (["sqlite", "{tmp}"], 2, "is a folder"),
        (["csv", "{tmp}/file.txt"], 2, "is not a folder"),
        (["sqlite", "{tmp}/missing/x.sqlite"], 1, "cannot write: the folder does not exist"),
        (["ods", "{tmp}/x"], 2, "Invalid value"),
    ],
)
def test_bad_exports_are_clear_errors(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    (tmp_path / "file.txt").write_text("x")
    result = run_cli("export", *(a.format(tmp=tmp_path) for a in args), "--root", str(REPO))
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


# --- replacing the tables as one set ---------------------------------------------------------


def _export_process(
    target: Path, root: Path, *args: str, limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    def small_files() -> None:
        assert limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "coopctl", "export", "csv", str(target), "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=small_files if limit is not None else None,
        timeout=120,
    )


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_full_disk_leaves_the_old_tables_as_they_were(
    tmp_path: Path, registry_root: Path
) -> None:
    """Under a file size limit that partners.csv fits and sources.csv does not, a new export
    with a changed partner fails after writing some tables; the folder keeps the old set."""
    target = tmp_path / "tables"
    assert _export_process(target, registry_root, "--timestamp", STAMP).returncode == 0
    old = _tables(target)
    limit = (len(old["partners.csv"]) + len(old["sources.csv"])) // 2
    assert len(old["partners.csv"]) < limit < len(old["sources.csv"])
    partner = registry_root / "registry/partners/akdb.yaml"
    partner.write_text(
        partner.read_text(encoding="utf-8").replace("name: Anstalt", "name: Die Anstalt"), "utf-8"
    )
    result = _export_process(target, registry_root, "--timestamp", STAMP, limit=limit)
    assert result.returncode == 1, result.stderr
    assert "the file size limit was reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert _tables(target) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reg", "tables"]
    assert _export_process(target, registry_root, "--timestamp", STAMP).returncode == 0
    assert b"Die Anstalt" in _tables(target)["partners.csv"]


_KILLED_EXPORT = """
import os, signal, sys
from collections.abc import Mapping
from pathlib import Path
from coopctl.fsswap import replace_folder

class KilledAfterTwo(Mapping):
    def __getitem__(self, name):
        return b"new\\n"
    def __len__(self):
        return 9
    def __iter__(self):
        yield "partners.csv"
        yield "agreements.csv"
        os.kill(os.getpid(), signal.SIGKILL)

replace_folder(Path(sys.argv[1]), KilledAfterTwo())
"""


def test_kill_9_during_an_export_leaves_the_old_tables(tmp_path: Path) -> None:
    from coopctl.fsio import STALE_SECONDS, is_temporary

    target = tmp_path / "tables"
    assert _export_process(target, REPO, "--timestamp", STAMP).returncode == 0
    old = _tables(target)
    killed = subprocess.run([sys.executable, "-c", _KILLED_EXPORT, str(target)], check=False)
    assert killed.returncode == -signal.SIGKILL
    assert _tables(target) == old
    (left,) = [p for p in tmp_path.iterdir() if p.name != "tables"]
    assert is_temporary(left.name) and left.name.startswith(".tables.coopctl-"), left.name
    assert sorted(p.name for p in left.iterdir()) == ["agreements.csv", "partners.csv"]
    assert _export_process(target, REPO, "--timestamp", STAMP).returncode == 0
    assert left.exists()  # recent: it may be a live export's
    moment = time.time() - STALE_SECONDS - 60
    os.utime(left, (moment, moment))
    assert _export_process(target, REPO, "--timestamp", "2030-01-01").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    assert _tables(target)["partners.csv"] == old["partners.csv"]
    assert _tables(target)["meta.csv"] != old["meta.csv"]


def test_an_export_never_removes_files_it_did_not_write(tmp_path: Path) -> None:
    target = tmp_path / "tables"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run_cli("export", "csv", str(target), "--root", str(REPO))
    assert result.exit_code == 2, result.output
    assert "holds files that are not part of this export (notes.txt)" in result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_an_export_through_a_linked_folder_replaces_the_folder_it_leads_to(
    tmp_path: Path,
) -> None:
    real = tmp_path / "real"
    assert run_cli("export", "csv", str(real), "--root", str(REPO)).exit_code == 0
    link = tmp_path / "tables"
    link.symlink_to(real, target_is_directory=True)
    result = run_cli("export", "csv", str(link), "--root", str(REPO), "--timestamp", STAMP)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert STAMP in (real / "meta.csv").read_text(encoding="utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is a Linux call")
def test_two_folders_change_places_in_one_step_on_linux(tmp_path: Path) -> None:
    from coopctl.fsswap import _exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "old.csv").write_text("old\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "new.csv").write_text("new\n")
    assert _exchange(tmp_path / "b", tmp_path / "a")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["new.csv"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["old.csv"]


def test_agreement_model_2_fields_are_columns_and_tables(tmp_path: Path) -> None:
    """instrument, legal form, legal basis and task transfer are columns; the tasks of `roles`
    are rows of agreement_roles; memberships carry the role their event gave (function) and
    events their role and details."""
    root = make_registry(tmp_path / "reg")
    shutil.copytree(EXAMPLES / "valid/agreement-details/registry", root / "registry",
                    dirs_exist_ok=True)  # fmt: skip
    db = export_sqlite(tmp_path / "r.sqlite", root=root)
    db.row_factory = sqlite3.Row
    agreement = dict(db.execute("SELECT * FROM agreements").fetchone())
    assert {
        k: agreement[k] for k in agreement if k.startswith(("instrument", "legal", "task"))
    } == {
        "instrument": "zweckvereinbarung",
        "legal_form": "zweckvereinbarung",
        "legal_basis_state": "DE-NI",
        "legal_basis_law": "NKomZG",
        "legal_basis_article": "§ 5",
        "legal_basis_url": "https://www.voris.niedersachsen.de",
        "task_transfer": "mandating",
    }
    roles = [tuple(r) for r in db.execute(
        "SELECT partner_id, role, area, topic, from_date FROM agreement_roles ORDER BY position"
    )]  # fmt: skip
    assert roles == [
        ("braunschweig", "technical_lead", "online_dienste", "Online-Services", "2021"),
        ("wolfsburg", "office", None, None, None),
    ]
    functions = dict(db.execute("SELECT partner_id, function FROM memberships").fetchall())
    assert functions == {"braunschweig": "lead", "wolfsburg": "office", "dataport": "funder"}
    details = [tuple(r) for r in db.execute(
        "SELECT type, role, body, authority, gazette FROM events ORDER BY position"
    )]  # fmt: skip
    assert details[0] == ("council_decision", None, "Rat der Stadt Braunschweig", None, None)
    assert details[2] == ("signed", "lead", None, None, None)
    assert details[4][:4] == (
        "approval",
        None,
        None,
        "Niedersächsisches Ministerium für Inneres und Sport",
    )
    assert details[5][4] == "Amtsblatt für den Landkreis Gifhorn"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_bundled_m_a_n_tasks_are_exported_with_their_source(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite")
    rows = db.execute(
        "SELECT partner_id, role FROM agreement_roles WHERE agreement_id = ? ORDER BY position",
        ("muenchen-augsburg-nuernberg",),
    ).fetchall()
    assert rows == [
        ("nuernberg", "technical_lead"),
        ("augsburg", "subject_lead"),
        ("muenchen", "core_team"),
    ]
    pointers = [r[0] for r in db.execute(
        "SELECT pointer FROM sources WHERE entity_id = ? AND pointer LIKE '/roles/%'",
        ("muenchen-augsburg-nuernberg",),
    )]  # fmt: skip
    assert pointers == ["/roles/0/sources/0", "/roles/1/sources/0", "/roles/2/sources/0"]
    # The export format of data model 2: legal_form is the Rechtsform, instrument the document.
    assert db.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone() == ("2",)
    two = ("braunschweig-salzgitter-wolfsburg", "muenchen-augsburg-nuernberg")
    assert db.execute(
        "SELECT instrument, legal_form FROM agreements WHERE id IN (?, ?) ORDER BY id", two
    ).fetchall() == [("letter_of_intent", "none"), ("memorandum_of_understanding", "none")]


def test_partner_fields_of_model_2_and_the_owners_table(tmp_path: Path) -> None:
    db = export_sqlite(tmp_path / "r.sqlite")
    row = db.execute(
        "SELECT type, legal_form, state, states FROM partners WHERE id = 'dataport'"
    ).fetchone()
    assert row[:3] == ("anstalt", "anstalt_oeffentlichen_rechts", None)
    assert json.loads(row[3]) == ["DE-HH", "DE-SH", "DE-NI", "DE-MV", "DE-ST", "DE-HB"]
    assert db.execute("SELECT gv_type FROM partners WHERE id = 'braunschweig'").fetchone() == (
        "61",
    )
    owners = db.execute(
        "SELECT position, owner_partner, owner_state, owner_name FROM partner_owners "
        "WHERE partner_id = 'dataport' ORDER BY position"
    ).fetchall()
    assert owners[0] == (0, None, "DE-HH", None)
    assert [o[2] for o in owners] == ["DE-HH", "DE-SH", "DE-NI", "DE-MV", "DE-ST", "DE-HB"]
