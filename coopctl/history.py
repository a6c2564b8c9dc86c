"""The history of one entity: the commits that changed its file (following renames), each with
the semantic changes it made."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coopctl.diff import diff_registries, identities_of
from coopctl.errors import UsageError
from coopctl.gitstore import Commit, GitStore
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
    found = []
    for kind, entity_id in _candidates(reference):
        path = f"{REGISTRY_DIR}/{FOLDER_OF_KIND[kind]}/{entity_id}{EXTENSION}"
        commits = store.history(path, rev)
        if commits:
            found.append((kind, entity_id, path, commits))
    if not found:
        raise UsageError(
            _("no entity '{reference}' in the history of {rev}").format(
                reference=reference, rev=rev
            ),
            hint=_("name it by its id (file name without .yaml), or as KIND:ID"),
        )
    if len(found) > 1:
        kinds = ", ".join(f"{kind}:{entity_id}" for kind, entity_id, _path, _commits in found)
        raise UsageError(
            _("'{reference}' is ambiguous: {kinds}").format(reference=reference, kinds=kinds),
            hint=_("write KIND:ID"),
        )
    kind, entity_id, path, commits = found[0]
    identities = identities_of(load_schemas(root / "schemas"))
    empty = build_registry(store.root, [])
    entries = []
    for commit in commits:
        new = empty if commit.status == "D" else store.load(commit.sha, [commit.path])
        old_path = commit.old_path or commit.path
        old = (
            empty
            if commit.status == "A" or commit.parent is None
            else store.load(commit.parent, [old_path])
        )
        renames = {commit.path: old_path} if commit.old_path else {}
        changes = diff_registries(old, new, identities, renames)
        entries.append(HistoryEntry(commit, tuple(changes)))
    return EntityHistory(kind, entity_id, path, tuple(entries))
