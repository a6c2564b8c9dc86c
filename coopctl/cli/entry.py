"""The `coopctl` entry point: remembered output for repeated, unchanged invocations.

Two kinds of invocation depend only on what can be checked without starting the command
line machinery (typer, rich, the schemas):

* help texts (`coopctl --help`, `coopctl validate -h`): they depend on the installed code and
  the width of the terminal;
* `coopctl validate`: its output depends on the registry's files and schemas, the day, the
  options, the working folder and the terminal.

For these, the output of a run is kept in the cache folder with a key made of all of that:
every file below the registry's `registry/` and `schemas/` folders by path, kind and content
hash, the size and time stamp of every module of coopctl itself, the arguments, the working
folder, the variables that change output (`COOPCTL_*`, `NO_COLOR`, `FORCE_COLOR`, `TERM`,
`COLUMNS`, `GITHUB_ACTIONS`...), the terminal and the date. When all of that is unchanged, the
remembered output is written and the run ends at once. Anything else starts the command as
usual. `--no-cache` and `--stats` always run the command.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, TextIO

KEPT = 16  # outputs remembered per registry (and for help texts)
_ENVIRONMENT = (
    "COOPCTL_ROOT",
    "COOPCTL_REFERENCE_ONLY",
    "COOPCTL_DOCS_URL",
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)
_HELP = ("-h", "--help")
_ALWAYS_RUN = ("--no-cache", "--stats", "--debug", "--version")


def main() -> None:
    argv = sys.argv[1:]
    try:
        memo = _memo_for(argv)
    except (OSError, RuntimeError, ValueError):  # no working folder, no home: just run
        memo = None
    if memo is not None:
        remembered = memo.recall()
        if remembered is not None:
            stdout, stderr, status = remembered
            sys.stdout.write(stdout)
            sys.stderr.write(stderr)
            sys.stdout.flush()
            raise SystemExit(status)
    from coopctl.cli.app import main as run

    if memo is None:
        run()
        return
    recorder = _Recorder()
    code: int | None = None
    with recorder:
        try:
            run()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            raise
        finally:
            if recorder.faithful and code in (0, 1):
                memo.remember(recorder.stdout.getvalue(), recorder.stderr.getvalue(), code)


# --- what a run depends on ------------------------------------------------------------------------


class _Memo:
    def __init__(self, store: Path, key: str) -> None:
        self.store = store
        self.key = key

    def recall(self) -> tuple[str, str, int] | None:
        try:
            found = json.loads(self.store.read_bytes()).get(self.key)
            stdout, stderr, code = found
            if isinstance(stdout, str) and isinstance(stderr, str) and code in (0, 1):
                return stdout, stderr, code
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):
            return None
        return None

    def remember(self, stdout: str, stderr: str, code: int) -> None:
        try:
            kept = json.loads(self.store.read_bytes())
            kept = kept if isinstance(kept, dict) else {}
        except (OSError, ValueError, RecursionError):
            kept = {}
        kept.pop(self.key, None)
        kept[self.key] = [stdout, stderr, code]
        from coopctl.fsio import WriteError, write_atomic

        text = json.dumps(dict(list(kept.items())[-KEPT:]), ensure_ascii=False)
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.store, text.encode("utf-8", "surrogatepass"))
        except (OSError, WriteError, UnicodeError):
            return


def _memo_for(argv: list[str]) -> _Memo | None:
    if any(arg in _ALWAYS_RUN for arg in argv) or os.environ.get("COOPCTL_NO_MEMO"):
        return None
    from coopctl.fsio import cache_directory

    digest = hashlib.sha256()
    _add_common(digest, argv)
    if not argv or (argv[-1] in _HELP and all(not a.startswith("-") for a in argv[:-1])):
        return _Memo(cache_directory() / "outputs-help.json", digest.hexdigest())
    if argv[0] != "validate":
        return None
    root = _registry_root(argv)
    if root is None:
        return None
    digest.update(f"\0cwd={Path.cwd()}\0root={root}\0day={date.today()}".encode())
    # SARIF and GitLab paths start at the top of the git work tree that holds the registry.
    top = next((str(p) for p in (root, *root.parents) if (p / ".git").exists()), "")
    digest.update(f"\0git={top}".encode("utf-8", "surrogateescape"))
    try:
        for record in _contents(root):
            digest.update(record)
    except OSError:
        return None
    name = hashlib.sha256(str(root).encode()).hexdigest()[:24]
    return _Memo(cache_directory() / f"outputs-{name}.json", digest.hexdigest())


def _add_common(digest: Any, argv: list[str]) -> None:
    """The arguments, the environment that changes output, the terminal, and coopctl's own
    code (so that an upgrade, or an edit of an editable install, is never answered from
    memory)."""
    digest.update(json.dumps(argv).encode("utf-8", "surrogatepass"))
    for name in _ENVIRONMENT:
        digest.update(f"\0{name}={os.environ.get(name)}".encode("utf-8", "surrogatepass"))
    for stream in (sys.stdout, sys.stderr):
        try:
            terminal = stream.isatty()
            size = os.get_terminal_size(stream.fileno()) if terminal else None
        except (OSError, ValueError, AttributeError):
            terminal, size = False, None
        digest.update(f"\0tty={terminal}:{size}".encode())
    package = Path(__file__).resolve().parents[1]
    for folder in (package, package / "cli", package / "checks", package / "report"):
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py"):
                    info = entry.stat()
                    digest.update(f"\0{entry.path}:{info.st_size}:{info.st_mtime_ns}".encode())


def _registry_root(argv: list[str]) -> Path | None:
    """The registry root as `coopctl.registry.find_root` would find it, or None to let the
    command itself deal with anything unusual."""
    explicit: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--root" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif arg.startswith("--root="):
            explicit = arg.removeprefix("--root=")
    explicit = explicit or os.environ.get("COOPCTL_ROOT") or None
    candidates = [Path(explicit)] if explicit else [Path.cwd(), *Path.cwd().parents]
    for candidate in candidates:
        if (candidate / "registry").is_dir() and (candidate / "schemas").is_dir():
            return candidate.resolve()
    return None


def _contents(root: Path) -> Iterator[bytes]:
    """Every entry below registry/ and schemas/: files by content, links by target, anything
    else by its type; never opening what is not a regular file (a FIFO would block)."""
    for top in ("registry", "schemas"):
        yield from _folder(root / top, top)


def _folder(folder: Path, relative: str) -> Iterator[bytes]:
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda e: e.name)
    for entry in entries:
        path = f"{relative}/{entry.name}"
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            target = os.readlink(entry.path)  # noqa: PTH115 -- no Path objects per file
            yield f"\0L{path}>{target}".encode("utf-8", "surrogateescape")
        elif stat.S_ISDIR(info.st_mode):
            yield f"\0D{path}".encode("utf-8", "surrogateescape")
            yield from _folder(Path(entry.path), path)
        elif stat.S_ISREG(info.st_mode):
            header = f"\0F{path}:{info.st_size}".encode("utf-8", "surrogateescape")
            if info.st_size > 4 * 1024 * 1024:  # refused by size; its content does not matter
                yield header + f":{info.st_mtime_ns}".encode()
            else:
                with open(entry.path, "rb") as handle:  # noqa: PTH123 -- one call per file
                    yield header + hashlib.sha1(handle.read(), usedforsecurity=False).digest()
        else:
            yield f"\0O{path}:{info.st_mode}".encode("utf-8", "surrogateescape")


# --- recording a run's output -------------------------------------------------------------------


class _Tee:
    """A text stream that writes through and keeps a copy."""

    def __init__(self, stream: TextIO, recorder: _Recorder) -> None:
        import io

        self._stream = stream
        self._recorder = recorder
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self._stream.write(text)

    def getvalue(self) -> str:
        return self.copy.getvalue()

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes written past the copy: do not remember this run
            self._recorder.faithful = False
        return getattr(self._stream, name)


class _Recorder:
    def __init__(self) -> None:
        self.faithful = True
        self.stdout = _Tee(sys.stdout, self)
        self.stderr = _Tee(sys.stderr, self)

    def __enter__(self) -> _Recorder:
        self._saved = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self._saved
