"""The entity files of the working tree, listed with git's help instead of a walk that looks
at every folder entry, where git's index can vouch for what the walk would find.

The walk (`coopctl.registry.list_working_tree`) visits every entry below registry/, in name
order, skipping hidden names. `listed_with_git` gives exactly what it gives, in the same order,
for a working tree of the plain shape:

* registry/ is a folder of its own (no link), holding only the kind folders, hidden names and
  a README file;
* each kind folder is a folder of its own (no link) and holds only files, no folders;
* every name in a kind folder that git's index does not vouch for as unchanged
  (`coopctl.gitindex.unchanged_blobs`: a plain file whose stat data git compared with its
  index entry) is a regular file here (`lstat`: no link, FIFO, socket or device).

The names come from the folders themselves (`os.listdir`, one call per folder: no entry
objects, no `stat` per file); git only says which of them it has already compared byte for
byte, and for each of those its blob sha. Names that are not UTF-8 are the same
`os.fsdecode` text on both sides. Where the shape is not the plain one (a link, a FIFO, a
subfolder, a folder that cannot be read, no git), the answer is None and the walk lists the
files, with its messages.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from coopctl.model import KIND_OF_FOLDER, Problem

if TYPE_CHECKING:
    from coopctl.gitindex import IndexQuery

_README = frozenset({"README.md", "README"})  # allowed at the top of registry/, not read
_EXTENSION = ".yaml"


# One entity file: its root-relative path, its kind, and its blob sha if git's index vouches
# for its bytes (None: read it).
Listed = tuple[str, str, str | None]


def listed_with_git(root: Path, index: IndexQuery) -> tuple[list[Listed], list[Problem]] | None:
    """The entity files below root/registry in the walk's order, with the problems the walk
    would report for them (names of the wrong extension), or None if only the walk can say.
    `index` is git's answer, asked for before the folders are listed."""
    from coopctl.registry import REGISTRY_DIR, classify

    top = root / REGISTRY_DIR
    if not _is_folder(str(top)):
        return None
    try:
        names = sorted(os.listdir(top))  # noqa: PTH208 -- names only, no Path per file
    except OSError:
        return None
    folders = []
    for name in names:
        if name.startswith("."):
            continue
        if name in KIND_OF_FOLDER and _is_folder(str(top / name)):
            folders.append(name)
        elif not (name in _README and _is_regular(str(top / name))):
            return None
    listings = {}
    for folder in folders:
        try:
            listings[folder] = sorted(os.listdir(top / folder))  # noqa: PTH208
        except OSError:
            return None
    known = index.result()
    if not known:
        return None  # nothing to gain: git knows no file unchanged (or is not there)
    listed: list[Listed] = []
    problems: list[Problem] = []
    for folder in folders:
        kind = KIND_OF_FOLDER[folder]
        prefix = f"{REGISTRY_DIR}/{folder}/"
        for name in listings[folder]:
            if name.startswith("."):
                continue
            path = prefix + name
            blob = known.get(path)
            if blob is None and not _is_regular(str(root / path)):
                return None
            if not name.endswith(_EXTENSION):
                refusal = classify(path)
                if refusal is not None:
                    problems.append(refusal)
                    continue
            listed.append((path, kind, blob))
    return listed, problems


def _is_folder(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
