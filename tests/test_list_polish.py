"""`coopctl list` edge cases through the real CLI: an empty answer says so (on stderr, so a
pipeline sees no rows), --count-by counts the items a path reaches, and `export --help` names
only options that exist."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import REPO, coopctl_process, make_registry, run_cli
from tests.test_query import SOLUTIONS

NOTHING = ("partners", "--where", "state=DE-XX")


@pytest.mark.parametrize(
    ("args", "lang", "message"),
    [
        ((*NOTHING,), "en", "No entries match.\n"),
        ((*NOTHING,), "de", "Keine passenden Einträge.\n"),
        ((*NOTHING, "--format", "ids"), "en", "No entries match.\n"),
        ((*NOTHING, "--count-by", "type"), "en", "No entries match.\n"),
        (("agreements", "--query", "[?status=='none']"), "de", "Keine passenden Einträge.\n"),
    ],
)
def test_an_empty_answer_is_said_on_stderr_and_prints_no_rows(
    args: tuple[str, ...], lang: str, message: str
) -> None:
    result = run_cli("--lang", lang, "list", *args, "--root", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == message


@pytest.mark.parametrize(
    ("args", "stdout"),
    [
        (("--format", "json"), "[]\n"),
        (("--format", "yaml"), "[]\n"),
        (("--format", "csv"), "id,name,type,state,ars,agreements\n"),
        (("--format", "csv", "--columns", "id,name"), "id,name\n"),
        (("--format", "csv", "--count-by", "state"), "state,count\n"),
    ],
)
def test_machine_formats_give_an_empty_answer_in_their_own_shape(
    args: tuple[str, ...], stdout: str
) -> None:
    result = run_cli("list", *NOTHING, *args, "--root", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("\r\n", "\n") == stdout  # the runner's stdout: \n only
    assert result.stderr == ""


def test_an_empty_registry_lists_no_entries(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg")
    result = run_cli("list", "solutions", "--root", str(root))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "No entries match.\n")


def test_count_by_through_a_list_of_objects_counts_each_item() -> None:
    statuses = [u.get("status") for s in SOLUTIONS.values() for u in s.get("users", [])]
    expected = Counter(statuses)
    assert sum(expected.values()) > len(SOLUTIONS)  # more uses than solutions: a real check
    result = run_cli(
        "list", "solutions", "--count-by", "users.status", "--format", "json", "--root", str(REPO)
    )
    assert result.exit_code == 0, result.output
    counted = {row["users.status"]: row["count"] for row in json.loads(result.stdout)}
    assert counted == dict(expected)


def test_count_by_counts_items_without_the_field_and_rows_without_items_under_null(
    tmp_path: Path,
) -> None:
    def solution(name: str, users: str) -> str:
        return f"kind: solution\nid: {name}\nname: {name}\ncategory: plattform\n{users}"

    files = {
        "registry/solutions/a.yaml": solution(
            "a",
            "users:\n  - {partner: x, status: pilot}\n  - {partner: y, status: pilot}\n"
            "  - {partner: z}\n",
        ),
        "registry/solutions/b.yaml": solution("b", "users: []\n"),
        "registry/solutions/c.yaml": solution("c", ""),
    }
    root = make_registry(tmp_path / "reg", files)
    result = run_cli(
        "list", "solutions", "--count-by", "users.status", "--format", "json", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"users.status": None, "count": 3},  # z's use, and b and c with no use at all
        {"users.status": "pilot", "count": 2},
    ]


def test_export_help_names_no_at_option_and_export_has_none() -> None:
    result = run_cli("export", "--help")
    assert result.exit_code == 0, result.output
    assert "--at" not in result.output
    assert "--rev" in result.output
    refused = run_cli("export", "sqlite", "x.sqlite", "--at", "2021", "--root", str(REPO))
    assert refused.exit_code == 2
    assert "No such option: --at" in refused.stderr
    for command in ("list", "show", "report"):
        helped = run_cli(command, "--help")
        assert "Combines with --rev." in " ".join(helped.output.split()), command


def test_german_export_help_names_no_at_option() -> None:
    result = coopctl_process(REPO, "export", "--help", COOPCTL_LANG="de")
    assert result.returncode == 0, result.stderr
    assert "--at" not in result.stdout
    assert "xlsx" in result.stdout
