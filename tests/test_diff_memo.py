"""`coopctl diff` takes the blobs an earlier run parsed from the registry index (their parsed
YAML, by blob sha): the same answer as `--no-cache`, only new blobs parsed, and a damaged or
forged row never trusted beyond what it says of its own blob."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from coopctl.diff import diff_revisions
from tests.gitrepo import commit_all, edit, git, real_registry_repo
from tests.helpers import run_cli

BRAUNSCHWEIG = "registry/partners/braunschweig.yaml"


def index_file() -> Path:
    (path,) = sorted((Path(os.environ["HOME"]) / ".cache" / "coopctl").glob("index-*"))
    return path


def parsed_rows() -> dict[str, str]:
    with sqlite3.connect(index_file()) as db:
        return dict(db.execute("SELECT blob, data FROM parsed"))


def changed_repo(tmp_path: Path) -> Path:
    _repo, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(root, "rename")
    return root


def diff_text(root: Path, *extra: str) -> str:
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", "json", "--root", str(root), *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_second_diff_parses_nothing_and_answers_the_same(tmp_path: Path) -> None:
    root = changed_repo(tmp_path)
    first = diff_revisions(root, "HEAD~1", "HEAD")
    assert first.files_parsed == 2
    blobs = {git(root, "rev-parse", f"{rev}:{BRAUNSCHWEIG}").strip() for rev in ("HEAD~1", "HEAD")}
    assert set(parsed_rows()) == blobs
    again = diff_revisions(root, "HEAD~1", "HEAD")
    assert again.files_parsed == 0
    assert again.changes == first.changes
    alone = diff_revisions(root, "HEAD~1", "HEAD", cache=False)
    assert (alone.files_parsed, alone.changes) == (2, first.changes)
    assert diff_text(root) == diff_text(root, "--no-cache")


def test_a_row_is_what_the_diff_takes_for_its_blob(tmp_path: Path) -> None:
    """A row changed behind coopctl's back shows through (so the blob was not parsed again);
    `--no-cache` reads the blobs themselves."""
    root = changed_repo(tmp_path)
    truth = diff_text(root)
    with sqlite3.connect(index_file()) as db:
        db.execute("UPDATE parsed SET data = replace(data, 'L\\u00f6wenstadt', 'Indexstadt')")
    assert "Indexstadt" in diff_text(root)
    assert diff_text(root, "--no-cache") == truth


@pytest.mark.parametrize("damage", ["truncated", "not-a-mapping", "not-text"])
def test_a_damaged_row_is_parsed_again(tmp_path: Path, damage: str) -> None:
    root = changed_repo(tmp_path)
    truth = diff_text(root, "--no-cache")
    diff_text(root)
    change = {
        "truncated": "UPDATE parsed SET data = substr(data, 1, 20)",
        "not-a-mapping": "UPDATE parsed SET data = '[1, 2]'",
        "not-text": "UPDATE parsed SET data = x'00ff'",
    }[damage]
    with sqlite3.connect(index_file()) as db:
        db.execute(change)
    assert diff_text(root) == truth
    assert diff_text(root) == truth


def test_a_blob_that_does_not_load_is_not_kept(tmp_path: Path) -> None:
    root = changed_repo(tmp_path)
    (root / BRAUNSCHWEIG).write_text("name: [unclosed\n", encoding="utf-8")
    commit_all(root, "break it")
    result = run_cli("diff", "HEAD~1", "HEAD", "--root", str(root))
    again = run_cli("diff", "HEAD~1", "HEAD", "--root", str(root))
    assert (again.exit_code, again.stdout, again.stderr) == (
        result.exit_code,
        result.stdout,
        result.stderr,
    )
    broken = git(root, "rev-parse", f"HEAD:{BRAUNSCHWEIG}").strip()
    good = git(root, "rev-parse", f"HEAD~1:{BRAUNSCHWEIG}").strip()
    assert set(parsed_rows()) == {good}
    assert broken not in parsed_rows()


def test_a_file_loaded_from_the_index_still_has_its_bytes(tmp_path: Path) -> None:
    from coopctl.gitstore import FileVersion, GitStore
    from coopctl.index import EntityIndex
    from coopctl.schemas import load_schemas

    root = changed_repo(tmp_path)
    diff_text(root)  # the index now has both versions
    store = GitStore(root)
    memo = EntityIndex(root, load_schemas(root / "schemas").digest)
    store.reader.remember_in(memo)
    sha = git(root, "rev-parse", f"HEAD:{BRAUNSCHWEIG}").strip()
    (registry,) = store.load_groups([[FileVersion("100644", sha, BRAUNSCHWEIG)]])
    assert store.reader.parsed == 0
    entity = registry.get("partner", "braunschweig")
    assert entity is not None and entity.data["name"] == "Löwenstadt"
    assert BRAUNSCHWEIG in registry.raw
    assert registry.raw[BRAUNSCHWEIG] == (root / BRAUNSCHWEIG).read_bytes()


def test_a_link_to_a_file_the_index_has_answers_as_without_it(tmp_path: Path) -> None:
    root = changed_repo(tmp_path)
    diff_text(root)
    (root / "registry/partners/loewenstadt.yaml").symlink_to("braunschweig.yaml")
    edit(root / BRAUNSCHWEIG, "name: Löwenstadt", "name: Stadt Braunschweig")
    commit_all(root, "a link, and the old name again")
    truth = diff_text(root, "--no-cache")
    assert diff_text(root) == truth
    assert diff_text(root) == truth  # every blob from the index now
