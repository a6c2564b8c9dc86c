"""Input that used to crash a command (exit 3): values of the wrong shape, numbers SQLite
cannot hold, YAML the parsers choke on, bad queries and ids that git would read as paths or
patterns. Each must give a located problem or a usage error, never a traceback, and the run
goes on with the other files. Also: at most so many problems per file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, edit, init_repo, real_registry_repo
from tests.helpers import REPO, make_registry, run_cli

AGREEMENT = "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"
SOLUTION = "registry/solutions/bayernid-plugin.yaml"
PARTNER = "registry/partners/akdb.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "reg", with_real_registry=True)


def _wrong_shapes(root: Path) -> None:
    edit(root / AGREEMENT, "status: signed", "status: [signed]")
    edit(root / AGREEMENT, "    type: signed", "    type: [signed]")
    edit(root / SOLUTION, "    status: production", "    status: [production]")


READ_COMMANDS = [
    ("list", "agreements"),
    ("list", "solutions", "--format", "json"),
    ("show", "braunschweig-salzgitter-wolfsburg"),
    ("show", "bayernid-plugin"),
    ("report", "--format", "json"),
    ("report", "--format", "markdown"),
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_skip_values_of_the_wrong_shape_with_a_note(
    root: Path, args: tuple[str, ...]
) -> None:
    _wrong_shapes(root)
    # in English: a report speaks German unless asked otherwise
    result = run_cli("--lang", "en", *args, "--root", str(root))
    assert result.exit_code == 0, result.output
    assert f"{SOLUTION}:15:5: [S004] users[0].status: expected text" in result.stderr
    assert f"{AGREEMENT}:33:5: [S004] events[0].type: expected text" in result.stderr
    assert "value skipped" in result.stderr


def test_exports_skip_values_of_the_wrong_shape(root: Path, tmp_path: Path) -> None:
    _wrong_shapes(root)
    database = tmp_path / "out.sqlite"
    result = run_cli("export", "sqlite", str(database), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "value skipped" in result.stderr
    with sqlite3.connect(database) as connection:
        (status,) = connection.execute(
            "SELECT status FROM agreements WHERE id = 'braunschweig-salzgitter-wolfsburg'"
        ).fetchone()
    assert status is None  # left out, not written as '["signed"]'
    csv = run_cli("export", "csv", str(tmp_path / "csv"), "--root", str(root))
    assert csv.exit_code == 0, csv.output


def test_validate_reports_wrong_shapes_as_schema_problems_only(root: Path) -> None:
    _wrong_shapes(root)
    result = run_cli("validate", "--root", str(root), "--format", "json")
    assert result.exit_code == 1, result.output
    found = {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)["problems"]}
    # no E003 'no signed event' or E004: the events were not missing, they had a wrong shape
    assert found == {(AGREEMENT, 13, "S005"), (AGREEMENT, 33, "S005"), (SOLUTION, 15, "S005")}


def test_check_and_add_event_survive_wrong_shapes(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    base = commit_all(repo, "Import the registry")
    _wrong_shapes(repo)
    commit_all(repo, "Wrong shapes")
    gate = run_cli("check", "--base", base, "--root", str(repo))
    assert gate.exit_code == 1, gate.output
    assert "[S005]" in gate.stdout
    added = run_cli(
        "add",
        "event",
        "braunschweig-salzgitter-wolfsburg",
        "--set",
        "date=2022",
        "--set",
        "type=meeting",
        "--no-interactive",
        "--root",
        str(repo),
    )
    assert added.exit_code in {0, 1}, added.output
    assert "internal error" not in added.output


def test_export_sqlite_keeps_a_number_beyond_64_bits_as_text(root: Path, tmp_path: Path) -> None:
    edit(root / PARTNER, "kind: partner\n", "kind: partner\nnotes: 99999999999999999999999\n")
    edit(root / PARTNER, "\nnotes: >-", "\nold_notes: >-")
    from coopctl.export import sql_value

    assert sql_value(2**63) == str(2**63)
    assert sql_value(2**63 - 1) == 2**63 - 1
    assert sql_value(-(2**63)) == -(2**63)
    database = tmp_path / "out.sqlite"
    result = run_cli("export", "sqlite", str(database), "--root", str(root))
    assert result.exit_code == 0, result.output


# --- YAML the parsers choke on -------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.3", "1.0", "1.10"])
def test_an_unknown_yaml_minor_version_is_read_as_1_2_with_a_warning(
    root: Path, version: str
) -> None:
    text = (root / PARTNER).read_text(encoding="utf-8")
    (root / PARTNER).write_text(f"%YAML {version}\n---\n{text}", encoding="utf-8")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert f"{PARTNER}:1:1: warning[Y013] YAML version {version} is not known" in result.stdout
    listed = run_cli("list", "partners", "--format", "ids", "--root", str(root))
    assert "akdb" in listed.stdout.split()
    fmt = run_cli("fmt", "--check", "--root", str(root))
    assert fmt.exit_code in {0, 1} and "internal error" not in fmt.output


def test_yaml_2_is_refused_with_a_located_problem(root: Path) -> None:
    text = (root / PARTNER).read_text(encoding="utf-8")
    (root / PARTNER).write_text(f"%YAML 2.0\n---\n{text}", encoding="utf-8")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 1
    assert f"{PARTNER}:1:1: error[Y001]" in result.stdout


P94K = "name:    # Comment\n        # lines\n  Anstalt für Kommunale Datenverarbeitung\n\n\n"


def test_a_comment_between_key_and_value_is_located_and_reported_by_fmt(root: Path) -> None:
    """yaml-test-suite P94K: ruamel's round-trip parser raises NotImplementedError."""
    text = (root / PARTNER).read_text(encoding="utf-8")
    start = text.index("name: ")
    end = text.index("\n", start) + 1
    broken = text[:start] + P94K + "bogus: 1\n" + text[end:]
    (root / PARTNER).write_text(broken, encoding="utf-8")
    line = broken[: broken.index("bogus")].count("\n") + 1
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 1, result.output
    assert f"{PARTNER}:{line}:1: error[S003] bogus: unknown field" in result.stdout
    for args in (("fmt", "--check"), ("fmt",)):
        fmt = run_cli(*args, "--root", str(root))
        assert fmt.exit_code == 1, fmt.output
        assert f"{PARTNER}:1:1: error[Y014] the YAML parser cannot rewrite this file" in (
            fmt.stdout + fmt.stderr
        )
        assert "CommentToken" not in fmt.output
    assert (root / PARTNER).read_text(encoding="utf-8") == broken


