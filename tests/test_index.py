"""The registry index (coopctl/index.py): read commands give the same answer from it as from
the files alone (`--no-cache`), on generated registries with broken files; it is used, not
rebuilt, when nothing changed; and a damaged, foreign or linked index is never trusted."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from tests.gitrepo import commit_all, git, init_repo
from tests.helpers import REPO, make_registry, run_cli

BENCHMARKS = REPO / "benchmarks"
SIZE = ("--partners", "80", "--agreements", "24", "--solutions", "10")


def generate(out: Path, *extra: str) -> Path:
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), str(out), *SIZE, *extra],
        capture_output=True,
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated registry in git (two commits) with broken files of every injected kind."""
    return generate(tmp_path_factory.mktemp("index") / "national", "--invalid", "9")


def index_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "coopctl").glob("index-*"))


def some_id(root: Path, folder: str) -> str:
    return sorted((root / "registry" / folder).glob("*.yaml"))[3].stem


def commands(root: Path, target: Path) -> list[tuple[str, ...]]:
    partner, agreement = some_id(root, "partners"), some_id(root, "agreements")
    solution = some_id(root, "solutions")
    listed = [
        (*base, *rev)
        for rev in ((), ("--rev", "HEAD~1"))
        for base in (
            ("list", "partners", "--format", "json"),
            ("list", "agreements", "--format", "json"),
            ("list", "solutions", "--format", "json"),
            ("list", "agreements", "--format", "csv", "--where", "status=active"),
            ("show", partner, "--format", "json"),
            ("show", agreement, "--format", "json"),
            ("show", agreement),
            ("show", solution, "--format", "json"),
            ("report", "--format", "json"),
            ("report", "--format", "markdown"),
        )
    ]
    return [*listed, ("export", "sqlite", str(target), "--timestamp", "2026-01-01T00:00:00Z")]


def answer(root: Path, command: tuple[str, ...], *extra: str) -> tuple[int, str, str, object]:
    day = () if command[0] == "export" else ("--at", "2026-06-30")
    result = run_cli(*command, *extra, *day, "--root", str(root))
    exported = None
    if command[0] == "export":
        with sqlite3.connect(command[2]) as db:
            tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            exported = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    return result.exit_code, result.stdout, result.stderr, exported


