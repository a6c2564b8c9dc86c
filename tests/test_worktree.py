"""The working tree listed with git's help (coopctl.worktree) is the walk's listing: the same
files in the same order, the same problems, and every blob git vouches for is the file's; in
every shape git cannot vouch for (links, FIFOs, folders inside kind folders, a linked
registry/, no git), there is no such listing and the walk lists the files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coopctl.gitindex import IndexQuery
from coopctl.gitstore import blob_sha
from coopctl.registry import kind_of_path, list_working_tree
from coopctl.worktree import listed_with_git
from tests.gitrepo import commit_all, git, real_registry_repo
from tests.helpers import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PARTNERS = "registry/partners"


def walked(root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    listed, problems = list_working_tree(root)
    files = [(path, kind) for _entry, path in listed if (kind := kind_of_path(path)) is not None]
    return files, [(p.code, p.path, p.message) for p in problems]


def with_git(root: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]] | None:
    index = IndexQuery(root)
    found = listed_with_git(root, index)
    index.close()  # where the walk would take over, it would wait for git's answer
    if found is None:
        return None
    listed, problems = found
    for path, _kind, blob in listed:
        if blob is not None:
            assert blob == blob_sha((root / path).read_bytes()), path
    return [(path, kind) for path, kind, _blob in listed], [
        (p.code, p.path, p.message) for p in problems
    ]


def edited_repository(tmp_path: Path, sub: str = "") -> Path:
    """A registry in the states an editor leaves: edited, added, deleted, staged, renamed,
    odd names, a file of the wrong extension, a README, hidden files."""
    repo, root = real_registry_repo(tmp_path, sub)
    odd = os.fsdecode(b"registry/partners/\xff\xfe.yaml")
    (root / odd).write_bytes(b"kind: partner\n")
    (root / PARTNERS / "a b\nc.yaml").write_text("kind: partner\n")
    (root / PARTNERS / "notes.txt").write_text("tracked, of the wrong extension\n")
    (root / "registry/README.md").write_text("# Register\n")
    commit_all(repo, "Odd names")
    edited = root / PARTNERS / "braunschweig.yaml"
    edited.write_text(edited.read_text() + "# edited\n")
    (root / PARTNERS / "neu.yaml").write_text("kind: partner\nid: neu\n")  # untracked
    (root / PARTNERS / "draft.yml").write_text("kind: partner\n")  # untracked, refused
    (root / PARTNERS / ".hidden.yaml").write_text("kind: partner\n")
    (root / PARTNERS / "salzgitter.yaml").unlink()  # deleted, not staged
    git(root, "mv", f"{PARTNERS}/wolfsburg.yaml", f"{PARTNERS}/wolfsburg-stadt.yaml")
    return root


@pytest.mark.parametrize("sub", ["", "daten/register"])
def test_git_lists_what_the_walk_lists(sub: str, tmp_path: Path) -> None:
    root = edited_repository(tmp_path, sub)
    expected = walked(root)
    assert with_git(root) == expected
    paths = [path for path, _kind in expected[0]]
    assert f"{PARTNERS}/neu.yaml" in paths
    assert f"{PARTNERS}/salzgitter.yaml" not in paths
    assert os.fsdecode(b"registry/partners/\xff\xfe.yaml") in paths
    assert {code for code, _path, _message in expected[1]} == {"F006"}


def test_check_and_validate_answer_as_from_the_files_alone(tmp_path: Path) -> None:
    root = edited_repository(tmp_path)
    for args in (("validate", "--format", "json"), ("check", "--base", "HEAD", "-f", "json")):
        listed = run_cli(*args, "--root", str(root), env={"COOPCTL_CACHE_DIR": str(tmp_path / "c")})
        alone = run_cli(*args, "--no-cache", "--root", str(root))
        assert listed.exit_code == alone.exit_code == 1, listed.output
        assert listed.stdout == alone.stdout


def _fifo(root: Path) -> None:
    os.mkfifo(root / PARTNERS / "pipe.yaml")


def _link(root: Path) -> None:
    (root / PARTNERS / "link.yaml").symlink_to(root / PARTNERS / "salzgitter.yaml")


def _folder(root: Path) -> None:
    (root / PARTNERS / "sub").mkdir()
    (root / PARTNERS / "sub/x.yaml").write_text("kind: partner\n")


def _linked_kind_folder(root: Path) -> None:
    shutil.move(root / "registry/solutions", root / "solutions-elsewhere")
    (root / "registry/solutions").symlink_to(root / "solutions-elsewhere")


def _tracked_link(root: Path) -> None:
    target = root / PARTNERS / "salzgitter.yaml"
    (root / PARTNERS / "tracked-link.yaml").symlink_to(target)
    commit_all(root, "A link")


def _stray_file_at_top(root: Path) -> None:
    (root / "registry/stray.yaml").write_text("kind: partner\n")


@pytest.mark.parametrize(
    "make", [_fifo, _link, _folder, _linked_kind_folder, _tracked_link, _stray_file_at_top]
)
def test_what_git_cannot_vouch_for_is_left_to_the_walk(make: object, tmp_path: Path) -> None:
    _repo, root = real_registry_repo(tmp_path)
    make(root)  # type: ignore[operator]
    assert with_git(root) is None
    result = run_cli(
        "validate", "--root", str(root), env={"COOPCTL_CACHE_DIR": str(tmp_path / "c")}
    )
    alone = run_cli("validate", "--no-cache", "--root", str(root))
    assert (result.exit_code, result.stdout) == (alone.exit_code, alone.stdout)


def test_outside_git_the_walk_lists_the_files(tmp_path: Path) -> None:
    _repo, root = real_registry_repo(tmp_path)
    shutil.rmtree(root / ".git")
    assert with_git(root) is None
