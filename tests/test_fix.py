"""fmt --fix and validate --fix: the repairs with exactly one answer, each reported where it
was made, and nothing guessed where there is more than one answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.gitrepo import edit
from tests.helpers import make_registry, run_cli

BRAUNSCHWEIG = "registry/partners/braunschweig.yaml"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_registry(tmp_path / "reg", with_real_registry=True)


def _break(root: Path) -> None:
    path = root / BRAUNSCHWEIG
    edit(path, "type: kreisfreie_stadt", "type: Kreisfreie_Stadt")
    edit(path, "ags: '03101000'", "ags: 03101000  # Braunschweig's AGS")
    edit(path, "ars: '031010000000'", "ars: 031010000000")
    edit(path, "website: http", "webseite: http")
    edit(path, "    published: '2020-09-23'", "    published: 2020")


def _codes(root: Path) -> list[str]:
    result = run_cli("validate", "--root", str(root), "--no-cache", "--format", "json")
    return [p["code"] for p in json.loads(result.stdout)["problems"]]


def test_fmt_fix_repairs_and_reports_each_change(root: Path) -> None:
    _break(root)
    assert sorted(_codes(root)) == ["S003", "S004", "S004", "S004", "S005"]
    result = run_cli("fmt", "--fix", "--root", str(root))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        f"{BRAUNSCHWEIG}:6:7: fixed type: 'Kreisfreie_Stadt' -> 'kreisfreie_stadt'",
        f"{BRAUNSCHWEIG}:9:6: fixed ags: 3101000 -> '03101000' (quoted key)",
        f"{BRAUNSCHWEIG}:10:6: fixed ars: 31010000000 -> '031010000000' (quoted key)",
        f"{BRAUNSCHWEIG}:11:1: fixed webseite: field 'webseite' renamed to 'website'",
        f"{BRAUNSCHWEIG}:26:20: fixed contacts[0].sources[0].published: 2020 -> '2020' (date)",
        f"reformatted {BRAUNSCHWEIG}",
    ]
    text = (root / BRAUNSCHWEIG).read_text(encoding="utf-8")
    assert "ags: '03101000' # Braunschweig's AGS\n" in text  # the comment is kept
    assert "type: kreisfreie_stadt\n" in text and "website: http" in text
    assert "webseite" not in text and "    published: '2020'\n" in text
    assert _codes(root) == []
    again = run_cli("fmt", "--fix", "--root", str(root))
    assert (again.exit_code, again.stdout) == (0, "")


def test_fmt_fix_check_changes_nothing(root: Path) -> None:
    _break(root)
    before = (root / BRAUNSCHWEIG).read_bytes()
    result = run_cli("fmt", "--fix", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert f"{BRAUNSCHWEIG}:9:6: would fix ags: 3101000 -> '03101000' (quoted key)" in (
        result.stdout
    )
    assert (root / BRAUNSCHWEIG).read_bytes() == before


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("ags: '03101000'", "ags: 03999999", "S004"),  # '03999999' is no Gemeinde
        ("ags: '03101000'", "ags: 123456789", "S004"),  # more digits than an AGS has
        ("type: kreisfreie_stadt", "type: Kreisfreie Stadt", "S005"),  # not only the case
        ("short_name: Braunschweig", "shortname: Braunschweig", "S003"),  # short_name or name
        ("website: http", "websit: http", "S003"),  # close to website, which is there too
    ],
    ids=["not-in-gv", "too-long", "not-only-case", "two-close-names", "name-taken"],
)
def test_fmt_fix_leaves_what_has_no_single_answer(
    root: Path, old: str, new: str, code: str
) -> None:
    path = root / BRAUNSCHWEIG
    edit(path, old, new)
    if new.startswith("websit:"):
        edit(path, "websit: http", "websit: http://braunschweig.de\nwebsite: http")
    result = run_cli("fmt", "--fix", "--root", str(root))
    assert "fix" not in result.stdout
    assert code in _codes(root)


def test_validate_fix_repairs_then_validates(root: Path) -> None:
    _break(root)
    untidy = root / "registry/partners/salzgitter.yaml"
    untidy.write_text(untidy.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    before = untidy.read_bytes()
    result = run_cli("validate", "--fix", "--root", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == []
    assert f"{BRAUNSCHWEIG}:9:6: fixed ags" in result.stderr
    assert untidy.read_bytes() == before  # no repair, so not reformatted either


def test_validate_fix_reports_what_it_could_not_repair(root: Path) -> None:
    edit(root / BRAUNSCHWEIG, "ags: '03101000'", "ags: 03999999")
    edit(root / BRAUNSCHWEIG, "type: kreisfreie_stadt", "type: Kreisfreie_Stadt")
    result = run_cli("validate", "--fix", "--root", str(root))
    assert result.exit_code == 1
    assert "fixed type" in result.stderr
    assert "error[S004] ags" in result.stdout


def test_a_renamed_field_keeps_its_comments(root: Path) -> None:
    edit(root / BRAUNSCHWEIG, "website: http", "# the city's site\nwebseite: http")
    edit(root / BRAUNSCHWEIG, "braunschweig.de\n", "braunschweig.de  # checked\n")
    result = run_cli("fmt", "--fix", "--root", str(root))
    assert f"{BRAUNSCHWEIG}:12:1: fixed webseite: field 'webseite' renamed to 'website'" in (
        result.stdout
    )
    text = (root / BRAUNSCHWEIG).read_text(encoding="utf-8")
    assert "# the city's site\nwebsite: http://www.braunschweig.de   # checked\n" in text


def test_fmt_fix_never_writes_through_a_link(root: Path) -> None:
    partners = root / "registry" / "partners"
    (partners / "wolfsburg.yaml").unlink()
    (partners / "elsewhere.txt").write_text("kind: partner\ntype: Kreisfreie_Stadt\n")
    (partners / "wolfsburg.yaml").symlink_to("elsewhere.txt")
    result = run_cli("fmt", "--fix", "--root", str(root))
    assert result.exit_code == 1
    assert "registry/partners/wolfsburg.yaml:1:1: error[F008]" in result.stdout
    assert "fixed" not in result.stdout
    assert (partners / "wolfsburg.yaml").is_symlink()
    assert (partners / "elsewhere.txt").read_text() == "kind: partner\ntype: Kreisfreie_Stadt\n"
