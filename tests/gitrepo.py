"""Real git repositories in tmp_path for the tests of diff, history and check (the fixed
identity and the isolated HOME come from conftest)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from tests.helpers import make_registry, run_cli


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


def coopctl_git_calls(tmp_path: Path, *args: str) -> list[str]:
    """The git commands (their arguments) one `coopctl` process with `args` starts, logged by
    a `git` on PATH that runs the real one."""
    shim_dir = tmp_path / "shim"
    shim_dir.mkdir(exist_ok=True)
    log = tmp_path / "git-calls.log"
    log.write_text("", encoding="utf-8")
    real = shutil.which("git")
    assert real is not None
    shim = shim_dir / "git"
    shim.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8"
    )
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{shim_dir}{os.pathsep}{os.environ['PATH']}"}
    completed = subprocess.run(
        [sys.executable, "-m", "coopctl", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return log.read_text(encoding="utf-8").split("\n")[:-1]  # not splitlines: \x1e is a break


def diff_json(root: Path, *args: str) -> dict[str, Any]:
    """`coopctl diff ARGS --format json` of the registry at `root`, parsed."""
    result = run_cli("diff", *args, "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document