def test_infinite_and_nan_values_never_reach_json(root: Path) -> None:
    edit(root / PARTNER, "short_name: AKDB", "short_name: .inf")
    result = run_cli("validate", "--root", str(root), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["line"], p["column"], p["code"]) for p in problems if p["path"] == PARTNER] == [
        (5, 13, "Y015")
    ]
    for args in (
        ("report", "--lang", "en", "--format", "json"),
        ("list", "partners", "--format", "json"),
    ):
        read = run_cli(*args, "--root", str(root))
        assert read.exit_code == 0, read.output
        assert "Infinity" not in read.stdout and "NaN" not in read.stdout
        assert f"{PARTNER}:5:13: [Y015]" in read.stderr and "left out" in read.stderr


def test_a_top_level_set_is_described_the_same_on_every_run(root: Path) -> None:
    (root / "registry/partners/set.yaml").write_text(
        "--- !!set\n? stadt\n? kreis\n? land\n? bund\n", encoding="utf-8"
    )
    lines = set()
    for seed in ("1", "2", "3", "4"):
        completed = subprocess.run(
            [sys.executable, "-m", "coopctl", "validate", "--root", str(root)],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
        )
        lines.update(line for line in completed.stdout.splitlines() if "[Y005]" in line)
    assert lines == {
        "registry/partners/set.yaml:1:1: error[Y005] the top level is a set of 4 values "
        "({bund, kreis, land, stadt}), not a mapping of fields"
    }


def test_messages_quote_text_without_python_reprs(root: Path) -> None:
    edit(root / PARTNER, "type: kommunaler_it_dienstleister", 'type: "it\'s\\nnew"')
    result = run_cli("validate", "--root", str(root))
    assert "type: 'it's\\nnew' is not allowed" in result.stdout, result.stdout


