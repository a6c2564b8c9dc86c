"""Writing files so that a reader never sees half of one and nothing is ever lost.

Every file coopctl writes (entity files, exports, reports, scaffolds) goes through
`write_atomic`: the bytes go to a temporary file in the same folder, are flushed and fsynced,
and only then take the target's name. A crash, a full disk or Ctrl-C at any point leaves either
the old file or the new one, never a mixture.

Temporary files and lock files share one name pattern, `.<target>.coopctl-<tag>.tmp`
(`is_temporary`), which the `.gitignore` of `coopctl init` ignores and the registry walk skips.
A writer holds an exclusive `flock` on each of its temporary files while it lives; what a
killed writer (kill -9) left behind is removed by the next writer in that folder
(`remove_stale`) once it is older than STALE_SECONDS and nobody holds its lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from coopctl.errors import CoopctlError
from coopctl.i18n import N_, _

_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk quota is exhausted"),
    errno.EFBIG: N_("the file size limit was reached"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.ENOTDIR: N_("a part of the path is not a folder"),
}


STALE_SECONDS = 600  # a writer lives seconds; ten minutes leave room for slow disks
LOCK_ENV = "COOPCTL_LOCK_SECONDS"
LOCK_SECONDS = 30.0  # how long a writer waits for another writer of the same file
_TAG = "coopctl-"
_TEMPORARY = re.compile(r"\..+\.coopctl-[A-Za-z0-9_]+\.tmp", re.DOTALL)


class WriteError(CoopctlError):
    """A file could not be written; the message says which and why, nothing was changed."""


def is_temporary(name: str) -> bool:
    """Whether a file or folder name is one of coopctl's temporary or lock files."""
    return _TEMPORARY.fullmatch(name) is not None


def temporary_prefix(target: Path) -> str:
    """The start of every temporary name beside `target` (mkstemp appends the random tag)."""
    return f".{target.name}.{_TAG}"


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def remove_stale(folder: Path, now: float | None = None) -> list[str]:
    """Remove the temporary files and folders in `folder` that a killed writer left: older
    than STALE_SECONDS and not locked by a live writer. Links are never followed or removed.
    The names removed, sorted."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        with os.scandir(folder) as scanned:
            candidates = sorted(e.name for e in scanned if is_temporary(e.name))
    except OSError:
        return removed
    for name in candidates:
        path = folder / name
        try:
            info = path.lstat()
            if now - info.st_mtime < STALE_SECONDS:
                continue
            is_folder = stat.S_ISDIR(info.st_mode)
            if not (is_folder or stat.S_ISREG(info.st_mode)):
                continue
            flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_DIRECTORY if is_folder else 0)
            descriptor = os.open(path, flags)
        except OSError:
            continue
        try:
            if not _try_lock(descriptor) or os.fstat(descriptor).st_ino != info.st_ino:
                continue
            if is_folder:
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(name)
        except OSError:
            continue
        finally:
            os.close(descriptor)
    return removed


def _lock_wait(environ: Mapping[str, str]) -> float:
    try:
        return max(0.0, float(environ.get(LOCK_ENV, LOCK_SECONDS)))
    except ValueError:
        return LOCK_SECONDS


@contextlib.contextmanager
def file_lock(target: Path, environ: Mapping[str, str] | None = None) -> Iterator[None]:
    """Hold the lock of `target` (the file `.<name>.coopctl-lock.tmp` beside it, by `flock`),
    so that writers of one file take turns. Waits up to $COOPCTL_LOCK_SECONDS (default 30)
    for another writer, then WriteError. The lock file is removed on release; a lock whose
    file was removed meanwhile is taken again, so two writers never both hold it."""
    lock = target.with_name(f"{temporary_prefix(target)}lock.tmp")
    deadline = time.monotonic() + _lock_wait(os.environ if environ is None else environ)
    while True:
        try:
            descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise cannot_write(target, exc) from None
        held = False
        try:
            while not _try_lock(descriptor):
                if time.monotonic() >= deadline:
                    raise WriteError(
                        _("{path}: another coopctl is writing this file (lock {lock})").format(
                            path=target, lock=lock.name
                        ),
                        hint=_("try again when it has finished"),
                    )
                time.sleep(0.02)
            with contextlib.suppress(FileNotFoundError):
                held = os.path.samestat(os.fstat(descriptor), lock.stat())
            if held:
                try:
                    yield
                finally:
                    lock.unlink(missing_ok=True)
                return
        finally:
            os.close(descriptor)


def describe_os_error(exc: OSError) -> str:
    known = _REASONS.get(exc.errno or 0)
    return _(known) if known else exc.strerror or str(exc)


def cannot_write(path: object, exc: OSError) -> WriteError:
    """The error for a file or folder that could not be written."""
    return WriteError(
        _("{path}: cannot write: {reason}").format(path=path, reason=describe_os_error(exc))
    )


def default_mode(bits: int = 0o666) -> int:
    """The mode a new file (or, with 0o777, folder) gets under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return bits & ~umask


