"""docs/queries.md cannot drift: every command in it is run here and its output compared with
the page, and every SQL statement is run against a fresh export of the bundled registry."""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import REPO, run_cli

PAGE = (REPO / "docs" / "queries.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) for each `$ coopctl ...` line of the console blocks."""
    examples = []
    for block in re.findall(r"^```console\n(.*?)^```$", PAGE, re.MULTILINE | re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


def sql_examples() -> list[tuple[str, str]]:
    pattern = r"^```sql\n(.*?)^```\n\n```text\n(.*?)^```$"
    return re.findall(pattern, PAGE, re.MULTILINE | re.DOTALL)


def test_the_page_has_every_question_in_both_forms() -> None:
    assert len(console_examples()) >= 10
    assert len(sql_examples()) == 5
    questions = re.findall(r"^### (.+)$", PAGE, re.MULTILINE)
    for question in (
        "Which Länder have documented cooperations?",
        "Who were the members of the Braunschweig and M-A-N agreements on 2020-12-31 and on "
        "2021-12-31?",
        "Which partners are in more than one cooperation?",
        "Which cooperations share solutions?",
        "Which cooperations have had no event for two years?",
    ):
        assert questions.count(question) == 2, question


@pytest.mark.parametrize(("command", "expected"), console_examples(), ids=lambda v: v[:70])
def test_command_prints_what_the_page_says(
    command: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    program, *args = shlex.split(command)
    assert program == "coopctl"
    result = run_cli(*args, env={"COOPCTL_ROOT": str(REPO)})
    assert result.exit_code == 0, result.output
    assert result.output == expected


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    target = tmp_path_factory.mktemp("export") / "registry.sqlite"
    result = run_cli(
        "export", "sqlite", str(target), "--timestamp", "2025-01-01T00:00:00Z", "--root", str(REPO)
    )
    assert result.exit_code == 0, result.output
    return sqlite3.connect(target)


@pytest.mark.parametrize(("statement", "expected"), sql_examples(), ids=lambda v: v[:50])
def test_sql_prints_what_the_page_says(
    statement: str, expected: str, database: sqlite3.Connection
) -> None:
    rows = database.execute(statement).fetchall()
    printed = "".join(
        "|".join("" if cell is None else str(cell) for cell in row) + "\n" for row in rows
    )
    assert printed == expected


def test_sql_and_the_cli_agree_on_the_members(database: sqlite3.Connection) -> None:
    """The two routes to one answer, compared directly for every agreement and a range of
    days around the events of the bundled registry."""
    statement = (
        "SELECT partner_id FROM memberships WHERE agreement_id = ? AND role = 'party' "
        "AND joined_by <= ? AND (left_by IS NULL OR left_by > ?) ORDER BY partner_id"
    )
    for day in ("2019-07-15", "2019-07-16", "2020-09-29", "2020-09-30", "2021-04-22", "2021-04-23"):
        result = run_cli("list", "agreements", "--at", day, "--format", "json", "--root", str(REPO))
        for row in json.loads(result.stdout):
            from_sql = [r[0] for r in database.execute(statement, (row["id"], day, day))]
            assert from_sql == row["members"], (day, row["id"])