# --- queries and ids ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("[::0]", "slice step cannot be zero"),
        ("[" * 3000 + "]" * 3000, "nests too deeply"),
    ],
)
def test_a_bad_query_is_a_usage_error(root: Path, query: str, message: str) -> None:
    result = run_cli("list", "partners", "--query", query, "--root", str(root))
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_where_regexes_run_in_linear_time(root: Path) -> None:
    edit(root / PARTNER, "short_name: AKDB", f"short_name: {'q' * 50_000}b")
    result = run_cli(
        "list", "partners", "--where", "short_name~(q+)+$", "--format", "ids", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == []  # the text ends in b: no match, and no backtracking
    matching = run_cli(
        "list", "partners", "--where", "short_name~^(q+)+b$", "--format", "ids", "--root", str(root)
    )
    assert matching.stdout.split() == ["akdb"]


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?=a)b", "(?<!x)a"])
def test_where_patterns_re2_cannot_run_are_usage_errors(root: Path, pattern: str) -> None:
    result = run_cli("list", "partners", "--where", f"name~{pattern}", "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "not a regular expression: " in result.stderr
    assert "RE2 syntax" in result.stderr


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        *((ref, "is not an id") for ref in ("../../../../etc/passwd", "partner:../x", "a/b", "..")),
        *((ref, f"no entity '{ref}'") for ref in ("partner:*", "*", "a*", ":(glob)*", "[a]kdb")),
    ],
)
def test_history_ids_are_neither_paths_nor_pathspec_patterns(
    tmp_path: Path, reference: str, message: str
) -> None:
    repo, _ = real_registry_repo(tmp_path)
    result = run_cli("history", reference, "--root", str(repo))
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_history_finds_a_file_whose_name_looks_like_a_pattern(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    (repo / "registry/partners/[a]kdb.yaml").write_text(
        "kind: partner\nid: x\nname: X\ntype: other\n", encoding="utf-8"
    )
    commit_all(repo, "Import the registry")
    result = run_cli("history", "[a]kdb", "--root", str(repo))
    assert result.exit_code == 0, result.output
    assert "registry/partners/[a]kdb.yaml" in result.stdout
    assert "registry/partners/akdb.yaml" not in result.stdout


# --- problems per file ------------------------------------------------------------------------


def _many_bad_sources(root: Path, count: int) -> str:
    lines = ["kind: partner", "id: viele", "name: Viele", "type: other", "sources:"]
    lines.extend(f"  - url: nope-{index}" for index in range(count))
    path = "registry/partners/viele.yaml"
    (root / path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_at_most_max_problems_per_file_then_one_summary(root: Path) -> None:
    path = _many_bad_sources(root, 250)
    result = run_cli("validate", "--root", str(root), "--format", "json")
    assert result.exit_code == 1
    mine = [p for p in json.loads(result.stdout)["problems"] if p["path"] == path]
    assert len(mine) == 101
    assert mine[0]["code"] == "L001" and mine[0]["severity"] == "error"
    assert mine[0]["message"] == "and 150 more problems in this file"
    shown = sorted(p["line"] for p in mine[1:])
    assert shown == list(range(6, 106))  # the first hundred, in file order, each located

    five = run_cli("validate", "--root", str(root), "--max-problems-per-file", "5")
    lines = [line for line in five.stdout.splitlines() if line.startswith(path)]
    assert len(lines) == 6
    assert f"{path}:1:1: error[L001] and 245 more problems in this file" in lines

    chosen = run_cli("validate", "--root", str(root), "--select", "S006", "--ignore", "Q")
    assert f"{path}:1:1: error[L001] and 150 more problems in this file" in chosen.stdout
    assert (
        sum(f"{path}:" in line and "[S006]" in line for line in chosen.stdout.splitlines()) == 100
    )

    every = run_cli("validate", "--root", str(root), "--max-problems-per-file", "0")
    assert sum(line.startswith(path) for line in every.stdout.splitlines()) == 250
    assert "[L001]" not in every.stdout


def test_check_limits_problems_per_file_too(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    base = commit_all(repo, "Import the registry")
    path = _many_bad_sources(repo, 30)
    commit_all(repo, "Many bad sources")
    result = run_cli("check", "--base", base, "--max-problems-per-file", "10", "--root", str(repo))
    assert result.exit_code == 1, result.output
    assert sum(line.startswith(f"{path}:") for line in result.stdout.splitlines()) == 11
    assert f"{path}:1:1: error[L001] and 20 more problems in this file" in result.stdout
