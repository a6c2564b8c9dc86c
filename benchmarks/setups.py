"""The registries and repositories run.py measures: generated (or kept from an earlier run),
the bundled registry, the long history, the long diff range, and the edit in the working tree.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bundle import KINDS
from measure import BenchmarkError, progress

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "coopctl benchmark",
    "GIT_AUTHOR_EMAIL": "benchmark@example.org",
    "GIT_COMMITTER_NAME": "coopctl benchmark",
    "GIT_COMMITTER_EMAIL": "benchmark@example.org",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
}
BENCHMARK_NOTE = "notes: Benchmark edit.\n"
EDIT_COMMENT = "# benchmark edit in the working tree\n"

# generate.py arguments of the registries, by name. 1.5k, 15k and 60k files; with --small,
# three small registries in the same roles.
SCALES: dict[str, tuple[str, ...]] = {
    "1.5k": ("--partners", "1100", "--agreements", "300", "--solutions", "100"),
    "15k": (),
    "60k": ("--agreements", "37000", "--solutions", "12000"),
}
SMALL_SCALES: dict[str, tuple[str, ...]] = {
    "1.5k": ("--partners", "100", "--agreements", "20", "--solutions", "10"),
    "15k": ("--partners", "300", "--agreements", "60", "--solutions", "30"),
    "60k": ("--partners", "600", "--agreements", "120", "--solutions", "60"),
}
# diff_repo.py's range and history_repo.py's history: full size, and with --small.
DIFF_RANGE = ("--commits", "1000", "--files", "1388")
SMALL_DIFF_RANGE = ("--commits", "100", "--files", "139")
HISTORY: tuple[str, ...] = ()  # 3,000 commits
SMALL_HISTORY = ("--commits", "300")


@dataclass(frozen=True)
class RegistrySize:
    files: dict[str, int]  # by kind
    total_bytes: int


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **COMMIT_ENV}
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchmarkError(f"git {' '.join(args)} in {root} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


def made(base: Path, name: str, script: str, args: Sequence[str], source: str = "") -> Path:
    """The folder a script of benchmarks/ makes, in base: `script [SOURCE] FOLDER ARGS...`
    (generate.py takes no source). A folder a previous run finished, for the same script,
    arguments and source commit, is marked by FOLDER.done beside it and is used again, its
    working tree reset to its last commit."""
    path = BENCHMARKS / script
    commit = git(Path(source), "rev-parse", "HEAD") if source else ""
    key = path.read_bytes() + "\0".join([*args, commit]).encode()
    folder = base / f"{name}-{hashlib.sha256(key).hexdigest()[:12]}"
    done = folder.with_name(folder.name + ".done")
    if done.exists() and (folder / ".git").is_dir():
        progress(f"using {folder} again")
        git(folder, "reset", "-q", "--hard", "HEAD")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    progress(f"making {folder}")
    sources = [source] if source else []
    argv = [sys.executable, str(path), *sources, str(folder), *args]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchmarkError(f"{script} failed:\n{result.stderr.strip()}")
    done.touch()
    return folder


def generated(name: str, args: Sequence[str], base: Path) -> Path:
    return made(base, f"n{name}", "generate.py", args)


def history_repo(source: Path, entity: str, small: bool, base: Path) -> Path:
    """The repository of benchmarks/history_repo.py (3,000 commits, 300 with --small), from
    the source registry; entity is the file whose history is long."""
    args = [entity, *(SMALL_HISTORY if small else HISTORY)]
    return made(base, "history", "history_repo.py", args, str(source))


def commit_count(root: Path, *paths: str) -> int:
    """The commits of HEAD's history (those that change one of `paths`, when given)."""
    return int(git(root, "rev-list", "--count", "HEAD", "--", *paths))


def diff_range_repo(source: Path, small: bool, base: Path) -> Path:
    """The repository of benchmarks/diff_repo.py: 1,000 commits over 1,388 files."""
    args = SMALL_DIFF_RANGE if small else DIFF_RANGE
    return made(base, "diffrange", "diff_repo.py", args, str(source))


