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


def test_bare_id_resolves_to_its_file_before_git_runs(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    solution = root / "registry/solutions/wolfsburg.yaml"
    solution.write_text("kind: solution\nid: wolfsburg\nname: Wolfsburg-App\n", encoding="utf-8")
    commit_all(repo, "A solution named like a partner")
    both = run_cli("history", "wolfsburg", "--root", str(root))
    assert both.exit_code == 2
    assert "'wolfsburg' is ambiguous: partner:wolfsburg, solution:wolfsburg" in both.output

    solution.unlink()
    commit_all(repo, "The solution goes")
    present = run_cli("history", "wolfsburg", "--root", str(root), "--format", "json")
    assert present.exit_code == 0, present.output
    assert json.loads(present.stdout)["kind"] == "partner"
    gone = run_cli("history", "solution:wolfsburg", "--root", str(root), "--format", "json")
    assert [c["subject"] for c in json.loads(gone.stdout)["commits"]] == [
        "The solution goes",
        "A solution named like a partner",
    ]

    git(repo, "rm", "-q", "registry/partners/wolfsburg.yaml")
    commit_all(repo, "Wolfsburg goes")
    # Gone from both kinds: the history of every kind is searched, as before.
    both_gone = run_cli("history", "wolfsburg", "--root", str(root))
    assert both_gone.exit_code == 2
    assert "'wolfsburg' is ambiguous: partner:wolfsburg, solution:wolfsburg" in both_gone.output
    old = run_cli("history", "wolfsburg", "--root", str(root), "--rev", "HEAD~1")
    assert old.exit_code == 0, old.output
    assert "Wolfsburg goes" not in old.stdout
    assert "Import the registry" in old.stdout


def test_a_file_moved_in_from_outside_the_registry_root(tmp_path: Path) -> None:
    # git records renames with one side outside the root: no version to read from the log,
    # so both trees are read, as they always were.
    repo, root = real_registry_repo(tmp_path, sub="reg")
    outside = repo / "drafts/wob.yaml"
    outside.parent.mkdir()
    git(repo, "mv", "reg/registry/partners/wolfsburg.yaml", "drafts/wob.yaml")
    edit(outside, "id: wolfsburg", "id: wob")
    commit_all(repo, "Draft outside the registry")
    git(repo, "mv", "drafts/wob.yaml", "reg/registry/partners/wob.yaml")
    commit_all(repo, "Back into the registry")
    result = run_cli("history", "wob", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    commits = json.loads(result.stdout)["commits"]
    assert [
        (c["subject"], c["path"], [(x["action"], x["id"]) for x in c["changes"]]) for c in commits
    ] == [
        ("Back into the registry", "registry/partners/wob.yaml", [("added", "wob")]),
        ("Draft outside the registry", "registry/partners/wob.yaml", []),
        ("Import the registry", "registry/partners/wolfsburg.yaml", [("added", "wolfsburg")]),
    ]


def test_a_version_over_the_size_limit_is_refused_as_in_a_revision(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    wolfsburg = root / "registry/partners/wolfsburg.yaml"
    text = wolfsburg.read_text(encoding="utf-8")
    wolfsburg.write_text(text + "# " + "x" * (1024 * 1024) + "\n", encoding="utf-8")
    commit_all(repo, "Too large")
    wolfsburg.write_text(text.replace("name: Stadt Wolfsburg", "name: VW-Stadt"), encoding="utf-8")
    commit_all(repo, "Small again")
    result = run_cli("history", "partner:wolfsburg", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    commits = json.loads(result.stdout)["commits"]
    assert [(c["subject"], [x["action"] for x in c["changes"]]) for c in commits] == [
        ("Small again", ["added"]),
        ("Too large", ["removed"]),
        ("Import the registry", ["added"]),
    ]
