"""`history` and `diff` in their plain forms run without typer (coopctl.cli.direct), and answer
exactly as the typer application does: the same output, messages and exit status for every
argument list, whichever of the two runs it. Each list goes once through the entry point in a
fresh interpreter, which reports whether it imported typer, and once through the typer
application in-process (`run_cli`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import commit_all, edit, real_registry_repo
from tests.helpers import run_cli

_PROBE = (
    "import atexit, sys\n"
    "loaded = lambda name: name in sys.modules\n"
    "atexit.register(lambda: sys.stderr.write('\\n(%s %s)' % (loaded('typer'), loaded('rich'))))\n"
    "from coopctl.cli.entry import main\n"
    "main()\n"
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo, root = real_registry_repo(tmp_path_factory.mktemp("direct"))
    edit(root / "registry/partners/wolfsburg.yaml", "name: Stadt Wolfsburg", "name: VW-Stadt")
    commit_all(repo, "Wolfsburg gets a nickname")
    (root / "a-file").write_text("not a folder\n", encoding="utf-8")
    return root


DIRECT = [
    ("history", "wolfsburg"),
    ("history", "partner:wolfsburg", "--format", "json"),
    ("history", "-f", "json", "wolfsburg"),
    ("history", "--format=text", "wolfsburg", "--rev=HEAD~1"),
    ("history", "wolfsburg", "--rev", "HEAD", "--root", "."),
    ("history", "no-such-entity"),
    ("history", "a/b"),
    ("history", "wolfsburg", "--rev", "no-such-revision"),
    ("history", "wolfsburg", "--rev="),
    ("history", "wolfsburg", "--root", "no-such-folder"),
    ("diff", "HEAD~1", "HEAD"),
    ("diff", "HEAD~1..HEAD", "--format", "markdown"),
    ("diff", "HEAD~1...", "-f", "json"),
    ("diff", "HEAD~1", "--exit-code"),
    ("diff", "--exit-code"),
    ("diff", "HEAD~1", "HEAD", "--no-cache"),
    ("diff", "HEAD", "no-such-revision"),
]
THROUGH_TYPER = [
    ("history",),
    ("history", "a", "b"),
    ("history", "wolfsburg", "-fjson"),
    ("history", "wolfsburg", "--format", "yaml"),
    ("history", "wolfsburg", "--format", "json", "--format", "text"),
    ("history", "--", "wolfsburg"),
    ("history", "wolfsburg", "--exit-code"),
    ("history", "wolfsburg", "--no-cache"),
    ("history", "wolfsburg", "--rev"),
    ("history", "wolfsburg", "-h"),
    ("diff", "--root", "a-file"),
    ("diff", "--exit-code=1"),
    ("diff", "--no-cache=1"),
    ("diff", "a", "b", "c"),
    ("diff", "HEAD~1", "--rev", "HEAD"),
]


def _entry_point(root: Path, args: tuple[str, ...]) -> tuple[str, str, int, bool, bool]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    stderr, _newline, probe = completed.stderr.rpartition("\n")
    typer, rich = probe.strip("()").split()
    return completed.stdout, stderr, completed.returncode, typer == "True", rich == "True"


@pytest.mark.parametrize(
    ("args", "direct"),
    [pytest.param(a, True, id=" ".join(a)) for a in DIRECT]
    + [pytest.param(a, False, id=" ".join(a)) for a in THROUGH_TYPER],
)
def test_the_entry_point_answers_as_the_typer_application(
    root: Path, args: tuple[str, ...], direct: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdout, stderr, code, used_typer, used_rich = _entry_point(root, args)
    assert used_typer is not direct
    if direct and code in (0, 1):  # plain lines to a pipe: no rich (errors are printed by it)
        assert not used_rich
    monkeypatch.chdir(root)
    result = run_cli(*args)
    assert (stdout, stderr, code) == (result.stdout, result.stderr, result.exit_code)
    if args[:2] == ("history", "wolfsburg") and len(args) == 2:
        assert "VW-Stadt" in stdout  # it did answer
