"""What `coopctl history` and `coopctl diff` load to answer: their own command line, not that of
every command, and none of GitPython, ruamel.yaml or jsonschema when the files are valid. Checked
in a fresh interpreter through the entry point's command line (`command_line`), by the modules
it holds afterwards (no timing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, edit, real_registry_repo

HEAVY = ("git", "ruamel", "jsonschema", "referencing")
_AFTER = """
import json, sys
from coopctl.cli.language import apply
from coopctl.cli.app import command_line
group = command_line()
try:
    code = group.main(apply(json.loads(sys.argv[1])), prog_name="coopctl", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in set(json.loads(sys.argv[2])))
report = {"code": code, "heavy": heavy, "built": group.commands.built}
sys.stdout.write("\\n" + json.dumps(report) + "\\n")
"""


def _loaded(cwd: Path, *args: str) -> tuple[str, dict[str, object]]:
    completed = subprocess.run(
        [sys.executable, "-c", _AFTER, json.dumps(list(args)), json.dumps(HEAVY)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    output, _newline, last = completed.stdout.rstrip("\n").rpartition("\n")
    return output, json.loads(last)


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    repo, root = real_registry_repo(tmp_path)
    edit(root / "registry/partners/wolfsburg.yaml", "name: Stadt Wolfsburg", "name: VW-Stadt")
    commit_all(repo, "Wolfsburg gets a nickname")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("history", "wolfsburg"),
        ("history", "partner:wolfsburg", "--format", "json"),
        ("diff", "HEAD~1", "HEAD"),
        ("diff", "HEAD~1", "--format", "json"),
    ],
    ids=" ".join,
)
def test_a_read_of_git_builds_one_command_and_imports_nothing_heavy(
    edited: Path, args: tuple[str, ...]
) -> None:
    output, report = _loaded(edited, *args)
    assert report["code"] in (0, None)  # returned, or left through typer.Exit(0)
    assert report["heavy"] == []
    assert report["built"] == [args[0]]
    assert "VW-Stadt" in output  # it did answer


def test_the_check_would_see_what_is_loaded(edited: Path) -> None:
    """The same check notices a heavy import and every command built: `--help` builds all,
    and a file that only the reference parser reads (a duplicate key) imports ruamel.yaml."""
    _output, report = _loaded(edited, "--help")
    assert report["built"][:3] == ["init", "add", "set"]
    assert "history" in report["built"] and "diff" in report["built"]
    partner = edited / "registry/partners/wolfsburg.yaml"
    partner.write_text(partner.read_text("utf-8") + "name: Doppelt\n", encoding="utf-8")
    commit_all(edited, "A duplicate key")
    _output, report = _loaded(edited, "diff", "HEAD~1", "HEAD")
    assert "ruamel" in report["heavy"], report
