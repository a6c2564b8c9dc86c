"""Schema versions and `coopctl migrate` through the real CLI, on copies of the frozen
version-1 registries (tests/data/v1/) in tmp_path.

Some tests declare migration steps of their own (a step that adds a note, one that breaks a
value) in place of the real ones: the engine runs whatever steps are declared, and these make
its rewriting, listing and refusing visible whatever the real steps do."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest

from coopctl import migrate as engine
from coopctl.errors import CoopctlError
from coopctl.migrations import Change
from tests.gitrepo import commit_all, git, init_repo
from tests.helpers import REPO, run_cli
from tests.migration import snapshot, v1_registry

# The real steps from version 1; a test that swaps in its own step for one kind keeps the others.
STEPS_1 = dict(engine.STEPS[1])

UP_TO_DATE = "The registry is of schema version 2; nothing to migrate.\n"
NOTE = "Checked while migrating."


def _set_versions(root: Path, versions: dict[str, int]) -> None:
    """Give schema files an x-version (after the $schema line, as coopctl's own have it)."""
    for name, version in versions.items():
        path = root / "schemas" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = [line for line in lines if '"x-version"' not in line]
        lines.insert(2, f'  "x-version": {version},\n')
        path.write_text("".join(lines), encoding="utf-8")


ALL_SCHEMAS = ("defs", "partner", "agreement", "solution")


def _all(version: int) -> dict[str, int]:
    return {f"{name}.schema.json": version for name in ALL_SCHEMAS}


def _note_step(document: MutableMapping[str, Any]) -> list[Change]:
    """A step valid in both versions: add a note to a partner that has none."""
    if "notes" in document:
        return []
    document.insert(len(document) - 1, "notes", NOTE)  # type: ignore[attr-defined]
    return [Change("/notes", "added a note")]


def _breaking_step(document: MutableMapping[str, Any]) -> list[Change]:
    """A step that leaves an invalid value: the migration must be refused."""
    document["type"] = "no_such_type"
    return [Change("/type", "set an invalid type")]


@pytest.fixture
def note_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "partner": _note_step})


# --- reading a registry of another version ---------------------------------------------------


def test_validate_on_a_version_1_registry_reports_one_problem_naming_migrate(
    tmp_path: Path,
) -> None:
    root = v1_registry(tmp_path, "init")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "[" in line]
    assert lines == [
        "schemas/agreement.schema.json:1:1: error[V001] the registry is written for schema "
        "version 1; this coopctl reads version 2: run 'coopctl migrate' to upgrade it"
    ]
    document = json.loads(run_cli("validate", "--root", str(root), "--format", "json").stdout)
    assert [p["code"] for p in document["problems"]] == ["V001"]


