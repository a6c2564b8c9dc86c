"""Writing files so that a reader never sees half of one and nothing is ever lost.

Every file coopctl writes (entity files, exports, reports, scaffolds) goes through
`write_atomic`: the bytes go to a temporary file in the same folder, are flushed and fsynced,
and only then take the target's name. A crash, a full disk or Ctrl-C at any point leaves either
the old file or the new one, never a mixture, and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from coopctl.errors import CoopctlError

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EFBIG: "the file size limit was reached",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
}


class WriteError(CoopctlError):
    """A file could not be written; the message says which and why, nothing was changed."""


def describe_os_error(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(
    path: Path, data: bytes, *, overwrite: bool = True, mode: int | None = None
) -> None:
    """Write `data` to `path` atomically. With `overwrite=False` an existing file (even one
    created by another process a moment earlier) is never replaced: WriteError instead.
    `mode`: the new file's permissions (default: those of the file replaced, else the umask's)."""
    write_atomic_with(
        path, lambda temporary: temporary.write_bytes(data), overwrite=overwrite, mode=mode
    )


def _link_exclusively(temporary: Path, path: Path) -> None:
    """Give the finished temporary file the name `path` only if nobody holds that name yet.
    A hard link is atomic and refuses an existing name; file systems without hard links get
    an exclusive create followed by a rename, which is exclusive among coopctl writers."""
    try:
        path.hardlink_to(temporary)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in {errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}:
            raise
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        temporary.replace(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable. Some file systems cannot fsync a folder; that is not an error."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic_with(
    path: Path,
    produce: Callable[[Path], object],
    *,
    overwrite: bool = True,
    mode: int | None = None,
) -> None:
    """Let `produce` fill an empty temporary file in the target's folder (bytes, or a SQLite
    database a library writes), fsync it, and give it the target's name. An existing file is
    replaced only on success, and never with `overwrite=False`."""
    folder = path.parent
    try:
        if not overwrite and (path.exists() or path.is_symlink()):
            raise FileExistsError(errno.EEXIST, "exists", str(path))
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        os.close(handle)
    except FileExistsError:
        raise WriteError(f"{path}: already exists; coopctl never overwrites it") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {describe_os_error(exc)}") from None
    temporary = Path(name)
    try:
        produce(temporary)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        if overwrite:
            temporary.replace(path)
        else:
            _link_exclusively(temporary, path)
        _sync_folder(folder)
    except FileExistsError:
        raise WriteError(f"{path}: already exists; coopctl never overwrites it") from None
    except OSError as exc:
        raise WriteError(f"{path}: cannot write: {describe_os_error(exc)}") from None
    finally:
        temporary.unlink(missing_ok=True)
