"""The contract of the declared migration steps (coopctl.migrate.STEPS), checked on every
entity file of the frozen version-1 inputs: a step run a second time changes nothing, each
change it reports has a JSON pointer and a message, and the bundled registry (kept at the
current version by hand) needs no migration."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

import pytest

from coopctl.formatting import schema_target
from coopctl.migrate import STEPS, migrate_document
from coopctl.migrations import Change, Step
from coopctl.versions import CURRENT_VERSION, MIGRATES_FROM
from coopctl.yamlio import dump_editable, load_editable
from tests.helpers import REGISTRY
from tests.migration import KIND_FOLDERS, V1


def _entity_files(root: Path) -> list[tuple[str, Path]]:
    return [
        (kind, path)
        for folder, kind in KIND_FOLDERS.items()
        for path in sorted((root / folder).glob("*.yaml"))
    ]


def _v1_files() -> list[tuple[str, Path]]:
    """Every entity file of the frozen inputs that the round-trip reader reads."""
    roots = [V1 / "init" / "registry", V1 / "bundled" / "registry"]
    roots += sorted((V1 / "examples").glob("*/registry"))
    found = []
    for root in roots:
        for kind, path in _entity_files(root):
            document, _ = load_editable(path.read_bytes(), _relative(path))
            if document is not None:
                found.append((kind, path))
    return found


def _relative(path: Path) -> str:
    return f"registry/{path.parent.name}/{path.name}"


V1_FILES = _v1_files()


def test_every_version_coopctl_migrates_from_has_its_steps() -> None:
    assert sorted(STEPS) == sorted(MIGRATES_FROM)
    assert all(version < CURRENT_VERSION for version in STEPS)
    assert all(set(steps) == set(KIND_FOLDERS.values()) for steps in STEPS.values())
    assert len(V1_FILES) > 100


@pytest.mark.parametrize(
    ("kind", "path"), V1_FILES, ids=[str(p.relative_to(V1)) for _, p in V1_FILES]
)
def test_a_step_run_twice_changes_nothing_the_second_time(kind: str, path: Path) -> None:
    document, _ = load_editable(path.read_bytes(), _relative(path), keep_quotes=True)
    assert_idempotent(document, kind, STEPS)


def assert_idempotent(document: Any, kind: str, steps: Mapping[int, Mapping[str, Step]]) -> None:
    """The steps change `document` once and leave the result as it is."""
    first = migrate_document(document, kind, min(MIGRATES_FROM), CURRENT_VERSION, steps)
    text = dump_editable(document, schema_target(kind))
    for change in first:
        assert change.pointer == "" or change.pointer.startswith("/"), change
        assert change.message.strip(), change
    again = migrate_document(document, kind, min(MIGRATES_FROM), CURRENT_VERSION, steps)
    assert again == [], "a step changed a document it had migrated already"
    assert dump_editable(document, schema_target(kind)) == text


def test_a_step_that_changes_its_own_result_is_found() -> None:
    def appending(document: MutableMapping[str, Any]) -> list[Change]:
        document["notes"] = f"{document.get('notes', '')} migrated"
        return [Change("/notes", "appended")]

    kind, path = V1_FILES[0]
    document, _ = load_editable(path.read_bytes(), _relative(path), keep_quotes=True)
    with pytest.raises(AssertionError, match="migrated already"):
        assert_idempotent(document, kind, {1: {kind: appending}})


@pytest.mark.parametrize(
    ("kind", "path"),
    _entity_files(REGISTRY),
    ids=[p.name for _, p in _entity_files(REGISTRY)],
)
def test_the_bundled_registry_needs_no_migration(kind: str, path: Path) -> None:
    document, problems = load_editable(path.read_bytes(), _relative(path), keep_quotes=True)
    assert document is not None, problems
    assert migrate_document(document, kind, min(MIGRATES_FROM), CURRENT_VERSION) == []
