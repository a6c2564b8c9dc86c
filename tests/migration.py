"""Helpers of the migration tests: the frozen version-1 inputs copied into tmp_path, and the
facts of a registry in a form that does not depend on field names (so that they compare
equal across the renames of a migration)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from coopctl.membership import memberships
from coopctl.yamlio import YamlReader

V1 = Path(__file__).resolve().parent / "data" / "v1"
V1_EXAMPLES = sorted(p for p in (V1 / "examples").iterdir() if p.is_dir())
KIND_FOLDERS = {"partners": "partner", "agreements": "agreement", "solutions": "solution"}


def v1_registry(tmp_path: Path, name: str) -> Path:
    """A copy of one frozen version-1 registry: "init", "bundled" or an example's folder name
    (its registry/ with tests/data/v1/schemas/ as the schemas copy)."""
    root = tmp_path / name
    if name in {"init", "bundled"}:
        shutil.copytree(V1 / name, root, symlinks=True)
    else:
        shutil.copytree(V1 / "examples" / name / "registry", root / "registry", symlinks=True)
        shutil.copytree(V1 / "schemas", root / "schemas")
    for folder in KIND_FOLDERS:
        (root / "registry" / folder).mkdir(parents=True, exist_ok=True)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root with its bytes (links as their target's name)."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[relative] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            found[relative] = path.read_bytes()
    return found


_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
_KEY = re.compile(r"[0-9]{8}|[0-9]{12}")
_CODE = re.compile(r"[a-z0-9_]+")  # choices and ids: what a migration may rename


def _scalars(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for child in value.values():
            yield from _scalars(child)
    elif isinstance(value, list):
        for child in value:
            yield from _scalars(child)
    else:
        yield value


def _sources(value: Any) -> Iterator[tuple[str, ...]]:
    """Every item of every `sources` list, wherever it is in the document."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "sources" and isinstance(child, list):
                for item in child:
                    if isinstance(item, dict):
                        yield tuple(f"{k}={item[k]}" for k in sorted(item))
            else:
                yield from _sources(child)
    elif isinstance(value, list):
        for child in value:
            yield from _sources(child)


def entity_facts(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The facts of every entity file, keyed by (kind, id), compared without field names: its
    dates, keys (AGS/ARS), sources, the ids it refers to, its texts (every string that is not
    a choice, an id, a date or a key) and, for agreements, who belonged when (the membership
    replay of its events)."""
    reader = YamlReader()
    documents: dict[tuple[str, str], dict[str, Any]] = {}
    for folder, kind in KIND_FOLDERS.items():
        for path in sorted((root / "registry" / folder).glob("*.yaml")):
            data = reader.load(path.read_bytes(), f"registry/{folder}/{path.name}").data
            assert data is not None, path
            documents[(kind, path.stem)] = data
    ids = {entity_id for _, entity_id in documents}
    facts = {}
    for (kind, entity_id), data in documents.items():
        strings = [s for s in _scalars(data) if isinstance(s, str)]
        entry: dict[str, Any] = {
            "dates": Counter(s for s in strings if _DATE.fullmatch(s)),
            "keys": Counter(s for s in strings if _KEY.fullmatch(s)),
            "sources": Counter(_sources(data)),
            "references": Counter(s for s in strings if s in ids and s != entity_id),
            "texts": {
                s
                for s in strings
                if not (_DATE.fullmatch(s) or _KEY.fullmatch(s) or _CODE.fullmatch(s))
            },
        }
        if kind == "agreement":
            entry["memberships"] = sorted(
                (m.partner, m.role, str(m.since), str(m.until)) for m in memberships(data)
            )
        facts[(kind, entity_id)] = entry
    return facts


def assert_same_facts(
    before: dict[tuple[str, str], dict[str, Any]], after: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """The same entities with the same facts; a text of before may have moved into a longer
    text after (a value kept in notes), but none is lost."""
    assert sorted(after) == sorted(before)
    for entity, old in before.items():
        new = after[entity]
        for name in ("dates", "keys", "sources", "references", "memberships"):
            assert new.get(name) == old.get(name), (entity, name)
        written = "\n".join(sorted(new["texts"]))
        lost = sorted(text for text in old["texts"] if text not in written)
        assert lost == [], entity
