"""The cache folder can never make a broken registry pass: a cache a commit can bring along
(inside the registry or its git work tree) is never used, and only files this user alone can
have written are believed.

Each case first shows that its planted outcome is a real one (from a folder this user owns it
is believed, which is how the cache works), then that the same file in the untrusted place is
ignored."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from coopctl.cache import FactCache
from coopctl.limits import DEFAULT_MAX_PROBLEMS, facts_digest
from coopctl.pipeline import working_tree_files
from coopctl.schemas import load_schemas
from tests.gitrepo import commit_all, git, init_repo
from tests.helpers import coopctl_process as coopctl
from tests.helpers import make_registry

BROKEN = "kind: partner\nid: broken\nname: 5\ntype: other\n"


def plant(root: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runs file that calls the registry at `root` clean, made as anyone can from public
    data (the folder CI checks out into, coopctl's version, the schemas, the files)."""
    monkeypatch.setenv("COOPCTL_CACHE_DIR", str(folder))
    digest = facts_digest(load_schemas(root / "schemas").digest, DEFAULT_MAX_PROBLEMS)
    cache = FactCache(root, digest, date.today())
    files = working_tree_files(root)
    key = cache.run_key(((job.path, job.blob) for job in files.jobs), files.refusals)
    cache.remember_run(key, [], {"partner": 1}, len(files.jobs))
    monkeypatch.delenv("COOPCTL_CACHE_DIR")
    (runs,) = folder.glob("runs-*.json")
    return runs


def believed(root: Path, **env: str) -> bool:
    """Whether `validate` answered from a planted clean outcome (`--stats` always runs)."""
    result = coopctl(root, "validate", "--stats", **env)
    if result.returncode == 0:
        assert "the outcome of a recent run" in result.stderr
        return True
    assert result.returncode == 1, result.stderr
    assert "error[S004]" in result.stdout
    return False


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree: a clean commit, then a commit that adds a file with two problems."""
    repo = init_repo(tmp_path / "project")
    make_registry(repo, with_real_registry=True)
    commit_all(repo, "Import the registry")
    (repo / "registry" / "partners" / "broken.yaml").write_text(BROKEN)
    return repo


def test_a_cache_committed_into_the_work_tree_is_never_used(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual GitLab setup, XDG_CACHE_HOME=$CI_PROJECT_DIR/.cache: a merge request commits
    .cache/coopctl/runs-<name>.json for its own broken files."""
    outside = tmp_path / "mine"
    runs = plant(repo, outside, monkeypatch)
    assert believed(repo, COOPCTL_CACHE_DIR=str(outside))
    fooled = coopctl(repo, "check", "--base", "HEAD", COOPCTL_CACHE_DIR=str(outside))
    assert fooled.returncode == 0, fooled.stdout  # from this user's own cache, it is believed
    assert "passed" in fooled.stdout
    committed = repo / ".cache" / "coopctl"
    committed.mkdir(parents=True)
    shutil.copy2(runs, committed / runs.name)
    commit_all(repo, "Add a partner")
    before = sorted(committed.iterdir())
    for env in (
        {"XDG_CACHE_HOME": str(repo / ".cache")},
        {"COOPCTL_CACHE_DIR": str(committed)},
        {"COOPCTL_CACHE_DIR": str(repo / "registry" / ".cache")},
    ):
        assert not believed(repo, **env)
        check = coopctl(repo, "check", "--base", "HEAD~1", **env)
        assert check.returncode == 1, check.stdout
        assert "error[S004]" in check.stdout
        assert "passed" not in check.stdout
        # and nothing is written there either: not the facts, not remembered output
        assert sorted(committed.iterdir()) == before
        assert not (repo / "registry" / ".cache").exists()
    assert git(repo, "status", "--porcelain") == ""


