"""One way to get a Registry for any command: the working tree, or a git revision.

Query, report, export, diff and check all call `load_snapshot`, so "--rev" means the same
thing everywhere. Reading a revision happens in `gitstore` (the only module that talks to git).
"""

from __future__ import annotations

from pathlib import Path

from coopctl.registry import Registry, load_working_tree
from coopctl.yamlio import YamlReader


def load_snapshot(root: Path, rev: str | None = None, reader: YamlReader | None = None) -> Registry:
    """The registry at `root` as it is on disk (`rev` None) or as it was at revision `rev`
    (a branch, tag, sha or expression such as HEAD~3), with only the values of the shape
    the schemas allow (the others in `skipped`). A revision that does not exist, or a
    root outside any git repository, is a UsageError naming it."""
    from coopctl.shape import shape_registry

    if rev is None:
        return shape_registry(load_working_tree(root, reader))
    from coopctl.gitstore import load_revision

    return shape_registry(load_revision(root, rev, reader))
