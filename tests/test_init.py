"""coopctl init, add --commit, and the pre-commit hooks, on real folders and git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from coopctl.scaffold import IGNORE_TEMPORARY
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


def _snapshot(root: Path) -> dict[str, bytes | str]:
    """Every path under `root` outside .git: a file's bytes, a link's target, a folder."""
    found: dict[str, bytes | str] = {}
    for path in root.rglob("*"):
        name = path.relative_to(root).as_posix()
        if name.split("/")[0] == ".git":
            continue
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = path.read_bytes()
    return found


FORGE_FILES = {
    "README.md": b"# Kooperationen\n\nOur registry.\n",
    "LICENSE": b"CC-BY-4.0\n",
    ".gitignore": b"*.log",  # no newline at the end, as editors sometimes leave it
    ".github/workflows/ci.yml": b"on: push\njobs: {}\n",
    ".gitlab-ci.yml": b"test:\n  script: [echo test]\n",
}


def test_init_fits_a_new_forge_repository(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    for name, content in FORGE_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    head = (tmp_path / ".git/HEAD").read_bytes()

    result = run_cli("init", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert _tree(tmp_path) == EXPECTED_FILES | set(FORGE_FILES)
    for name, content in FORGE_FILES.items():
        if name != ".gitignore":
            assert (tmp_path / name).read_bytes() == content, name
    ignore = (tmp_path / ".gitignore").read_bytes()
    assert ignore == b"*.log\n" + IGNORE_TEMPORARY
    assert IGNORE_TEMPORARY in (REPO / "coopctl/templates/gitignore").read_bytes()
    temporary = "registry/partners/.x.yaml.coopctl-k3j_9q2a.tmp"
    assert _git(tmp_path, "check-ignore", temporary).strip() == temporary
    lines = result.stdout.splitlines()
    assert lines[0] == f"created a registry in {tmp_path} (10 files created, 3 there already)"
    assert "  kept as it was README.md" in lines
    assert "  created        .github/workflows/coopctl.yml" in lines
    assert (
        "  added to       .gitignore: coopctl's line that keeps its temporary files out of git"
        in lines
    )
    gitlab = lines.index("  kept as it was .gitlab-ci.yml")
    assert lines[gitlab + 1].startswith(
        "    note: GitLab runs this file as it is, without coopctl's jobs"
    )
    assert sum(line.startswith("    note:") for line in lines) == 1  # README: nothing to say
    assert "git init" not in result.stdout  # the forge repository is the repository
    assert (tmp_path / ".git/HEAD").read_bytes() == head
    validated = run_cli("validate", "--root", str(tmp_path))
    assert validated.exit_code == 0, validated.output
    assert "No problems" in validated.stdout


def test_init_notes_each_kept_file_that_changes_what_is_checked(tmp_path: Path) -> None:
    shipped = (REPO / "schemas/defs.schema.json").read_bytes()
    own = {
        "schemas/defs.schema.json": shipped,  # the same as coopctl's: nothing to note
        "schemas/partner.schema.json": b'{"type": "object"}\n',
        ".github/workflows/coopctl.yml": b"on: push\njobs: {}\n",
        ".pre-commit-config.yaml": b"repos: []\n",
        "coopctl-requirements.txt": b"coopctl==0.0.1\n",
        ".gitignore": b"# ours\n.*.coopctl-*.tmp\n",  # has coopctl's line already
    }
    for name, content in own.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)

    result = run_cli("init", str(tmp_path), "--no-git", "--ci-requirement", "coopctl==0.1.0")

    assert result.exit_code == 0, result.output
    for name, content in own.items():
        assert (tmp_path / name).read_bytes() == content, name
    lines = result.stdout.splitlines()
    notes = {
        lines[index - 1].split()[-1]: line
        for index, line in enumerate(lines)
        if line.startswith("    note: ")
    }
    assert set(notes) == {
        "schemas/partner.schema.json",
        ".github/workflows/coopctl.yml",
        ".pre-commit-config.yaml",
        "coopctl-requirements.txt",
    }
    assert "the registry is checked against it" in notes["schemas/partner.schema.json"]
    assert "may not be checked by 'coopctl check'" in notes[".github/workflows/coopctl.yml"]
    assert "coopctl-validate" in notes[".pre-commit-config.yaml"]
    assert "  kept as it was schemas/defs.schema.json" in lines
    assert "  kept as it was .gitignore" in lines
    assert (
        "note: --ci-requirement was not written: coopctl-requirements.txt exists" in result.stdout
    )
    assert "CI installs coopctl from coopctl-requirements.txt:" not in result.stdout


def test_init_names_the_rule_by_which_git_would_ignore_a_file(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    rules = b"*.yml\r\n!.gitlab-ci.yml\r\nregistry/solutions/"  # CRLF, no newline at the end
    (tmp_path / ".gitignore").write_bytes(rules)

    result = run_cli("init", str(tmp_path))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    noted = {
        lines[index - 1].split()[-1]: line
        for index, line in enumerate(lines)
        if line.startswith("    note: git ignores this file")
    }
    assert noted == {
        ".github/workflows/coopctl.yml": "    note: git ignores this file (.gitignore:1: *.yml), "
        "so it would not be committed: remove or narrow that rule",
        "registry/solutions/.gitkeep": "    note: git ignores this file (.gitignore:3: "
        "registry/solutions/), so it would not be committed: remove or narrow that rule",
    }
    expected = rules + b"\r\n" + IGNORE_TEMPORARY.replace(b"\n", b"\r\n")
    assert (tmp_path / ".gitignore").read_bytes() == expected
    untracked = _git(tmp_path, "status", "--porcelain", "--untracked-files=all")
    assert "?? .gitlab-ci.yml" in untracked.splitlines()  # the ! rule keeps it
    assert ".github/workflows/coopctl.yml" not in untracked


@pytest.mark.parametrize(
    ("make", "shown"),
    [
        (lambda root, outside: (root / "README.md").symlink_to(outside / "theirs.md"),
         "README.md is a symbolic link"),
        (lambda root, outside: (root / ".github").symlink_to(outside, target_is_directory=True),
         ".github is a symbolic link"),
        (lambda root, outside: (root / ".gitignore").mkdir(),
         ".gitignore is a folder where a file belongs"),
        (lambda root, outside: (root / "schemas").write_text("x\n", encoding="utf-8"),
         "schemas is a file where a folder belongs"),
        (lambda root, outside: (root / "registry/partners/.gitkeep").mkdir(parents=True),
         "registry/partners/.gitkeep is a folder where a file belongs"),
    ],
    ids=["file-link", "folder-link", "folder-for-file", "file-for-folder", "gitkeep-folder"],
)  # fmt: skip
def test_init_writes_nothing_through_a_link_or_over_a_folder(
    tmp_path: Path, make: Callable[[Path, Path], object], shown: str
) -> None:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "theirs.md").write_text("not ours\n", encoding="utf-8")
    (root / "LICENSE").write_text("CC-BY-4.0\n", encoding="utf-8")
    make(root, outside)
    before, outside_before = _snapshot(root), _snapshot(outside)

    result = run_cli("init", str(root))

    assert result.exit_code == 1, result.output
    assert shown in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert _snapshot(root) == before
    assert _snapshot(outside) == outside_before


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
    # A configuration that takes the hooks from that repository, as a registry's would: the
    # environment is made once and kept in PRE_COMMIT_HOME (`try-repo` makes one per call).
    config = tmp_path / "hooks.yaml"
    revision = _git(project, "rev-parse", "HEAD").strip()
    config.write_text(
        f"repos:\n  - repo: {project}\n    rev: {revision}\n"
        "    hooks:\n      - id: coopctl-validate\n      - id: coopctl-fmt\n",
        encoding="utf-8",
    )
    registry = tmp_path / "registry"
    assert run_cli("init", str(registry)).exit_code == 0
    (registry / "registry/partners/x.yaml").write_text(
        'kind: partner\nid: x\nname: "X"\ntype: other\n', encoding="utf-8"
    )
    _git(registry, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    command = [sys.executable, "-m", "pre_commit", "run", "--config", str(config)]

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
