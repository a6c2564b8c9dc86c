"""Blob shas from git's index (coopctl.gitindex): every path it names holds exactly the bytes
of that blob, in the repository states editors and CI machines leave behind; anything git
could convert between blob and working tree, or stopped comparing, is left out."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from coopctl.gitindex import unchanged_blobs
from coopctl.gitstore import blob_sha
from tests.gitrepo import commit_all, git, init_repo, real_registry_repo

PARTNER = "registry/partners/braunschweig.yaml"
OTHER = "registry/partners/salzgitter.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def true_blobs(root: Path, paths: object) -> dict[str, str]:
    return {str(p): blob_sha((root / str(p)).read_bytes()) for p in paths}  # type: ignore[attr-defined]


def assert_exact(root: Path, found: dict[str, str]) -> None:
    """The contract: each path named holds the named blob's bytes in the working tree."""
    assert found == true_blobs(root, found)
    assert all(path.startswith("registry/") for path in found)


def assert_left_out(root: Path, path: str) -> None:
    """`path` is not taken from the index, another file is, and all that are are exact."""
    found = unchanged_blobs(root)
    assert path not in found
    assert OTHER in found
    assert_exact(root, found)


def git_state(repo: Path) -> dict[str, str]:
    """What a read command must leave alone: every file of .git, by content and time."""
    state = {}
    for path in sorted((repo / ".git").rglob("*")):
        if path.is_file():
            info = path.stat()
            state[str(path)] = f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{info.st_mtime_ns}"
    return state


