"""`coopctl migrate` on every frozen version-1 input (tests/data/v1/): a registry made by
`coopctl init` and filled with data, the bundled registry as of version 1, and every golden
example. After migrating, each has the same facts as before (compared without field names,
tests/migration.py), validates with the problems it had (none for valid inputs), and a second
migration changes nothing. An input with a file that cannot be read is refused whole."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from coopctl.codes import CODES
from coopctl.model import Severity
from tests.helpers import EXAMPLES, run_cli
from tests.migration import V1_EXAMPLES, assert_same_facts, entity_facts, snapshot, v1_registry

# Frozen at version 1: the problem codes coopctl had, and the problems (path and code) each
# invalid golden example had, from its expected.txt (examples whose input a make.py makes are
# not among the frozen inputs).
_FROZEN = json.loads(
    (Path(__file__).parent / "data" / "v1-expected-problems.json").read_text(encoding="utf-8")
)
V1_CODES: frozenset[str] = frozenset(_FROZEN["codes"])
V1_EXPECTED: dict[str, list[str]] = _FROZEN["examples"]
# Problems of a version-1 example that its migration resolves, by case (say why beside each).
RESOLVED_BY_MIGRATION: dict[str, set[str]] = {}

NAMES = ["init", "bundled", *(p.name for p in V1_EXAMPLES)]


def _problems(root: Path) -> list[tuple[str, str]]:
    """(path code, severity) of every problem validate reports."""
    result = run_cli("validate", "--root", str(root), "--format", "json", "--no-cache")
    return sorted(
        (f"{p['path']} {p['code']}", p["severity"]) for p in json.loads(result.stdout)["problems"]
    )


def _golden(case: str) -> list[str]:
    """The problems (path code) the golden example of this name expects today."""
    lines = (EXAMPLES / "invalid" / case / "expected.txt").read_text(encoding="utf-8")
    return [
        f"{line.split()[0].rsplit(':', 2)[0]} {line.split()[1]}"
        for line in lines.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def assert_problems_kept(case: str | None, problems: list[tuple[str, str]]) -> None:
    """After the migration an example has the problems it had at version 1 and no other. A
    problem may be gone where its migration resolves it (RESOLVED_BY_MIGRATION, or today's
    golden example of that name has it no more either). A problem may be new where today's
    golden example expects it too, where it is a warning of a check version 1 did not have,
    or where it is a schema error in a file that had one before (a value a step cannot map,
    such as an invalid choice, leaves the file invalid in other words). A valid input (case
    None) has no problem but such warnings."""
    golden = Counter(_golden(case)) if case else Counter()
    before = Counter(V1_EXPECTED[case] if case else [])
    resolved = RESOLVED_BY_MIGRATION.get(case or "", set())
    after = Counter(found for found, _ in problems)
    missing = [
        found for found in before - after if found in golden and found.split()[-1] not in resolved
    ]
    assert missing == [], "problems of version 1 missing after the migration"
    warnings = {found for found, severity in problems if severity == "warning"}
    invalid = {found.split()[0] for found in before if found.split()[-1][0] == "S"}
    unexplained = [
        found
        for found in after - before - golden
        if not (found in warnings and found.split()[-1] not in V1_CODES)
        and not (found.split()[0] in invalid and found.split()[-1][0] == "S")
    ]
    assert unexplained == [], "problems the migration added"


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
    if case in V1_EXPECTED or not name.startswith("invalid-"):
        assert_problems_kept(case if name.startswith("invalid-") else None, _problems(root))
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


def test_a_problem_the_migration_adds_is_found() -> None:
    """The comparison above fails on a lost problem and on an added error."""
    kept = [(p, "error") for p in V1_EXPECTED["unknown-field"]]
    assert_problems_kept("unknown-field", kept)
    with pytest.raises(AssertionError, match="missing"):
        assert_problems_kept("unknown-field", [])
    with pytest.raises(AssertionError, match="added"):
        assert_problems_kept(None, [("registry/partners/x.yaml S003", "error")])
    with pytest.raises(AssertionError, match="added"):  # an error in a file without one
        assert_problems_kept("unknown-field", [*kept, ("registry/partners/y.yaml S002", "error")])
    with pytest.raises(AssertionError, match="added"):  # a warning of a version-1 check
        assert_problems_kept(None, [("registry/partners/x.yaml Q001", "warning")])
    assert_problems_kept(None, [("registry/partners/x.yaml Z999", "warning")])  # a new check
    invalid = kept[0][0].split()[0]
    assert_problems_kept("unknown-field", [*kept, (f"{invalid} S002", "error")])


@pytest.mark.parametrize(
    ("path", "old", "new", "fact"),
    [
        ("partners/braunschweig.yaml", "name: Stadt Braunschweig", "name: Braunschweig", "lost"),
        ("agreements/braunschweig-salzgitter-wolfsburg.yaml", "'2020-09-23'", "'2020-09'", "dates"),
        (
            "agreements/braunschweig-salzgitter-wolfsburg.yaml",
            "    type: signed\n",
            "    type: participant_joined\n",
            "memberships",
        ),
    ],
)
def test_a_lost_fact_is_found(path: str, old: str, new: str, fact: str, tmp_path: Path) -> None:
    """The facts comparison fails on a changed name, date or membership."""
    before = entity_facts(v1_registry(tmp_path / "a", "init"))
    changed = v1_registry(tmp_path / "b", "init")
    file = changed / "registry" / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(AssertionError) as raised:
        assert_same_facts(before, entity_facts(changed))
    assert fact in str(raised.value) or fact == "lost"
