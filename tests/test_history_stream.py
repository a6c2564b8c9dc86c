"""`coopctl history` on a history with every shape git can give a file: edits, a merge whose
result differs from both parents, a rename, a deletion, a re-addition and a hostile file name.
The output is pinned exactly, and the git processes one run starts are counted through a
`git` on PATH that logs each call and runs the real git."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.gitrepo import coopctl_git_calls, edit, git, real_registry_repo
from tests.helpers import run_cli

HOSTILE = 'a*b [c] "d"\tü'  # pathspec patterns, quotes, a tab and an umlaut


def _commit(repo: Path, monkeypatch: pytest.MonkeyPatch, message: str, day: int) -> str:
    stamp = f"2024-03-{day:02d}T10:00:00+01:00"
    monkeypatch.setenv("GIT_AUTHOR_DATE", stamp)
    monkeypatch.setenv("GIT_COMMITTER_DATE", stamp)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2024-03-01T10:00:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-03-01T10:00:00+01:00")
    repo, root = real_registry_repo(tmp_path)
    partners = root / "registry/partners"
    wolfsburg = partners / "wolfsburg.yaml"
    edit(wolfsburg, "name: Stadt Wolfsburg", "name: VW-Stadt")
    _commit(repo, monkeypatch, "Wolfsburg gets a nickname", 2)
    git(repo, "switch", "-q", "-c", "side")
    edit(wolfsburg, "short_name: Wolfsburg", "short_name: WOB")
    _commit(repo, monkeypatch, "Shorter short name", 3)
    git(repo, "switch", "-q", "main")
    edit(wolfsburg, "website: https://www.wolfsburg.de", "website: https://wolfsburg.de")
    _commit(repo, monkeypatch, "Website without www", 4)
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2024-03-05T10:00:00+01:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2024-03-05T10:00:00+01:00")
    git(repo, "merge", "-q", "--no-ff", "-m", "Merge the short name", "side")
    git(repo, "mv", "registry/partners/wolfsburg.yaml", "registry/partners/wob.yaml")
    edit(partners / "wob.yaml", "id: wolfsburg", "id: wob")
    _commit(repo, monkeypatch, "Shorter id for Wolfsburg", 6)
    text = (partners / "wob.yaml").read_text(encoding="utf-8")
    (partners / "wob.yaml").unlink()
    _commit(repo, monkeypatch, "Wolfsburg leaves", 7)
    (partners / "wob.yaml").write_text(
        text.replace("name: VW-Stadt", "name: Stadt Wolfsburg"), encoding="utf-8"
    )
    _commit(repo, monkeypatch, "Wolfsburg returns", 8)
    hostile = partners / f"{HOSTILE}.yaml"
    hostile.write_text(
        text.replace("id: wob", "id: " + json.dumps(HOSTILE)).replace("name: VW-Stadt", "name: X"),
        encoding="utf-8",
    )
    _commit(repo, monkeypatch, "A file with a hostile name", 9)
    edit(hostile, "name: X", "name: 'Y\u202e'")
    _commit(repo, monkeypatch, "Rename the hostile one", 10)
    return repo, root


def _tokens(repo: Path, output: str) -> str:
    """The output with each commit's sha replaced by its subject in angle brackets."""
    for line in git(repo, "log", "--all", "--format=%H %s").splitlines():
        sha, _space, subject = line.partition(" ")
        output = output.replace(sha, f"<{subject}>").replace(sha[:12], f"<{subject}>")
    return output


def test_history_output_is_pinned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, root = _scenario(tmp_path, monkeypatch)
    outputs = {}
    for name, args in {
        "wob.txt": ("history", "wob"),
        "wob.json": ("history", "partner:wob", "--format", "json"),
        "hostile.txt": ("history", HOSTILE),
        "hostile.json": ("history", f"partner:{HOSTILE}", "--format", "json"),
        "old.txt": ("history", "wob", "--rev", "HEAD~4"),
    }.items():
        result = run_cli(*args, "--root", str(root))
        assert result.exit_code == 0, result.output
        outputs[name] = _tokens(repo, result.stdout)
    expected = Path(__file__).with_name("history_expected")
    if os.environ.get("COOPCTL_RECORD_HISTORY"):
        expected.mkdir(exist_ok=True)
        for name, text in outputs.items():
            (expected / name).write_text(text, encoding="utf-8")
    for name, text in outputs.items():
        assert text == (expected / name).read_text(encoding="utf-8"), name


def _git_calls(tmp_path: Path, root: Path, *args: str) -> list[str]:
    """The git commands one `coopctl history` process starts."""
    return coopctl_git_calls(tmp_path, "history", *args, "--root", str(root))


@pytest.mark.parametrize("edits", [2, 12])
def test_history_starts_a_few_git_processes_whatever_the_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: int
) -> None:
    repo, root = _scenario(tmp_path, monkeypatch)
    wob = root / "registry/partners/wob.yaml"
    for number in range(edits):
        text = re.sub(r"short_name: .*", f"short_name: WOB {number}", wob.read_text("utf-8"))
        wob.write_text(text, encoding="utf-8")
        _commit(repo, monkeypatch, f"Edit {number}", 11 + number)
    log = git(repo, "log", "--follow", "--format=%H", "--", "registry/partners/wob.yaml")
    assert len(log.split()) == 2 + edits
    # the work tree with the revision, the bare id's file, its history, its blobs (the
    # cat-file starts beside the log, before it has named any: the two log themselves in
    # either order)
    calls = [call.split()[:2] for call in _git_calls(tmp_path, root, "wob", "--format", "json")]
    assert calls[:2] == [["rev-parse", "--is-bare-repository"], ["--literal-pathspecs", "ls-tree"]]
    assert sorted(calls[2:]) == [["--literal-pathspecs", "log"], ["cat-file", "--batch"]]
    calls = [call.split()[:2] for call in _git_calls(tmp_path, root, "partner:wob")]
    assert sorted(call[-1] for call in calls) == ["--batch", "--is-bare-repository", "log"]
    assert calls[0] == ["rev-parse", "--is-bare-repository"]
    first = _git_calls(tmp_path, root, "partner:wob", "--rev", "HEAD~1")[0]
    assert first.endswith("--verify --quiet HEAD~1^{commit}")
