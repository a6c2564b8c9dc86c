"""`coopctl migrate` on every frozen version-1 input (tests/data/v1/): a registry made by
`coopctl init` and filled with data, the bundled registry as of version 1, and every golden
example. After migrating, each has the same facts as before (compared without field names,
tests/migration.py), validates with the problems it had (none for valid inputs), and a second
migration changes nothing. An input with a file that cannot be read is refused whole."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from coopctl.codes import CODES
from coopctl.model import Severity
from tests.helpers import run_cli
from tests.migration import V1_EXAMPLES, assert_same_facts, entity_facts, snapshot, v1_registry

# The problems (path and code) each invalid golden example had at version 1, frozen from its
# expected.txt (examples whose input is made by a make.py are not among the frozen inputs).
V1_EXPECTED: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "data" / "v1-expected-problems.json").read_text(encoding="utf-8")
)
# Problems of a version-1 example that its migration resolves, by case, with the reason.
RESOLVED_BY_MIGRATION: dict[str, set[str]] = {}

NAMES = ["init", "bundled", *(p.name for p in V1_EXAMPLES)]


def _problems(root: Path) -> list[str]:
    result = run_cli("validate", "--root", str(root), "--format", "json", "--no-cache")
    return sorted(f"{p['path']} {p['code']}" for p in json.loads(result.stdout)["problems"])


def _migrate(root: Path, *options: str) -> tuple[int, str, str]:
    result = run_cli("migrate", *options, str(root))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", NAMES)
def test_migration_keeps_every_fact(name: str, tmp_path: Path) -> None:
    root = v1_registry(tmp_path, name)
    case = name.removeprefix("invalid-")
    before_files = snapshot(root)
    shutil.copytree(root, tmp_path / "before" / name, symlinks=True)
    exit_code, stdout, stderr = _migrate(root)
    if case in V1_EXPECTED or not name.startswith("invalid-"):
        assert (exit_code == 1) == _has_unreadable_file(case), stdout + stderr
    if exit_code == 1:  # refused with the problems of the files it cannot read
        assert "nothing was written" in stderr
        assert snapshot(root) == before_files
        refusals = [line for line in stdout.splitlines() if "error[" in line]
        assert refusals
        assert all(re.search(r"error\[[FY][0-9]{3}\]", line) for line in refusals), stdout
        return
    assert exit_code == 0, stdout + stderr
    assert_same_facts(entity_facts(tmp_path / "before" / name), entity_facts(root))
    problems = _problems(root)
    if case in V1_EXPECTED:
        resolved = RESOLVED_BY_MIGRATION.get(case, set())
        expected = sorted(p for p in V1_EXPECTED[case] if p.split()[-1] not in resolved)
        assert problems == expected
    elif not name.startswith("invalid-"):
        assert problems == []
    migrated = snapshot(root)
    assert _migrate(root) == (0, "", _UP_TO_DATE)
    assert _migrate(root, "--check")[0] == 0
    assert snapshot(root) == migrated


def _has_unreadable_file(case: str) -> bool:
    """Whether validate refused a file of the example at version 1 (an F or Y error)."""
    codes = (line.split()[-1] for line in V1_EXPECTED.get(case, []))
    return any(c[0] in "FY" and CODES[c].severity is Severity.ERROR for c in codes)


_UP_TO_DATE = "The registry is of schema version 2; nothing to migrate.\n"


def test_the_frozen_inputs_include_refused_and_migrated_examples() -> None:
    """Both branches above are taken: broken YAML is refused, a dangling reference is not."""
    assert _has_unreadable_file("yaml-syntax-error")
    assert not _has_unreadable_file("dangling-reference")
    assert not _has_unreadable_file("yaml-version")  # a YAML warning: the file is read
