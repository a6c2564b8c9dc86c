"""`coopctl diff` on real repositories: field changes, identity-matched lists, renames,
revision ranges, formats, and a cost that follows the change."""

from __future__ import annotations

from pathlib import Path

from coopctl.diff import diff_revisions
from tests.gitrepo import (
    commit_all,
    diff_json,
    edit,
    git,
    read_yaml,
    real_registry_repo,
    write_yaml,
)
from tests.helpers import run_cli

MAN = "registry/agreements/muenchen-augsburg-nuernberg.yaml"
BRAUNSCHWEIG = "registry/partners/braunschweig.yaml"


def test_a_modified_field_is_shown_old_to_new(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    before = read_yaml(root / BRAUNSCHWEIG)["name"]
    edit(root / BRAUNSCHWEIG, f"name: {before}", "name: Löwenstadt")
    document = diff_json(root)
    assert document["summary"] == {
        "added": 0,
        "removed": 0,
        "renamed": 0,
        "modified": 1,
        "files_changed": 1,
    }
    [change] = document["changes"]
    assert (change["action"], change["kind"], change["id"]) == (
        "modified",
        "partner",
        "braunschweig",
    )
    assert change["fields"] == [
        {
            "action": "changed",
            "pointer": "/name",
            "field": "name",
            "old": before,
            "new": "Löwenstadt",
        }
    ]
    text = run_cli("diff", "--root", str(root))
    assert text.exit_code == 0
    assert f"name: '{before}' -> 'Löwenstadt'" in text.stdout
    assert run_cli("diff", "--root", str(root), "--exit-code").exit_code == 1


def test_reordering_identity_lists_and_value_lists_is_no_change(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    data = read_yaml(root / MAN)
    data["events"].reverse()
    data["sources"].reverse()
    data["areas"].reverse()
    write_yaml(root / MAN, data)
    assert git(repo, "status", "--porcelain").strip()  # the file did change on disk
    document = diff_json(root)
    assert document["changes"] == []
    assert run_cli("diff", "--root", str(root), "--exit-code").exit_code == 0


def test_an_edited_list_item_is_one_change(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    data = read_yaml(root / MAN)
    data["events"].reverse()
    meeting = next(i for i, e in enumerate(data["events"]) if e["date"] == "2023-05-10")
    data["events"][meeting]["place"] = "Augsburg"
    signing = next(i for i, e in enumerate(data["events"]) if e["type"] == "signed")
    data["events"][signing]["date"] = "2019-07-17"  # an identity field edited, nothing else
    write_yaml(root / MAN, data)
    [change] = diff_json(root)["changes"]
    assert sorted(change["fields"], key=lambda f: f["pointer"]) == [
        {
            "action": "changed",
            "pointer": f"/events/{meeting}/place",
            "field": f"events[{meeting}].place",
            "old": "München",
            "new": "Augsburg",
        },
        {
            "action": "changed",
            "pointer": f"/events/{signing}/date",
            "field": f"events[{signing}].date",
            "old": "2019-07-16",
            "new": "2019-07-17",
        },
    ]


def test_added_removed_and_renamed_entities(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "mv", "registry/partners/cit-gmbh.yaml", "registry/partners/cit.yaml")
    edit(root / "registry/partners/cit.yaml", "id: cit-gmbh", "id: cit")
    git(repo, "rm", "-q", "registry/partners/salzgitter.yaml")
    data = read_yaml(root / BRAUNSCHWEIG)
    data["id"] = "peine"
    write_yaml(root / "registry/partners/peine.yaml", data | {"name": "Stadt Peine"})
    commit_all(repo, "three changes")
    document = diff_json(root, "HEAD~1", "HEAD")
    by_action = {c["action"]: c for c in document["changes"]}
    assert set(by_action) == {"added", "removed", "renamed"}
    assert by_action["added"]["id"] == "peine"
    assert by_action["removed"]["id"] == "salzgitter"
    renamed = by_action["renamed"]
    assert (renamed["old_id"], renamed["id"]) == ("cit-gmbh", "cit")
    assert renamed["old_path"] == "registry/partners/cit-gmbh.yaml"
    assert renamed["fields"] == []
    assert diff_json(root, "HEAD~1..HEAD")["changes"] == document["changes"]


def test_three_dots_diff_from_the_common_ancestor(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "feature")
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    commit_all(repo, "feature change")
    git(repo, "checkout", "-q", "main")
    edit(root / "registry/partners/wolfsburg.yaml", "name: Stadt Wolfsburg", "name: VW-Stadt")
    commit_all(repo, "main moves on")
    three = {c["id"] for c in diff_json(root, "main...feature")["changes"]}
    two = {c["id"] for c in diff_json(root, "main..feature")["changes"]}
    assert three == {"braunschweig"}
    assert two == {"braunschweig", "wolfsburg"}


def test_only_changed_files_are_parsed(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: Löwenstadt")
    result = diff_revisions(root, "HEAD")
    assert (result.files_changed, result.files_parsed) == (1, 2)


def test_markdown_is_escaped(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: '</details><script>x</script>'")
    result = run_cli("diff", "--root", str(root), "--format", "markdown")
    assert result.exit_code == 0
    assert "<script>" not in result.stdout and "</details>" not in result.stdout
    assert "&lt;/details&gt;&lt;script&gt;" in result.stdout
