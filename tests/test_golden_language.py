"""Golden outputs of validate and check in German and in English: a small git registry, each
format under LANG=de_DE.UTF-8 and LANG=C.UTF-8, compared with tests/golden/<name>.txt.

Run with COOPCTL_UPDATE_GOLDEN=1 to write the files anew (then read the diff before committing).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, init_repo
from tests.helpers import REGISTRY, coopctl_process, make_registry

GOLDEN = Path(__file__).resolve().parent / "golden"
LOCALES = {"de": "de_DE.UTF-8", "en": "C.UTF-8"}
BROKEN = """\
# yaml-language-server: $schema=../../schemas/partner.schema.json
kind: partner
id: neustadt
name: Neustadt
type: grossstadt
state: DE-NI
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main: one partner; the working tree renames it and adds a partner with an unknown type
    and no sources (an error and a warning)."""
    repo = init_repo(tmp_path_factory.mktemp("golden") / "repo")
    akdb = (REGISTRY / "partners" / "akdb.yaml").read_text(encoding="utf-8")
    make_registry(repo, {"registry/partners/akdb.yaml": akdb})
    environment = {
        "GIT_AUTHOR_NAME": "Test Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Test Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
    }
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        commit_all(repo, "Import")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    renamed = akdb.replace("name: Anstalt für Kommunale", "name: Anstalt für kommunale")
    (repo / "registry/partners/akdb.yaml").write_text(renamed, encoding="utf-8")
    (repo / "registry/partners/neustadt.yaml").write_text(BROKEN, encoding="utf-8")
    return repo


RUNS = {
    "validate-text": ("validate", "--no-cache"),
    "validate-github": ("validate", "--no-cache", "--format", "github"),
    "check-text": ("check", "--no-cache", "--base", "main"),
    "check-github": ("check", "--no-cache", "--base", "main", "--format", "github"),
    "check-markdown": ("check", "--no-cache", "--base", "main", "--format", "markdown"),
}


@pytest.mark.parametrize("lang", sorted(LOCALES))
@pytest.mark.parametrize("name", sorted(RUNS))
def test_golden_output(registry: Path, name: str, lang: str) -> None:
    done = coopctl_process(registry, *RUNS[name], LANG=LOCALES[lang], COOPCTL_NO_MEMO="1")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    golden = GOLDEN / f"{name}.{lang}.txt"
    if os.environ.get("COOPCTL_UPDATE_GOLDEN"):
        golden.write_text(done.stdout, encoding="utf-8")
    assert done.stdout == golden.read_text(encoding="utf-8")


def test_check_markdown_speaks_german_without_a_locale(registry: Path) -> None:
    """The job summary is a text for people: German unless English is asked for."""
    plain = coopctl_process(registry, *RUNS["check-markdown"], LANG="C.UTF-8")
    assert plain.stdout == (GOLDEN / "check-markdown.de.txt").read_text(encoding="utf-8")
    asked = coopctl_process(registry, "--lang", "en", *RUNS["check-markdown"], LANG="C.UTF-8")
    assert "## coopctl check ❌ failed" in asked.stdout


def test_check_in_ci_writes_german_summary(registry: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    done = coopctl_process(
        registry,
        *RUNS["check-text"],
        LANG="C.UTF-8",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert done.returncode == 1
    written = summary.read_text(encoding="utf-8")
    assert written == (GOLDEN / "check-markdown.de.txt").read_text(encoding="utf-8")
    assert "::error file=registry/partners/neustadt.yaml" in done.stdout  # codes stay


def test_history_and_diff_in_german(registry: Path) -> None:
    german = coopctl_process(registry, "--lang", "de", "history", "akdb")
    assert german.returncode == 0, german.stderr
    first, change = german.stdout.splitlines()[:2]
    assert re.fullmatch(r"[0-9a-f]{12} \d\d\.\d\d\.\d{4} Test Editor: Import", first)
    assert change == "  + Partner akdb hinzugefügt (registry/partners/akdb.yaml)"
    english = coopctl_process(registry, "history", "akdb", LANG="C.UTF-8")
    assert re.fullmatch(
        r"[0-9a-f]{12} \d{4}-\d\d-\d\d Test Editor: Import", english.stdout.split("\n")[0]
    )
    diff = coopctl_process(registry, "--lang", "de", "diff", "--format", "markdown")
    assert diff.stdout.startswith("### Änderungen von HEAD nach Arbeitskopie\n\n")
    assert "- **hinzugefügt** Partner neustadt (registry/partners/neustadt.yaml)" in diff.stdout


def test_machine_formats_keep_their_keys_in_german(registry: Path) -> None:
    import json

    runs = {}
    for lang in ("de", "en"):
        done = coopctl_process(registry, "--lang", lang, "validate", "--format", "sarif")
        assert done.returncode == 1, done.stderr
        runs[lang] = json.loads(done.stdout)["runs"][0]
    german, english = runs["de"], runs["en"]
    assert [r["ruleId"] for r in german["results"]] == [r["ruleId"] for r in english["results"]]
    assert german["results"][0].keys() == english["results"][0].keys()
    described = german["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]
    assert described.startswith("Die oberste Ebene der Git-Arbeitskopie")
    gitlab = {
        lang: json.loads(
            coopctl_process(registry, "--lang", lang, "validate", "--format", "gitlab").stdout
        )
        for lang in ("de", "en")
    }
    keys = [(e["check_name"], e["severity"], e["fingerprint"]) for e in gitlab["de"]]
    assert keys == [(e["check_name"], e["severity"], e["fingerprint"]) for e in gitlab["en"]]
    assert {e["severity"] for e in gitlab["de"]} == {"major", "minor"}
