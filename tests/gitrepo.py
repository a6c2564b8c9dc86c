"""Real git repositories in tmp_path for the tests of diff, history and check (the fixed
identity and the isolated HOME come from conftest)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ruamel.yaml import YAML

from tests.helpers import make_registry


def git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return completed.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def real_registry_repo(tmp_path: Path, sub: str = "") -> tuple[Path, Path]:
    """A git repository whose first commit is the bundled registry; (repo, registry root)."""
    repo = init_repo(tmp_path / "repo")
    root = make_registry(repo / sub if sub else repo, with_real_registry=True)
    commit_all(repo, "Import the registry")
    return repo, root


def read_yaml(path: Path) -> dict:  # type: ignore[type-arg]
    """Independent of coopctl's reader: plain ruamel safe loading."""
    yaml = YAML(typ="safe", pure=True)
    return yaml.load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write_yaml(path: Path, data: object) -> None:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
