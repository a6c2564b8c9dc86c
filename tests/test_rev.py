"""`--rev`: list, show and export read the registry as it was at a git revision (branch, tag,
sha, HEAD~1), combined with `--at`, in real repositories made here with several commits."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.helpers import make_registry, run_cli


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True)
    return completed.stdout.strip()


def partner(pid: str) -> str:
    return f"kind: partner\nid: {pid}\nname: Stadt {pid}\ntype: stadt\nstate: DE-NI\n"


def agreement(*events: str) -> str:
    return "kind: agreement\nid: pact\ntitle: Pact\nstatus: signed\nevents:\n" + "".join(events)


SIGNED = "  - {date: '2020-01-10', type: signed, partners: [p1, p2]}\n"
ACCESSION = "  - {date: '2021-04-23', type: accession, partners: [p3]}\n"
WITHDRAWAL = "  - {date: '2022-06-30', type: withdrawal, partners: [p2]}\n"


@pytest.fixture
def repo(tmp_path: Path) -> dict[str, str]:
    """Three commits on main (v1 tagged at the first), a branch at the second, and an
    uncommitted partner in the working tree. Returns the root and the shas."""
    root = make_registry(
        tmp_path / "repo",
        {
            "registry/partners/p1.yaml": partner("p1"),
            "registry/partners/p2.yaml": partner("p2"),
            "registry/agreements/pact.yaml": agreement(SIGNED),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "p1 and p2 sign the pact")
    git(root, "tag", "v1")
    first = git(root, "rev-parse", "HEAD")
    (root / "registry/partners/p3.yaml").write_text(partner("p3"))
    (root / "registry/agreements/pact.yaml").write_text(agreement(SIGNED, ACCESSION))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "p3 accedes")
    git(root, "branch", "accession")
    (root / "registry/agreements/pact.yaml").write_text(agreement(SIGNED, ACCESSION, WITHDRAWAL))
    git(root, "commit", "-q", "-am", "p2 withdraws")
    (root / "registry/partners/p4.yaml").write_text(partner("p4"))  # not committed
    return {"root": str(root), "first": first}


def ids(repo: dict[str, str], *args: str) -> list[str]:
    result = run_cli("list", *args, "--format", "ids", "--root", repo["root"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def members(repo: dict[str, str], *args: str) -> list[str]:
    result = run_cli(
        "list", "agreements", "-q", "[0].members", "--format", "json", "--root", repo["root"], *args
    )
    assert result.exit_code == 0, result.output
    found: list[str] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize(
    ("rev", "partners"),
    [
        (None, ["p1", "p2", "p3", "p4"]),
        ("HEAD", ["p1", "p2", "p3"]),
        ("main", ["p1", "p2", "p3"]),
        ("HEAD~1", ["p1", "p2", "p3"]),
        ("accession", ["p1", "p2", "p3"]),
        ("HEAD~2", ["p1", "p2"]),
        ("v1", ["p1", "p2"]),
        ("first", ["p1", "p2"]),
    ],
)
def test_list_partners_at_a_revision(
    repo: dict[str, str], rev: str | None, partners: list[str]
) -> None:
    args = () if rev is None else ("--rev", repo.get(rev, rev))
    assert ids(repo, "partners", *args) == partners


def test_rev_and_at_combine(repo: dict[str, str]) -> None:
    assert members(repo, "--rev", "HEAD") == ["p1", "p3"]
    assert members(repo, "--rev", "HEAD", "--at", "2022-01-01") == ["p1", "p2", "p3"]
    assert members(repo, "--rev", "accession") == ["p1", "p2", "p3"]
    assert members(repo, "--rev", "accession", "--at", "2021-01-01") == ["p1", "p2"]
    assert members(repo, "--rev", "v1", "--at", "2023") == ["p1", "p2"]


def test_show_at_a_revision(repo: dict[str, str]) -> None:
    def show(*args: str) -> dict[str, object]:
        result = run_cli("show", *args, "--format", "json", "--root", repo["root"])
        assert result.exit_code == 0, result.output
        document: dict[str, object] = json.loads(result.stdout)
        return document

    relations = show("p2", "--rev", "HEAD")["relations"]
    assert isinstance(relations, dict)
    assert relations["agreements"][0]["until"] == "2022-06-30"
    assert relations["agreements"][0]["current"] is False
    earlier = show("p2", "--rev", "HEAD~1")["relations"]
    assert isinstance(earlier, dict)
    assert earlier["agreements"][0]["current"] is True
    missing = run_cli("show", "p3", "--rev", "v1", "--root", repo["root"])
    assert missing.exit_code == 1
    assert "has the id 'p3'" in missing.stderr


def test_export_at_a_revision_records_it(repo: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "old.sqlite"
    result = run_cli("export", "sqlite", str(target), "--rev", "v1", "--root", repo["root"])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(target)
    assert dict(db.execute("SELECT key, value FROM meta"))["revision"] == "v1"
    assert [r[0] for r in db.execute("SELECT id FROM partners ORDER BY id")] == ["p1", "p2"]
    assert db.execute("SELECT count(*) FROM memberships").fetchone() == (2,)


@pytest.mark.parametrize(
    "command", [["list", "partners"], ["show", "p1"], ["export", "csv", "out"]]
)
def test_a_revision_that_does_not_exist_is_exit_2_and_named(
    repo: dict[str, str], command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(*command, "--rev", "no-such-branch", "--root", repo["root"])
    assert result.exit_code == 2, result.output
    assert "no-such-branch" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_rev_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "plain", {"registry/partners/p1.yaml": partner("p1")})
    result = run_cli("list", "partners", "--rev", "HEAD", "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
