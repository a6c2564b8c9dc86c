"""`coopctl migrate` on the hostile corpus (tests/hostile/): every light case's files put into
the bundled registry of version 1. migrate answers each with exit 0 or 1 and never 3, without
a traceback or a forged CI command, names every file it refuses with the file's code, and
writes nothing when it refuses (and with --check)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from coopctl.codes import CODES
from coopctl.model import Severity
from tests.helpers import run_cli
from tests.migration import V1, v1_registry
from tests.test_hostile import LIGHT, Case, apply_case, assert_inert_log, fingerprint


def _root(case: Case, tmp_path: Path) -> Path:
    if case.expected.get("base") == "empty":
        root = tmp_path / "empty"
        shutil.copytree(V1 / "schemas", root / "schemas")
        for folder in ("partners", "agreements", "solutions"):
            (root / "registry" / folder).mkdir(parents=True)
    else:
        root = v1_registry(tmp_path, "bundled")
    apply_case(case, root)
    return root


def _refused(case: Case) -> list[dict[str, object]]:
    return [
        p
        for p in case.problems
        if str(p["code"])[0] in "FY" and CODES[str(p["code"])].severity is Severity.ERROR
    ]


@pytest.mark.parametrize("case", LIGHT, ids=[c.name for c in LIGHT])
def test_migrate_answers_hostile_input(case: Case, tmp_path: Path) -> None:
    root = _root(case, tmp_path)
    before = fingerprint(root)
    for options in (("--check",), ()):
        result = run_cli("migrate", *options, "--root", str(root))
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        assert result.exit_code in {0, 1}, output
        assert_inert_log(output)
        refused = _refused(case)
        for found in refused:
            assert f"[{found['code']}]" in result.stdout, output
        if result.exit_code == 1:  # refused: for the files validate refuses, or the
            # round-trip reader (Y014, as fmt reports it), and nothing written
            assert "nothing was written" in result.stderr or options, output
            lines = [line for line in result.stdout.splitlines() if "error[" in line]
            assert lines or options, output
            assert all(re.search(r"error\[[FY][0-9]{3}\]", line) for line in lines), output
        else:
            assert not refused, output
        if result.exit_code == 1 or options:
            assert fingerprint(root) == before
    if not _refused(case):
        assert run_cli("validate", "--root", str(root)).exit_code in {0, 1}
