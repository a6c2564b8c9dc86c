"""`check` and `validate` take the blob shas of unchanged files from git's index and read only
the other files; their answers are those of a run that reads every file: the same registry
copied outside git, or `--no-cache`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import commit_all, git, real_registry_repo
from tests.helpers import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ENCODED = "registry/partners/nuernberg.yaml"  # UTF-16 in the working tree
CRLF = "registry/partners/augsburg.yaml"  # CRLF in the working tree


def answer(root: Path, *args: str) -> tuple[dict[str, Any], str]:
    result = run_cli(*args, "--root", str(root), "--format", "json", "--stats")
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    document.pop("root")
    return document, result.stderr


def from_cache(stderr: str, side: str) -> int:
    found = re.search(side + r": (\d+) files: (\d+) from the cache", stderr)
    assert found, stderr
    return int(found.group(2))


def append(path: Path, text: str) -> None:
    path.write_bytes(path.read_bytes() + text.encode())


def edit(path: Path, old: str, new: str) -> None:
    raw = path.read_bytes()
    assert old.encode() in raw
    path.write_bytes(raw.replace(old.encode(), new.encode(), 1))


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, Path]:
    """A registry in git with every kind of working-tree change at once."""
    repo, root = real_registry_repo(tmp_path)
    (repo / ".gitattributes").write_text(
        f"/{ENCODED} working-tree-encoding=UTF-16\n/{CRLF} text eol=crlf\n"
    )
    commit_all(repo, "Attributes")
    for path in (ENCODED, CRLF):  # written anew, converted
        (root / path).unlink()
        git(repo, "checkout", "--", path)
    edit(root / "registry/partners/braunschweig.yaml", "name: ", "name: 7 #")  # modified
    (root / "registry/partners/neu.yaml").write_text("kind: partner\nid: neu\n")  # untracked
    (root / "registry/partners/salzgitter.yaml").unlink()  # deleted, still referenced
    git(repo, "mv", "registry/partners/muenchen.yaml", "registry/partners/muenchen-stadt.yaml")
    staged = root / "registry/partners/wolfsburg.yaml"
    append(staged, "notes: staged\n")
    git(repo, "add", str(staged))
    edit(staged, "notes: staged", "notes: [1, 2")  # staged, then modified
    return repo, root


def test_check_answers_as_a_run_that_reads_every_file(pull_request: tuple[Path, Path]) -> None:
    _, root = pull_request
    first, _ = answer(root, "check", "--base", "HEAD~1")  # caches the base's blobs too
    append(root / "registry/solutions/ewa.yaml", "# one more edit\n")
    warm, stderr = answer(root, "check", "--base", "HEAD~1")
    truth, _ = answer(root, "check", "--base", "HEAD~1", "--no-cache")
    assert from_cache(stderr, "head") > 15  # the unchanged files: their facts by index blob
    assert warm == truth
    assert first["problems"] == truth["problems"]
    paths = {p["path"] for p in truth["problems"]}
    # The working tree's bytes are checked, not the blob's: UTF-16 is no UTF-8.
    assert ENCODED in paths
    assert "registry/partners/braunschweig.yaml" in paths
    assert "registry/partners/wolfsburg.yaml" in paths


def test_validate_answers_as_outside_git(pull_request: tuple[Path, Path], tmp_path: Path) -> None:
    _, root = pull_request
    answer(root, "check", "--base", "HEAD~1")  # the cache knows every blob of the base
    append(root / "registry/solutions/ewa.yaml", "# one more edit\n")
    inside, stderr = answer(root, "validate")
    assert from_cache(stderr, "stats") > 15
    outside_root = tmp_path / "outside"
    shutil.copytree(root, outside_root, ignore=shutil.ignore_patterns(".git"))
    outside, _ = answer(outside_root, "validate")
    uncached, _ = answer(root, "validate", "--no-cache")
    assert inside == outside == uncached
    assert ENCODED in {p["path"] for p in inside["problems"]}
