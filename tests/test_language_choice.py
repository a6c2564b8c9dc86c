"""Which language a run speaks: --lang (anywhere before `--`), $COOPCTL_LANG, the locale
($LANGUAGE lists, LC_ALL over LANG, C/POSIX naming none), the registry's coopctl.toml, and
that a remembered validate output is never given in another language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import coopctl_process, make_registry

GERMAN = "Keine Befunde: "
ENGLISH = "No problems: "


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "reg")


def _validate(root: Path, *args: str, **env: str) -> tuple[int, str, str]:
    env.setdefault("COOPCTL_NO_MEMO", "1")
    done = coopctl_process(root, *args, **env)
    return done.returncode, done.stdout, done.stderr


def _speaks(root: Path, *args: str, **env: str) -> str:
    code, stdout, stderr = _validate(root, *args, **env)
    assert code == 0, stderr
    if stdout.startswith(GERMAN):
        return "de"
    assert stdout.startswith(ENGLISH), stdout
    return "en"


@pytest.mark.parametrize(
    "args",
    [
        ("--lang", "de", "validate"),
        ("validate", "--lang", "de"),
        ("validate", "--lang=de"),
        ("--lang", "en", "validate", "--lang", "de"),  # the last one counts
        ("--lang", "de_DE.UTF-8", "validate"),
        ("--lang", "deutsch", "validate"),
    ],
)
def test_lang_option_anywhere(root: Path, args: tuple[str, ...]) -> None:
    assert _speaks(root, *args) == "de"


def test_lang_after_double_dash_is_an_argument(root: Path) -> None:
    code, _, stderr = _validate(root, "validate", "--", "--lang", "de")
    assert code == 2
    assert "--lang: no such file or folder" in stderr


@pytest.mark.parametrize("args", [("--lang=xx", "validate"), ("validate", "--lang", "fr")])
def test_unknown_language_is_a_usage_error(root: Path, args: tuple[str, ...]) -> None:
    code, stdout, stderr = _validate(root, *args)
    assert code == 2
    assert stdout == ""
    assert "is not a language coopctl speaks (de, en)" in stderr
    assert "--lang" in stderr


def test_lang_option_needs_a_value(root: Path) -> None:
    code, _, stderr = _validate(root, "validate", "--lang")
    assert code == 2
    assert "option --lang needs a value: de, en" in stderr


def test_coopctl_lang(root: Path) -> None:
    assert _speaks(root, "validate", COOPCTL_LANG="de") == "de"
    assert _speaks(root, "--lang", "en", "validate", COOPCTL_LANG="de") == "en"
    code, _, stderr = _validate(root, "validate", COOPCTL_LANG="klingon")
    assert code == 2
    assert "COOPCTL_LANG: 'klingon' is not a language coopctl speaks" in stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LANGUAGE": "fr:de:en"}, "de"),
        ({"LANGUAGE": "en:de", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "fr", "LANG": "de_DE.UTF-8"}, "de"),
        ({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_GB.UTF-8"}, "de"),
        ({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C"}, "en"),
    ],
)
def test_locale(root: Path, env: dict[str, str], expected: str) -> None:
    assert _speaks(root, "validate", **env) == expected


def test_coopctl_toml_language(root: Path) -> None:
    (root / "coopctl.toml").write_text('language = "de"\n', encoding="utf-8")
    assert _speaks(root, "validate", LANG="C.UTF-8") == "de"  # C names no language
    assert _speaks(root, "validate", LANG="en_US.UTF-8") == "en"  # the locale comes first
    assert _speaks(root, "--lang", "en", "validate") == "en"
    (root / "coopctl.toml").write_text('language = "en"\n', encoding="utf-8")
    assert _speaks(root, "validate", LANG="C.UTF-8") == "en"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('language = "de"\nlanguage = \n', "coopctl.toml:2:12: not valid TOML"),
        ("colour = 'blau'\n", "coopctl.toml: unknown setting colour"),
        ("language = 'fr'\n", "coopctl.toml: language must be one of de, en, not 'fr'"),
    ],
)
def test_coopctl_toml_errors(root: Path, content: str, message: str) -> None:
    (root / "coopctl.toml").write_text(content, encoding="utf-8")
    code, stdout, stderr = _validate(root, "validate")
    assert code == 2
    assert stdout == ""
    assert message in stderr
    assert "Traceback" not in stderr


def test_coopctl_toml_error_in_the_language_chosen_so_far(root: Path) -> None:
    (root / "coopctl.toml").write_text("colour = 'blau'\n", encoding="utf-8")
    code, _, stderr = _validate(root, "validate", LANG="de_DE.UTF-8")
    assert code == 2
    assert stderr.startswith("Fehler: ")


def test_remembered_output_keeps_its_language(root: Path, tmp_path: Path) -> None:
    """The same validate, answered from memory where it can be: each answer in the language
    its run asked for, also when only coopctl.toml changed."""
    cache = {"COOPCTL_CACHE_DIR": str(tmp_path / "cache"), "COOPCTL_NO_MEMO": ""}
    runs = [
        (("--lang", "de", "validate"), {}, "de"),
        (("--lang", "de", "validate"), {}, "de"),
        (("validate",), {}, "en"),
        (("validate", "--lang", "de"), {}, "de"),
        (("validate",), {"COOPCTL_LANG": "de"}, "de"),
        (("validate",), {"LANG": "de_DE.UTF-8"}, "de"),
        (("validate",), {}, "en"),
    ]
    for args, env, expected in runs:
        assert _speaks(root, *args, **cache, **env) == expected, (args, env)
    remembered = list((tmp_path / "cache").rglob("outputs-*.json"))
    assert remembered  # the runs above were remembered, so the test exercises the memory
    assert any(
        GERMAN in json.dumps(json.loads(p.read_text(encoding="utf-8")), ensure_ascii=False)
        for p in remembered
    )
    (root / "coopctl.toml").write_text('language = "de"\n', encoding="utf-8")
    assert _speaks(root, "validate", **cache) == "de"
    (root / "coopctl.toml").write_text('language = "en"\n', encoding="utf-8")
    assert _speaks(root, "validate", **cache) == "en"


def test_remembered_help_keeps_its_language(tmp_path: Path) -> None:
    cache = {"COOPCTL_CACHE_DIR": str(tmp_path / "cache")}
    for args, start in [
        (("--lang", "de", "-h"), "Aufruf: "),
        (("-h",), "Usage: "),
        (("--lang", "de", "-h"), "Aufruf: "),
        (("-h",), "Usage: "),
    ]:
        done = coopctl_process(tmp_path, *args, **cache)
        assert done.stdout.startswith(start), args
