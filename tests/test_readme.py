"""The README's quickstart: exactly two commands, run here as a newcomer would run them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import REPO

_IGNORED = shutil.ignore_patterns(
    ".venv",
    "venv",
    ".git",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "build",
    "dist",
)


def quickstart_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- quickstart:start -->")[1].split("<!-- quickstart:end -->")[0]
    return re.findall(r"^```sh\n(.+?)\n```$", block, re.MULTILINE | re.DOTALL)


def test_quickstart_has_exactly_two_one_line_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "coopctl validate" in commands[0]
    assert commands[1].endswith("-m pytest")


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run picks the second quickstart command out of the README; check that its
    extraction finds exactly that command."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    extraction = re.search(r"test_command=\$\((.+)\)$", script, re.MULTILINE)
    assert extraction
    found = subprocess.run(
        ["bash", "-c", extraction.group(1)], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert found == quickstart_commands()[1]


@pytest.mark.slow
def test_first_quickstart_command_installs_and_validates(tmp_path: Path) -> None:
    checkout = tmp_path / "coopctl"
    shutil.copytree(REPO, checkout, ignore=_IGNORED)
    environment = {
        key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}
    }
    result = subprocess.run(
        ["bash", "-c", quickstart_commands()[0]],
        cwd=checkout,
        capture_output=True,
        text=True,
        env=environment,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert re.search(
        r"^No problems: \d+ partners, \d+ agreements, \d+ solutions in \d+ files "
        r"checked\.$",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