def test_index_and_files_give_the_same_answers(national: Path, tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    for command in commands(national, tmp_path / "export.sqlite"):
        from_files = answer(national, command, "--no-cache")
        assert not index_files(home), command  # --no-cache neither reads nor writes it
        cold = answer(national, command)
        warm = answer(national, command)
        assert from_files[0] in (0, 1), command
        assert cold == from_files, command
        assert warm == from_files, command
        for path in index_files(home):
            path.unlink()


def test_show_from_the_neighbourhood_is_show_from_the_whole_registry(national: Path) -> None:
    """`show` loads from the index only the entity, what it names, what names it and what
    that names; for every entity (and an id of no entity, and a KIND:ID) the answer is the
    one the whole registry gives."""
    ids = [
        f"{kind}:{path.stem}" if number % 3 == 0 else path.stem
        for kind, folder in (("partner", "partners"), ("agreement", "agreements"))
        for number, path in enumerate(sorted((national / "registry" / folder).glob("*.yaml")))
        if kind == "agreement" or number % 4 == 0
    ]
    ids += [p.stem for p in sorted((national / "registry" / "solutions").glob("*.yaml"))]
    ids += ["no-such-entity", "kooperation"]
    answer(national, ("list", "partners", "--format", "ids"))  # the index, warm
    for entity in ids:
        for rev in ((), ("--rev", "HEAD~1")):
            command = ("show", entity, "--format", "json", *rev)
            assert answer(national, command) == answer(national, command, "--no-cache"), entity


def test_list_from_the_relations_alone_is_list_from_the_whole_registry(national: Path) -> None:
    """`list KIND` keeps of the other kinds only what the derived fields read: every derived
    field, also those computed only on request, and every option are what the whole
    registry gives, from the files and from the index, on the working tree and a revision."""
    from datetime import date

    from coopctl.query import DERIVED, ListOptions
    from coopctl.query import list_entities as listing
    from coopctl.relations import relations_only
    from coopctl.snapshot import load_snapshot

    for kind in ("partner", "agreement", "solution"):
        for day in (date(2019, 1, 1), date(2026, 6, 30)):
            variants = [
                ListOptions(kind, day),
                ListOptions(kind, day, columns=("id", *DERIVED[kind])),
                ListOptions(kind, day, count_by=DERIVED[kind][0]),
                ListOptions(kind, day, query=f"[].[id, {DERIVED[kind][-1]}]"),
            ]
            for rev, cache in ((None, False), (None, True), ("HEAD~1", True)):
                whole = load_snapshot(national, rev, cache=cache)
                part = load_snapshot(national, rev, cache=cache, reduce=relations_only(kind))
                assert len(part.entities) == len(whole.entities)
                assert part.skipped == whole.skipped
                assert part.load_problems == whole.load_problems
                for options in variants:
                    assert listing(part, options) == listing(whole, options), (kind, options)


def test_report_without_the_sources_details_is_the_whole_report(national: Path) -> None:
    """`report` keeps of each `sources` list only its length: every section, on any day,
    from the files and from the index, is what the whole data gives."""
    from datetime import date

    from coopctl.report.data import ReportOptions, build_report, reduced_for_report
    from coopctl.snapshot import load_snapshot

    for rev, cache in ((None, False), (None, True), ("HEAD~1", True)):
        whole = load_snapshot(national, rev, cache=cache)
        part = load_snapshot(national, rev, cache=cache, reduce=reduced_for_report())
        assert any(e.data.get("sources") for e in whole.entities)
        for day in (date(2019, 1, 1), date(2026, 6, 30)):
            options = ReportOptions(as_of=day, quiet_years=1)
            assert build_report(part, options) == build_report(whole, options), (rev, day)


def test_export_from_shared_texts_is_the_whole_export(national: Path) -> None:
    """`export` keeps every value, with each short text of the files parsed one object for
    all files: every table's rows are those of the data as loaded, from the files and from
    the index, on the working tree and a revision; the texts of parsed files are shared (rows
    from the index are not walked again for it: `snapshot._from_index`)."""
    from coopctl.export import build_tables
    from coopctl.sharing import for_every_kind
    from coopctl.snapshot import load_snapshot

    meta = {"exported_at": "2026-01-01T00:00:00Z"}
    for rev, cache in ((None, False), (None, True), ("HEAD~1", True)):
        whole = load_snapshot(national, rev, cache=cache)
        part = load_snapshot(national, rev, cache=cache, reduce=for_every_kind())
        assert build_tables(part, meta) == build_tables(whole, meta), rev
        assert [e.data for e in part.entities] == [e.data for e in whole.entities]
        if cache:
            continue
        events = [
            event["type"]
            for e in part.entities
            if e.kind == "agreement"
            for event in e.data.get("events", [])
            if isinstance(event, dict) and isinstance(event.get("type"), str)
        ]
        assert len(events) > len({id(text) for text in events}) > 1


def test_show_from_the_views_alone_is_show_from_the_whole_registry(national: Path) -> None:
    """Without the index, `show ID` keeps the whole data only of what declares that id (or no
    text id), of the rest what the relations and the views read: the view of every agreement
    and solution and of a quarter of the partners is what the whole registry gives, from the
    files and from the index, on the working tree and a revision."""
    for rev, cache in ((None, False), (None, True), ("HEAD~1", False)):
        assert same_views(national, rev, cache) > 50


def test_show_of_an_id_two_files_claim_or_none_declares_is_from_the_whole_data(
    national: Path, tmp_path: Path
) -> None:
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(national, root, symlinks=True)
    folder = root / "registry" / "agreements"
    first, second = sorted(folder.glob("*.yaml"))[:2]
    (folder / "zz-claims-another-id.yaml").write_bytes(first.read_bytes())
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace(f"id: {second.stem}\n", "id: 17\n"), encoding="utf-8")
    assert "id: 17\n" in second.read_text(encoding="utf-8")
    assert same_views(root, None, False, [first.stem, second.stem]) == 2


