"""Replacing a whole folder of files as one set (the tables of `coopctl export csv`), and
several files of the registry as one set (`coopctl migrate`, see `replace_files`).

The new files are written into a fresh temporary folder beside the target (named like every
temporary file, see `fsio.is_temporary`), each fsynced, and the folders then change places.
On Linux the two folders are exchanged in one step (renameat2 with RENAME_EXCHANGE), so a
reader that opens the target sees all old files or all new ones. Where that call is missing
the old folder is first renamed away and the new one renamed into place: in between, for the
moment of one rename, there is no folder at the target's name. A failure before the swap
(a full disk, a file size limit) leaves the old folder as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from coopctl.errors import UsageError
from coopctl.fsio import (
    WriteError,
    cannot_write,
    default_mode,
    describe_os_error,
    file_lock,
    remove_stale,
    sync_folder,
    temporary_prefix,
)
from coopctl.i18n import _

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NOT_SUPPORTED = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM})


def replace_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Make `target` a folder that holds exactly `files` (name -> bytes), replacing the
    folder that is there as one set. An existing folder may hold only files of those names
    (else UsageError: nothing of anyone else's is ever removed). Raises WriteError and
    changes nothing on failure."""
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    _refuse_foreign_files(target, files)
    parent = target.parent
    remove_stale(parent)
    try:
        mode = target.stat().st_mode & 0o7777 if target.is_dir() else default_mode(0o777)
        fresh = Path(tempfile.mkdtemp(dir=parent, prefix=temporary_prefix(target), suffix=".tmp"))
    except OSError as exc:
        raise cannot_write(target, exc) from None
    descriptor = os.open(fresh, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)  # alive: remove_stale leaves it alone
        try:
            _fill(fresh, files)
            fresh.chmod(mode)
            _swap(fresh, target)
            sync_folder(parent)
        except OSError as exc:
            raise cannot_write(target, exc) from None
    finally:
        os.close(descriptor)
        shutil.rmtree(fresh, ignore_errors=True)  # the old set after the swap, or a failure


def _refuse_foreign_files(target: Path, files: Mapping[str, bytes]) -> None:
    try:
        others = sorted(p.name for p in target.iterdir() if p.name not in files)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise WriteError(
            _("{path}: cannot read the folder: {reason}").format(
                path=target, reason=describe_os_error(exc)
            )
        ) from None
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        raise UsageError(
            _("{path}: holds files that are not part of this export ({files})").format(
                path=target, files=shown
            ),
            hint=_("the whole folder is replaced; give a new or an empty folder"),
        )


def _fill(folder: Path, files: Mapping[str, bytes]) -> None:
    mode = default_mode(0o666)
    for name, data in files.items():
        path = folder / name
        with path.open("xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        path.chmod(mode)
    sync_folder(folder)


def _swap(fresh: Path, target: Path) -> None:
    """Put `fresh` at `target`'s name; an old folder ends up at `fresh`'s name (exchanged)
    or is removed."""
    if not target.exists():
        fresh.rename(target)
        return
    if _exchange(fresh, target):
        return
    aside = Path(
        tempfile.mkdtemp(dir=target.parent, prefix=temporary_prefix(target), suffix=".tmp")
    )
    aside.rmdir()
    target.rename(aside)
    try:
        fresh.rename(target)
    except OSError:
        aside.rename(target)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _exchange(left: Path, right: Path) -> bool:
    """Exchange two folders atomically (Linux renameat2); False where that is unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(left), _AT_FDCWD, os.fsencode(right), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _NOT_SUPPORTED:
            return False
        raise OSError(code, os.strerror(code), str(right))
    return True


def replace_files(files: Mapping[Path, tuple[bytes, bytes]]) -> None:
    """Replace several existing files as one set: `files` maps each path to (the bytes it
    must still hold, its new bytes). Every file's lock is taken (`fsio.file_lock`), every
    new text is written to a fsynced temporary file beside its target, and every target is
    checked to still hold its expected bytes; only then are the temporary files renamed into
    place, one after the other. A failure before the renames (a full disk, a file changed
    meanwhile, a link) changes nothing (WriteError)."""
    with contextlib.ExitStack() as stack:
        for path in sorted(files):
            stack.enter_context(file_lock(path))
        ready: list[tuple[Path, Path]] = []
        try:
            for path in sorted(files):
                expected, data = files[path]
                if path.is_symlink():
                    raise WriteError(_("{path}: is a symbolic link; not written").format(path=path))
                ready.append((_prepared(path, data, stack), path))
            for path, (expected, _data) in files.items():
                if _current_bytes(path) != expected:
                    raise WriteError(
                        _("{path}: was changed by another program meanwhile; not written").format(
                            path=path
                        )
                    )
            for temporary, path in ready:
                temporary.replace(path)
            for folder in sorted({path.parent for path in files}):
                sync_folder(folder)
        except OSError as exc:
            raise cannot_write(next(iter(files)), exc) from None
        finally:
            for temporary, _path in ready:
                temporary.unlink(missing_ok=True)


def _prepared(path: Path, data: bytes, stack: contextlib.ExitStack) -> Path:
    """A fsynced temporary file beside `path` holding `data`, with `path`'s permissions and
    locked while `stack` lives (so that `remove_stale` leaves it alone)."""
    remove_stale(path.parent)
    mode = path.stat().st_mode & 0o7777
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=temporary_prefix(path), suffix=".tmp")
    stack.callback(os.close, handle)
    fcntl.flock(handle, fcntl.LOCK_EX)
    temporary = Path(name)
    with open(handle, "wb", closefd=False) as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.chmod(mode)
    return temporary


def _current_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
