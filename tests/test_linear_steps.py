"""Steps rewritten from a scan per item to an index built once give the answers the scans gave:
each test recomputes the old, quadratic answer here, from the CLI's own output, and compares."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import edit
from tests.helpers import REPO, make_registry, run_cli

GENERATE = REPO / "benchmarks" / "generate.py"
GENERATED_SIZE = ("--partners", "300", "--agreements", "90", "--solutions", "40")
DAYS = ("2019-01-01", "2023-06-30", "today")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "reg"
    subprocess.run(
        [sys.executable, str(GENERATE), str(root), *GENERATED_SIZE],
        capture_output=True,
        check=True,
    )
    return root


@pytest.fixture(scope="module")
def participant_user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry where a participant (not a party) of an agreement uses a solution:
    that agreement is not one of the solution's user agreements."""
    root = make_registry(tmp_path_factory.mktemp("participant") / "reg", with_real_registry=True)
    edit(
        root / "registry" / "solutions" / "servicekonto-niedersachsen.yaml",
        "users:\n",
        "users:\n  - partner: stmd-bayern\n    status: production\n",
    )
    return root


def listed(root: Path, kind: str, day: str) -> list[dict[str, Any]]:
    result = run_cli("list", kind, "--format", "json", "--at", day, "--root", str(root))
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("which", ["bundled", "participant_user", "generated"])
def test_user_agreements_are_those_of_the_scan_over_all_agreements(
    which: str, day: str, request: pytest.FixtureRequest
) -> None:
    root = REPO if which == "bundled" else request.getfixturevalue(which)
    agreements = listed(root, "agreements", day)
    solutions = listed(root, "solutions", day)
    found = 0
    for solution in solutions:
        users = set(solution["used_by"])
        # the former step: every agreement, for each solution, with a party that uses it
        scanned = sorted(a["id"] for a in agreements if users & set(a["members"]))
        assert solution["user_agreements"] == scanned, solution["id"]
        found += len(scanned)
    if day != "2019-01-01":
        assert found > 0  # the comparison covers solutions that have user agreements
