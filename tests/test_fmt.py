"""coopctl fmt: one canonical layout, comments kept, idempotent, --check and --diff."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, REGISTRY, make_registry, run_cli

MESSY = """\
# about this partner
id: x-stadt   # the id
kind: partner
name: "Stadt X"

type: other
sources:
    # the first source
    - title: "T"
      url: https://example.org/a
      published: 2021-03-04
last_reviewed: 2024-01-01
"""


def _example_registries() -> list[Path]:
    return sorted(p.parent for p in EXAMPLES.glob("*/*/registry"))


def test_the_bundled_registry_is_formatted() -> None:
    result = run_cli("fmt", "--check", "--root", str(REGISTRY.parent))
    assert result.exit_code == 0, result.output
    assert "0 files would be reformatted" in result.stderr


def test_fmt_rewrites_to_the_canonical_layout_and_keeps_comments(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": MESSY})
    result = run_cli("fmt", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "reformatted registry/partners/x-stadt.yaml" in result.stdout
    text = (root / "registry/partners/x-stadt.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:4] == [
        "# yaml-language-server: $schema=../../schemas/partner.schema.json",
        "# about this partner",
        "kind: partner",
        "id: x-stadt   # the id",
    ]
    assert "name: Stadt X\n\ntype: other\n" in text  # quotes dropped, blank line kept
    assert "# the first source" in text
    assert "  - url: https://example.org/a\n    title: T\n    published: '2021-03-04'\n" in text
    assert "last_reviewed: '2024-01-01'" in text
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_check_lists_files_and_changes_nothing(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": MESSY})
    result = run_cli("fmt", "--check", "--root", str(root))
    assert result.exit_code == 1
    assert "would reformat registry/partners/x-stadt.yaml" in result.stdout
    assert (root / "registry/partners/x-stadt.yaml").read_text(encoding="utf-8") == MESSY


def test_diff_prints_a_unified_diff_and_changes_nothing(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": MESSY})
    result = run_cli("fmt", "--diff", "--root", str(root))
    assert result.exit_code == 0
    assert "--- a/registry/partners/x-stadt.yaml" in result.stdout
    assert '-name: "Stadt X"\n+name: Stadt X\n' in result.stdout
    assert (root / "registry/partners/x-stadt.yaml").read_text(encoding="utf-8") == MESSY


def test_paths_limit_what_is_formatted(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path / "reg",
        {"registry/partners/x-stadt.yaml": MESSY, "registry/partners/y-stadt.yaml": MESSY},
    )
    target = root / "registry/partners/y-stadt.yaml"
    result = run_cli("fmt", str(target), "--root", str(root))
    assert result.exit_code == 0
    assert (root / "registry/partners/x-stadt.yaml").read_text(encoding="utf-8") == MESSY
    assert target.read_text(encoding="utf-8") != MESSY


def test_a_broken_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    broken = "kind: partner\nid: [unclosed\n"
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": broken})
    result = run_cli("fmt", "--root", str(root))
    assert result.exit_code == 1
    assert "registry/partners/broken.yaml:" in result.stdout
    assert "error[Y" in result.stdout
    assert "1 could not be formatted" in result.stderr
    assert (root / "registry/partners/broken.yaml").read_text(encoding="utf-8") == broken


@pytest.mark.parametrize("case", _example_registries(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fmt_twice_equals_fmt_once_on_every_example(case: Path, tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg")
    shutil.copytree(case / "registry", root / "registry", dirs_exist_ok=True)
    run_cli("fmt", "--root", str(root))
    first = {p: p.read_bytes() for p in sorted((root / "registry").rglob("*")) if p.is_file()}
    second = run_cli("fmt", "--check", "--root", str(root))
    assert "0 files would be reformatted" in second.stderr, second.output
    assert {p: p.read_bytes() for p in first} == first


def test_fmt_of_valid_examples_keeps_them_valid(tmp_path: Path) -> None:
    for case in (c for c in _example_registries() if c.parent.name == "valid"):
        root = make_registry(tmp_path / case.name)
        shutil.copytree(case / "registry", root / "registry", dirs_exist_ok=True)
        assert run_cli("fmt", "--root", str(root)).exit_code == 0
        result = run_cli("validate", "--root", str(root), "--format", "json")
        assert result.exit_code == 0, (case.name, result.output)


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": MESSY})
    run_cli("fmt", "--root", str(root))
    assert sorted(p.name for p in (root / "registry/partners").iterdir()) == ["x-stadt.yaml"]


# --- links and what fmt writes ---------------------------------------------------------------


def test_a_link_is_reported_and_neither_it_nor_its_target_changes(tmp_path: Path) -> None:
    """A kind-folder file that is a link to a file elsewhere in the root: fmt used to replace
    the link with a formatted copy and leave the target as it was."""
    root = make_registry(tmp_path / "reg", {"shared/x-stadt.yaml": MESSY})
    link = root / "registry/partners/x-stadt.yaml"
    link.symlink_to(Path("..", "..", "shared", "x-stadt.yaml"))
    for args in (("fmt",), ("fmt", "--check"), ("fmt", "--diff")):
        result = run_cli(*args, "--root", str(root))
        assert result.exit_code == 1, result.output
        assert (
            "registry/partners/x-stadt.yaml:1:1: error[F008] is a symbolic link; coopctl "
            "changes neither the link nor its target"
        ) in result.stdout
        assert "1 could not be formatted" in result.stderr
        assert link.is_symlink() and str(link.readlink()) == "../../shared/x-stadt.yaml"
        assert (root / "shared/x-stadt.yaml").read_text(encoding="utf-8") == MESSY


def test_a_link_already_in_canonical_form_is_not_reported(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": MESSY})
    assert run_cli("fmt", "--root", str(root)).exit_code == 0
    link = root / "registry/partners/x-stadt.yaml"
    (root / "shared").mkdir()
    link.rename(root / "shared/x-stadt.yaml")
    link.symlink_to(Path("../../shared/x-stadt.yaml"))
    result = run_cli("fmt", "--root", str(root))
    assert result.exit_code == 0, result.output  # nothing to write: no F008
    assert "F008" not in result.output


SEPARATORS = """\
kind: partner
id: x-stadt
name: "Stadt\\NX\\LY\\PZ"
type: other
notes: "Zeile 1\\nZeile 2\\L"
contacts:
  - {name: "A\\LB", role: Leitung}
