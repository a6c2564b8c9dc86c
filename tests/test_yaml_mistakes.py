"""One mistake gives one clear message, where it is: the common YAML mistakes in plain words
with a hint built from the user's own line, references to a file that cannot be read, and the
quoting hint of a number that should be text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gitrepo import edit
from tests.helpers import make_registry, run_cli

BRAUNSCHWEIG = "registry/partners/braunschweig.yaml"
AGREEMENT = "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "reg", with_real_registry=True)


def _problems(root: Path) -> list[dict[str, object]]:
    result = run_cli("validate", "--root", str(root), "--no-cache", "--format", "json")
    assert result.exit_code == 1, result.output
    problems: list[dict[str, object]] = json.loads(result.stdout)["problems"]
    return problems


def _only(root: Path, path: str) -> dict[str, object]:
    found = [p for p in _problems(root) if p["path"] == path]
    assert len(found) == 1, found
    return found[0]


MISTAKES = [
    # (what the line becomes, code, words in the message, the hint)
    (
        " state: DE-NI",
        "Y016",
        "'state' starts at column 2",
        "start it at column 1, as 'gv_type' on line 7: state: DE-NI",
    ),
    (
        "state:DE-NI",
        "Y017",
        "no space after the colon of 'state'",
        "put a space after the colon: state: DE-NI",
    ),
    (
        "state: 'DE-NI",
        "Y018",
        "never closed",
        "end the value with ' on the same line: state: 'DE-NI'",
    ),
    (
        "state: DE-NI: Niedersachsen",
        "Y019",
        "holds ': '",
        "quote the value: state: 'DE-NI: Niedersachsen'",
    ),
]


@pytest.mark.parametrize(("line", "code", "words", "hint"), MISTAKES, ids=[m[1] for m in MISTAKES])
def test_a_yaml_mistake_is_explained_with_the_users_line(
    root: Path, line: str, code: str, words: str, hint: str
) -> None:
    edit(root / BRAUNSCHWEIG, "state: DE-NI", line)
    found = _only(root, BRAUNSCHWEIG)
    assert (found["code"], found["line"]) == (code, 8)
    assert words in str(found["message"])
    assert found["hint"] == hint
    assert "<block end>" not in str(found["message"])


@pytest.mark.parametrize(
    "line",
    [" state: DE-NI", "\tstate: DE-NI", "state: DE-NI\nname: Braunschweig", "state:DE-NI"],
    ids=["indentation", "tab", "duplicate-key", "missing-space"],
)
def test_a_reference_to_a_file_that_cannot_be_read_names_that_file(root: Path, line: str) -> None:
    edit(root / BRAUNSCHWEIG, "state: DE-NI", line)
    problems = _problems(root)
    references = [p for p in problems if p["path"] == AGREEMENT]
    own = [p for p in problems if p["path"] == BRAUNSCHWEIG]
    assert len(own) == 1 and own[0]["severity"] == "error"
    assert references and {p["code"] for p in references} == {"R002"}
    for found in references:
        assert found["severity"] == "warning"
        message = str(found["message"])
        assert BRAUNSCHWEIG in message and str(own[0]["code"]) in message
        assert "no partner" not in message
        assert "add registry/partners" not in str(found["hint"])


def test_a_reference_to_a_latin1_file_names_the_byte(root: Path) -> None:
    raw = (root / BRAUNSCHWEIG).read_bytes()
    (root / BRAUNSCHWEIG).write_bytes(raw.replace(b"name: Stadt", b"name: N\xfc Stadt"))
    references = [p for p in _problems(root) if p["path"] == AGREEMENT]
    assert references and all("F002 at line 4" in str(p["message"]) for p in references)


def test_a_tab_hint_shows_the_line_with_spaces(root: Path) -> None:
    edit(root / BRAUNSCHWEIG, "  - name: Dr. Thorsten Kornblum", "\t- name: Dr. Thorsten Kornblum")
    found = _only(root, BRAUNSCHWEIG)
    assert found["code"] == "Y009"
    assert found["hint"] == (
        "indent with spaces only, to column 3, under 'contacts' on line 12: "
        "- name: Dr. Thorsten Kornblum"
    )


def test_a_duplicate_key_names_its_first_line(root: Path) -> None:
    edit(root / BRAUNSCHWEIG, "state: DE-NI", "state: DE-NI\nname: Braunschweig")
    found = _only(root, BRAUNSCHWEIG)
    assert (found["code"], found["line"], found["column"]) == ("Y002", 9, 1)
    assert "line 4" in str(found["message"])
    assert "line 4 or line 9" in str(found["hint"])


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        (
            "ags: 03101000",
            "quote the value so it stays text with its leading zeros: ags: '03101000'",
        ),
        ("ars: 031010000000", "with its leading zeros: ars: '031010000000'"),
        ("ags: 13101000", "quote the value so it stays text: ags: '13101000'"),
    ],
)
def test_the_quoting_hint_uses_the_users_value(root: Path, written: str, hint: str) -> None:
    field = written.split(":", maxsplit=1)[0]
    original = next(
        line
        for line in (root / BRAUNSCHWEIG).read_text(encoding="utf-8").splitlines()
        if line.startswith(field + ":")
    )
    edit(root / BRAUNSCHWEIG, original, written)
    found = [p for p in _problems(root) if p["code"] == "S004"]
    assert len(found) == 1
    assert str(found[0]["hint"]).endswith(hint)
    assert "03101000" not in str(found[0]["hint"]) or "03101000" in written


def test_explain_shows_the_new_codes() -> None:
    for code in ("Y016", "Y017", "Y018", "Y019", "R002"):
        result = run_cli("explain", code)
        assert result.exit_code == 0
        assert code in result.stdout


def test_a_hint_shows_both_ends_of_a_long_line(root: Path) -> None:
    edit(root / BRAUNSCHWEIG, "name: Stadt Braunschweig", "name: 'Stadt " + "x" * 5000)
    found = _only(root, BRAUNSCHWEIG)
    assert found["code"] == "Y018"
    hint = str(found["hint"])
    assert len(hint) < 200
    assert " ... " in hint and hint.endswith("xxx'")  # the closing quote the hint adds