def test_migrate_speaks_german(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    result = run_cli("--lang", "de", "migrate", "--check", str(root))
    assert result.exit_code == 1
    assert "würde migriert: schemas/partner.schema.json\n" in result.stdout
    assert "durch die Schemas von coopctl in Version 2 ersetzt" in result.stdout
    assert re.match(r"\d+ Dateien würden sich ändern \(Schemaversion 1 auf 2\)", result.stderr)
    (root / "registry" / "partners" / "x.yaml").write_text("name: [\n", encoding="utf-8")
    refused = run_cli("--lang", "de", "migrate", str(root))
    assert "Fehler[Y001]" in refused.stdout
    assert "nichts wurde geschrieben" in refused.stderr


def test_validate_says_it_in_german(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    result = run_cli("--lang", "de", "validate", "--root", str(root))
    assert result.exit_code == 1
    assert "Fehler[V001]" in result.stdout or "error[V001]" in result.stdout
    assert "Schemaversion 1" in result.stdout
    assert "coopctl migrate" in result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ("list", "partners"),
        ("show", "braunschweig"),
        ("report",),
        ("fmt", "--check"),
        ("set", "braunschweig", "website=https://www.braunschweig.de"),
    ],
)
def test_other_commands_on_a_version_1_registry_name_migrate(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    root = v1_registry(tmp_path, "init")
    before = snapshot(root)
    result = run_cli(*command, "--root", str(root))
    assert result.exit_code == 1
    assert "[V001]" in result.stderr
    assert "coopctl migrate" in result.stderr
    assert snapshot(root) == before


def test_export_on_a_version_1_registry_names_migrate(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    result = run_cli("export", "csv", str(tmp_path / "out"), "--root", str(root))
    assert result.exit_code == 1
    assert "[V001]" in result.stderr
    assert not (tmp_path / "out").exists()


def test_check_on_a_version_1_registry_names_migrate(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    v1_registry(tmp_path / "repo", "bundled")
    commit_all(repo, "A registry of version 1")
    root = str(repo / "bundled")
    result = run_cli("check", "--base", "HEAD", "--root", root)
    assert result.exit_code == 1
    assert "schemas/agreement.schema.json:1:1: error[V001]" in result.stdout
    assert "1 new error" in result.stdout
    github = run_cli("check", "--base", "HEAD", "--root", root, "--format", "github")
    assert "::error file=bundled/schemas/agreement.schema.json,line=1,col=1,title=V001::" in (
        github.stdout
    )


@pytest.mark.parametrize("versions", [_all(3), {"partner.schema.json": 3}])
def test_a_registry_newer_than_coopctl_asks_for_an_upgrade(
    versions: dict[str, int], tmp_path: Path
) -> None:
    root = v1_registry(tmp_path, "init")
    _set_versions(root, versions)
    before = snapshot(root)
    for command in (("validate",), ("list", "partners"), ("migrate",), ("migrate", "--check")):
        result = run_cli(*command, "--root", str(root))
        assert result.exit_code == 2, command
        assert "schema version 3" in result.stderr
        assert "upgrade coopctl" in result.stderr
    assert snapshot(root) == before


def test_schema_files_of_different_versions_are_one_problem(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    _set_versions(root, {"defs.schema.json": 2, "agreement.schema.json": 2})
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if "[V" in line]
    assert len(problems) == 1
    assert problems[0].startswith("schemas/partner.schema.json:1:1: error[V002]")
    assert "partner.schema.json 1" in problems[0]
    # migrate starts from the oldest version: the steps pass over what is migrated already
    assert run_cli("migrate", str(root)).exit_code == 0
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_a_version_that_is_not_a_whole_number_is_refused(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    path = root / "schemas" / "solution.schema.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{", '{\n  "x-version": "2",', 1), encoding="utf-8")
    for command in ("validate", "migrate"):
        result = run_cli(command, "--root", str(root))
        assert result.exit_code == 1
        assert "schemas/solution.schema.json:2:3" in result.stdout + result.stderr
        assert "V002" in result.stdout + result.stderr


# --- coopctl migrate ---------------------------------------------------------------------------


def test_check_lists_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    before = snapshot(root)
    result = run_cli("migrate", "--check", str(root))
    assert result.exit_code == 1
    for name in ALL_SCHEMAS:
        assert f"would migrate schemas/{name}.schema.json\n" in result.stdout
    assert "replaced by coopctl's schemas of version 2" in result.stdout
    assert "files would change (schema version 1 to 2)" in result.stderr
    assert snapshot(root) == before
    assert run_cli("migrate", str(root)).exit_code == 0
    after = run_cli("migrate", "--check", str(root))
    assert (after.exit_code, after.stdout, after.stderr) == (0, "", UP_TO_DATE)


def test_migrate_replaces_the_schemas_copy_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    from coopctl.schemas import bundled_schema_dir

    root = v1_registry(tmp_path, "bundled")
    result = run_cli("migrate", "--root", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Migrated from schema version 1 to 2" in result.stderr
    for path in bundled_schema_dir().glob("*.schema.json"):
        assert (root / "schemas" / path.name).read_bytes() == path.read_bytes()
    assert [p for p in snapshot(root) if "coopctl-" in p] == []
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_to_chooses_a_known_newer_version_only(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "init")
    before = snapshot(root)
    for wrong in ("0", "3", "-1"):
        result = run_cli("migrate", "--to", wrong, str(root))
        assert result.exit_code == 2, wrong
        assert "unknown schema version" in result.stderr
    assert run_cli("migrate", "--to", "x", str(root)).exit_code == 2
    assert snapshot(root) == before
    assert run_cli("migrate", "--to", "1", str(root)).stderr == (
        "The registry is of schema version 1; nothing to migrate.\n"
    )
    assert run_cli("migrate", "--to", "2", str(root)).exit_code == 0
    back = run_cli("migrate", "--to", "1", str(root))
    assert back.exit_code == 2
    assert "does not go back" in back.stderr
    assert run_cli("migrate", "--to", "2", str(root)).stderr == UP_TO_DATE


def test_a_file_that_cannot_be_read_stops_the_whole_migration(tmp_path: Path) -> None:
    root = v1_registry(tmp_path, "bundled")
    broken = root / "registry" / "partners" / "broken.yaml"
    broken.write_text("kind: partner\nid: broken\nname: [Stadt\n", encoding="utf-8")
    before = snapshot(root)
    for options in ((), ("--check",)):
        result = run_cli("migrate", *options, str(root))
        assert result.exit_code == 1
        assert re.match(r"registry/partners/broken\.yaml:\d+:\d+: error\[Y001\]", result.stdout)
        assert "nothing was written" in result.stderr
        assert snapshot(root) == before


def test_each_changed_file_is_listed_with_its_changes_and_keeps_comments(
    tmp_path: Path, note_step: None
) -> None:
    root = v1_registry(tmp_path, "bundled")
    path = root / "registry" / "partners" / "braunschweig.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nname:", "\n# the name as the city writes it\nname:", 1)
    text = text.replace("\nsources:\n", "\nsources:  # checked 2026-11\n\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli("migrate", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "migrated registry/partners/braunschweig.yaml\n  /notes: added a note\n" in (
        result.stdout
    )
    partners = len(list((root / "registry" / "partners").glob("*.yaml")))
    with_notes = sum("\nnotes:" in p.read_text() for p in root.glob("registry/partners/*"))
    assert with_notes == partners
    written = path.read_text(encoding="utf-8")
    assert "# the name as the city writes it\nname:" in written
    assert "sources:  # checked 2026-11\n\n" in written  # and the blank line after it
    assert f"notes: {NOTE}\n" in written
    assert written.replace(f"notes: {NOTE}\n", "") == text
    assert run_cli("migrate", str(root)).stderr == UP_TO_DATE


def test_comments_survive_the_declared_steps(tmp_path: Path) -> None:
    """With the real steps: every comment of the version-1 files is there afterwards."""
    root = v1_registry(tmp_path, "bundled")
    comments = {}
    for path in sorted((root / "registry").rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.insert(2, f"# about {path.stem}")
        lines.append(f"# last line of {path.stem}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        comments[path] = [line for line in lines if line.lstrip().startswith("#")]
    assert run_cli("migrate", str(root)).exit_code == 0
    for path, expected in comments.items():
        text = path.read_text(encoding="utf-8")
        assert [line for line in text.splitlines() if line.lstrip().startswith("#")] == expected


def test_a_step_that_leaves_an_error_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "partner": _breaking_step})
    root = v1_registry(tmp_path, "init")
    before = snapshot(root)
    result = run_cli("migrate", str(root))
    assert result.exit_code == 1
    assert re.search(r"registry/partners/akdb\.yaml:\d+:\d+: error\[S00\d\]", result.stdout)
    assert "would have these new errors (lines as in the migrated files)" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(root) == before


def test_a_file_changed_after_planning_stops_the_writing(tmp_path: Path, note_step: None) -> None:
    root = v1_registry(tmp_path, "init")
    plan = engine.plan_migration(root)
    assert plan.files and not plan.problems
    (root / "registry" / "partners" / "wolfsburg.yaml").write_text("changed\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(CoopctlError, match="changed by another program"):
        engine.write_plan(plan)
    assert snapshot(root) == before


def test_migrate_in_a_git_repository_changes_only_what_it_lists(
    tmp_path: Path, note_step: None
) -> None:
    repo = init_repo(tmp_path / "repo")
    v1_registry(repo, "init")
    commit_all(repo, "A registry of version 1")
    result = run_cli("migrate", "--root", str(repo / "init"))
    assert result.exit_code == 0
    listed = sorted(
        "init/" + line.split()[-1] for line in result.stdout.splitlines() if line.startswith("m")
    )
    changed = sorted(line[3:] for line in git(repo, "status", "--porcelain").splitlines())
    assert changed == listed


def test_a_migration_stopped_after_the_data_is_finished_by_the_next(
    tmp_path: Path, note_step: None
) -> None:
    """The schema files are written last: a registry whose data was written when the writing
    stopped still says version 1, and the next migrate finishes the job."""
    from coopctl.fsswap import replace_files

    root = v1_registry(tmp_path, "init")
    plan = engine.plan_migration(root)
    data = {root / c.path: (c.before, c.after) for c in plan.files if c.path.startswith("reg")}
    assert data
    replace_files(data)
    assert "[V001]" in run_cli("validate", "--root", str(root)).stdout
    result = run_cli("migrate", str(root))
    assert result.exit_code == 0
    assert "registry/" not in result.stdout  # the steps leave migrated files as they are
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def test_links_are_never_written_through(tmp_path: Path, note_step: None) -> None:
    root = v1_registry(tmp_path, "init")
    partner = root / "registry" / "partners" / "braunschweig.yaml"
    kept = root / "kept.yaml"
    partner.rename(kept)
    partner.symlink_to(Path("..") / ".." / "kept.yaml")
    before = snapshot(root)
    result = run_cli("migrate", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith("registry/partners/braunschweig.yaml:1:1: error[F008]")
    assert snapshot(root) == before
    partner.unlink()
    kept.rename(partner)
    schema = root / "schemas" / "defs.schema.json"
    schema.rename(root / "defs.schema.json")
    schema.symlink_to(Path("..") / "defs.schema.json")
    before = snapshot(root)
    result = run_cli("migrate", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith("schemas/defs.schema.json:1:1: error[F008]")
    assert snapshot(root) == before


def test_check_passes_on_the_change_that_migrates(tmp_path: Path, note_step: None) -> None:
    """The pull request of a migration: the base is of version 1, the head migrated."""
    repo = init_repo(tmp_path / "repo")
    root = v1_registry(repo, "bundled")
    base = commit_all(repo, "A registry of version 1")
    assert run_cli("migrate", str(root)).exit_code == 0
    commit_all(repo, "Migrate the registry to schema version 2")
    result = run_cli("check", "--base", base, "--root", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "~ partner braunschweig modified" in result.stdout
    assert "+ notes: added 'Checked while migrating.'" in result.stdout
    assert "0 new errors" in result.stdout


def test_schema_files_that_cannot_be_replaced_leave_a_migration_to_finish(
    tmp_path: Path, note_step: None
) -> None:
    root = v1_registry(tmp_path, "init")
    plan = engine.plan_migration(root)
    schema = root / "schemas" / "partner.schema.json"
    schema.write_bytes(schema.read_bytes() + b"\n")  # changed after planning
    with pytest.raises(CoopctlError, match="entity files are migrated") as raised:
        engine.write_plan(plan)
    assert raised.value.hint == "run 'coopctl migrate' again to finish the migration"
    assert f"notes: {NOTE}" in (root / "registry/partners/braunschweig.yaml").read_text()
    assert "[V001]" in run_cli("validate", "--root", str(root)).stdout
    assert run_cli("migrate", str(root)).exit_code == 0
    assert run_cli("validate", "--root", str(root)).exit_code == 0


def _dropping_name(document: MutableMapping[str, Any]) -> list[Change]:
    """A step that leaves a required field out (as a step that cannot map a value would)."""
    if "name" not in document:
        return []
    del document["name"]
    return [Change("/name", "left out the name")]


def test_new_errors_are_refused_in_valid_files_and_kept_in_invalid_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both partners of the invalid-choice example had errors (a type 'city', a state 'NI'):
    a step that leaves them other errors is written, and validate shows them. The same step
    on a registry without errors is refused."""
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "partner": _dropping_name})
    invalid = v1_registry(tmp_path, "invalid-invalid-choice")
    result = run_cli("migrate", str(invalid))
    assert result.exit_code == 0, result.stdout + result.stderr
    problems = run_cli("validate", "--root", str(invalid), "--format", "json").stdout
    found = {(p["path"], p["code"]) for p in json.loads(problems)["problems"]}
    assert {("registry/partners/braunschweig.yaml", "S002")} <= found
    assert {("registry/partners/braunschweig.yaml", "S005")} <= found
    valid = v1_registry(tmp_path, "init")
    before = snapshot(valid)
    refused = run_cli("migrate", str(valid))
    assert refused.exit_code == 1
    assert "registry/partners/akdb.yaml:" in refused.stdout
    assert snapshot(valid) == before


def _strict_step(document: MutableMapping[str, Any]) -> list[Change]:
    """A step that expects `efa` to be a mapping, as the schema says it is."""
    efa = document.get("efa")
    if efa is None or "implementing_state" in efa:
        return []
    efa["implementing_state"] = efa.pop("umsetzendes_land")
    return [Change("/efa/implementing_state", "renamed")]


def test_a_step_that_fails_on_a_file_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "solution": _strict_step})
    root = v1_registry(tmp_path, "bundled")
    path = root / "registry" / "solutions" / "ewa.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("efa:\n  umsetzendes_land: DE-HH", "efa: DE-HH"),
        encoding="utf-8",
    )
    before = snapshot(root)
    result = run_cli("migrate", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "registry/solutions/ewa.yaml:1:1: error[V003] the migration step for solution files "
        "failed on this file (AttributeError: "
    )
    assert "nothing was written" in result.stderr
    assert snapshot(root) == before


def test_the_installed_command_migrates_the_registry_it_is_run_in(tmp_path: Path) -> None:
    from tests.helpers import coopctl_process

    root = v1_registry(tmp_path, "init")
    inside = root / "registry" / "partners"
    checked = coopctl_process(inside, "migrate", "--check")
    assert checked.returncode == 1, checked.stderr
    assert "would migrate schemas/defs.schema.json" in checked.stdout
    assert coopctl_process(inside, "migrate").returncode == 0
    assert coopctl_process(inside, "validate").returncode == 0
    german = coopctl_process(tmp_path, "migrate", "--help", LANG="de_DE.UTF-8")
    assert "Ein Register auf die Schemaversion bringen" in german.stdout


def _naming_step(document: MutableMapping[str, Any]) -> list[Change]:
    if document.get("short_name") != "AKDB":
        return []
    document["short_name"] = "AKDB Bayern"
    return [Change("/short_name", "named in full")]


def test_only_the_files_a_step_changes_must_be_rewritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comment between a key and its value (yaml-test-suite P94K, the hostile case
    comment-before-value) is read by validate but not by the round-trip parser: migrate
    leaves such a file alone when no step changes it, and refuses (Y014) when one would."""
    root = v1_registry(tmp_path, "init")
    hostile = REPO / "tests" / "hostile" / "comment-before-value" / "registry" / "partners"
    shutil.copy(hostile / "akdb.yaml", root / "registry" / "partners" / "akdb.yaml")
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "partner": _naming_step})
    before = snapshot(root)
    refused = run_cli("migrate", str(root))
    assert refused.exit_code == 1
    assert refused.stdout.startswith("registry/partners/akdb.yaml:1:1: error[Y014]")
    assert snapshot(root) == before
    monkeypatch.setitem(engine.STEPS, 1, {**STEPS_1, "partner": _note_step})  # akdb has notes
    result = run_cli("migrate", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "akdb" not in result.stdout
    assert snapshot(root)["registry/partners/akdb.yaml"] == before["registry/partners/akdb.yaml"]
