"""Golden registries: every case under tests/examples/invalid/<case>/ must produce exactly the
problems listed in its expected.txt (one `path:line:column CODE` per line), and every case
under tests/examples/valid/ none at all.

A case holds a `registry/` folder; the project's schemas are added when the case is run. A
case that needs what git cannot store (a symlink leaving the tree, a FIFO, a huge file) has a
`make.py` with `make(root: Path) -> None` that creates it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from coopctl.codes import all_codes
from tests.helpers import EXAMPLES, make_registry, run_cli

INVALID = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (EXAMPLES / "valid").iterdir() if p.is_dir())


def _prepare(case: Path, tmp_path: Path) -> Path:
    root = make_registry(tmp_path / case.name)
    if (case / "registry").is_dir():
        shutil.copytree(case / "registry", root / "registry", dirs_exist_ok=True)
    maker = case / "make.py"
    if maker.exists():
        spec = importlib.util.spec_from_file_location(f"make_{case.name}", maker)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.make(root)
    return root


def _expected(case: Path) -> list[str]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _found(root: Path) -> tuple[int, list[str], dict[str, object]]:
    result = run_cli("validate", "--root", str(root), "--format", "json")
    document = json.loads(result.stdout)
    found = sorted(
        f"{p['path']}:{p['line']}:{p['column']} {p['code']}" for p in document["problems"]
    )
    return result.exit_code, found, document


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_yields_exactly_its_problems(case: Path, tmp_path: Path) -> None:
    exit_code, found, document = _found(_prepare(case, tmp_path))
    assert found == _expected(case)
    summary = document["summary"]
    assert isinstance(summary, dict)
    assert exit_code == (1 if summary["errors"] else 0)


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case_has_no_problems(case: Path, tmp_path: Path) -> None:
    exit_code, found, _ = _found(_prepare(case, tmp_path))
    assert (exit_code, found) == (0, [])


def test_every_problem_code_has_an_invalid_example() -> None:
    covered = {line.split()[-1] for case in INVALID for line in _expected(case)}
    # Change rules (C) compare two revisions; tests/test_check.py produces each of them.
    # F008 and F009 are refusals to write (fmt, add): tests/test_fmt.py and test_add.py.
    # Y014 (the parser fails) is met by fmt, not validate: tests/test_hostile_values.py.
    # F010 (changed while being edited) is met by edit: tests/test_edit.py.
    # V003 (a migration step failed on a file) is met by migrate: tests/test_migrate.py.
    not_by_validate = {"F008", "F009", "F010", "Y014", "V003"}
    single_state = {
        info.code
        for info in all_codes()
        if not info.code.startswith("C") and info.code not in not_by_validate
    }
    assert single_state - covered == set()


@pytest.mark.parametrize("case", INVALID + VALID, ids=[c.name for c in INVALID + VALID])
def test_fast_paths_change_nothing(case: Path, tmp_path: Path) -> None:
    """The fast YAML path and the compiled schema predicates against the reference
    implementations alone (COOPCTL_REFERENCE_ONLY=1): the same problems, word for word. (The
    first run reads every file before examining it and fills the cache; the second reads
    each file where it is examined.)"""
    root = _prepare(case, tmp_path)
    fast = run_cli("validate", "--root", str(root), "--format", "json")
    reference = run_cli(
        "validate",
        "--root",
        str(root),
        "--format",
        "json",
        "--no-cache",
        env={"COOPCTL_REFERENCE_ONLY": "1"},
    )
    assert fast.exit_code == reference.exit_code
    assert json.loads(fast.stdout) == json.loads(reference.stdout)
