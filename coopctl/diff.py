"""Semantic differences between two states of a registry.

Entities are paired by git's rename detection, then by kind and id, then by equal content
under another id; each pair yields the fields that changed, by JSON pointer, old → new. Items
of lists whose schema declares `x-identity` are matched by that identity, so reordering is no
change and an edited item is one change. Lists of plain values are compared as collections.

Only the files git reports as changed are read and parsed on either side, so the cost of a
diff follows the size of the change, not the size of the registry.
"""

from __future__ import annotations

import gc
import json
import os
from collections import Counter
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from coopctl.gitstore import ChangedFile, GitStore, PathChange
from coopctl.model import Change, Entity, Problem
from coopctl.registry import Registry, build_registry, classify, kind_of_path, read_path
from coopctl.schemas import ANY, Pattern, SchemaSet, load_schemas
from coopctl.yamlio import YamlReader, join_pointer

WORKING_TREE = "working tree"
_ENTITY_ACTIONS = ("added", "removed", "renamed", "modified")

Identities = Mapping[str, Mapping[Pattern, tuple[str, ...]]]


@dataclass(frozen=True)
class DiffResult:
    """The changes from `base` to `head` (labels as the user named them)."""

    base: str
    head: str
    changes: tuple[Change, ...]
    files_changed: int
    files_parsed: int
    problems: tuple[Problem, ...] = ()  # changed files that do not load

    def entity_changes(self) -> list[Change]:
        return [c for c in self.changes if c.pointer is None]

    def fields_of(self, entity_change: Change) -> list[Change]:
        return list(self._fields_by_entity.get((entity_change.kind, entity_change.id), ()))

    @cached_property
    def _fields_by_entity(self) -> dict[tuple[str, str], list[Change]]:
        """The field changes grouped by (kind, id) once, in their order, so that asking for the
        fields of every changed entity costs the size of the change, not its square."""
        grouped: dict[tuple[str, str], list[Change]] = {}
        for change in self.changes:
            if change.pointer is not None:
                grouped.setdefault((change.kind, change.id), []).append(change)
        return grouped

    def counts(self) -> dict[str, int]:
        counted = Counter(c.action for c in self.entity_changes())
        return {action: counted.get(action, 0) for action in _ENTITY_ACTIONS}


def identities_of(schemas: SchemaSet) -> dict[str, dict[Pattern, tuple[str, ...]]]:
    return {kind: dict(rules.identities) for kind, rules in schemas.rules.items()}


# --- pairing entities ---------------------------------------------------------------------------


def diff_registries(
    old: Registry,
    new: Registry,
    identities: Identities,
    renames: Mapping[str, str] | None = None,
) -> list[Change]:
    """Changes from `old` to `new`. `renames` maps new paths to old paths (git's pairing)."""
    old_by_path = {e.path: e for e in old.entities}
    new_by_path = {e.path: e for e in new.entities}
    pairs: list[tuple[Entity, Entity]] = []
    for new_path, old_path in (renames or {}).items():
        if new_path in new_by_path and old_path in old_by_path:
            pairs.append((old_by_path.pop(old_path), new_by_path.pop(new_path)))
    for path in [p for p in new_by_path if p in old_by_path]:
        pairs.append((old_by_path.pop(path), new_by_path.pop(path)))
    # the same id in another place (a file moved or renamed without git pairing it)
    old_by_id = {(e.kind, e.id): e for e in old_by_path.values()}
    for entity in list(new_by_path.values()):
        match = old_by_id.pop((entity.kind, entity.id), None)
        if match is not None:
            pairs.append((match, entity))
            del old_by_path[match.path], new_by_path[entity.path]
    # the same content under a new id
    for entity in list(new_by_path.values()):
        for candidate in list(old_by_path.values()):
            if candidate.kind == entity.kind and _without_id(candidate) == _without_id(entity):
                pairs.append((candidate, entity))
                del old_by_path[candidate.path], new_by_path[entity.path]
                break
    changes: list[Change] = []
    # A file that loads on one side only but exists on both is modified (the other side's
    # load problem is reported apart).
    for entity in new_by_path.values():
        action = "modified" if entity.path in old.raw else "added"
        changes.append(Change(action, entity.kind, entity.id, entity.path))
    for entity in old_by_path.values():
        action = "modified" if entity.path in new.raw else "removed"
        changes.append(Change(action, entity.kind, entity.id, entity.path))
    for before, after in pairs:
        changes.extend(diff_entities(before, after, identities))
    return sorted(changes, key=_order)


def _without_id(entity: Entity) -> dict[str, Any]:
    return {k: v for k, v in entity.data.items() if k != "id"}


def _order(change: Change) -> tuple[str, str, int]:
    return (change.kind, change.id, 0 if change.pointer is None else 1)


