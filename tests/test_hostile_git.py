"""Git repositories in the states CI machines and editors leave them: bare, corrupt, CRLF
under core.autocrlf, a registry inside a submodule. Every case ends with a clear message and
exit 1 or 2, never a traceback, and no file of the registry changes."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, git, real_registry_repo
from tests.helpers import run_cli

PARTNER = "registry/partners/braunschweig.yaml"


def _fingerprint(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _no_traceback(output: str) -> None:
    assert "Traceback" not in output
    assert "internal error" not in output


def test_a_bare_repository_is_named(tmp_path: Path) -> None:
    repo, _ = real_registry_repo(tmp_path)
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    # A registry folder whose git dir is the bare repository: no work tree to compare with.
    result = run_cli("diff", "--root", str(bare))
    assert result.exit_code == 2
    _no_traceback(result.output)


def test_a_corrupt_object_is_a_clear_error(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    (root / PARTNER).write_text(
        (root / PARTNER).read_text(encoding="utf-8").replace("Stadt Braunschweig", "Löwenstadt"),
        encoding="utf-8",
    )
    commit_all(repo, "Rename")
    blob = git(repo, "rev-parse", f"HEAD:{PARTNER}").strip()
    loose = repo / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(b"this is not a zlib stream")
    before = _fingerprint(root)
    for args in (["diff", "HEAD~1", "HEAD"], ["list", "partners", "--rev", "HEAD"]):
        result = run_cli(*args, "--root", str(root))
        assert result.exit_code in (1, 2), (args, result.output)
        _no_traceback(result.output)
        assert "git" in result.stderr.lower()
    assert _fingerprint(root) == before


def test_crlf_files_under_autocrlf_read_the_same(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "config", "core.autocrlf", "true")
    path = root / PARTNER
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    working = run_cli("diff", "--exit-code", "--root", str(root))
    assert working.exit_code == 0, working.output  # and neither does coopctl
    result = run_cli("check", "--base", "HEAD", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    assert run_cli("fmt", "--check", "--root", str(root)).exit_code == 1  # CRLF is not canonical


def test_a_registry_inside_a_submodule(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    inner, _ = real_registry_repo(tmp_path / "inner")
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q", "-b", "main")
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "data")
    commit_all(outer, "Add the registry as a submodule")
    root = outer / "data"
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    listed = run_cli("list", "partners", "--rev", "HEAD", "--format", "ids", "--root", str(root))
    assert listed.exit_code == 0, listed.output
    assert "braunschweig" in listed.stdout.split()
    path = root / PARTNER
    path.write_text(path.read_text(encoding="utf-8").replace("DE-NI", "DE-BY"), encoding="utf-8")
    result = run_cli("diff", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "braunschweig" in result.stdout


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("registry/solutions", "/etc"),  # a kind folder
        ("registry/partners/head.yaml", "../../.git/HEAD"),  # into git's own folder
        ("registry/partners/far.yaml", "../../../outside.yaml"),  # a file outside the root
    ],
)
def test_committed_links_out_of_the_root_are_f004_at_a_revision(
    tmp_path: Path, link: str, target: str
) -> None:
    """A revision is read by the working tree's rules: a committed link that leaves the root
    or leads into .git is F004 there too, and nothing it leads to is read."""
    repo, root = real_registry_repo(tmp_path)
    if link == "registry/solutions":
        shutil.rmtree(root / link)
    (root / link).symlink_to(target)
    commit_all(repo, "A link")
    shutil.rmtree(root / "registry")  # only the revision is read
    (root / "registry").mkdir()
    for args in (("list", "partners", "--rev", "HEAD"), ("diff", "HEAD~1", "HEAD", "-f", "json")):
        result = run_cli(*args, "--root", str(root))
        assert result.exit_code == 0, result.output
        _no_traceback(result.output)
        assert "[F004]" in result.stderr or '"code": "F004"' in result.stdout, result.output
        assert "ref: refs/heads" not in result.output
