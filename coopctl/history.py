"""The history of one entity: the commits that changed its file (following renames), each with
the semantic changes it made."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coopctl.diff import diff_registries, identities_of
from coopctl.errors import UsageError
from coopctl.gitstore import Commit, FileChange, GitStore
from coopctl.i18n import _
from coopctl.model import FOLDER_OF_KIND, KINDS, Change
from coopctl.registry import EXTENSION, REGISTRY_DIR, build_registry
from coopctl.schemas import load_schemas


@dataclass(frozen=True)
class HistoryEntry:
    commit: Commit
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class EntityHistory:
    kind: str
    id: str
    path: str
    entries: tuple[HistoryEntry, ...]


def _candidates(reference: str) -> list[tuple[str, str]]:
    kind, _colon, entity_id = reference.rpartition(":")
    if not entity_id or entity_id in {".", ".."} or any(c in entity_id for c in "/\\\0"):
        raise UsageError(
            _(
                "'{reference}' is not an id: an id is a file name in a kind folder, without folders"
            ).format(reference=reference),
            hint=_("write ID or KIND:ID, for example augsburg or partner:augsburg"),
        )
    if kind and kind not in KINDS:
        raise UsageError(
            _("'{kind}' is not a kind").format(kind=kind),
            hint=_("write ID or KIND:ID with KIND one of {kinds}").format(kinds=", ".join(KINDS)),
        )
    return [(k, entity_id) for k in ([kind] if kind else list(KINDS))]


def entity_history(root: Path, reference: str, rev: str = "HEAD") -> EntityHistory:
    """Commits reachable from `rev` that changed the entity `reference` (ID or KIND:ID)."""
    store = GitStore(root)
    candidates = [
        (kind, entity_id, f"{REGISTRY_DIR}/{FOLDER_OF_KIND[kind]}/{entity_id}{EXTENSION}")
        for kind, entity_id in _candidates(reference)
    ]
    commit = store.resolve(rev)
    found = _with_history(store, _present_first(store, candidates, commit), commit)
    if not found:
        raise UsageError(
            _("no entity '{reference}' in the history of {rev}").format(
                reference=reference, rev=rev
            ),
            hint=_("name it by its id (file name without .yaml), or as KIND:ID"),
        )
    if len(found) > 1:
        kinds = ", ".join(f"{kind}:{entity_id}" for kind, entity_id, _path, _changes in found)
        raise UsageError(
            _("'{reference}' is ambiguous: {kinds}").format(reference=reference, kinds=kinds),
            hint=_("write KIND:ID"),
        )
    kind, entity_id, path, changes = found[0]
    return EntityHistory(kind, entity_id, path, _entries(store, root, changes))


_Candidate = tuple[str, str, str]  # kind, id, registry-relative path


def _present_first(
    store: GitStore, candidates: list[_Candidate], commit: str
) -> list[list[_Candidate]]:
    """The candidates in the order they are tried: for a bare id, first those whose file is in
    the working tree or the tree of `commit` (one `git ls-tree`), then the others (a file
    that is gone)."""
    if len(candidates) == 1:
        return [candidates]
    in_tree = store.present(commit, [path for _kind, _id, path in candidates])
    present = [c for c in candidates if c[2] in in_tree or os.path.lexists(store.root / c[2])]
    return [present, [c for c in candidates if c not in present]]


def _with_history(
    store: GitStore, rounds: list[list[_Candidate]], commit: str
) -> list[tuple[str, str, str, list[FileChange]]]:
    """The candidates of the first round that has any with a history, each with it."""
    for candidates in rounds:
        found = []
        for kind, entity_id, path in candidates:
            changes = store.history(path, commit)
            if changes:
                found.append((kind, entity_id, path, changes))
        if found:
            return found
    return []


def _entries(store: GitStore, root: Path, changes: list[FileChange]) -> tuple[HistoryEntry, ...]:
    """Each commit with its semantic changes; the blobs of all commits are read at once."""
    identities = identities_of(load_schemas(root / "schemas"))
    versions = [side for change in changes if change.sides for side in change.sides]
    registries = iter(store.load_versions(versions))
    empty = build_registry(store.root, [])
    entries = []
    for change in changes:
        commit = change.commit
        old_path = commit.old_path or commit.path
        if change.sides is not None:
            old, new = next(registries), next(registries)
        else:  # no record of it inside the root (a rename across its edge): read both trees
            new = empty if commit.status == "D" else store.load(commit.sha, [commit.path])
            old = (
                empty
                if commit.status == "A" or commit.parent is None
                else store.load(commit.parent, [old_path])
            )
        renames = {commit.path: old_path} if commit.old_path else {}
        entries.append(HistoryEntry(commit, tuple(diff_registries(old, new, identities, renames))))
    return tuple(entries)