def test_a_registry_outside_git_never_keeps_its_cache_inside_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    outside = tmp_path / "mine"
    runs = plant(root, outside, monkeypatch)
    assert believed(root, COOPCTL_CACHE_DIR=str(outside))
    inside = root / "cache"
    inside.mkdir()
    shutil.copy2(runs, inside / runs.name)
    assert not believed(root, COOPCTL_CACHE_DIR=str(inside))
    # nor through a link that leads there
    (tmp_path / "link").symlink_to(inside)
    assert not believed(root, COOPCTL_CACHE_DIR=str(tmp_path / "link"))
    assert [p.name for p in inside.iterdir()] == [runs.name]
    # nor inside the work tree git is told about
    assert not believed(root, COOPCTL_CACHE_DIR=str(outside), GIT_WORK_TREE=str(tmp_path))


def test_a_submodule_registry_is_guarded_by_the_project_around_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = init_repo(tmp_path / "project")
    root = make_registry(project / "sub", {"registry/partners/broken.yaml": BROKEN})
    (root / ".git").write_text("gitdir: ../.git/modules/sub\n")  # as git writes a submodule's
    runs = plant(root, tmp_path / "mine", monkeypatch)
    planted = project / ".cache" / "coopctl"
    planted.mkdir(parents=True)
    shutil.copy2(runs, planted / runs.name)
    assert believed(root, COOPCTL_CACHE_DIR=str(tmp_path / "mine"))
    assert not believed(root, XDG_CACHE_HOME=str(project / ".cache"))


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "COOPCTL_CACHE_DIR"])
def test_a_relative_cache_setting_is_ignored(tmp_path: Path, variable: str) -> None:
    """The XDG base directory specification: a relative path is invalid and ignored; the
    next rule applies (here ~/.cache/coopctl)."""
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    home_cache = Path(os.environ["HOME"]) / ".cache" / "coopctl"
    shutil.rmtree(home_cache, ignore_errors=True)
    result = coopctl(root, "validate", **{variable: "cache"})
    assert result.returncode == 1
    assert not (root / "cache").exists()
    assert sorted(p.name[:5] for p in home_cache.iterdir()) == ["facts", "outpu", "runs-"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_cache_is_private_to_its_user(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    folder = tmp_path / "deep" / "cache"
    old = os.umask(0)  # the most permissive umask a user can have
    try:
        assert coopctl(root, "validate", COOPCTL_CACHE_DIR=str(folder)).returncode == 1
    finally:
        os.umask(old)
    assert mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [p.name[:5] for p in files] == ["facts", "outpu", "runs-"]
    assert all(mode(p) == 0o600 for p in files)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files


def _another_user(path: Path) -> None:
    os.chown(path, 12345, 12345)


AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="handing a file to another user needs root",
)


@pytest.mark.parametrize(
    ("what", "weaken"),
    [
        pytest.param("file", lambda path: path.chmod(0o666), id="file-0666"),
        pytest.param("file", lambda path: path.chmod(0o620), id="file-group-writable"),
        pytest.param("folder", lambda path: path.chmod(0o777), id="folder-0777"),
        pytest.param("folder", lambda path: path.chmod(0o730), id="folder-group-writable"),
        pytest.param("file", _another_user, id="file-of-another-user", marks=AS_ROOT),
        pytest.param("folder", _another_user, id="folder-of-another-user", marks=AS_ROOT),
    ],
)
def test_a_cache_others_can_write_is_not_believed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str, weaken: Callable[[Path], None]
) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    folder = tmp_path / "cache"
    runs = plant(root, folder, monkeypatch)
    assert believed(root, COOPCTL_CACHE_DIR=str(folder))
    weakened = runs if what == "file" else folder
    weaken(weakened)
    planted, before = runs.read_bytes(), weakened.stat()
    assert not believed(root, COOPCTL_CACHE_DIR=str(folder))
    # someone else's: left as it is, not replaced
    after = weakened.stat()
    assert (after.st_uid, after.st_mode) == (before.st_uid, before.st_mode)
    assert runs.read_bytes() == planted


def test_a_linked_cache_file_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    elsewhere = tmp_path / "elsewhere"
    runs = plant(root, elsewhere, monkeypatch)
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / runs.name).symlink_to(runs)
    assert believed(root, COOPCTL_CACHE_DIR=str(elsewhere))
    assert not believed(root, COOPCTL_CACHE_DIR=str(folder))
    assert (folder / runs.name).is_symlink()
