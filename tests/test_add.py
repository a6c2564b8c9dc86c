"""coopctl add: entities and events from flags, files, prompts and a real terminal."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.gitrepo import git as _git
from tests.helpers import interrupt_when_reading, run_cli

AGREEMENT = "registry/agreements/braunschweig-salzgitter-wolfsburg.yaml"


def _load(path: Path) -> dict:
    return dict(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _coopctl(root: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coopctl", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


# --- non-interactive -------------------------------------------------------------------------


def test_partner_from_the_gemeindeverzeichnis(registry_root: Path) -> None:
    result = run_cli("add", "partner", "--ars", "031540000000", "--root", str(registry_root))
    assert result.exit_code == 0, result.output
    assert "wrote registry/partners/landkreis-helmstedt.yaml" in result.stdout
    path = registry_root / "registry/partners/landkreis-helmstedt.yaml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/partner.schema.json\n"
    )
    assert _load(path) == {
        "kind": "partner",
        "id": "landkreis-helmstedt",
        "name": "Landkreis Helmstedt",
        "short_name": "Helmstedt",
        "type": "landkreis",
        "gv_type": "44",
        "state": "DE-NI",
        "ars": "031540000000",
    }
    assert "warning[Q001]" in result.stderr  # no source yet: said, but not fatal
    assert run_cli("validate", "--root", str(registry_root)).exit_code == 0


def test_a_municipality_by_ags_gets_its_ags_and_a_transliterated_id(
    registry_root: Path,
) -> None:
    result = run_cli(
        "add", "partner", "--ars", "09564000", "--set", "sources+={url: https://example.org/n}",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # Nürnberg exists: its id is taken
    assert "a partner with id 'nuernberg' exists already" in result.stderr
    result = run_cli(
        "add", "partner", "--ars", "09564000", "--set", "id=nuernberg-2",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # under another id: its ARS is taken
    assert "nuernberg.yaml ('nuernberg', Stadt Nürnberg) has the same" in result.stderr
    assert "nothing was written" in result.stderr
    result = run_cli("add", "partner", "--ars", "09162000", "--root", str(registry_root))
    assert result.exit_code == 1  # München, too
    result = run_cli("add", "partner", "--ars", "03153017", "--root", str(registry_root))
    assert result.exit_code == 0, result.output
    data = _load(registry_root / "registry/partners/goslar.yaml")
    assert data["name"] == "Stadt Goslar"
    assert (data["ags"], data["ars"], data["state"]) == ("03153017", "031530017017", "DE-NI")
    assert (data["type"], data["gv_type"]) == ("stadt", "63")


def test_lookup_by_name_must_be_unambiguous(registry_root: Path) -> None:
    result = run_cli("add", "partner", "--lookup", "Wolfenbüttel", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "matches 2 entries" in result.stderr
    assert "031580000000" in result.stderr
    result = run_cli("add", "partner", "--lookup", "Nirgendwohausen", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "no Gemeindeverzeichnis entry matches" in result.stderr


def test_missing_required_fields_without_a_terminal_are_a_usage_error(
    registry_root: Path,
) -> None:
    before = _files(registry_root / "registry/agreements")
    result = run_cli("add", "agreement", "--set", "title=Kooperation", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "missing required fields: instrument, status, events" in result.stderr
    assert _files(registry_root / "registry/agreements") == before


def test_set_paths_appends_and_typed_values(registry_root: Path) -> None:
    result = run_cli(
        "add", "agreement",
        "--set", "title=Digitale Region Test",
        "--set", "instrument=2",  # a choice by its number
        "--set", "status=signed",
        "--set", "binding=false",
        "--set", "areas+=basisdienste", "--set", "areas+=schnittstellen",
        "--set", "events.0.date=2021-04",
        "--set", "events.0.type=signed",
        "--set", "events.0.partners=[braunschweig, wolfsburg]",
        "--set", "sources.0.url=https://example.org/lit",
        "--set", "sources.0.published=2021-04-29",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = _load(registry_root / "registry/agreements/digitale-region-test.yaml")
    assert data["instrument"] == "memorandum_of_understanding"
    assert data["binding"] is False
    assert data["areas"] == ["basisdienste", "schnittstellen"]
    assert data["events"] == [
        {"date": "2021-04", "type": "signed", "partners": ["braunschweig", "wolfsburg"]}
    ]
    text = (registry_root / "registry/agreements/digitale-region-test.yaml").read_text("utf-8")
    assert "published: '2021-04-29'" in text
    assert list(data) == ["kind", "id", "title", "instrument", "binding", "status", "areas",
                          "events", "sources"]  # fmt: skip


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("nmae=X", "unknown field 'nmae'"),
        ("type=kreisfrei", "is not one of"),
        ("parent=braunschwieg", "did you mean braunschweig"),
        ("last_reviewed=gestern", "is not a date"),
        ("name", "expected PATH=VALUE"),
        ("name+=X", "+= appends to lists only"),
        ("sources.5.url=https://a.de", "past the end of the list"),
    ],
)
def test_bad_assignments_name_the_problem(
    registry_root: Path, assignment: str, message: str
) -> None:
    result = run_cli(
        "add", "partner", "--set", "name=Test", "--set", assignment, "--root", str(registry_root)
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_from_a_json_file_and_from_stdin(registry_root: Path, tmp_path: Path) -> None:
    payload = {"name": "Zweckverband Test", "type": "zweckverband", "state": "DE-BY",
               "sources": [{"url": "https://example.org/zv"}]}  # fmt: skip
    source = tmp_path / "partner.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    result = run_cli("add", "partner", "--from", str(source), "--root", str(registry_root))
    assert result.exit_code == 0, result.output
    assert _load(registry_root / "registry/partners/zweckverband-test.yaml")["state"] == "DE-BY"
    payload["name"] = "Zweckverband Zwei"
    result = run_cli(
        "add", "partner", "--from", "-", "--set", "id=zv-zwei", "--root", str(registry_root),
        input=json.dumps(payload),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (registry_root / "registry/partners/zv-zwei.yaml").is_file()


def test_a_broken_from_file_is_named_with_its_position(registry_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("name: [unclosed\n", encoding="utf-8")
    result = run_cli("add", "partner", "--from", str(source), "--root", str(registry_root))
    assert result.exit_code == 2
    assert f"{source}:" in result.stderr


def test_an_existing_id_is_never_overwritten(registry_root: Path) -> None:
    path = registry_root / "registry/partners/braunschweig.yaml"
    before = path.read_bytes()
    result = run_cli(
        "add", "partner", "--set", "name=Braunschweig", "--set", "type=other",
        "--set", "id=braunschweig", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "exists already" in result.stderr
    assert path.read_bytes() == before


def test_errors_in_the_new_state_write_nothing_unless_forced(registry_root: Path) -> None:
    args = ("add", "partner", "--set", "name=Stadt Irgendwo", "--set", "type=stadt",
            "--set", "ars=031010000000", "--root", str(registry_root))  # fmt: skip
    result = run_cli(*args)
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert not (registry_root / "registry/partners/stadt-irgendwo.yaml").exists()
    result = run_cli(*args, "--force")
    assert result.exit_code == 0
    assert (registry_root / "registry/partners/stadt-irgendwo.yaml").exists()


# --- events ----------------------------------------------------------------------------------


def test_event_is_inserted_in_date_order_keeping_comments(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    original = path.read_text(encoding="utf-8")
    commented = original.replace("events:\n", "events:  # the source of truth\n", 1).replace(
        "status: signed\n", "status: signed\n\n# fields of work\n", 1
    )
    path.write_text(commented, encoding="utf-8")
    result = run_cli(
        "add", "event", "braunschweig-salzgitter-wolfsburg",
        "--set", "date=2020-10-07", "--set", "type=meeting", "--set", "place=Wolfsburg",
        "--set", "sources+={url: https://example.org/treffen}",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "events:  # the source of truth\n" in text
    assert "status: signed\n\n# fields of work\n" in text
    old_lines = commented.splitlines()
    new_lines = text.splitlines()
    added = [line for line in new_lines if line not in old_lines]
    assert added == [
        "  - date: '2020-10-07'",
        "    type: meeting",
        "    place: Wolfsburg",
        "      - url: https://example.org/treffen",
    ]
    dates = [e["date"] for e in _load(path)["events"]]
    old_dates = [e["date"] for e in YAML(typ="safe").load(original)["events"]]
    assert dates == [*old_dates[:2], "2020-10-07", *old_dates[2:]]
    assert run_cli("validate", "--root", str(registry_root)).exit_code == 0


def test_accession_changes_membership(registry_root: Path) -> None:
    run_cli("add", "partner", "--ars", "031540000000", "--root", str(registry_root))
    result = run_cli(
        "add", "event", "braunschweig-salzgitter-wolfsburg",
        "--set", "date=2022-05", "--set", "type=accession",
        "--set", "partners+=landkreis-helmstedt", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    events = _load(registry_root / AGREEMENT)["events"]
    assert events[-1] == {"date": "2022-05", "type": "accession",
                          "partners": ["landkreis-helmstedt"]}  # fmt: skip


def test_event_for_an_unknown_agreement_or_partner(registry_root: Path) -> None:
    result = run_cli("add", "event", "braunschweig-salzgitter", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "did you mean braunschweig-salzgitter-wolfsburg" in result.stderr
    result = run_cli(
        "add", "event", "braunschweig-salzgitter-wolfsburg", "--set", "date=2022",
        "--set", "type=accession", "--set", "partners+=gifhorn", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "did you mean landkreis-gifhorn" in result.stderr
    result = run_cli("add", "event", "--root", str(registry_root))
    assert result.exit_code == 2
    assert "which agreement?" in result.stderr


def test_a_withdrawal_of_a_non_member_is_refused(registry_root: Path) -> None:
    before = (registry_root / AGREEMENT).read_bytes()
    result = run_cli(
        "add", "event", "braunschweig-salzgitter-wolfsburg", "--set", "date=2022",
        "--set", "type=withdrawal", "--set", "partners+=muenchen", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "E002" in result.stdout + result.stderr
    assert (registry_root / AGREEMENT).read_bytes() == before


# --- prompts ---------------------------------------------------------------------------------


def test_prompts_through_standard_input(registry_root: Path) -> None:
    answers = "\n".join([
        "Digitalagentur Test",  # name
        "",  # id: accept the suggestion
        "zwölf",  # type: wrong
        "24",  # type: other
        "y", "https://example.org/da", "Gründung", "", "2023-02-30", "2023-02", "", "n",
        "n",  # no optional fields
        "y",  # write
    ]) + "\n"  # fmt: skip
    result = run_cli("add", "partner", "--interactive", "--root", str(registry_root), input=answers)
    assert result.exit_code == 0, result.output
    assert "'zwölf' is not one of" in result.output
    assert "'2023-02-30' is not a date" in result.output
    data = _load(registry_root / "registry/partners/digitalagentur-test.yaml")
    assert data["type"] == "other"
    assert data["sources"] == [
        {"url": "https://example.org/da", "title": "Gründung", "published": "2023-02"}
    ]


def test_prompts_end_of_input_writes_nothing(registry_root: Path) -> None:
    before = _files(registry_root / "registry/partners")
    result = run_cli(
        "add", "partner", "--interactive", "--root", str(registry_root), input="Halb fertig\n"
    )
    assert result.exit_code == 130
    assert "nothing was written" in result.output
    assert _files(registry_root / "registry/partners") == before


def test_prompts_in_a_real_terminal(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable, ["-m", "coopctl", "add", "event", "braunschweig-salzgitter-wolfsburg"],
        cwd=str(registry_root), encoding="utf-8", timeout=30,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )  # fmt: skip
    child.expect(r"Date \(YYYY")
    child.sendline("2021-06-01")
    child.expect("accession")  # choices are listed with numbers
    child.expect("Type:")
    child.sendline("accession")
    child.expect(r"Add partners\?")
    child.sendline("y")
    child.expect("Partners:")
    child.sendline("landkreis-gifhorm")
    child.expect("did you mean landkreis-gifhorn")
    child.sendline("landkreis-gifhorn")
    child.expect(r"Add another to partners\?")
    child.sendline("n")
    child.expect(r"Add sources\?")
    child.sendline("n")
    child.expect(r"Add optional fields\?")
    child.sendline("n")
    child.expect(r"Write registry/agreements/braunschweig-salzgitter-wolfsburg.yaml\?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    events = _load(registry_root / AGREEMENT)["events"]
    assert {"date": "2021-06-01", "type": "accession", "partners": ["landkreis-gifhorn"]} in events


def test_ctrl_c_in_a_real_terminal_leaves_nothing(registry_root: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    before = _files(registry_root / "registry/partners")
    child = pexpect.spawn(
        sys.executable, ["-m", "coopctl", "add", "partner"], cwd=str(registry_root),
        encoding="utf-8", timeout=30,
        env={**os.environ, "NO_COLOR": "1", "XDG_STATE_HOME": str(registry_root.parent / "st")},
    )  # fmt: skip
    child.expect("Name:")
    child.sendline("Stadt Abbruch")
    child.expect(r"Id \(file name\) \[stadt-abbruch\]: ")  # the last space: reading
    interrupt_when_reading(child)
    child.expect(r"Keep a draft of your answers\? \[Y/n\]: ")  # once; a second Ctrl-C quits
    interrupt_when_reading(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _files(registry_root / "registry/partners") == before


# --- safety ----------------------------------------------------------------------------------


def _start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "coopctl", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out + err


DOPPELT = (
    "add",
    "partner",
    "--set",
    "name=Stadt Doppelt",
    "--set",
    "type=other",
    "--no-interactive",
)


def test_two_writers_of_one_id_give_one_file_and_one_clear_error(registry_root: Path) -> None:
    """Whatever the timing, one run writes stadt-doppelt.yaml and every other run with the
    same name fails as a duplicate: when it read the registry after the first had written,
    and when both read it before either wrote (then the exclusive create decides)."""
    folder = registry_root / "registry/partners"
    before = _files(folder)
    first, later = (
        _finish(_start(registry_root, *DOPPELT)),
        _finish(_start(registry_root, *DOPPELT)),
    )
    assert first[0] == 0, first[1]
    assert later[0] == 1, later[1]
    assert "a partner with id 'stadt-doppelt' exists already" in later[1]
    for _ in range(3):
        (folder / "stadt-doppelt.yaml").unlink()
        outcomes = [_finish(p) for p in [_start(registry_root, *DOPPELT) for _ in range(4)]]
        assert sorted(code for code, _ in outcomes) == [0, 1, 1, 1], outcomes
        for code, output in outcomes:
            assert "Traceback" not in output
            if code == 1:
                assert "a partner with id 'stadt-doppelt' exists already" in output, output
        assert _load(folder / "stadt-doppelt.yaml")["name"] == "Stadt Doppelt"
        assert _files(folder) == sorted([*before, "stadt-doppelt.yaml"])


def _event(number: int) -> tuple[str, ...]:
    return ("add", "event", "braunschweig-salzgitter-wolfsburg",
            "--set", f"date=2022-03-{number + 1:02d}", "--set", "type=meeting",
            "--set", f"note=Treffen {number}", "--no-interactive")  # fmt: skip


def _notes(path: Path) -> list[str]:
    return [e["note"] for e in _load(path)["events"] if "note" in e and "Treffen" in e["note"]]


def test_concurrent_events_on_one_agreement_are_all_kept(registry_root: Path) -> None:
    """Six writers at once, three rounds: in every interleaving each writer that says "wrote"
    has its event in the file, and none fails."""
    path = registry_root / AGREEMENT
    expected: list[str] = []
    for round_ in range(3):
        numbers = range(round_ * 6, round_ * 6 + 6)
        patient = {"COOPCTL_LOCK_SECONDS": "600"}  # so that no load can make one give up
        started = [_start(registry_root, *_event(n), env=patient) for n in numbers]
        outcomes = [_finish(p) for p in started]
        assert [code for code, _ in outcomes] == [0] * 6, outcomes
        assert all("wrote registry/agreements/" in output for _, output in outcomes)
        expected += [f"Treffen {n}" for n in numbers]
        assert sorted(_notes(path)) == sorted(expected)
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".")]
    assert run_cli("validate", "--root", str(registry_root)).exit_code == 0


def test_a_writer_waits_for_the_lock_and_builds_on_what_was_written(registry_root: Path) -> None:
    """The test holds the file's lock and changes the file meanwhile; the writer, started
    while the lock is held, keeps that change and adds its event."""
    from coopctl.fsio import file_lock

    path = registry_root / AGREEMENT
    with file_lock(path):
        writer = _start(registry_root, *_event(1), env={"COOPCTL_LOCK_SECONDS": "600"})
        path.write_text(path.read_text(encoding="utf-8") + "# edited meanwhile\n", "utf-8")
    code, output = _finish(writer)
    assert code == 0, output
    text = path.read_text(encoding="utf-8")
    assert "# edited meanwhile" in text
    assert _notes(path) == ["Treffen 1"]


def test_a_lock_held_too_long_is_a_clear_error_and_nothing_is_written(
    registry_root: Path,
) -> None:
    from coopctl.fsio import file_lock

    path = registry_root / AGREEMENT
    before = path.read_bytes()
    with file_lock(path):
        code, output = _finish(_start(registry_root, *_event(1), env={"COOPCTL_LOCK_SECONDS": "0"}))
    assert code == 1, output
    assert "another coopctl is writing this file" in output
    assert "wrote" not in output and "Traceback" not in output
    assert path.read_bytes() == before


def test_a_change_made_without_the_lock_is_never_overwritten(registry_root: Path) -> None:
    """fmt formats what it read at its start; if another program changed the file by the
    time fmt holds the lock, fmt writes nothing for it and says so. Either way the other
    program's change survives, and fmt reports success only for what it wrote."""
    path = registry_root / "registry/partners/augsburg.yaml"
    messy = path.read_text(encoding="utf-8").replace("name: ", "name:    ", 1)
    path.write_text(messy, encoding="utf-8")
    fmt = _start(registry_root, "fmt", "registry/partners/augsburg.yaml")
    path.write_text(messy + "# edited meanwhile\n", encoding="utf-8")
    code, output = _finish(fmt)
    text = path.read_text(encoding="utf-8")
    assert "# edited meanwhile" in text
    if code == 0:  # fmt read the file after the edit
        assert "reformatted registry/partners/augsburg.yaml" in output
        assert "name:    " not in text
    else:
        assert code == 1, output
        assert "changed while formatting; run fmt again" in output
        assert "reformatted" not in output.replace("0 files reformatted", "")


_KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from coopctl.fsio import write_atomic_with

def produce(temporary):
    temporary.write_bytes(b"kind: partner\\nname: half")
    os.kill(os.getpid(), signal.SIGKILL)

write_atomic_with(Path(sys.argv[1]), produce)
"""


def _killed_writer(target: Path) -> list[str]:
    """Run the real atomic writer and kill it (SIGKILL) after it wrote half of the new file;
    the names it left in the target's folder."""
    before = set(_files(target.parent))
    completed = subprocess.run([sys.executable, "-c", _KILLED_WRITE, str(target)], check=False)
    assert completed.returncode == -9
    return sorted(set(_files(target.parent)) - before)


def _age(path: Path, seconds: float) -> None:
    import time

    moment = time.time() - seconds
    os.utime(path, (moment, moment), follow_symlinks=False)


def test_kill_9_leaves_the_old_file_and_a_temporary_file_the_next_write_removes(
    tmp_path: Path,
) -> None:
    from coopctl.fsio import STALE_SECONDS, is_temporary

    root = tmp_path / "reg"
    assert run_cli("init", str(root)).exit_code == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Start")
    assert run_cli("add", "partner", "--ars", "031510000000", "--root", str(root)).exit_code == 0
    target = root / "registry/partners/landkreis-gifhorn.yaml"
    old = target.read_bytes()
    left = _killed_writer(target)
    assert target.read_bytes() == old
    assert len(left) == 1 and is_temporary(left[0]), left
    assert left[0].startswith(".landkreis-gifhorn.yaml.coopctl-")
    leftover = target.parent / left[0]
    assert _git(root, "status", "--porcelain", "--untracked-files=all") == (
        "?? registry/partners/landkreis-gifhorn.yaml\n"
    )  # the leftover is ignored by the .gitignore that init wrote
    validated = run_cli("validate", "--root", str(root))
    assert validated.exit_code == 0, validated.output
    assert left[0] not in validated.output
    add = ("add", "partner", "--ars", "031540000000", "--root", str(root))
    assert run_cli(*add).exit_code == 0
    assert leftover.exists()  # recent: it may belong to a writer that is still running
    _age(leftover, STALE_SECONDS + 60)
    assert run_cli("fmt", "--root", str(root)).exit_code == 0
    assert not leftover.exists()
    assert [n for n in _files(target.parent) if n.startswith(".")] == [".gitkeep"]