def test_the_index_names_the_unchanged_files_and_no_others(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    tracked = set(git(repo, "ls-files", "registry").split())
    (root / PARTNER).write_text((root / PARTNER).read_text() + "# edited\n")
    (root / "registry/partners/neu.yaml").write_text("kind: partner\n")  # untracked
    git(repo, "rm", "-q", OTHER)  # deleted and staged
    git(repo, "mv", "registry/partners/muenchen.yaml", "registry/partners/muenchen-stadt.yaml")
    staged = "registry/partners/nuernberg.yaml"
    (root / staged).write_text((root / staged).read_text() + "# staged\n")
    git(repo, "add", staged)
    staged_then_edited = "registry/partners/wolfsburg.yaml"
    (root / staged_then_edited).write_text((root / staged_then_edited).read_text() + "# a\n")
    git(repo, "add", staged_then_edited)
    (root / staged_then_edited).write_text((root / staged_then_edited).read_text() + "# b\n")
    before = git_state(repo)

    found = unchanged_blobs(root)

    assert git_state(repo) == before
    assert_exact(root, found)
    left_out = {PARTNER, OTHER, "registry/partners/muenchen.yaml", staged_then_edited}
    left_out.add("registry/partners/neu.yaml")
    assert set(found) == (tracked - left_out) | {"registry/partners/muenchen-stadt.yaml"}
    assert found[staged] == blob_sha((root / staged).read_bytes())  # the staged blob


def test_a_racily_clean_file_is_compared_by_content(tmp_path: Path) -> None:
    # A file time not older than the index's: git cannot tell an edit from its stat data
    # and compares the content (or marks the entry changed when it writes the index).
    repo, root = real_registry_repo(tmp_path)
    path = root / PARTNER
    ahead = time.time_ns() + 3600 * 10**9  # ahead of the index git writes now
    os.utime(path, ns=(ahead, ahead))
    git(repo, "add", PARTNER)
    path.write_bytes(path.read_bytes().replace(b"Braunschweig", b"Braunschwelg", 1))  # same size
    os.utime(path, ns=(ahead, ahead))
    assert_left_out(root, PARTNER)


@pytest.mark.parametrize(
    ("attributes", "config"),
    [
        ("*.yaml text eol=crlf\n", {}),
        ("*.yaml text\n", {"core.eol": "crlf"}),
        ("*.yaml crlf\n", {"core.eol": "crlf"}),
        ("", {"core.autocrlf": "true"}),
        ("*.yaml text=auto eol=crlf\n", {}),
    ],
)
def test_files_with_converted_line_ends_are_not_taken(
    tmp_path: Path, attributes: str, config: dict[str, str]
) -> None:
    repo, root = real_registry_repo(tmp_path)
    for key, value in config.items():
        git(repo, "config", key, value)
    if attributes:
        (repo / ".gitattributes").write_text(attributes)
        commit_all(repo, "Attributes")
    (root / PARTNER).unlink()
    git(repo, "checkout", "--", PARTNER)  # written anew, with CRLF
    assert b"\r\n" in (root / PARTNER).read_bytes()
    assert git(repo, "status", "--porcelain", "--", "registry") == ""
    found = unchanged_blobs(root)
    assert PARTNER not in found
    assert_exact(root, found)


def test_a_working_tree_encoding_is_not_taken(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    (repo / ".gitattributes").write_text(f"/{PARTNER} working-tree-encoding=UTF-16\n")
    commit_all(repo, "Encoding")
    (root / PARTNER).unlink()
    git(repo, "checkout", "--", PARTNER)
    assert (root / PARTNER).read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert_left_out(root, PARTNER)


def test_ident_and_filters_are_not_taken(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "config", "filter.same-size.smudge", "tr a b")
    git(repo, "config", "filter.same-size.clean", "cat")
    (repo / ".gitattributes").write_text(
        f"/{PARTNER} filter=same-size\n/{OTHER} ident\nregistry/agreements/* binary\n"
    )
    (root / OTHER).write_text((root / OTHER).read_text() + "# $Id$\n")
    commit_all(repo, "Filters")
    for path in (PARTNER, OTHER):
        (root / path).unlink()
        git(repo, "checkout", "--", path)
    assert b"$Id: " in (root / OTHER).read_bytes()
    found = unchanged_blobs(root)
    assert PARTNER not in found
    assert OTHER not in found
    # `binary` (-text -diff -merge) converts nothing: those files are still taken.
    assert any(path.startswith("registry/agreements/") for path in found)
    assert_exact(root, found)


def test_files_git_stopped_comparing_are_not_taken(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "update-index", "--assume-unchanged", PARTNER)
    (root / PARTNER).write_text((root / PARTNER).read_text() + "# hidden from git\n")
    git(repo, "update-index", "--skip-worktree", OTHER)
    (root / OTHER).write_text((root / OTHER).read_text() + "# hidden too\n")
    intent = "registry/partners/neu.yaml"
    (root / intent).write_text("kind: partner\n")
    git(repo, "add", "-N", intent)
    found = unchanged_blobs(root)
    assert not {PARTNER, OTHER, intent} & set(found)
    assert_exact(root, found)


def test_a_conflicted_path_is_not_taken(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "side")
    (root / PARTNER).write_text((root / PARTNER).read_text() + "# side\n")
    commit_all(repo, "Side")
    git(repo, "checkout", "-q", "main")
    (root / PARTNER).write_text((root / PARTNER).read_text() + "# main\n")
    commit_all(repo, "Main")
    subprocess.run(["git", "merge", "-q", "side"], cwd=repo, capture_output=True, check=False)
    assert "U" in git(repo, "status", "--porcelain", "--", PARTNER)
    assert_left_out(root, PARTNER)


def test_links_and_submodules_are_never_taken(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    link = "registry/partners/verweis.yaml"
    (root / link).symlink_to("braunschweig.yaml")
    inner = init_repo(tmp_path / "inner")
    (inner / "a.yaml").write_text("kind: partner\n")
    commit_all(inner, "Inner")
    git(
        repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "-q",
        "add",
        str(inner),
        "registry/sub",
    )
    commit_all(repo, "Link and submodule")
    found = unchanged_blobs(root)
    assert link not in found
    assert not any(path.startswith("registry/sub") for path in found)
    assert PARTNER in found
    assert_exact(root, found)


def test_a_registry_below_the_top_of_the_repository(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path, sub="daten/register")
    (root / PARTNER).write_text((root / PARTNER).read_text() + "# edited\n")
    found = unchanged_blobs(root)
    assert OTHER in found
    assert PARTNER not in found
    assert_exact(root, found)
    # From a folder between the two, the registry is not the one the paths are relative to.
    assert unchanged_blobs(repo / "daten") == {}


def test_names_with_spaces_newlines_and_other_bytes(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    names = ["a b.yaml", "zeile\nneu.yaml", "tab\there.yaml", '"quoted".yaml', "ümlaut.yaml"]
    for name in names:
        (root / "registry/partners" / name).write_text("kind: partner\n")
    odd = os.fsdecode(b"registry/partners/\xff\xfe.yaml")
    (root / odd).write_bytes(b"kind: partner\n")
    commit_all(repo, "Odd names")
    found = unchanged_blobs(root)
    for name in names:
        assert f"registry/partners/{name}" in found
    assert odd in found
    assert_exact(root, found)


def test_a_repository_without_commits(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "registry/partners").mkdir(parents=True)
    (repo / PARTNER).write_text("kind: partner\nid: braunschweig\n")
    (repo / OTHER).write_text("kind: partner\nid: hannover\n")
    assert unchanged_blobs(repo) == {}
    git(repo, "add", PARTNER)
    assert unchanged_blobs(repo) == true_blobs(repo, [PARTNER])


@pytest.mark.parametrize("variable", ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"])
def test_git_variables_do_not_point_it_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    _, root = real_registry_repo(tmp_path / "one")
    expected = unchanged_blobs(root)
    other, other_root = real_registry_repo(tmp_path / "two")
    (other_root / PARTNER).write_text((other_root / PARTNER).read_text() + "# other\n")
    commit_all(other, "Other")
    target = {
        "GIT_DIR": other / ".git",
        "GIT_WORK_TREE": other,
        "GIT_INDEX_FILE": other / ".git" / "index",
    }[variable]
    monkeypatch.setenv(variable, str(target))
    assert unchanged_blobs(root) == expected
    assert PARTNER in expected


def test_outside_git_or_with_a_broken_repository_nothing_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain"
    (plain / "registry/partners").mkdir(parents=True)
    (plain / PARTNER).write_text("kind: partner\n")
    assert unchanged_blobs(plain) == {}
    repo, root = real_registry_repo(tmp_path / "damaged")
    (repo / ".git" / "index").write_bytes(b"DIRC this is not an index")
    assert unchanged_blobs(root) == {}
    pointer, pointer_root = real_registry_repo(tmp_path / "pointer")
    shutil.rmtree(pointer / ".git")
    (pointer / ".git").write_text("gitdir: /nonexistent/somewhere\n")
    assert unchanged_blobs(pointer_root) == {}
    _, intact_root = real_registry_repo(tmp_path / "intact")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert unchanged_blobs(intact_root) == {}
