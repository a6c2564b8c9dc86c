"""`coopctl history ID`: the commits that changed an entity, following renames."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gitrepo import commit_all, edit, git, real_registry_repo
from tests.helpers import run_cli


def test_history_follows_renames_and_shows_each_change(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / "registry/partners/wolfsburg.yaml", "name: Stadt Wolfsburg", "name: VW-Stadt")
    commit_all(repo, "Wolfsburg gets a nickname")
    edit(root / "registry/partners/braunschweig.yaml", "name: Stadt Braunschweig", "name: BS")
    commit_all(repo, "Unrelated change")
    git(repo, "mv", "registry/partners/wolfsburg.yaml", "registry/partners/wob.yaml")
    edit(root / "registry/partners/wob.yaml", "id: wolfsburg", "id: wob")
    commit_all(repo, "Shorter id for Wolfsburg")

    result = run_cli("history", "wob", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    subjects = [c["subject"] for c in document["commits"]]
    assert subjects == [
        "Shorter id for Wolfsburg",
        "Wolfsburg gets a nickname",
        "Import the registry",
    ]
    log = git(repo, "log", "--format=%H", "--follow", "--", "registry/partners/wob.yaml").split()
    assert [c["sha"] for c in document["commits"]] == log
    rename, nickname, created = (c["changes"] for c in document["commits"])
    assert [(c["action"], c["old_id"], c["id"]) for c in rename] == [
        ("renamed", "wolfsburg", "wob")
    ]
    assert [(c["action"], c["field"], c["old"], c["new"]) for c in nickname] == [
        ("modified", None, None, None),
        ("changed", "name", "Stadt Wolfsburg", "VW-Stadt"),
    ]
    assert [c["action"] for c in created] == ["added"]
    assert all(c["author"] == "Test Editor" for c in document["commits"])

    text = run_cli("history", "partner:wob", "--root", str(root))
    assert text.exit_code == 0
    assert "Wolfsburg gets a nickname" in text.stdout
    assert "name: 'Stadt Wolfsburg' -> 'VW-Stadt'" in text.stdout


def test_unknown_entity_and_kind(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    result = run_cli("history", "atlantis", "--root", str(root))
    assert result.exit_code == 2
    assert "no entity 'atlantis'" in result.output
    result = run_cli("history", "city:atlantis", "--root", str(root))
    assert result.exit_code == 2
    assert "'city' is not a kind" in result.output
