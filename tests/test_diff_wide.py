"""`coopctl diff` over a wide change (benchmarks/diff_repo.py on a generated registry): the same
answer from git objects as from the checked-out files, a fixed number of git processes however
many files changed, and the shortcuts of the comparison kept exact where values are equal
but of another type."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, coopctl_git_calls, diff_json, git, real_registry_repo
from tests.helpers import REPO, run_cli

MAN = "registry/agreements/muenchen-augsburg-nuernberg.yaml"


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated registry of 465 files, then 1,000 commits that touch 400 of them."""
    base = tmp_path_factory.mktemp("wide")
    source, repo = base / "registry", base / "repo"
    size = ["--partners", "300", "--agreements", "60", "--solutions", "100"]
    ranged = [source, repo, "--files", "400"]
    for script, args in (("generate.py", [str(source), *size]), ("diff_repo.py", ranged)):
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / script), *map(str, args)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return repo


def test_a_wide_diff_from_git_objects_is_the_diff_of_the_files(wide: Path) -> None:
    stat_line = git(wide, "diff", "--stat", "HEAD~1000", "HEAD").splitlines()[-1]
    assert stat_line.startswith(" 400 files changed")
    from_objects = diff_json(wide, "HEAD~1000", "HEAD")
    assert from_objects["summary"] == {
        "added": 0,
        "removed": 0,
        "renamed": 0,
        "modified": 400,
        "files_changed": 400,
    }
    from_files = diff_json(wide, "HEAD~1000")  # HEAD is checked out: the working tree
    assert from_files["head"] == "working tree"
    assert {**from_files, "head": "HEAD"} == from_objects
    text = run_cli("diff", "HEAD~1000", "HEAD", "--root", str(wide))
    changed = from_objects["changes"]
    lines = text.stdout.splitlines()
    assert len(lines) == len(changed) + sum(len(c["fields"]) for c in changed) + 1


def test_a_wide_diff_starts_four_git_processes(wide: Path, tmp_path: Path) -> None:
    calls = coopctl_git_calls(tmp_path, "diff", "HEAD~1000", "HEAD", "--root", str(wide))
    # the work tree with the first revision, the second revision, the changed files, and the
    # blobs' reader (started at once, it waits for the names: it may log itself later)
    assert calls[0].endswith("--verify --quiet HEAD~1000^{commit}")
    named = [call.split()[:2] for call in calls]
    assert named.count(["cat-file", "--batch"]) == 1
    assert [call for call in named if call != ["cat-file", "--batch"]] == [
        ["rev-parse", "--is-bare-repository"],
        ["--literal-pathspecs", "rev-parse"],
        ["--literal-pathspecs", "diff"],
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # equal by ==, not in type: each is a change, also deep inside an item
        ("x: [1, 2]", "x: [true, 2]", [("added", "/x/0"), ("removed", "/x/0")]),
        ("x: {a: [1]}", "x: {a: [1.0]}", [("added", "/x/a/0"), ("removed", "/x/a/0")]),
        ("x: 1", "x: true", [("changed", "/x")]),
        # equal with another key order: no change
        ("x: {a: 1, b: [c, d]}", "x: {b: [d, c], a: 1}", []),
        # plain text values as a collection, as the JSON keys compared them
        ("x: [a, b, b]", "x: [b, a, c]", [("added", "/x/2"), ("removed", "/x/2")]),
        ("x: ['1', b]", "x: [1, b]", [("added", "/x/0"), ("removed", "/x/0")]),
    ],
)
def test_values_equal_in_python_but_not_in_type_stay_changes(
    tmp_path: Path, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    repo, root = real_registry_repo(tmp_path)
    path = root / MAN
    text = path.read_text(encoding="utf-8")
    path.write_text(f"{text}{old}\n", encoding="utf-8")
    commit_all(repo, "old")
    path.write_text(f"{text}{new}\n", encoding="utf-8")
    commit_all(repo, "new")
    document = diff_json(root, "HEAD~1", "HEAD")
    fields = [(f["action"], f["pointer"]) for c in document["changes"] for f in c["fields"]]
    assert fields == expected


@pytest.mark.parametrize(
    ("old_date", "new_date", "paired"),
    [
        ("'2019-11-20'", "'2019-11-20'", True),  # the same text: one item, its note changed
        ("'2019'", "2019", False),  # text and number: another identity, one out, one in
    ],
)
def test_items_are_paired_by_identity_only_when_of_one_type(
    tmp_path: Path, old_date: str, new_date: str, paired: bool
) -> None:
    repo, root = real_registry_repo(tmp_path)
    path = root / MAN
    text = path.read_text(encoding="utf-8")
    event = "  - date: {date}\n    type: meeting\n    note: {note}\n"
    path.write_text(
        text.replace("events:\n", "events:\n" + event.format(date=old_date, note="a"), 1),
        encoding="utf-8",
    )
    commit_all(repo, "old")
    path.write_text(
        text.replace("events:\n", "events:\n" + event.format(date=new_date, note="b"), 1),
        encoding="utf-8",
    )
    commit_all(repo, "new")
    document = diff_json(root, "HEAD~1", "HEAD")
    fields = [(f["action"], f["pointer"]) for c in document["changes"] for f in c["fields"]]
    if paired:
        assert fields == [("changed", "/events/0/note")]
    else:
        assert sorted(action for action, _pointer in fields) == ["added", "removed"]
