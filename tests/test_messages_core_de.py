"""The messages of coopctl's core in German (LANG=de_DE.UTF-8) and in English (C.UTF-8), through
the real CLI: YAML mistakes, git errors, --where errors and the repairs of fmt --fix. The place
(`path:line:column`), the code and the exit code are the same in both languages; only the words
change. The fact cache and the remembered output keep each language apart."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, edit, init_repo
from tests.helpers import EXAMPLES, coopctl_process, make_registry, run_cli
from tests.test_examples import _prepare

# An in-process run sets $LANGUAGE to the language it speaks (for click's own texts); the next
# run in the same test must not inherit it, so each names its locale alone.
GERMAN = {"LANG": "de_DE.UTF-8", "LANGUAGE": ""}
ENGLISH = {"LANG": "C.UTF-8", "LANGUAGE": ""}


def _case(name: str, root: Path) -> Path:
    """The golden case `name` (tests/examples/invalid/<name>/) as a registry at `root`."""
    built = _prepare(EXAMPLES / "invalid" / name, root.parent)
    if built != root:
        shutil.copytree(built, root, dirs_exist_ok=True, symlinks=True)
        shutil.rmtree(built)
    return root


def _line(output: str, where: str, code: str) -> str:
    """The one problem line at `where` with `code`, whatever the severity word is called."""
    found = [
        line
        for line in output.splitlines()
        if re.match(rf"{re.escape(where)}: \w+\[{code}\] ", line)
    ]
    assert len(found) == 1, output
    return found[0]


# (case, path:line:column or None for every place expected.txt lists, code, German words,
# English words)
YAML_CASES = [
    (
        "duplicate-key",
        "registry/partners/braunschweig.yaml:6:1",
        "Y002",
        "doppelter Schlüssel „name“: er steht bereits in Zeile 4",
        "duplicate key 'name': it is written on line 4 already",
    ),
    (
        "bad-indentation",
        "registry/partners/deeper.yaml:5:2",
        "Y016",
        "„type“ beginnt in Spalte 2, aber dort beginnt kein Block der Datei",
        "'type' starts at column 2, but no block of the file starts there",
    ),
    (
        "tab-indentation",
        None,
        "Y009",
        "Tabulator zur Einrückung verwendet",
        "tab character used for indentation",
    ),
    (
        "unclosed-quote",
        None,
        "Y018",
        "wird nie geschlossen, daher wird alles danach als Teil des Werts gelesen",
        "is never closed, so what follows it is read as part of the value",
    ),
    (
        "missing-space-after-colon",
        None,
        "Y017",
        "steht kein Leerzeichen",
        "there is no space after the colon",
    ),
    ("multiple-documents", None, "Y003", "hier beginnt ein zweites YAML-Dokument", "a second"),
    ("empty-file", None, "Y010", "die Datei hat keinen Inhalt", "the file holds no content"),
    (
        "yaml-syntax-error",
        "registry/partners/unclosed-bracket.yaml:5:5",
        "Y001",
        "der YAML-Parser bricht hier ab: ",
        "the YAML parser stops here: ",
    ),
    ("not-a-mapping", None, "Y005", "keine Zuordnung von Feldern", "not a mapping of fields"),
    ("anchor-and-alias", None, "Y004", "ist nicht erlaubt", "is not allowed"),
    ("wrong-extension", None, "F006", "werden nur .yaml-Dateien gelesen", "files are read in"),
    (
        "misplaced-file",
        "registry/cities/wolfsburg.yaml:1:1",
        "F005",
        "nicht im Ordner einer Art",
        "not in a kind folder",
    ),
]


def _expected_places(case: str, code: str) -> list[str]:
    lines = (EXAMPLES / "invalid" / case / "expected.txt").read_text(encoding="utf-8")
    return [
        line.split()[0]
        for line in lines.splitlines()
        if line.strip() and not line.startswith("#") and line.split()[1] == code
    ]


@pytest.mark.parametrize(
    ("case", "where", "code", "german", "english"), YAML_CASES, ids=[c[0] for c in YAML_CASES]
)
def test_yaml_and_file_problems_speak_the_language_of_the_run(
    case: str, where: str | None, code: str, german: str, english: str, tmp_path: Path
) -> None:
    root = _case(case, tmp_path / "reg")
    places = [where] if where else _expected_places(case, code)
    assert places
    outputs = {}
    for name, env in (("de", GERMAN), ("en", ENGLISH)):
        result = run_cli("validate", "--root", str(root), "--no-cache", env=env)
        assert result.exit_code == 1, result.output
        outputs[name] = result.stdout
        for place in places:
            line = _line(result.stdout, place, code)
            words = german if name == "de" else english
            assert words in line
            other = english if name == "de" else german
            assert other not in line
    de = json.loads(
        run_cli("validate", "--root", str(root), "--no-cache", "-f", "json", env=GERMAN).stdout
    )
    en = json.loads(
        run_cli("validate", "--root", str(root), "--no-cache", "-f", "json", env=ENGLISH).stdout
    )
    # the same problems at the same places with the same codes; only the words differ
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in de["problems"]] == [
        (p["path"], p["line"], p["column"], p["code"]) for p in en["problems"]
    ]
    assert set(de["problems"][0]) == set(en["problems"][0])


def test_hints_of_yaml_mistakes_are_german(tmp_path: Path) -> None:
    root = _case("duplicate-key", tmp_path / "reg")
    result = run_cli("validate", "--root", str(root), "--no-cache", "-f", "json", env=GERMAN)
    hints = {p["hint"] for p in json.loads(result.stdout)["problems"] if p["code"] == "Y002"}
    assert (
        "Behalten Sie nur einen der beiden Schlüssel „name“ (Zeile 4 oder Zeile 6) "
        "und löschen Sie den anderen"
    ) in hints


def test_a_registry_outside_git_is_reported_in_german(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    german = run_cli("check", "--root", str(root), "--base", "HEAD", env=GERMAN)
    english = run_cli("check", "--root", str(root), "--base", "HEAD", env=ENGLISH)
    assert german.exit_code == english.exit_code == 2
    assert "liegt nicht in einem Git-Repository" in german.output
    assert "in Git verwaltet" in german.output  # the hint
    assert "not inside a git repository" in english.output
    assert "not inside a git repository" not in german.output


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init_repo(tmp_path / "repo")
    make_registry(repo, with_real_registry=True)
    commit_all(repo, "Import the registry")
    return repo


@pytest.mark.parametrize(
    "args",
    [("check", "--base", "no-such-branch"), ("diff", "no-such-branch")],
    ids=["check", "diff"],
)
def test_a_bad_revision_is_reported_in_german(repo: Path, args: tuple[str, ...]) -> None:
    german = run_cli(*args, "--root", str(repo), env=GERMAN)
    english = run_cli(*args, "--root", str(repo), env=ENGLISH)
    assert german.exit_code == english.exit_code == 2
    assert "die Revision „no-such-branch“ existiert nicht" in german.output
    assert "Nennen Sie einen Branch, einen Tag oder einen Commit" in german.output
    assert "revision 'no-such-branch' does not exist" in english.output
    assert "does not exist" not in german.output


@pytest.mark.parametrize(
    ("where", "german", "english"),
    [
        (
            "=DE-NI",
            "--where „=DE-NI“: eine Bedingung beginnt mit einem Feldnamen",
            "--where '=DE-NI': a condition starts with a field name",
        ),
        (
            "state DE-NI",
            "--where „state DE-NI“: nach „state“ wird =, !=, ~ oder in erwartet",
            "--where 'state DE-NI': expected =, !=, ~ or in after 'state'",
        ),
        (
            "nmae=Braunschweig",
            "meinten Sie „name“?",
            "did you mean 'name'?",
        ),
    ],
)
def test_where_errors_are_german(tmp_path: Path, where: str, german: str, english: str) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    args = ("list", "partners", "--root", str(root), "--where", where)
    de, en = run_cli(*args, env=GERMAN), run_cli(*args, env=ENGLISH)
    assert de.exit_code == en.exit_code == 2
    assert german in de.output
    assert english in en.output
    assert english not in de.output


def test_fmt_fix_reports_its_repairs_in_german(tmp_path: Path) -> None:
    braunschweig = "registry/partners/braunschweig.yaml"
    roots = {}
    for name in ("de", "en"):
        root = make_registry(tmp_path / name, with_real_registry=True)
        edit(root / braunschweig, "ars: '031010000000'", "ars: 031010000000")
        edit(root / braunschweig, "website: http", "webseite: http")
        roots[name] = root
    de = run_cli("fmt", "--fix", "--root", str(roots["de"]), env=GERMAN)
    en = run_cli("fmt", "--fix", "--root", str(roots["en"]), env=ENGLISH)
    assert de.exit_code == en.exit_code == 0
    assert (
        f"{braunschweig}:10:6:" in de.stdout
        and "ars: 31010000000 -> '031010000000' (Schlüssel in Anführungszeichen)" in de.stdout
    )
    assert f"{braunschweig}:11:1:" in de.stdout
    assert "webseite: Feld 'webseite' in 'website' umbenannt" in de.stdout
    assert "ars: 31010000000 -> '031010000000' (quoted key)" in en.stdout
    assert "webseite: field 'webseite' renamed to 'website'" in en.stdout
    assert (roots["de"] / braunschweig).read_bytes() == (roots["en"] / braunschweig).read_bytes()


def _validate(root: Path, cache: Path, env: dict[str, str]) -> tuple[int, str, str]:
    result = coopctl_process(root, "validate", "--stats", COOPCTL_CACHE_DIR=str(cache), **env)
    return result.returncode, result.stdout, result.stderr


def test_the_fact_cache_keeps_each_language_apart(tmp_path: Path) -> None:
    """An English run after a German one on the same registry (and the other way round) never
    gets the other language's messages from the cache, while each language's own facts are
    still taken from it."""
    repo = init_repo(tmp_path / "repo")
    _case("duplicate-key", repo)
    commit_all(repo, "Broken files")
    cache = tmp_path / "cache"
    where = "registry/partners/braunschweig.yaml:6:1"
    german_words = "doppelter Schlüssel „name“"
    english_words = "duplicate key 'name'"

    def speaks(output: str, words: str, not_words: str) -> None:
        line = _line(output, where, "Y002")
        assert words in line and not_words not in line

    code, out, err = _validate(repo, cache, ENGLISH)
    assert code == 1 and "0 from the cache" in err
    speaks(out, english_words, german_words)
    # German after English: nothing comes from the English facts
    code, out, err = _validate(repo, cache, GERMAN)
    assert code == 1 and "0 aus dem Cache" in err, err
    speaks(out, german_words, english_words)
    # a change elsewhere: each language now finds its own facts of the unchanged files
    (repo / "registry" / "partners" / "README.md").write_text("notes\n", encoding="utf-8")
    edit(repo / "registry" / "partners" / "quoted.yaml", "\n", "\n# edited\n")
    for env, words, not_words, cached in (
        (ENGLISH, english_words, german_words, "from the cache"),
        (GERMAN, german_words, english_words, "aus dem Cache"),
    ):
        code, out, err = _validate(repo, cache, env)
        assert code == 1
        found = re.search(rf"(\d+) {cached}", err)
        assert found and int(found.group(1)) >= 1, err
        speaks(out, words, not_words)
    # and the remembered output of a whole run is kept per language too
    for env, words, not_words in (
        (ENGLISH, english_words, german_words),
        (GERMAN, german_words, english_words),
    ):
        result = coopctl_process(repo, "validate", COOPCTL_CACHE_DIR=str(cache), **env)
        assert result.returncode == 1
        speaks(result.stdout, words, not_words)


def test_change_rules_of_check_are_german(repo: Path) -> None:
    (repo / "registry" / "partners" / "braunschweig.yaml").unlink()
    german = run_cli("check", "--base", "HEAD", "--root", str(repo), env=GERMAN)
    english = run_cli("check", "--base", "HEAD", "--root", str(repo), env=ENGLISH)
    assert german.exit_code == english.exit_code == 1
    line = _line(german.stdout, "registry/partners/braunschweig.yaml:1:1", "C001")
    assert "partner „braunschweig“ wird entfernt, wird aber noch verwendet von" in line
    line = _line(english.stdout, "registry/partners/braunschweig.yaml:1:1", "C001")
    assert "partner 'braunschweig' is removed but is still referenced by" in line