def diff_entities(before: Entity, after: Entity, identities: Identities) -> list[Change]:
    """The entity-level change (renamed or modified) and its field changes; [] if equal."""
    rules = identities.get(after.kind, {})
    fields = [
        Change(action, after.kind, after.id, after.path, pointer, old, new)
        for action, pointer, old, new in compare(before.data, after.data, (), rules)
        if pointer != "/id"
    ]
    if before.id != after.id or before.path != after.path:
        head = Change(
            "renamed", after.kind, after.id, after.path, old_id=before.id, old_path=before.path
        )
        return [head, *fields]
    if not fields:
        return []
    return [Change("modified", after.kind, after.id, after.path), *fields]


# --- comparing documents ------------------------------------------------------------------------

FieldDelta = tuple[str, str, Any, Any]  # action, pointer, old, new


def _pattern(parts: tuple[str | int, ...]) -> Pattern:
    return tuple(ANY if isinstance(p, int) else p for p in parts)


def _same(old: Any, new: Any) -> bool:
    return type(old) is type(new) and old == new


def compare(
    old: Any,
    new: Any,
    parts: tuple[str | int, ...],
    rules: Mapping[Pattern, tuple[str, ...]],
) -> Iterator[FieldDelta]:
    """Field changes from `old` to `new` below the path `parts`."""
    if old is new or (isinstance(old, dict | list) and _identical(old, new)):
        return  # most of an edited entity is as it was: no need to walk it
    if isinstance(old, dict) and isinstance(new, dict):
        for key in new:
            if key not in old:
                yield ("added", join_pointer([*parts, key]), None, new[key])
            else:
                yield from compare(old[key], new[key], (*parts, key), rules)
        for key in old:
            if key not in new:
                yield ("removed", join_pointer([*parts, key]), old[key], None)
    elif isinstance(old, list) and isinstance(new, list):
        yield from _compare_lists(old, new, parts, rules)
    elif not _same(old, new):
        yield ("changed", join_pointer(list(parts)), old, new)


def _identical(old: Any, new: Any) -> bool:
    """Equal, and equal in type everywhere (`==` takes 1 for 1.0 and True, repr does not; a
    value that is equal with another key order is left to the walk)."""
    return bool(old == new) and repr(old) == repr(new)


Key = Hashable


def _keys(old: list[Any], new: list[Any], fields: tuple[str, ...]) -> tuple[list[Key], list[Key]]:
    """The identity of each item of both lists (None for an item that is no mapping): its
    values of `fields` as JSON, or, where every item of both has text there, as they are
    (which pairs items exactly as the JSON does)."""
    items = [*old, *new]
    if all(isinstance(i, dict) and all(type(i.get(f)) is str for f in fields) for i in items):
        keys: list[Key] = [tuple(i[f] for f in fields) for i in items]
    else:
        keys = [_key(i, fields) for i in items]
    return keys[: len(old)], keys[len(old) :]