def same_views(root: Path, rev: str | None, cache: bool, only: list[str] | None = None) -> int:
    """How many entities' `show` views from the data `for_show` keeps are those of the whole
    registry (asserted)."""
    from datetime import date

    from coopctl.cli.show import wanted_entity
    from coopctl.relations import (
        agreement_view,
        build_relations,
        for_show,
        partner_view,
        solution_view,
    )
    from coopctl.snapshot import load_snapshot

    views = {"partner": partner_view, "agreement": agreement_view, "solution": solution_view}
    whole = load_snapshot(root, rev, cache=cache)
    day = date(2026, 6, 30)
    every = build_relations(whole, day)
    compared = 0
    for number, (kind, entity_id) in enumerate(sorted({(e.kind, e.id) for e in whole.entities})):
        if (only is not None and entity_id not in only) or (
            only is None and kind == "partner" and number % 4
        ):
            continue
        text = f"{kind}:{entity_id}" if number % 3 == 0 else entity_id
        kinds, wanted = wanted_entity(text)
        part = load_snapshot(root, rev, cache=cache, reduce=for_show(kinds, wanted))
        assert part.skipped == whole.skipped and part.load_problems == whole.load_problems
        assert [(e.path, e.id) for e in part.entities] == [(e.path, e.id) for e in whole.entities]
        shown, expected = part.get(kind, entity_id), whole.get(kind, entity_id)
        assert shown is not None and expected is not None
        assert shown.data == expected.data, text
        view = views[kind]
        assert view(part, build_relations(part, day), shown) == view(whole, every, expected), text
        compared += 1
    return compared