def check_registry(root: Path) -> None:
    if not (root / "registry").is_dir() or not (root / "schemas").is_dir():
        raise BenchmarkError(f"{root}: not a registry (it needs registry/ and schemas/)")
    try:
        git(root, "rev-parse", "--verify", "HEAD~1")
    except BenchmarkError as error:
        raise BenchmarkError(
            f"{root}: diff and check need a git repository with at least two commits"
        ) from error


def cloned(source: Path, target: Path) -> Path:
    """A clone of a registry given with --registry, so that the edit in the working tree
    touches only the clone."""
    check_registry(source)
    git(source.parent, "clone", "-q", str(source), str(target))
    return target


def make_bundled(target: Path) -> Path:
    """A git copy of the repository's own registry: a first commit, then a second that changes
    exactly one file. Returns the changed file."""
    shutil.copytree(REPO / "registry", target / "registry")
    shutil.copytree(REPO / "schemas", target / "schemas")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Bundled registry")
    changed = add_note(target)
    git(target, "commit", "-q", "-am", f"Benchmark edit of {changed.relative_to(target)}")
    return changed


def add_note(root: Path) -> Path:
    """Give the first entity file that has no notes a line of notes."""
    for path in sorted((root / "registry").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^notes:", text, re.MULTILINE):
            path.write_text(text.rstrip("\n") + "\n" + BENCHMARK_NOTE, encoding="utf-8")
            return path
    raise BenchmarkError(f"{root}: every entity file has notes; no file to make the edit in")


def edit_working_tree(root: Path) -> str:
    """Change, in the working tree only, the file the last commit changed, so that
    `check --base HEAD~1` with the working tree as head sees one changed file. Returns it."""
    changed = git(root, "diff", "--name-only", "HEAD~1", "HEAD").splitlines()
    if len(changed) != 1:
        raise BenchmarkError(f"{root}: the last commit must change exactly one file")
    path = root / changed[0]
    text = path.read_text(encoding="utf-8")
    if re.search(r"^notes:", text, re.MULTILINE):
        text = text.rstrip("\n") + "\n" + EDIT_COMMENT
    else:
        text = text.rstrip("\n") + "\n" + BENCHMARK_NOTE
    path.write_text(text, encoding="utf-8")
    return changed[0]


def restore_working_tree(root: Path, path: str) -> None:
    git(root, "checkout", "-q", "--", path)


def changed_file(root: Path) -> str:
    """The files the last commit changes, as git names them."""
    return ", ".join(git(root, "diff", "--name-only", "HEAD~1", "HEAD").splitlines())


def registry_files(root: Path, kind: str) -> list[str]:
    """The entity files of one kind, relative to the root, sorted."""
    folder = root / "registry" / f"{kind}s"
    return sorted(str(p.relative_to(root)) for p in folder.glob("*.yaml"))


def registry_size(root: Path) -> RegistrySize:
    files = {kind: len(registry_files(root, kind)) for kind in KINDS}
    total = sum(p.stat().st_size for p in (root / "registry").glob("**/*.yaml"))
    return RegistrySize(files, total)


def history_entity(root: Path) -> str:
    """The partner whose history is long: malching where it exists, else the first partner."""
    if (root / "registry" / "partners" / "malching.yaml").exists():
        return "registry/partners/malching.yaml"
    first = registry_files(root, "partner")
    if not first:
        raise BenchmarkError(f"{root}: no partner file for the history benchmark")
    return first[0]


def compile_bytecode(package: Path | None) -> None:
    """Compile coopctl's modules and these scripts to .pyc, as installing a wheel does."""
    folders = [str(f) for f in (package, BENCHMARKS) if f is not None]
    argv = [sys.executable, "-m", "compileall", "-q", *folders]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchmarkError(f"compileall failed:\n{result.stdout}{result.stderr}")
