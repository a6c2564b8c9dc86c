"""Reading registries from git objects: revisions, sub-folders, the blob cache, file rules,
renames, detached HEAD, shallow clones and the errors git can give."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coopctl.errors import UsageError
from coopctl.gitstore import GitStore, load_revision
from coopctl.snapshot import load_snapshot
from coopctl.yamlio import MAX_FILE_BYTES
from tests.gitrepo import commit_all, edit, git, init_repo, real_registry_repo
from tests.helpers import REPO, make_registry, run_cli

BRAUNSCHWEIG = "registry/partners/braunschweig.yaml"


def _yaml_files_in_tree(repo: Path, rev: str, folder: str = "registry") -> set[str]:
    listed = git(repo, "ls-tree", "-r", "--name-only", rev, "--", folder).split()
    return {p for p in listed if p.endswith(".yaml")}


def test_a_past_revision_is_read_without_checkout(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(repo, "Rename Braunschweig")
    (root / "registry/partners/wolfsburg.yaml").unlink()  # uncommitted: not in any revision

    old = load_revision(root, "HEAD~1")
    new = load_snapshot(root, "HEAD")
    assert old.get("partner", "braunschweig").data["name"] == "Stadt Braunschweig"  # type: ignore[union-attr]
    assert new.get("partner", "braunschweig").data["name"] == "Löwenstadt"  # type: ignore[union-attr]
    expected = {
        p.removeprefix("registry/").split("/")[1][:-5] for p in _yaml_files_in_tree(repo, "HEAD")
    }
    assert {e.id for e in new.entities} == expected
    assert "wolfsburg" in expected
    assert git(repo, "status", "--porcelain").strip() == "D registry/partners/wolfsburg.yaml"
    entity = new.get("partner", "braunschweig")
    assert entity is not None
    assert entity.blob_sha == git(repo, "rev-parse", f"HEAD:{BRAUNSCHWEIG}").strip()


def test_a_registry_in_a_sub_folder_of_the_work_tree(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path, sub="data/registry-root")
    registry = load_revision(root, "HEAD")
    assert len(registry.entities) == len(_yaml_files_in_tree(repo, "HEAD", "data/registry-root"))
    assert all(e.path.startswith("registry/") for e in registry.entities)


def test_each_blob_is_parsed_once_however_many_revisions_are_read(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(repo, "one file changes")
    store = GitStore(root)
    store.load("HEAD~1")
    store.load("HEAD")
    store.load("HEAD~1")
    blobs = set()
    for rev in ("HEAD", "HEAD~1"):
        for line in git(repo, "ls-tree", "-r", rev, "--", "registry").splitlines():
            blobs.add(line.split()[2])
    assert store.reader.parsed == len(blobs) == len(_yaml_files_in_tree(repo, "HEAD")) + 1


def test_file_rules_apply_to_revisions(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    root = make_registry(repo, with_real_registry=True)
    (root / "registry/partners/notes.txt").write_text("x", encoding="utf-8")
    (root / "registry/partners/huge.yaml").write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    (root / "registry/partners/outside.yaml").symlink_to("/etc/hostname")
    (root / "registry/partners/alias.yaml").symlink_to("braunschweig.yaml")
    commit_all(repo, "odd files")
    registry = load_revision(root, "HEAD")
    codes = {(p.code, p.path) for p in registry.load_problems}
    assert ("F006", "registry/partners/notes.txt") in codes
    assert ("F001", "registry/partners/huge.yaml") in codes
    assert ("F004", "registry/partners/outside.yaml") in codes
    working = load_snapshot(root)
    assert {(p.code, p.path) for p in working.load_problems} == codes
    # a link inside the registry is read as its target, as in the working tree
    assert [e.path for e in registry.entities if e.path.endswith("alias.yaml")] == [
        "registry/partners/alias.yaml"
    ]


def test_changed_paths_pair_renames(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "mv", "registry/partners/cit-gmbh.yaml", "registry/partners/cit.yaml")
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    (root / "registry/partners/new.yaml").write_text("kind: partner\n", encoding="utf-8")
    store = GitStore(root)
    working = {(c.status, c.path, c.old_path) for c in store.changed_paths("HEAD")}
    assert working == {
        ("R", "registry/partners/cit.yaml", "registry/partners/cit-gmbh.yaml"),
        ("M", BRAUNSCHWEIG, None),
        ("A", "registry/partners/new.yaml", None),
    }
    commit_all(repo, "changes")
    committed = {(c.status, c.path, c.old_path) for c in store.changed_paths("HEAD~1", "HEAD")}
    assert committed == working


def test_detached_head(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(repo, "second")
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert load_revision(root, "HEAD").get("partner", "braunschweig").data["name"] == (  # type: ignore[union-attr]
        "Stadt Braunschweig"
    )
    assert load_revision(root, "main").get("partner", "braunschweig").data["name"] == "Löwenstadt"  # type: ignore[union-attr]


def test_a_shallow_clone_says_how_to_fetch_the_base(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(repo, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert len(load_revision(clone, "HEAD").entities) == len(_yaml_files_in_tree(repo, "HEAD"))
    result = run_cli("diff", "HEAD~1", "--root", str(clone))
    assert result.exit_code == 2
    assert "revision 'HEAD~1' is not in this clone" in result.output
    assert "shallow" in result.output and "fetch-depth: 0" in result.output
    assert "git fetch --deepen" in result.output


def test_errors_name_the_revision_and_the_folder(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    result = run_cli("diff", "nope", "--root", str(root))
    assert result.exit_code == 2
    assert "revision 'nope' does not exist" in result.output
    with pytest.raises(UsageError, match="revision '--all' does not exist"):
        GitStore(root).resolve("--all")

    plain = make_registry(tmp_path / "plain", with_real_registry=True)
    result = run_cli("diff", "--root", str(plain))
    assert result.exit_code == 2
    assert f"{plain}: not inside a git repository" in result.output
    with pytest.raises(UsageError, match="not inside a git repository"):
        load_snapshot(plain, "HEAD")


def test_a_repository_git_refuses_is_named_with_gits_reason(tmp_path: Path) -> None:
    """git refuses a repository another user owns (`safe.directory`): the error says so, in
    git's words, instead of claiming there is no repository or no revision."""
    if os.geteuid() != 0:
        pytest.skip("handing the repository to another user needs root")
    repo, root = real_registry_repo(tmp_path)
    os.chown(repo, 12345, 12345)
    os.chown(repo / ".git", 12345, 12345)
    result = run_cli("diff", "HEAD", "--root", str(root))
    assert result.exit_code == 2
    assert f"{root}: git cannot read the repository: fatal: detected dubious ownership" in (
        result.output
    )
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    with pytest.raises(UsageError, match="the repository is bare"):
        GitStore(bare)


def test_git_missing_from_path_is_a_usage_error(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    env.pop("GIT_PYTHON_REFRESH", None)
    completed = subprocess.run(
        [sys.executable, "-m", "coopctl", "diff", "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2, completed.stderr
    assert "git is not installed or not on PATH" in completed.stderr
    assert "Traceback" not in completed.stderr
