"""coopctl edit: a real editor process (a scripted one, and vim in a real terminal)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli

PARTNER = "registry/partners/landkreis-gifhorn.yaml"
AGREEMENT = "registry/agreements/muenchen-augsburg-nuernberg.yaml"

# An editor that applies the next scripted step to the file it is given and logs what it saw.
EDITOR_SCRIPT = """\
import json, os, stat, sys
from pathlib import Path

here = Path(sys.argv[1])
target = Path(sys.argv[2])
steps = json.loads((here / "steps.json").read_text(encoding="utf-8"))
step = steps.pop(0)
(here / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
with (here / "seen.jsonl").open("a", encoding="utf-8") as log:
    log.write(json.dumps({"path": str(target), "mode": stat.S_IMODE(target.stat().st_mode),
                          "text": target.read_text(encoding="utf-8")}) + "\\n")
if "meanwhile" in step:
    where, old, new = step["meanwhile"]
    Path(where).write_text(Path(where).read_text(encoding="utf-8").replace(old, new, 1),
                           encoding="utf-8")
text = target.read_text(encoding="utf-8")
if "replace" in step:
    old, new = step["replace"]
    assert old in text, old
    text = text.replace(old, new, 1)
if "write" in step:
    text = step["write"]
if "replace" in step or "write" in step:
    target.write_text(text, encoding="utf-8")
sys.exit(step.get("exit", 0))
"""


def _edit(
    root: Path, tmp_path: Path, steps: list[dict[str, object]], *args: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    """`coopctl edit` as a user runs it, with the scripted editor; the run and what the editor
    saw in each round."""
    here = tmp_path / "editor"
    here.mkdir(exist_ok=True)
    (here / "editor.py").write_text(EDITOR_SCRIPT, encoding="utf-8")
    (here / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    (here / "seen.jsonl").unlink(missing_ok=True)
    editor = f"{sys.executable} {here / 'editor.py'} {here}"
    environment = {**os.environ, "EDITOR": editor, "NO_COLOR": "1"}
    environment.pop("VISUAL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "coopctl", "edit", *args, "--root", str(root)],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    seen_file = here / "seen.jsonl"
    seen = (
        [json.loads(line) for line in seen_file.read_text().splitlines()]
        if seen_file.exists()
        else []
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    return completed, seen


def test_a_saved_change_is_written_and_the_copy_lives_outside_the_registry(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    before = path.read_text(encoding="utf-8")
    result, seen = _edit(
        registry_root, tmp_path, [{"replace": ["name: Landkreis Gifhorn", "name: Kreis Gifhorn"]}],
        "landkreis-gifhorn",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote {PARTNER}\n"
    assert path.read_text(encoding="utf-8") == before.replace(
        "name: Landkreis Gifhorn", "name: Kreis Gifhorn", 1
    )
    (round_one,) = seen
    copy = Path(str(round_one["path"]))
    assert round_one["text"] == before
    assert round_one["mode"] == 0o600
    assert registry_root not in copy.parents
    assert not copy.exists()  # removed after the run


def test_an_unchanged_save_changes_nothing(registry_root: Path, tmp_path: Path) -> None:
    path = registry_root / PARTNER
    stamp = path.stat().st_mtime_ns
    result, _ = _edit(registry_root, tmp_path, [{}], "landkreis-gifhorn")
    assert result.returncode == 0
    assert f"{PARTNER}: no changes; nothing was written" in result.stderr
    assert path.stat().st_mtime_ns == stamp


def test_line_ends_survive_an_unchanged_round(registry_root: Path, tmp_path: Path) -> None:
    path = registry_root / PARTNER
    crlf = path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)
    result, _ = _edit(registry_root, tmp_path, [{}], "landkreis-gifhorn")
    assert result.returncode == 0, result.stderr
    assert "no changes; nothing was written" in result.stderr
    assert path.read_bytes() == crlf


def test_an_empty_save_aborts(registry_root: Path, tmp_path: Path) -> None:
    path = registry_root / PARTNER
    before = path.read_bytes()
    result, _ = _edit(registry_root, tmp_path, [{"write": "\n"}], "landkreis-gifhorn")
    assert result.returncode == 1
    assert "the file was saved empty; aborted, nothing was written" in result.stderr
    assert path.read_bytes() == before


def test_a_failing_editor_aborts(registry_root: Path, tmp_path: Path) -> None:
    path = registry_root / PARTNER
    before = path.read_bytes()
    result, _ = _edit(
        registry_root, tmp_path, [{"replace": ["Gifhorn", "Gifhorn X"], "exit": 3}],
        "landkreis-gifhorn",
    )  # fmt: skip
    assert result.returncode == 1
    assert "exited with status 3; aborted, nothing was written" in result.stderr
    assert path.read_bytes() == before


def test_problems_reopen_the_file_with_them_as_comments_until_it_is_clean(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / AGREEMENT
    before = path.read_text(encoding="utf-8")
    steps = [
        {"replace": ["status: active", "status: terminated"]},
        {"replace": ["binding: unknown", "binding: [unclosed"]},
        {"write": before.replace("binding: unknown", "binding: true", 1)},
    ]
    result, seen = _edit(registry_root, tmp_path, steps, "agreement:muenchen-augsburg-nuernberg")
    assert result.returncode == 0, result.stderr
    assert len(seen) == 3
    second = str(seen[1]["text"]).splitlines()
    assert second[0].startswith("# coopctl: 1 problem in this file")
    assert second[1] == (
        f"# coopctl:   {AGREEMENT}:12:9: error[E003] status is terminated but there is no "
        "termination event"
    )
    assert second[2].startswith("# coopctl: correct them and save")
    assert "\n".join(second[3:]) + "\n" == before.replace("status: active", "status: terminated")
    third = str(seen[2]["text"]).splitlines()
    assert third[1].startswith(f"# coopctl:   {AGREEMENT}:")
    assert "error[Y" in third[1]  # the unclosed flow sequence, a YAML problem
    assert path.read_text(encoding="utf-8") == before.replace(
        "binding: unknown", "binding: true", 1
    )


def test_new_warnings_are_shown_but_do_not_reopen_the_file(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    text = path.read_text(encoding="utf-8")
    without_sources = text[: text.index("\nsources:")] + text[text.index("\nnotes:") :]
    result, seen = _edit(registry_root, tmp_path, [{"write": without_sources}], "landkreis-gifhorn")
    assert result.returncode == 0, result.stderr
    assert len(seen) == 1
    assert "warning[Q001] partner 'landkreis-gifhorn' names no source" in result.stderr
    assert path.read_text(encoding="utf-8") == without_sources


def test_saving_the_problems_unchanged_aborts_and_writes_nothing(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / AGREEMENT
    before = path.read_bytes()
    result, seen = _edit(
        registry_root, tmp_path, [{"replace": ["status: active", "status: terminated"]}, {}],
        "muenchen-augsburg-nuernberg",
    )  # fmt: skip
    assert result.returncode == 1
    assert len(seen) == 2
    assert "error[E003]" in result.stderr
    assert "saved unchanged with its problems; aborted, nothing was written" in result.stderr
    assert path.read_bytes() == before


def test_a_file_changed_meanwhile_is_not_overwritten_and_the_edit_is_kept(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    step = {
        "meanwhile": [str(path), "name: Landkreis Gifhorn", "name: Landkreis Gifhorn (anderswo)"],
        "replace": ["name: Landkreis Gifhorn", "name: Kreis Gifhorn"],
    }
    result, seen = _edit(registry_root, tmp_path, [step], "landkreis-gifhorn")
    assert result.returncode == 1
    assert f"{PARTNER}:1:1: error[F010] changed on disk while it was being edited" in result.stderr
    assert "(anderswo)" in path.read_text(encoding="utf-8")
    kept = Path(str(seen[0]["path"]))
    assert f"your version is kept in {kept}" in result.stderr
    assert "name: Kreis Gifhorn\n" in kept.read_text(encoding="utf-8")
    kept.unlink()


def test_a_link_is_never_edited(registry_root: Path, tmp_path: Path) -> None:
    path = registry_root / PARTNER
    real = registry_root / "elsewhere.yaml"
    path.rename(real)
    path.symlink_to(real)
    result, seen = _edit(
        registry_root, tmp_path, [{"replace": ["Gifhorn", "X"]}], "landkreis-gifhorn"
    )
    assert result.returncode == 1
    assert f"{PARTNER}:1:1: error[F008]" in result.stderr
    assert seen == []  # the editor was never started
    assert path.is_symlink()


def test_an_unknown_id_is_exit_1_with_did_you_mean(registry_root: Path, tmp_path: Path) -> None:
    result, seen = _edit(registry_root, tmp_path, [{}], "landkreis-gifhor")
    assert result.returncode == 1
    assert "did you mean 'landkreis-gifhorn'" in result.stderr
    assert seen == []


def test_vim_in_a_real_terminal(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("vim is not installed")
    path = registry_root / PARTNER
    before = path.read_text(encoding="utf-8")
    child = pexpect.spawn(
        sys.executable, ["-m", "coopctl", "edit", "landkreis-gifhorn"],
        cwd=str(registry_root), encoding="utf-8", timeout=30,
        env={**os.environ, "VISUAL": f"{vim} -u NONE -i NONE -N", "NO_COLOR": "1",
             "TERM": "xterm"},
    )  # fmt: skip
    child.expect("landkreis-gifhorn")  # vim shows the copy's name
    child.send("\x1b:%s/^name: Landkreis Gifhorn$/name: Kreis Gifhorn/\r")
    child.send(":wq\r")
    child.expect(f"wrote {PARTNER}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert path.read_text(encoding="utf-8") == before.replace(
        "name: Landkreis Gifhorn\n", "name: Kreis Gifhorn\n", 1
    )


def test_vim_shows_the_problems_and_the_fix_is_written(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    vim = shutil.which("vim")
    if vim is None:
        pytest.skip("vim is not installed")
    path = registry_root / AGREEMENT
    before = path.read_text(encoding="utf-8")
    child = pexpect.spawn(
        sys.executable, ["-m", "coopctl", "edit", "muenchen-augsburg-nuernberg"],
        cwd=str(registry_root), encoding="utf-8", timeout=30, dimensions=(40, 200),
        env={**os.environ, "VISUAL": f"{vim} -u NONE -i NONE -N", "NO_COLOR": "1",
             "TERM": "xterm"},
    )  # fmt: skip
    child.expect("muenchen-augsburg-nuernberg")
    child.send("\x1b:%s/^status: active$/status: terminated/\r:wq\r")
    child.expect("1 problem in this file")  # vim again, the problems at the top
    child.expect("status is terminated but there is no termination event")
    child.send("\x1b:%s/^status: terminated$/status: active/\r")
    child.send(":%s/^binding: unknown$/binding: true/\r:wq\r")
    child.expect(f"wrote {AGREEMENT}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert path.read_text(encoding="utf-8") == before.replace(
        "binding: unknown\n", "binding: true\n", 1
    )


def test_own_comments_like_the_header_are_kept_when_no_header_was_shown(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    text = path.read_text(encoding="utf-8")
    own = "# coopctl: a note of the editor's own\n" + text
    result, _ = _edit(registry_root, tmp_path, [{"write": own}], "landkreis-gifhorn")
    assert result.returncode == 0, result.stderr
    assert path.read_text(encoding="utf-8") == own


def test_a_file_that_does_not_load_opens_with_its_problems(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    good = path.read_text(encoding="utf-8")
    broken = good + "name: Landkreis Gifhorn\n"  # a duplicate key: the file does not load
    path.write_text(broken, encoding="utf-8")
    assert run_cli("show", "landkreis-gifhorn", "--root", str(registry_root)).exit_code == 1
    result, seen = _edit(registry_root, tmp_path, [{"write": good}], "partner:landkreis-gifhorn")
    assert result.returncode == 0, result.stderr
    header = str(seen[0]["text"]).splitlines()[:3]
    assert header[0].startswith("# coopctl: 1 problem")
    assert header[1].startswith(f"# coopctl:   {PARTNER}:")
    assert "error[Y" in header[1]
    assert path.read_text(encoding="utf-8") == good


def test_a_file_that_does_not_load_saved_unchanged_aborts(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / PARTNER
    broken = path.read_text(encoding="utf-8") + "name: Landkreis Gifhorn\n"
    path.write_text(broken, encoding="utf-8")
    result, _ = _edit(registry_root, tmp_path, [{}], "landkreis-gifhorn")
    assert result.returncode == 1
    assert "saved unchanged with its problems; aborted" in result.stderr
    assert path.read_text(encoding="utf-8") == broken
