"""The cache folder: where it is, and which of its files coopctl believes.

What the cache holds decides what coopctl prints (the facts of files, the outcome of whole
runs, remembered output), so it may only come from this user's own earlier runs, never from
anything a commit can bring along:

* The folder is $COOPCTL_CACHE_DIR, else $XDG_CACHE_HOME/coopctl, else ~/.cache/coopctl. A
  relative value is ignored and the next rule applies (the XDG base directory specification
  says so for XDG_CACHE_HOME; COOPCTL_CACHE_DIR follows the same rule).
* A folder that resolves inside the registry root, or inside a git work tree around it, is
  never read or written: the cache is off for that run. Without a registry (help texts) the
  work tree around the working folder counts.
* The folder is created 0700, its files 0600, each written whole (temporary file, rename).
* A folder or file that is not this user's, is writable by group or others, or is not a plain
  folder or file, is not read (a miss) and is never replaced.

This module is imported before the command line starts, so it imports nothing heavy.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

CACHE_ENV = "COOPCTL_CACHE_DIR"
_SHARED_WRITE = stat.S_IWGRP | stat.S_IWOTH


def configured_directory(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder the settings name (absolute), or None when there is no home."""
    environ = os.environ if environ is None else environ
    explicit = environ.get(CACHE_ENV, "")
    if Path(explicit).is_absolute():
        return Path(explicit)
    base = environ.get("XDG_CACHE_HOME", "")
    if Path(base).is_absolute():
        return Path(base) / "coopctl"
    try:
        return Path.home() / ".cache" / "coopctl"
    except (RuntimeError, KeyError):  # no HOME and no password entry
        return None


def cache_directory(
    root: Path | None = None, environ: Mapping[str, str] | None = None
) -> Path | None:
    """The cache folder, resolved, for a run that reads the registry at `root` (None: no
    registry); None when the cache must stay off because a commit could have put it there."""
    environ = os.environ if environ is None else environ
    return outside_work_trees(configured_directory(environ), root, environ)


def outside_work_trees(
    configured: Path | None, root: Path | None, environ: Mapping[str, str]
) -> Path | None:
    """`configured`, resolved, unless it lies inside the registry at `root` or a git work
    tree around it (or around the working folder without a registry): None then."""
    if configured is None:
        return None
    try:
        real = Path(os.path.realpath(configured))
        near = Path(os.path.realpath(root if root is not None else Path.cwd()))
    except (OSError, RuntimeError, ValueError):
        return None
    untrusted = list(work_trees(near))
    if root is not None:
        untrusted.append(near)
    work_tree = environ.get("GIT_WORK_TREE", "")
    if Path(work_tree).is_absolute():
        untrusted.append(Path(os.path.realpath(work_tree)))
    if any(real == tree or real.is_relative_to(tree) for tree in untrusted):
        return None
    return real


def work_trees(path: Path) -> Iterator[Path]:
    """The git work trees that contain `path`: the nearest folder with a `.git`, and, while
    that `.git` is a file (a submodule), the ones around it up to a repository's own."""
    for folder in (path, *path.parents):
        try:
            info = os.lstat(folder / ".git")
        except OSError:
            continue
        yield folder
        if stat.S_ISDIR(info.st_mode):
            return


def _private(info: os.stat_result, is_type: Callable[[int], bool]) -> bool:
    """Whether this user alone can have written what `info` describes."""
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    return (
        is_type(info.st_mode)
        and (uid is None or info.st_uid == uid)
        and not info.st_mode & _SHARED_WRITE
    )


def _private_folder(folder: Path) -> bool:
    try:
        return _private(folder.stat(), stat.S_ISDIR)
    except OSError:
        return False


def read_private(path: Path) -> bytes | None:
    """The bytes of a cache file, or None unless the file and its folder are this user's own
    and nobody else can write them (a link is not followed, a FIFO never waited for)."""
    if not _private_folder(path.parent):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with open(descriptor, "rb") as handle:  # noqa: PTH123 -- an open descriptor
        try:
            if not _private(os.fstat(descriptor), stat.S_ISREG):
                return None
            return handle.read()
        except OSError:
            return None


def write_private(path: Path, data: bytes) -> bool:
    """Write a cache file atomically, readable by this user only; False (and nothing
    changed) when the folder is not this user's own, the file there is someone else's, or
    writing fails."""
    from coopctl.fsio import WriteError, write_atomic

    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private_folder(folder):
            return False
        try:
            existing: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:
            existing = None
        if existing is not None and not _private(existing, stat.S_ISREG):
            return False
        write_atomic(path, data, mode=0o600)
    except (OSError, WriteError):
        return False
    return True


@functools.cache
def code_digest() -> str:
    """coopctl's own code by content: every file of the package by path and bytes (compiled
    byte code aside). Cached facts and remembered output are keyed by it, so an edit of an
    editable install, or an upgrade that keeps the version number, never meets results of the
    code before it."""
    digest = hashlib.sha256()
    _add_files(digest, Path(__file__).resolve().parent)
    return digest.hexdigest()


def _add_files(digest: hashlib._Hash, folder: Path) -> None:
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda e: e.name)
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            _add_files(digest, Path(entry.path))
        elif entry.is_file():
            with open(entry.path, "rb") as handle:  # noqa: PTH123 -- one call per file
                content = handle.read()
            digest.update(f"\0{entry.path}:{len(content)}\0".encode("utf-8", "surrogateescape"))
            digest.update(content)
