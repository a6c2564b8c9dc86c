"""Remembered output: a repeated `coopctl --help` or `coopctl validate` on an unchanged
registry answers without starting typer, and any change makes the command run again."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coopctl.cli.entry import UNUSED_ENVIRONMENT, _memo_for
from tests.helpers import REPO, coopctl_process, make_registry

BROKEN = "kind: partner\nid: broken\nname: 5\ntype: other\n"
GOOD = (
    "kind: partner\nid: linked\nname: Linked\ntype: other\nsources:\n  - url: https://example.org\n"
)


def coopctl(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """coopctl in a fresh interpreter that reports which modules it imported."""
    return coopctl_process(cwd, *args, python=("-X", "importtime"), **env)


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


@pytest.mark.parametrize("flag", ["--no-cache", "--stats", "--fix"])
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


# --- the key covers everything the output depends on ----------------------------------------------


def test_a_linked_entity_file_is_never_answered_from_memory(tmp_path: Path) -> None:
    """The link's text stays the same while the file it leads to breaks."""
    target = tmp_path / "reg" / "kept" / "linked.yaml"
    root = make_registry(tmp_path / "reg", {"kept/linked.yaml": GOOD})
    (root / "registry" / "partners" / "linked.yaml").symlink_to("../../kept/linked.yaml")
    first = coopctl(root, "validate")
    assert first.returncode == 0, first.stdout
    target.write_text(BROKEN.replace("broken", "linked"))
    again = coopctl(root, "validate")
    assert started_typer(again)
    assert again.returncode == 1
    assert "error[S004]" in again.stdout


def test_a_linked_schemas_folder_is_never_answered_from_memory(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", {"registry/partners/broken.yaml": BROKEN})
    (root / "schemas").rename(tmp_path / "schemas")
    (root / "schemas").symlink_to(tmp_path / "schemas")
    coopctl(root, "validate")
    assert started_typer(coopctl(root, "validate"))


def test_annotations_follow_the_github_workspace(registry: Path) -> None:
    def annotations(workspace: Path) -> list[str]:
        result = coopctl(
            registry,
            "validate",
            "-f",
            "github",
            GITHUB_ACTIONS="true",
            GITHUB_WORKSPACE=str(workspace),
        )
        return [line for line in result.stdout.splitlines() if line.startswith("::")]

    parent = annotations(registry.parent)
    assert parent == annotations(registry.parent)  # remembered
    own = annotations(registry)
    assert any(
        line.startswith("::error file=reg/registry/partners/broken.yaml,") for line in parent
    )
    assert any(line.startswith("::error file=registry/partners/broken.yaml,") for line in own)


def test_an_edit_of_coopctl_with_the_same_size_and_time_is_seen(
    registry: Path, tmp_path: Path
) -> None:
    """An installed copy of coopctl edited in place, its size and time stamp restored."""
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "coopctl", site / "coopctl", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    (registry / "registry" / "partners" / "broken.yaml").unlink()
    first = coopctl(registry, "validate", **env)
    assert first.stdout.startswith("No problems: "), first.stdout
    module = site / "coopctl" / "cli" / "reporters.py"
    before = module.stat()
    text = module.read_text(encoding="utf-8")
    assert text.count('"No problems: {kinds}') == 2  # singular and plural of one message
    module.write_text(text.replace('"No problems: {kinds}', '"No mistakes: {kinds}'), "utf-8")
    os.utime(module, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert module.stat().st_size == before.st_size
    edited = coopctl(registry, "validate", **env)
    assert started_typer(edited)
    assert edited.stdout.startswith("No mistakes: "), edited.stdout


_READ = re.compile(
    r"""(?:environ(?:\.get|\.pop)?\s*[\[(]|getenv\s*\()\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"""
)
_CONSTANT = re.compile(r"""^\w*_ENV\s*=\s*["']([A-Z_][A-Z0-9_]*)["']""", re.MULTILINE)


def environment_reads(package: Path) -> set[str]:
    """The variables a package reads by name (directly or through a `*_ENV` constant)."""
    names: set[str] = set()
    for module in package.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        names.update(_READ.findall(text), _CONSTANT.findall(text))
    return names


def test_no_variable_left_out_of_the_key_is_read() -> None:
    """The key leaves out only UNUSED_ENVIRONMENT; nothing that prints may read those."""
    import click
    import rich
    import typer

    ours = environment_reads(REPO / "coopctl")
    assert {"GITHUB_WORKSPACE", "GITHUB_ACTIONS", "NO_COLOR", "COOPCTL_ROOT"} <= ours
    assert "SOURCE_DATE_EPOCH" in ours and "COOPCTL_CACHE_DIR" in ours
    for package in (REPO / "coopctl", *(Path(m.__file__).parent for m in (typer, rich, click))):
        assert not environment_reads(package) & UNUSED_ENVIRONMENT, package
        for module in package.rglob("*.py"):
            text = module.read_text(encoding="utf-8")
            if module.name == "entry.py" and module.parent.name == "cli":
                continue  # where the names are listed
            assert not re.search(r"""["'](PWD|OLDPWD|SHLVL)["']""", text), module


def test_every_variable_that_is_read_changes_the_key(
    registry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rich
    import typer

    monkeypatch.chdir(registry)
    read = environment_reads(REPO / "coopctl") | environment_reads(Path(rich.__file__).parent)
    read |= environment_reads(Path(typer.__file__).parent)
    read |= {"LANG", "LC_ALL", "TZ", "PYTHONIOENCODING"}
    read -= {"COOPCTL_NO_MEMO", "COOPCTL_ROOT", "COOPCTL_CACHE_DIR", "HOME", "XDG_CACHE_HOME"}

    def key() -> str:
        memo = _memo_for(["validate"])
        assert memo is not None
        return memo.key

    plain = key()
    assert key() == plain
    for name in sorted(read):
        with monkeypatch.context() as changed:
            changed.setenv(name, "a value nobody sets")
            assert key() != plain, name
    for name in sorted(UNUSED_ENVIRONMENT):
        monkeypatch.setenv(name, "changed by the shell")
    assert key() == plain


def test_a_memory_others_can_write_is_not_believed(registry: Path) -> None:
    coopctl(registry, "validate")
    (store,) = (Path(os.environ["HOME"]) / ".cache" / "coopctl").glob("outputs-[0-9a-f]*.json")
    store.chmod(0o666)
    kept = store.read_bytes()
    assert started_typer(coopctl(registry, "validate"))
    assert store.read_bytes() == kept  # not believed, and not replaced either


def test_an_edit_of_coopctl_never_meets_the_facts_the_code_before_it_cached(
    registry: Path, tmp_path: Path
) -> None:
    """The fact cache is keyed by coopctl's code by content, not only by its version number:
    an editable install updated by `git pull` keeps its version but must examine again."""
    site = tmp_path / "site"
    shutil.copytree(
        REPO / "coopctl", site / "coopctl", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}
    first = coopctl(registry, "validate", "--stats", **env)
    assert "partner 'broken' names no source" in first.stdout, first.stdout
    again = coopctl(registry, "validate", "--stats", **env)
    assert "the outcome of a recent run" in again.stderr or "from the cache" in again.stderr
    module = site / "coopctl" / "checks" / "sources.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("names no source", "cites no source"), encoding="utf-8")
    edited = coopctl(registry, "validate", "--stats", **env)
    assert "partner 'broken' cites no source" in edited.stdout, edited.stdout