class LinkNotReplaced(WriteError):
    """A registry file is a symbolic link: coopctl writes neither the link nor its target."""

    def __init__(self, relative: str) -> None:
        self.reason = _("is a symbolic link; coopctl changes neither the link nor its target")
        super().__init__(
            f"{relative}: {self.reason}",
            hint=_("edit the file the link leads to, or replace the link with that file"),
            code="F008",
        )


def write_atomic(
    path: Path,
    data: bytes,
    *,
    overwrite: bool = True,
    expected: bytes | None = None,
    mode: int | None = None,
) -> None:
    """Write `data` to `path` atomically. With `overwrite=False` an existing file (even one
    created by another process a moment earlier) is never replaced: WriteError instead.
    With `expected`, the file is replaced only if it still holds exactly those bytes.
    `mode`: the new file's permissions (default: those of the file replaced, else the umask's)."""
    write_atomic_with(
        path,
        lambda temporary: temporary.write_bytes(data),
        overwrite=overwrite,
        expected=expected,
        mode=mode,
    )


def refuse_link(path: Path, relative: str) -> None:
    """LinkNotReplaced (code F008) if `path` is a symbolic link."""
    if path.is_symlink():
        raise LinkNotReplaced(relative)


def write_locked(path: Path, relative: str, change: Callable[[bytes], bytes]) -> bytes:
    """Change an existing file under its lock (see `file_lock`): read it, let `change` turn
    its bytes into the new bytes (it may raise to write nothing), and replace it, unless it
    was changed meanwhile by a program that does not take the lock (WriteError). A link is
    refused (LinkNotReplaced). Returns the bytes written (nothing is written when unchanged).

    Because the file is read again under the lock, writers of one file queue up and each
    builds on what the one before it wrote: no change is lost."""
    refuse_link(path, relative)
    with file_lock(path):
        refuse_link(path, relative)
        try:
            before = path.read_bytes()
        except OSError as exc:
            raise WriteError(
                _("{path}: cannot read: {reason}").format(
                    path=relative, reason=describe_os_error(exc)
                )
            ) from None
        after = change(before)
        if after != before:
            write_atomic(path, after, expected=before)
        return after


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


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def sync_folder(folder: Path) -> None:
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
    expected: bytes | None = None,
) -> None:
    """Let `produce` fill an empty temporary file in the target's folder (bytes, or a SQLite
    database a library writes), fsync it, and give it the target's name. An existing file is
    replaced only on success, and never with `overwrite=False`."""
    folder = path.parent
    remove_stale(folder)
    try:
        if not overwrite and (path.exists() or path.is_symlink()):
            raise FileExistsError(errno.EEXIST, "exists", str(path))
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else default_mode()
        handle, name = tempfile.mkstemp(dir=folder, prefix=temporary_prefix(path), suffix=".tmp")
    except FileExistsError:
        raise WriteError(
            _("{path}: already exists; coopctl never overwrites it").format(path=path)
        ) from None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    temporary = Path(name)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # alive: remove_stale leaves it alone
        produce(temporary)
        with temporary.open("rb+") as stream:
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        if expected is not None and _current(path) != expected:
            raise WriteError(
                _("{path}: was changed by another program meanwhile; not written").format(path=path)
            )
        if overwrite:
            temporary.replace(path)
        else:
            _link_exclusively(temporary, path)
        sync_folder(folder)
    except FileExistsError:
        raise WriteError(
            _("{path}: already exists; coopctl never overwrites it").format(path=path)
        ) from None
    except OSError as exc:
        raise cannot_write(path, exc) from None
    finally:
        temporary.unlink(missing_ok=True)
        os.close(handle)
