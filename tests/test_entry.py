"""Remembered output: a repeated `coopctl --help` or `coopctl validate` on an unchanged
registry answers without starting typer, and any change makes the command run again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_registry

BROKEN = "kind: partner\nid: broken\nname: 5\ntype: other\n"


def coopctl(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """coopctl in a fresh interpreter that reports which modules it imported."""
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "coopctl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def started_typer(result: subprocess.CompletedProcess[str]) -> bool:
    return any(line.split("|")[-1].strip() == "typer" for line in result.stderr.splitlines())


def output(result: subprocess.CompletedProcess[str]) -> tuple[int, str, list[str]]:
    messages = [line for line in result.stderr.splitlines() if "import time:" not in line]
    return result.returncode, result.stdout, messages


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    return make_registry(
        tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN}, with_real_registry=True
    )


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["add", "partner", "-h"]])
def test_help_is_remembered(tmp_path: Path, args: list[str]) -> None:
    first = coopctl(tmp_path, *args)
    second = coopctl(tmp_path, *args)
    assert first.returncode == 0
    assert "Usage: coopctl" in first.stdout
    assert output(second) == output(first)
    assert started_typer(first)
    assert not started_typer(second)


def test_validate_is_remembered_until_something_changes(registry: Path) -> None:
    first = coopctl(registry, "validate")
    second = coopctl(registry, "validate")
    assert first.returncode == 1
    assert "error[S004]" in first.stdout
    assert output(second) == output(first)
    assert not started_typer(second)
    # an edit of a file is seen at once
    (registry / "registry" / "partners" / "broken.yaml").write_text(
        BROKEN.replace("name: 5", "name: Broken")
    )
    edited = coopctl(registry, "validate")
    assert started_typer(edited)
    assert edited.returncode == 0, edited.stdout
    # so is a new schema, other options, another environment, another folder
    for args, env in (
        (("validate", "--format", "json"), {}),
        (("validate",), {"NO_COLOR": "1"}),
        (("validate", "--root", str(registry)), {}),
    ):
        assert started_typer(coopctl(registry, *args, **env))
    schema = registry / "schemas" / "partner.schema.json"
    schema.write_text(schema.read_text().replace('"Partner"', '"A partner"', 1))
    assert started_typer(coopctl(registry, "validate"))


@pytest.mark.parametrize("flag", ["--no-cache", "--stats"])
def test_flags_that_always_run(registry: Path, flag: str) -> None:
    coopctl(registry, "validate", flag)
    again = coopctl(registry, "validate", flag)
    assert started_typer(again)
    assert again.returncode == 1


def test_a_fifo_in_the_registry_is_not_opened(registry: Path) -> None:
    os.mkfifo(registry / "registry" / "partners" / "pipe.yaml")
    first = coopctl(registry, "validate")  # would block forever if the FIFO were opened
    second = coopctl(registry, "validate")
    assert "error[F007]" in first.stdout
    assert output(second) == output(first)


def test_other_commands_always_run(registry: Path) -> None:
    coopctl(registry, "list", "partners")
    assert started_typer(coopctl(registry, "list", "partners"))


def test_a_damaged_memory_is_ignored(registry: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = coopctl(registry, "validate", COOPCTL_CACHE_DIR=str(cache))
    for file in cache.glob("outputs-*.json"):
        file.write_text('{"not": "a list"')
    again = coopctl(registry, "validate", COOPCTL_CACHE_DIR=str(cache))
    assert output(again) == output(first)


def test_a_vanished_working_folder_still_runs_the_command(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        "import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); "
        "sys.argv = ['coopctl', 'validate']; from coopctl.cli.entry import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(gone)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
