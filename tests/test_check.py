"""`coopctl check --base REV`: the pull-request gate on real repositories, its change rules,
new versus inherited problems, and its outputs (GitHub, GitLab, SARIF, Markdown, JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from tests.gitrepo import commit_all, edit, git, read_yaml, real_registry_repo, write_yaml
from tests.helpers import run_cli

BSW = "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"
MAN = "registry/agreements/muenchen-augsburg-nuernberg.yaml"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EVIL = "x%0A::error file=a::forged"


def _check(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, Any]:
    result = run_cli("check", "--root", str(root), "--format", "json", *args, env=env)
    return result.exit_code, json.loads(result.stdout)


def _codes(document: dict[str, Any], new: bool | None = None) -> list[str]:
    return [p["code"] for p in document["problems"] if new is None or p["new"] is new]


def test_a_clean_change_passes(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    data = read_yaml(root / BSW)
    data["events"].append(
        {
            "date": "2022-01-10",
            "type": "accession",
            "partners": ["mi-niedersachsen"],
            "sources": [{"url": "https://example.org/gifhorn", "title": "Gifhorn tritt bei"}],
        }
    )
    write_yaml(root / BSW, data)
    code, document = _check(root, "--base", "HEAD")
    assert code == 0, document["problems"]
    assert document["passed"] is True
    [change] = document["diff"]["changes"]
    assert [(f["action"], f["pointer"]) for f in change["fields"]] == [
        ("added", f"/events/{len(data['events']) - 1}")
    ]


def test_removing_a_referenced_partner_lists_its_referrers(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "rm", "-q", "registry/partners/salzgitter.yaml")
    commit_all(repo, "Drop Salzgitter")
    code, document = _check(root, "--base", "HEAD~1", "--head", "HEAD")
    assert code == 1
    [removed] = [p for p in document["problems"] if p["code"] == "C001"]
    assert removed["path"] == "registry/partners/salzgitter.yaml"
    # independent count: the files that name salzgitter as a value
    referring = {
        p.stem
        for p in (root / "registry").rglob("*.yaml")
        if re.search(r"(?m)(^\s*-\s*|: )salzgitter$", p.read_text(encoding="utf-8"))
    }
    assert referring == {"braunschweig-salzgitter-wolfsburg", "ewa"}
    for name in referring:
        assert name in removed["message"]
    assert "R001" in _codes(document, new=True)


def test_a_rename_is_reported_and_dangling_references_fail(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    git(repo, "mv", "registry/partners/cit-gmbh.yaml", "registry/partners/cit.yaml")
    edit(root / "registry/partners/cit.yaml", "id: cit-gmbh", "id: cit")
    code, document = _check(root, "--base", "HEAD")
    assert code == 1
    assert {"C001", "C002"} <= set(_codes(document))
    [renamed] = document["diff"]["changes"]
    assert (renamed["action"], renamed["old_id"], renamed["id"]) == ("renamed", "cit-gmbh", "cit")
    edit(root / "registry/solutions/cit-intelliform.yaml", "provider: cit-gmbh", "provider: cit")
    code, document = _check(root, "--base", "HEAD")
    assert code == 0, document["problems"]
    assert _codes(document) == ["C002"]


def _terminate(root: Path) -> None:
    data = read_yaml(root / MAN)
    data["status"] = "terminated"
    data["events"].append({"date": "2025-06", "type": "termination"})
    write_yaml(root / MAN, data)


def test_status_going_back_needs_an_event(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    _terminate(root)
    commit_all(repo, "Terminated")
    data = read_yaml(root / MAN)
    data["status"] = "active"
    data["events"] = [e for e in data["events"] if e["type"] != "termination"]
    write_yaml(root / MAN, data)
    code, document = _check(root, "--base", "HEAD")
    assert code == 1
    assert _codes(document) == ["C003"]
    data["events"].append({"date": "2025-07", "type": "extension"})
    write_yaml(root / MAN, data)
    code, document = _check(root, "--base", "HEAD")
    assert code == 0, document["problems"]


def test_moving_an_event_is_a_warning(tmp_path: Path) -> None:
    _, root = real_registry_repo(tmp_path)
    edit(root / MAN, "- date: '2023-05-10'", "- date: '2023-05-11'")
    code, document = _check(root, "--base", "HEAD")
    assert code == 0
    [warning] = document["problems"]
    assert (warning["code"], warning["severity"], warning["pointer"]) == (
        "C004",
        "warning",
        "/events/3/date",
    )
    assert "2023-05-10 to 2023-05-11" in warning["message"]


def test_problems_of_the_base_are_reported_apart(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / "registry/solutions/ewa.yaml", "partner: salzgitter", "partner: salzgiter")
    commit_all(repo, "A typo lands on main")
    edit(root / "registry/partners/wolfsburg.yaml", "name: Stadt Wolfsburg", "name: Wolfsburg")
    code, document = _check(root, "--base", "HEAD")
    assert code == 1
    assert _codes(document, new=False) == ["R001"]
    assert _codes(document, new=True) == []
    code, document = _check(root, "--base", "HEAD", "--new-only")
    assert code == 0
    assert document["summary"]["existing"] == 1


def _evil_change(repo: Path, root: Path) -> None:
    data = read_yaml(root / BSW)
    data["events"][0]["partners"].append(EVIL)
    write_yaml(root / BSW, data)
    edit(
        root / "registry/partners/wolfsburg.yaml",
        "name: Stadt Wolfsburg",
        "name: '</details><script>alert(1)</script>'",
    )


def test_github_annotations_and_summary_cannot_be_forged(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    _evil_change(repo, root)
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_cli("--lang", "en", "check", "--root", str(root), "--base", "HEAD", env=env)
    assert result.exit_code == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands, result.stdout
    assert all(re.match(r"^::(error|warning|notice) file=registry/", c) for c in commands)
    assert not any(line.startswith("::error file=a") for line in result.stdout.splitlines())
    assert any("x%250A:\\x3aerror file=a:\\x3aforged" in c for c in commands)
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# earlier step\n## coopctl check ❌ failed")
    assert "<script>" not in written and "</details><script>" not in written
    assert written.count("<details>") == written.count("</details>")
    assert "&lt;/details&gt;&lt;script&gt;" in written


def test_markdown_output(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    _evil_change(repo, root)
    result = run_cli(
        "--lang", "en", "check", "--root", str(root), "--base", "HEAD", "--format", "markdown"
    )
    assert result.exit_code == 1
    assert "### New problems" in result.stdout and "### Entities touched" in result.stdout
    assert "<script>" not in result.stdout


def test_sarif_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path, sub="daten 2")
    edit(root / "registry/solutions/ewa.yaml", "partner: salzgitter", "partner: salzgiter")
    commit_all(repo, "A typo lands on main")
    _evil_change(repo, root)
    result = run_cli("check", "--root", str(root), "--base", "HEAD", "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    errors = list(Draft4Validator(schema).iter_errors(document))
    assert errors == []
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    results = run["results"]
    assert {r["ruleId"] for r in results} >= {"R001", "S006"}
    assert any(EVIL in r["message"]["text"] for r in results)
    states = {(r["ruleId"], r["baselineState"]) for r in results}
    assert ("R001", "unchanged") in states and ("S006", "new") in states
    for found in results:
        [location] = found["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert artifact["uri"].startswith("daten%202/registry/")


def test_gitlab_code_quality(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path, sub="data")
    _evil_change(repo, root)
    result = run_cli("check", "--root", str(root), "--base", "HEAD", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert issues
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"].startswith("data/registry/")
        assert (repo / issue["location"]["path"]).exists()
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)


@pytest.mark.parametrize("args", [["--base", "nope"], ["--base", "HEAD", "--head", "nope"]])
def test_bad_revisions(tmp_path: Path, args: list[str]) -> None:
    _, root = real_registry_repo(tmp_path)
    result = run_cli("check", "--root", str(root), *args)
    assert result.exit_code == 2
    assert "revision 'nope' does not exist" in result.output
