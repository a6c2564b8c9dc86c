"""coopctl set, and add event recording an ending: through the real CLI on real files."""

from __future__ import annotations

import difflib
from pathlib import Path

from ruamel.yaml import YAML

from tests.gitrepo import commit_all, git, init_repo
from tests.helpers import run_cli

PARTNER = "registry/partners/landkreis-gifhorn.yaml"
AGREEMENT = "registry/agreements/muenchen-augsburg-nuernberg.yaml"


def _load(path: Path) -> dict:
    return dict(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_set_changes_only_the_named_lines_and_keeps_comments(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    commented = path.read_text(encoding="utf-8").replace(
        "status: active\n", "status: active  # as of the 2024 report\n\n# fields of work\n", 1
    )
    path.write_text(commented, encoding="utf-8")
    result = run_cli(
        "set", "muenchen-augsburg-nuernberg", "binding=true", "areas+=basisdienste",
        "areas-=smart_city", "--unset", "short_title", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {AGREEMENT}\n"
    assert _changed_lines(commented, path.read_text(encoding="utf-8")) == [
        "-short_title: M-A-N",
        "-binding: unknown",
        "+binding: true",
        "-  - smart_city",
        "+  - basisdienste",
    ]
    assert "status: active  # as of the 2024 report\n\n# fields of work\n" in path.read_text(
        encoding="utf-8"
    )
    assert run_cli("validate", "--root", str(registry_root)).exit_code == 0


def test_values_are_typed_by_the_schema_and_dates_quoted(registry_root: Path) -> None:
    path = registry_root / PARTNER
    result = run_cli(
        "set", "partner:landkreis-gifhorn", "last_reviewed=2026-11",
        "sources+={url: https://example.org/bericht, title: Bericht}",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "last_reviewed: '2026-11'\n" in text
    data = _load(path)
    assert data["last_reviewed"] == "2026-11"
    assert data["sources"][-1] == {"url": "https://example.org/bericht", "title": "Bericht"}
    result = run_cli(
        "set", "landkreis-gifhorn", "sources-={url: https://example.org/bericht}",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "https://example.org/bericht" not in path.read_text(encoding="utf-8")


def test_errors_in_the_changed_registry_write_nothing_unless_forced(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    before = path.read_bytes()
    args = ("set", "muenchen-augsburg-nuernberg", "status=terminated", "--root", str(registry_root))
    result = run_cli(*args)
    assert result.exit_code == 1
    assert (
        f"{AGREEMENT}:12:9: error[E003] status is terminated but there is no termination event"
        in result.stderr
    )
    assert "nothing was written" in result.stderr
    assert path.read_bytes() == before
    result = run_cli(*args, "--force")
    assert result.exit_code == 0
    assert _load(path)["status"] == "terminated"


def test_bad_paths_and_values_are_usage_errors_naming_them(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    before = path.read_bytes()
    cases = {
        ("status=vorbei",): "status",
        ("areas-=nowhere",): "no item is 'nowhere'",
        ("titel=X",): "unknown field 'titel'",
        ("binding-=true",): "-= removes an item from a list",
        ("--unset", "cadence.7"): "there is no item 7",
        ("--unset", "last_reviewed"): "the file has no value at last_reviewed",
        ("just-text",): "expected PATH=VALUE, PATH+=VALUE or PATH-=VALUE",
        (): "nothing to change",
    }
    for args, expected in cases.items():
        result = run_cli("set", "muenchen-augsburg-nuernberg", *args, "--root", str(registry_root))
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_an_unknown_id_is_exit_1_with_did_you_mean(registry_root: Path) -> None:
    result = run_cli(
        "set", "landkreis-gifhorm", "website=https://a.de", "--root", str(registry_root)
    )
    assert result.exit_code == 1
    assert "has the id 'landkreis-gifhorm'" in result.stderr
    assert "did you mean 'landkreis-gifhorn'" in result.stderr


def test_an_unchanged_value_writes_nothing(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    stamp = path.stat().st_mtime_ns
    result = run_cli(
        "set", "muenchen-augsburg-nuernberg", "status=active", "--root", str(registry_root)
    )
    assert result.exit_code == 0
    assert "no changes; nothing was written" in result.stderr
    assert path.stat().st_mtime_ns == stamp


def test_a_link_is_never_written(registry_root: Path) -> None:
    path = registry_root / PARTNER
    real = registry_root / "elsewhere.yaml"
    path.rename(real)
    path.symlink_to(real)
    before = real.read_bytes()
    result = run_cli(
        "set", "landkreis-gifhorn", "website=https://a.de", "--root", str(registry_root)
    )
    assert result.exit_code == 1
    assert f"{PARTNER}:1:1: error[F008]" in result.stderr
    assert path.is_symlink()
    assert real.read_bytes() == before


def test_commit_records_exactly_the_changed_file(registry_root: Path) -> None:
    init_repo(registry_root)
    commit_all(registry_root, "Import")
    (registry_root / "unrelated.txt").write_text("x", encoding="utf-8")
    git(registry_root, "add", "unrelated.txt")
    result = run_cli(
        "set", "landkreis-gifhorn", "website=https://www.gifhorn.de", "--commit",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "committed" in result.stderr
    assert git(registry_root, "log", "-1", "--format=%s").strip() == (
        "Set website of partner landkreis-gifhorn"
    )
    assert git(registry_root, "show", "--name-only", "--format=", "HEAD").split() == [PARTNER]


# --- add event: endings move the status in the same write --------------------------------------


def test_a_termination_event_sets_the_status_in_the_same_write(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    before = path.read_text(encoding="utf-8")
    result = run_cli(
        "add", "event", "muenchen-augsburg-nuernberg", "--set", "date=2025-06-30",
        "--set", "type=termination", "--no-interactive", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-status: active",
        "+status: terminated",
        "+  - date: '2025-06-30'",
        "+    type: termination",
    ]
    assert run_cli("validate", "--root", str(registry_root)).exit_code == 0


def test_an_ending_takes_an_explicit_status_and_it_is_validated(registry_root: Path) -> None:
    path = registry_root / AGREEMENT
    args = ("add", "event", "muenchen-augsburg-nuernberg", "--set", "date=2025-06-30",
            "--set", "type=supersession", "--no-interactive",
            "--root", str(registry_root))  # fmt: skip
    before = path.read_bytes()
    result = run_cli(*args, "--status", "terminated")
    assert result.exit_code == 1  # terminated needs a termination event
    assert "error[E003] status is terminated but there is no termination event" in result.stderr
    assert path.read_bytes() == before
    result = run_cli(*args, "--status", "superseded")
    assert result.exit_code == 0, result.output
    assert _load(path)["status"] == "superseded"


def test_any_event_can_move_the_status_with_status(registry_root: Path) -> None:
    init_repo(registry_root)
    commit_all(registry_root, "Import")
    result = run_cli(
        "add", "event", "muenchen-augsburg-nuernberg", "--set", "date=2025-06-30",
        "--set", "type=meeting", "--status", "suspended", "--no-interactive", "--commit",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert git(registry_root, "log", "-1", "--format=%s").strip() == (
        "Add meeting 2025-06-30 to muenchen-augsburg-nuernberg; status suspended"
    )
    assert _load(registry_root / AGREEMENT)["status"] == "suspended"
    assert _load(registry_root / AGREEMENT)["events"][-1]["type"] == "meeting"


def test_status_is_an_option_of_events_only(registry_root: Path) -> None:
    result = run_cli(
        "add", "partner", "--set", "name=Stadt X", "--status", "active",
        "--no-interactive", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--status is for events" in result.stderr


def test_a_canonical_file_stays_canonical_with_new_fields_in_schema_order(
    registry_root: Path,
) -> None:
    path = registry_root / PARTNER
    before = path.read_text(encoding="utf-8")
    result = run_cli(
        "set", "landkreis-gifhorn", "website=https://www.gifhorn.de", "last_reviewed=2026-11",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == [
        "+website: https://www.gifhorn.de",
        "+last_reviewed: '2026-11'",
    ]
    keys = list(_load(path))
    assert keys.index("website") < keys.index("sources") < keys.index("last_reviewed")
    assert run_cli("fmt", "--check", "--root", str(registry_root)).exit_code == 0


def test_a_file_in_its_own_layout_keeps_it(registry_root: Path) -> None:
    path = registry_root / PARTNER
    own = path.read_text(encoding="utf-8").replace(
        "name: Landkreis Gifhorn\n", 'name: "Landkreis Gifhorn"\n', 1
    )
    path.write_text(own, encoding="utf-8")
    assert run_cli("fmt", "--check", "--root", str(registry_root)).exit_code == 1
    result = run_cli(
        "set", "landkreis-gifhorn", "website=https://www.gifhorn.de", "last_reviewed=2026-11",
        "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _changed_lines(own, path.read_text(encoding="utf-8")) == [
        "+website: https://www.gifhorn.de",
        "+last_reviewed: '2026-11'",
    ]
    assert list(_load(path))[-2:] == ["website", "last_reviewed"]  # new fields go last


def test_long_text_is_written_folded_like_the_rest_of_the_file(registry_root: Path) -> None:
    """A long note set on the command line is folded at spaces within 80 columns (as `add`
    writes it), so the file stays readable and its diffs small; it reads back unchanged, and
    text that folding cannot keep (double spaces) stays on one line."""
    path = registry_root / AGREEMENT
    note = (
        "The sources disagree on whose initiative it was: the Landeshauptstadt München's, "
        "or that of the two referents who signed it (joined by Nürnberg), as two reports say."
    )
    spaced = "Two  spaces stay exactly as typed, however long this particular note may become."
    result = run_cli(
        "set", "muenchen-augsburg-nuernberg", f"events.0.note={note}",
        f"events.1.note={spaced}", "--root", str(registry_root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "    note: >-\n      The sources disagree on whose initiative it was:" in text
    assert max(len(line) for line in text.splitlines() if "initiative" in line) <= 86
    data = _load(path)
    assert data["events"][0]["note"] == note
    assert data["events"][1]["note"] == spaced
    assert f"{spaced}\n" in text  # one line: folding would change the double space
    assert run_cli("fmt", "--check", "--root", str(registry_root)).exit_code == 0
