"""The history of one entity: the commits that changed its file (following renames), each with
the semantic changes it made.

Its cost is git's walk through the commits (one `git log --follow`) plus the few versions of one
file: the entity's file is found before git runs, the schemas are read and the diff machinery
imported while `git log` runs, and every version's blob comes through one `git cat-file --batch`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coopctl.errors import UsageError
from coopctl.gitstore import Commit, FileChange, GitStore
from coopctl.i18n import _
from coopctl.model import FOLDER_OF_KIND, KINDS, Change
from coopctl.registry import EXTENSION, REGISTRY_DIR

if TYPE_CHECKING:
    from coopctl.diff import Identities


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
    return start_entity_history(root, reference, rev)()


def start_entity_history(
    root: Path, reference: str, rev: str = "HEAD"
) -> Callable[[], EntityHistory]:
    """`entity_history` in two steps: this call finds the entity's file and starts `git log`
    on it; calling what it returns (when the caller has made its own preparations meanwhile)
    reads the commits and diffs each version. A malformed reference or revision is reported
    by the first step, an entity that is not found or is ambiguous by the second."""
    store = GitStore(root, revision=rev)  # one `git rev-parse` finds the work tree and `rev`
    candidates = [
        (kind, entity_id, f"{REGISTRY_DIR}/{FOLDER_OF_KIND[kind]}/{entity_id}{EXTENSION}")
        for kind, entity_id in _candidates(reference)
    ]
    commit = store.resolve(rev)
    rounds = _present_first(store, candidates, commit)
    started = [(kind, i, path, store.start_history(path, commit)) for kind, i, path in rounds[0]]
    store.start_blobs()  # ready for the versions when `git log` has named them

    def result() -> EntityHistory:
        try:
            return _result()
        finally:
            store.stop_blobs()  # when no version was read (no entity, or a failure)

    def _result() -> EntityHistory:
        # imported while git walks the commits
        from coopctl.diff import identities_of
        from coopctl.schemas import load_schemas

        found = _with_history(store, started, rounds[1:], commit)
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
        identities = identities_of(load_schemas(root / "schemas"))
        return EntityHistory(kind, entity_id, path, _entries(store, identities, changes))

    return result


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


_Started = tuple[str, str, str, Callable[[], list[FileChange]]]  # a candidate and its git log


def _with_history(
    store: GitStore, started: list[_Started], later: list[list[_Candidate]], commit: str
) -> list[tuple[str, str, str, list[FileChange]]]:
    """The candidates of the first round that has any with a history, each with it. The first
    round's `git log`s are already running (side by side); a later round's start only when
    the rounds before it found nothing."""
    rounds = iter(later)
    running: list[_Started] | None = started
    while running is not None:
        found = [(kind, i, path, changes) for kind, i, path, read in running if (changes := read())]
        if found:
            return found
        candidates = next(rounds, None)
        running = (
            None
            if candidates is None
            else [
                (kind, i, path, store.start_history(path, commit)) for kind, i, path in candidates
            ]
        )
    return []


def _entries(
    store: GitStore, identities: Identities, changes: list[FileChange]
) -> tuple[HistoryEntry, ...]:
    """Each commit with its semantic changes; the blobs of all commits are read at once."""
    from coopctl.diff import diff_registries
    from coopctl.registry import build_registry

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