def _key(item: Any, fields: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return None
    return json.dumps([item.get(f) for f in fields], sort_keys=True, default=str)


def _is_plain(items: list[Any]) -> bool:
    return all(not isinstance(i, dict | list) for i in items)


def _compare_lists(
    old: list[Any],
    new: list[Any],
    parts: tuple[str | int, ...],
    rules: Mapping[Pattern, tuple[str, ...]],
) -> Iterator[FieldDelta]:
    identity = rules.get(_pattern(parts))
    if identity:
        old_keys, new_keys = _keys(old, new, identity)
        unique = None not in old_keys + new_keys and (
            len(set(old_keys)) == len(old_keys) and len(set(new_keys)) == len(new_keys)
        )
        if unique:
            yield from _compare_by_identity(old, new, old_keys, new_keys, identity, parts, rules)
            return
    if old and new and _is_plain(old) and _is_plain(new):
        yield from _compare_values(old, new, parts)
        return
    for index in range(max(len(old), len(new))):
        if index >= len(old):
            yield ("added", join_pointer([*parts, index]), None, new[index])
        elif index >= len(new):
            yield ("removed", join_pointer([*parts, index]), old[index], None)
        else:
            yield from compare(old[index], new[index], (*parts, index), rules)


def _compare_by_identity(
    old: list[Any],
    new: list[Any],
    old_keys: list[Key],
    new_keys: list[Key],
    identity: tuple[str, ...],
    parts: tuple[str | int, ...],
    rules: Mapping[Pattern, tuple[str, ...]],
) -> Iterator[FieldDelta]:
    old_index = {key: index for index, key in enumerate(old_keys)}
    kept_keys = set(new_keys)
    unmatched_old = {i for i, key in enumerate(old_keys) if key not in kept_keys}
    pairs: dict[int, int] = {}  # new index → old index
    for index, key in enumerate(new_keys):
        if key in old_index:
            pairs[index] = old_index[key]
    # An item whose identity was edited and nothing else is one edited item: the rest must
    # be equal and say something, and of a compound identity one part must stay (an event
    # moved to another date keeps its type).
    for index, item in enumerate(new):
        if index in pairs:
            continue
        rest = {k: v for k, v in item.items() if k not in identity}
        for candidate in sorted(unmatched_old):
            before = old[candidate]
            kept = any(_same(before.get(f), item.get(f)) for f in identity)
            if {k: v for k, v in before.items() if k not in identity} == rest and (
                kept if len(identity) > 1 else bool(rest)
            ):
                pairs[index] = candidate
                unmatched_old.discard(candidate)
                break
    for index, item in enumerate(new):
        if index in pairs:
            yield from compare(old[pairs[index]], item, (*parts, index), rules)
        else:
            yield ("added", join_pointer([*parts, index]), None, item)
    for index in sorted(unmatched_old):
        yield ("removed", join_pointer([*parts, index]), old[index], None)


def _compare_values(
    old: list[Any], new: list[Any], parts: tuple[str | int, ...]
) -> Iterator[FieldDelta]:
    def key(value: Any) -> Key:
        return value if texts else json.dumps(value, default=str)

    texts = all(type(v) is str for v in [*old, *new])  # then a text is its own key

    remaining = Counter(key(v) for v in old)
    for index, value in enumerate(new):
        if remaining[key(value)] > 0:
            remaining[key(value)] -= 1
        else:
            yield ("added", join_pointer([*parts, index]), None, value)
    left = Counter(key(v) for v in new)
    for index, value in enumerate(old):
        if left[key(value)] > 0:
            left[key(value)] -= 1
        else:
            yield ("removed", join_pointer([*parts, index]), value, None)


# --- revisions ----------------------------------------------------------------------------------


def read_working_files(
    root: Path, paths: Sequence[str], reader: YamlReader | None = None
) -> Registry:
    """Only these registry-relative files of the working tree, with the same refusals as a
    full read (misplaced files, links that leave the root, files over the size limit)."""
    sources = []
    problems: list[Problem] = []
    for relative in paths:
        if classify(relative) or kind_of_path(relative) is None:
            continue
        if any(part.startswith(".") for part in PurePosixPath(relative).parts):
            continue
        if not os.path.lexists(root / relative):  # deleted in the working tree
            continue
        source = read_path(root, relative, problems)
        if source is not None:
            sources.append(source)
    return build_registry(root, sources, problems, reader)


def diff_revisions(
    root: Path,
    base: str,
    head: str | None = None,
    store: GitStore | None = None,
    schemas: SchemaSet | None = None,
    labels: tuple[str, str] | None = None,
    *,
    cache: bool = True,
) -> DiffResult:
    """The semantic diff from revision `base` to revision `head` (None: the working tree).
    With `cache`, blobs parsed by an earlier run come from the registry index
    (`coopctl.index`), and those parsed now are kept there."""
    with collection_paused():
        return _diff_revisions(root, base, head, store, schemas, labels, cache)


@contextmanager
def collection_paused() -> Iterator[None]:
    """Python's cycle collector held off: reading and comparing a wide change makes millions
    of small containers and no cycles, and the collector's passes over them took a sixth of
    the time of a diff of 1,388 files."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _diff_revisions(
    root: Path,
    base: str,
    head: str | None,
    store: GitStore | None,
    schemas: SchemaSet | None,
    labels: tuple[str, str] | None,
    cache: bool,
) -> DiffResult:
    from coopctl.index import EntityIndex

    store = store or GitStore(root)
    schemas = schemas or load_schemas(root / "schemas")
    store.start_blobs()  # ready when `git diff` has named the blobs
    try:
        files = store.changed_files(base, head)
    except BaseException:
        store.stop_blobs()
        raise
    memo = EntityIndex(root, schemas.digest, enabled=cache and bool(files))
    store.reader.remember_in(memo)
    try:
        return _compared(root, files, head, store, schemas, labels or (base, head or WORKING_TREE))
    finally:
        store.reader.remember_in(None)
        memo.save()


def _compared(
    root: Path,
    files: list[ChangedFile],
    head: str | None,
    store: GitStore,
    schemas: SchemaSet,
    labels: tuple[str, str],
) -> DiffResult:
    changed: list[PathChange] = [change for change, _sides in files]
    before = [old for _change, (old, _new) in files if old is not None]
    after = [new for _change, (_old, new) in files if new is not None]
    parsed_before = store.reader.parsed
    if head is not None:  # both sides' blobs through one `git cat-file --batch`
        old, new = store.load_groups([before, after])
    else:
        (old,) = store.load_groups([before])
        new_paths = [c.path for c in changed if c.status != "D"]
        new = read_working_files(root, new_paths, store.reader)
    renames = {c.path: c.old_path for c in changed if c.old_path}
    changes = diff_registries(old, new, identities_of(schemas), renames)
    base_label, head_label = labels
    return DiffResult(
        base_label,
        head_label,
        tuple(changes),
        len(changed),
        store.reader.parsed - parsed_before,
        tuple(new.load_problems),
    )