"""


def test_line_separators_are_written_as_escapes_and_read_back_the_same(tmp_path: Path) -> None:
    """NEL, LINE and PARAGRAPH SEPARATOR given as escapes are data a file may hold; fmt used
    to write them raw in a single-quoted scalar, which the next validate refused (Y012)."""
    from coopctl.yamlio import YamlReader

    root = make_registry(tmp_path / "reg", {"registry/partners/x-stadt.yaml": SEPARATORS})
    path = root / "registry/partners/x-stadt.yaml"
    before = YamlReader().load(path.read_bytes(), "x").data
    result = run_cli("fmt", "--root", str(root))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert not {"\x85", "\u2028", "\u2029"} & set(text)
    assert 'name: "Stadt\\NX\\LY\\PZ"\n' in text
    assert YamlReader().load(path.read_bytes(), "x").data == before
    validated = run_cli("validate", "--root", str(root), "--select", "Y")
    assert validated.exit_code == 0, validated.output
    assert run_cli("fmt", "--check", "--root", str(root)).exit_code == 0


def test_the_read_back_compares_types_and_not_only_values() -> None:
    from coopctl.formatting import same_data

    assert same_data({"a": [1, "x", None]}, {"a": [1, "x", None]})
    assert same_data({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not same_data({"a": True}, {"a": 1})
    assert not same_data({"a": 1}, {"a": 1.0})
    assert not same_data({"a": "1"}, {"a": 1})
    assert not same_data([1, 2], [1, 2, 3])
    assert not same_data({"a": 1}, {"a": 1, "b": None})
    assert same_data({"a": float("nan")}, {"a": float("nan")})
