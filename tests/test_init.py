"""coopctl init, add --commit, and the pre-commit hooks, on real folders and git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, run_cli

EXPECTED_FILES = {
    ".github/workflows/coopctl.yml",
    ".gitignore",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "README.md",
    "coopctl-requirements.txt",
    "registry/agreements/.gitkeep",
    "registry/partners/.gitkeep",
    "registry/solutions/.gitkeep",
    "schemas/agreement.schema.json",
    "schemas/defs.schema.json",
    "schemas/partner.schema.json",
    "schemas/solution.schema.json",
}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def _tree(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts[:1]
    }


def test_init_scaffolds_a_registry_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "kooperationen"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    assert _tree(target) == EXPECTED_FILES
    assert (target / ".git").is_dir()
    assert "initialised a git repository" in result.stdout
    for name in ("defs", "partner", "agreement", "solution"):
        shipped = (REPO / "schemas" / f"{name}.schema.json").read_bytes()
        assert (target / "schemas" / f"{name}.schema.json").read_bytes() == shipped
    validated = run_cli("validate", "--root", str(target))
    assert validated.exit_code == 0, validated.output
    assert "No problems" in validated.stdout
    workflow = (target / ".github/workflows/coopctl.yml").read_text(encoding="utf-8")
    assert "fetch-depth: 0" in workflow
    assert "coopctl check --base" in workflow
    assert "@VERSION@" not in workflow


def test_the_gitignore_of_init_ignores_coopctls_temporary_files_only(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path)).exit_code == 0
    names = [
        "registry/partners/.x.yaml.coopctl-k3j_9q2a.tmp",  # a killed writer's file
        "registry/agreements/.x.yaml.coopctl-lock.tmp",  # a killed writer's lock
        ".tables.coopctl-8d7f6e5c.tmp/partners.csv",  # a killed export's folder
    ]
    kept = ["registry/partners/x.yaml.tmp", "registry/partners/.x.yaml.tmp"]
    for name in names + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    status = _git(tmp_path, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert not [line for line in status if ".coopctl-" in line]
    assert all(f"?? {name}" in status for name in kept), status


def test_init_inside_a_repository_does_not_nest_one(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    result = run_cli("init", str(tmp_path / "registry-folder"))
    assert result.exit_code == 0
    assert not (tmp_path / "registry-folder" / ".git").exists()
    assert "git init" not in result.stdout


def test_init_never_overwrites(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path), "--no-git").exit_code == 0
    readme = tmp_path / "README.md"
    readme.write_text("our own text\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 1
    assert "exist already" in result.stderr
    assert "nothing was written" in result.stderr
    assert readme.read_text(encoding="utf-8") == "our own text\n"
    assert not (tmp_path / ".git").exists()


def test_init_then_add_then_commit(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path))
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "Start the registry")
    (tmp_path / "notes.txt").write_text("staged but not part of the commit\n", encoding="utf-8")
    _git(tmp_path, "add", "notes.txt")
    result = run_cli("add", "partner", "--ars", "031510000000", "--commit", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert _git(tmp_path, "log", "-1", "--format=%s").strip() == "Add partner landkreis-gifhorn"
    committed = _git(tmp_path, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == ["registry/partners/landkreis-gifhorn.yaml"]
    assert "A  notes.txt" in _git(tmp_path, "status", "--porcelain")


def test_commit_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    run_cli("init", str(tmp_path), "--no-git")
    result = run_cli(
        "add", "partner", "--set", "name=X", "--set", "type=other", "--commit",
        "--root", str(tmp_path),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
    assert (tmp_path / "registry/partners/x.yaml").exists()  # written, just not committed


@pytest.mark.slow
def test_the_pre_commit_hooks_run_with_pre_commit(tmp_path: Path) -> None:
    """pre-commit installs coopctl from this repository into its own environment, then runs
    the hooks on a scratch registry: fmt fixes a file (and fails, as formatters do), validate
    passes afterwards and fails on a broken file."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    project = tmp_path / "coopctl"
    shutil.copytree(
        REPO, project, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "__pycache__")
    )
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "coopctl")
    registry = tmp_path / "registry"
    assert run_cli("init", str(registry)).exit_code == 0
    (registry / "registry/partners/x.yaml").write_text(
        'kind: partner\nid: x\nname: "X"\ntype: other\n', encoding="utf-8"
    )
    _git(registry, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(project)]

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, name, "--all-files"], cwd=registry, env=env, capture_output=True,
            text=True, check=False, timeout=900,
        )  # fmt: skip

    formatted = hook("coopctl-fmt")
    assert formatted.returncode == 1, formatted.stdout + formatted.stderr
    assert "files were modified by this hook" in formatted.stdout
    text = (registry / "registry/partners/x.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/partner.schema.json\n")
    assert "name: X\n" in text
    _git(registry, "add", "-A")
    assert hook("coopctl-fmt").returncode == 0
    validated = hook("coopctl-validate")
    assert validated.returncode == 0, validated.stdout
    (registry / "registry/partners/x.yaml").write_text(text.replace("type: other", "type: 7"))
    _git(registry, "add", "-A")
    broken = hook("coopctl-validate")
    assert broken.returncode == 1
    assert "registry/partners/x.yaml" in broken.stdout