def test_files_parsed_in_batches_give_the_same_answers(
    national: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files the index lacks are read, parsed and written to it a batch at a time, and their
    bytes are not kept: with batches of a few files the answers are the same, and so is the
    index they leave."""
    home = Path(os.environ["HOME"])
    chosen = [c for c in commands(national, tmp_path / "export.sqlite") if "--rev" not in c]
    expected = {c: answer(national, c, "--no-cache") for c in chosen}
    for command in chosen:
        answer(national, command)
    whole = all_rows(home)
    for path in index_files(home):
        path.unlink()
    monkeypatch.setattr("coopctl.snapshot.BATCH", 7)
    for command in chosen:
        assert answer(national, command, "--no-cache") == expected[command], command
        assert answer(national, command) == expected[command], command
    assert all_rows(home) == whole


def all_rows(home: Path) -> dict[tuple[str, str], tuple[str | None, str]]:
    """The rows of every index (one per language) by index file name and key."""
    found = {}
    for path in index_files(home):
        with sqlite3.connect(path) as db:
            for key, data, notes in db.execute("SELECT key, data, notes FROM files"):
                found[path.name, key] = (data, notes)
    return found


def test_a_broken_file_is_reported_from_the_index_as_from_the_file(national: Path) -> None:
    command = ("list", "partners", "--format", "ids")
    from_files = answer(national, command, "--no-cache")
    assert "left out" in from_files[2] or "value skipped" in from_files[2]
    answer(national, command)
    assert answer(national, command) == from_files


def rows_of(home: Path) -> dict[str, tuple[str | None, str]]:
    (path,) = index_files(home)
    with sqlite3.connect(path) as db:
        return {
            key: (data, notes)
            for key, data, notes in db.execute("SELECT key, data, notes FROM files")
        }


def small_registry(tmp_path: Path) -> Path:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    init_repo(root)
    commit_all(root, "registry")
    return root


def warmed(tmp_path: Path) -> tuple[Path, Path, tuple[str, ...], Result, Path]:
    """A registry whose index a `list partners` has made: the home, the root, the command,
    its answer from the files alone, and the index file."""
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    command = ("list", "partners", "--format", "json", "--root", str(root))
    expected = run_cli(*command, "--no-cache")
    run_cli(*command)
    (path,) = index_files(home)
    return home, root, command, expected, path


def test_the_index_answers_for_files_it_has_seen(tmp_path: Path) -> None:
    """A warm run takes each file's data from the index: a row changed behind coopctl's back
    shows through, so nothing was parsed again; an edited file is parsed again."""
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    show = ("show", "augsburg", "--format", "json", "--root", str(root))
    assert '"name": "Stadt Augsburg"' in run_cli(*show).stdout
    rows = rows_of(home)
    key = next(k for k in rows if k.endswith(":partner:augsburg.yaml"))
    with sqlite3.connect(index_files(home)[0]) as db:
        db.execute(
            "UPDATE files SET data = replace(data, 'Stadt Augsburg', 'Stadt Index') WHERE key = ?",
            (key,),
        )
    assert '"name": "Stadt Index"' in run_cli(*show).stdout
    assert '"name": "Stadt Augsburg"' in run_cli(*show, "--no-cache").stdout
    path = root / "registry" / "partners" / "augsburg.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert '"name": "Stadt Augsburg"' in run_cli(*show).stdout


@pytest.mark.parametrize(
    "damage",
    [
        "garbage",  # not SQLite at all
        "truncated-row",  # a row whose JSON does not decode
        "not-a-mapping",  # a row that decodes to something else
        "other-table",  # SQLite, but not an index of this format
        "bad-notes",  # notes that are not problems
    ],
)
def test_a_damaged_index_is_never_trusted(tmp_path: Path, damage: str) -> None:
    home, _root, command, expected, path = warmed(tmp_path)
    if damage == "garbage":
        path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    else:
        with sqlite3.connect(path) as db:
            if damage == "truncated-row":
                db.execute("UPDATE files SET data = substr(data, 1, 20)")
            elif damage == "not-a-mapping":
                db.execute("UPDATE files SET data = '[1, 2]'")
            elif damage == "bad-notes":
                db.execute("UPDATE files SET notes = '[[1]]'")
            else:
                db.execute("DROP TABLE files")
                db.execute("CREATE TABLE files (key TEXT, data TEXT)")
    again = run_cli(*command)
    assert (again.exit_code, again.stdout) == (expected.exit_code, expected.stdout)
    final = run_cli(*command)  # and the index is sound again, or gone
    assert (final.exit_code, final.stdout) == (expected.exit_code, expected.stdout)
    for left in index_files(home):
        with sqlite3.connect(left) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_an_index_someone_else_can_write_or_a_link_is_not_used(tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    command = ("list", "partners", "--format", "ids", "--root", str(root))
    expected = run_cli(*command, "--no-cache").stdout
    run_cli(*command)
    (path,) = index_files(home)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE files SET data = replace(data, 'augsburg', 'forged')")
    path.chmod(0o666)
    assert run_cli(*command).stdout == expected
    assert path.stat().st_mode & 0o777 == 0o666  # not touched either
    elsewhere = tmp_path / "elsewhere.sqlite"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    elsewhere.chmod(0o600)
    assert run_cli(*command).stdout == expected
    assert path.is_symlink()


def test_data_json_cannot_hold_is_not_kept(tmp_path: Path) -> None:
    """What would not read back from JSON as it is (a number as a key, a float that is not
    finite, a value of another type) is not kept: that file is parsed every time."""
    from coopctl.index import EntityIndex

    root = small_registry(tmp_path)
    index = EntityIndex(root, "digest")
    kept = {"name": "ok", "n": [1, 2.5, True, None]}
    for key, data in [("a", {1: "one"}), ("b", {"x": float("nan")}), ("c", {"d": {1, 2}})]:
        index.put(key, data, [])
    index.put("k", kept, [])
    index.save()
    assert EntityIndex(root, "digest").rows(["a", "b", "c", "k"], ["p"] * 4) == [
        None,
        None,
        None,
        (kept, []),
    ]


def test_the_index_lives_in_the_cache_folder_not_the_registry(tmp_path: Path) -> None:
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    run_cli("report", "--format", "json", "--root", str(root))
    (path,) = index_files(home)
    assert path.stat().st_mode & 0o777 == 0o600
    assert git(root, "status", "--porcelain", "--ignored") == ""


def test_an_index_planted_in_the_work_tree_is_not_used(tmp_path: Path) -> None:
    """A cache folder inside the registry's work tree is never used, so a pull request
    cannot bring an index that answers for files it does not hold."""
    root = small_registry(tmp_path)
    planted = root / ".cache" / "coopctl"
    command = ("show", "augsburg", "--format", "json", "--root", str(root))
    expected = run_cli(*command, "--no-cache")
    result = run_cli(*command, env={"COOPCTL_CACHE_DIR": str(planted)})
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert not planted.exists()


def test_show_reads_only_the_neighbourhood(tmp_path: Path) -> None:
    """An agreement the index says does not name a partner is not read for that partner's
    `show`: its row, changed behind coopctl's back to make the partner a member, does not
    show, while `list`, which reads every row, shows it."""
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    show = ("show", "augsburg", "--format", "json", "--root", str(root))
    run_cli(*show)
    key = next(
        k for k in rows_of(home) if k.endswith(":agreement:braunschweig-salzgitter-wolfsburg.yaml")
    )
    with sqlite3.connect(index_files(home)[0]) as db:
        db.execute(
            "UPDATE files SET data = replace(data, '\"salzgitter\"', '\"augsburg\"') WHERE key = ?",
            (key,),
        )
    assert "braunschweig-salzgitter-wolfsburg" not in run_cli(*show).stdout
    listed = run_cli(
        "list", "partners", "-c", "id,agreements", "--format", "json", "--root", str(root)
    )
    assert "braunschweig-salzgitter-wolfsburg" in next(
        line for line in listed.stdout.split("{") if '"augsburg"' in line
    )


def test_show_trusts_a_complete_set_of_keys_only_while_its_rows_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that found every file's row notes that set of keys, so that `show` asks one
    question instead of looking up each key; an edit makes another set, and rows dropped to
    keep the index small drop the notes too: a partner's `show` still lists the agreement
    whose old row was dropped, after the edit is undone."""
    home = Path(os.environ["HOME"])
    root = small_registry(tmp_path)
    agreement = root / "registry" / "agreements" / "braunschweig-salzgitter-wolfsburg.yaml"
    original = agreement.read_bytes()
    show = ("show", "salzgitter", "--format", "json", "--root", str(root))
    expected = run_cli(*show, "--no-cache")
    assert "braunschweig-salzgitter-wolfsburg" in expected.stdout
    run_cli("list", "partners", "--format", "ids", "--root", str(root))
    with sqlite3.connect(index_files(home)[0]) as db:
        assert db.execute("SELECT count(*) FROM sets").fetchone() == (1,)
    assert run_cli(*show).stdout == expected.stdout
    monkeypatch.setattr("coopctl.index.SPARE_ROWS", 0)
    agreement.write_bytes(original.replace(b"title: ", b"title: Neu ", 1))
    edited = run_cli(*show, "--no-cache")
    assert run_cli(*show).stdout == edited.stdout != expected.stdout
    agreement.write_bytes(original)
    assert run_cli(*show).stdout == expected.stdout


def test_an_index_another_run_holds_locked_is_left_alone(tmp_path: Path) -> None:
    """While another run holds the index locked, coopctl answers from the files and neither
    removes nor changes the index."""
    home, root, command, expected, path = warmed(tmp_path)
    path_rows = rows_of(home)
    (root / "registry" / "partners" / "augsburg.yaml").write_text(
        (root / "registry" / "partners" / "augsburg.yaml").read_text(encoding="utf-8") + "\n",
        encoding="utf-8",
    )
    holder = sqlite3.connect(path, isolation_level=None, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_cli(*command)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert index_files(home) == [path]
    assert rows_of(home) == path_rows


def test_export_sqlite_counts_the_rows_it_streams(national: Path, tmp_path: Path) -> None:
    """`export sqlite` takes each table's rows as they are made, one table at a time: the
    counts it reports are the rows in the database, which are the rows the CSV files (made
    from all rows at once) hold."""
    import csv

    target, folder = tmp_path / "out.sqlite", tmp_path / "csv"
    result = run_cli("export", "sqlite", str(target), "--root", str(national), "--no-cache")
    run_cli("export", "csv", str(folder), "--root", str(national), "--no-cache")
    with sqlite3.connect(target) as db:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counted = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert counted["events"] > 0 and counted["sources"] > 0
    said = ", ".join(f"{counted[t]:,} {t}" for t in tables)
    assert said in " ".join(result.stderr.split())
    for table, number in counted.items():
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _row in csv.reader(handle)) - 1 == number, table