def test_an_old_temporary_file_a_live_writer_holds_is_kept(tmp_path: Path) -> None:
    import fcntl

    from coopctl.fsio import STALE_SECONDS, remove_stale

    live = tmp_path / ".x.yaml.coopctl-abc123.tmp"
    dead = tmp_path / ".y.yaml.coopctl-def456.tmp"
    other = tmp_path / ".z.yaml.tmp"  # not coopctl's: never touched
    link = tmp_path / ".w.yaml.coopctl-lnk789.tmp"
    for path in (live, dead, other):
        path.write_bytes(b"x")
        _age(path, STALE_SECONDS + 60)
    link.symlink_to(dead)
    _age(link, STALE_SECONDS + 60)
    with live.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert remove_stale(tmp_path) == [dead.name]
    assert live.exists() and other.exists() and link.is_symlink()


def test_a_killed_lock_holder_does_not_block_the_next_writer(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    script = (
        "import os, signal, sys; from pathlib import Path; from coopctl.fsio import file_lock\n"
        "with file_lock(Path(sys.argv[1])):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    completed = subprocess.run([sys.executable, "-c", script, str(path)], check=False)
    assert completed.returncode == -9
    lock = path.parent / f".{path.name}.coopctl-lock.tmp"
    assert lock.exists()  # left behind, but no longer locked: the kernel let go of it
    code, output = _finish(_start(registry_root, *_event(1), env={"COOPCTL_LOCK_SECONDS": "0"}))
    assert code == 0, output
    assert _notes(path) == ["Treffen 1"]
    assert not lock.exists()


def test_a_full_disk_gives_a_clear_error_and_no_partial_file(registry_root: Path) -> None:
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    path = registry_root / AGREEMENT
    before = path.read_bytes()
    result = _coopctl(
        registry_root, "add", "event", "braunschweig-salzgitter-wolfsburg", "--set",
        "date=2022", "--set", "type=meeting", "--no-interactive", preexec_fn=small_files,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "the file size limit was reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only for this process: by permissions for a normal user; for root,
    whom permissions do not bind, by mounting a read-only file system over it."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("mount") is None:
        pytest.skip("running as root without mount: cannot make a folder read-only")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
        capture_output=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"running as root and mount is not permitted: {mounted.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_folder_gives_a_clear_error(registry_root: Path) -> None:
    folder = registry_root / "registry/solutions"
    with _read_only(folder):
        result = run_cli(
            "add", "solution", "--set", "name=Gemeinsames Portal", "--set", "category=plattform",
            "--root", str(registry_root),
        )  # fmt: skip
        assert result.exit_code == 1, result.output
        assert "cannot write" in result.stderr
        assert "Traceback" not in result.output
        assert not (folder / "gemeinsames-portal.yaml").exists()
        assert run_cli("list", "partners", "--root", str(registry_root)).exit_code == 0


def test_an_event_for_an_agreement_that_is_a_link_writes_nothing(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    shared = registry_root / "shared.yaml"
    path.rename(shared)
    path.symlink_to(Path("..", "..", "shared.yaml"))
    before = shared.read_bytes()
    code, output = _finish(_start(registry_root, *_event(1)))
    assert code == 1, output
    assert f"{AGREEMENT}:1:1: error[F008] is a symbolic link" in output
    assert "nothing was written" in output and "wrote" not in output
    assert path.is_symlink() and shared.read_bytes() == before


def test_a_samtgemeinde_from_its_key_gets_its_v2_type_and_textkennzeichen(
    registry_root: Path,
) -> None:
    result = run_cli(
        "add", "partner", "--ars", "031515405000", "--set", "sources+={url: https://example.org/m}",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = _load(registry_root / "registry/partners/samtgemeinde-meinersen.yaml")
    assert (data["name"], data["type"], data["gv_type"]) == (
        "Samtgemeinde Meinersen",
        "samtgemeinde",
        "52",
    )
    # a key given with --set is filled in the same way
    result = run_cli(
        "add", "partner", "--set", "name=Region Hannover", "--set", "type=region",
        "--set", "state=DE-NI", "--set", "ars=032410000000", "--no-interactive",
        "--set", "sources+={url: https://example.org/r}", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _load(registry_root / "registry/partners/region-hannover.yaml")["gv_type"] == "44"


def test_a_key_that_fits_several_types_names_them_and_the_name_keeps_its_designation(
    tmp_path: Path,
) -> None:
    """Hamburg's key is a Land, a kreisfreie Stadt and a Stadtstaat at once: without a
    terminal the missing type is named with its choices. The directory's designation becomes
    part of the name ("Hamburg, Freie und Hansestadt" -> Freie und Hansestadt Hamburg,
    "Lübeck, Hansestadt" -> Hansestadt Lübeck); the plain "Stadt" stays the type's word."""
    from tests.helpers import make_registry

    root = make_registry(tmp_path / "reg")
    result = run_cli("add", "partner", "--ars", "020000000000", "--yes", "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "missing required field: type" in result.stderr
    assert "fits several types (kreisfreie_stadt, land, stadtstaat)" in result.stderr
    assert "--set type=TYPE" in result.stderr
    assert not (root / "registry/partners/hamburg.yaml").exists()
    result = run_cli(
        "add", "partner", "--ars", "020000000000", "--set", "type=stadtstaat", "--yes",
        "--root", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = _load(root / "registry/partners/hamburg.yaml")
    assert (data["name"], data["short_name"], data["type"]) == (
        "Freie und Hansestadt Hamburg", "Hamburg", "stadtstaat",
    )  # fmt: skip
    result = run_cli("add", "partner", "--ars", "01003000", "--yes", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert _load(root / "registry/partners/luebeck.yaml")["name"] == "Hansestadt Lübeck"
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_a_kreis_is_named_as_its_land_names_it(tmp_path: Path) -> None:
    """Where the directory's Textkennzeichen says Kreis (43: Schleswig-Holstein, NRW), the name
    and id say Kreis; a Landkreis (44) stays one, and a name that is already a Kreis
    (Hochsauerlandkreis) takes no word before it."""
    from tests.helpers import make_registry

    root = make_registry(tmp_path / "reg")
    for key in ("010600000000", "059580000000", "031540000000"):
        result = run_cli("add", "partner", "--ars", key, "--yes", "--root", str(root))
        assert result.exit_code == 0, result.output
    for name in ("Kreis Segeberg", "Hochsauerlandkreis", "Landkreis Helmstedt"):
        path = root / "registry/partners" / f"{name.lower().replace(' ', '-')}.yaml"
        assert _load(path)["name"] == name
    assert run_cli("validate", "--root", str(root)).exit_code == 0
