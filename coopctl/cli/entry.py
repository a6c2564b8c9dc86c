"""The `coopctl` entry point: remembered output for repeated, unchanged invocations.

Two kinds of invocation depend only on what can be checked without starting the command
line machinery (typer, rich, the schemas):

* help texts (`coopctl --help`, `coopctl validate -h`): they depend on the installed code,
  the environment and the terminal;
* `coopctl validate`: its output depends on the registry's files and schemas, the day, the
  options, the working folder, the environment and the terminal.

For these, the output of a run is kept in the cache folder (`coopctl.cachedir`: never inside
the registry or its work tree, only this user's own files) with a key made of all of that:
every file below the registry's `registry/` and `schemas/` folders by path and content
(SHA-256), every file of coopctl itself by content, the names (with versions) of the installed
distributions, the interpreter, the arguments, the working folder, every environment variable
except the few that nothing reads (`UNUSED_ENVIRONMENT`), the terminal and the date. When all of
that is unchanged, the remembered output is written and the run ends at once. Anything else
starts the command as usual, and so does a registry with a symbolic link below `registry/` or
`schemas/` (the files it leads to are not part of the key). A run is remembered only if the key
is still the same when it ends (nothing was edited meanwhile). `--no-cache`, `--stats` and `--fix`
(which writes files) always run the command.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TextIO

KEPT = 16  # outputs remembered per registry (and for help texts)
# Variables that shells change between commands and that neither coopctl nor the libraries it
# prints with read (tests/test_entry.py greps for reads of them). Every other variable, set or
# not, is part of the key: GITHUB_WORKSPACE, NO_COLOR, COLUMNS, LANG, COOPCTL_*, ...
UNUSED_ENVIRONMENT = frozenset({"PWD", "OLDPWD", "SHLVL", "_"})
_HELP = ("-h", "--help")
_ALWAYS_RUN = ("--no-cache", "--stats", "--debug", "--version", "--fix")  # --fix writes


def main() -> None:
    # Starting up makes tens of thousands of objects (modules, classes, functions) and little
    # garbage: the cycle collector's passes over them are held off until the command runs
    # (they took a tenth of `coopctl --version`).
    gc.disable()
    try:
        run, memo = _started()
    finally:
        gc.enable()
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


def _started() -> tuple[Callable[[], None], _Memo | None]:
    """The language chosen, a remembered output written (and the run ended) if there is
    one, and the command line loaded; with the memory that will keep this run's output."""
    from coopctl.cli.language import apply
    from coopctl.errors import CoopctlError

    try:
        argv = apply(sys.argv[1:])
    except CoopctlError as exc:
        from coopctl.cli.output import print_error

        print_error(exc.message, hint=exc.hint)
        raise SystemExit(exc.exit_code) from None
    sys.argv[1:] = argv
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
    from coopctl.cli.direct import direct_command, run_direct

    body = direct_command(argv) if memo is None else None
    if body is not None:  # `history` or `diff` in a plain form: no command line library
        return lambda: run_direct(body), None
    from coopctl.cli.app import main as run

    return run, memo


# --- what a run depends on ------------------------------------------------------------------------


class _NotRemembered(Exception):
    """The run depends on something the key cannot cover cheaply and exactly."""


class _Memo:
    def __init__(self, store: Path, fingerprint: Callable[[], str]) -> None:
        self.store = store
        self.fingerprint = fingerprint
        self.key = fingerprint()

    def _kept(self) -> dict[str, Any]:
        from coopctl.cachedir import read_private

        raw = read_private(self.store)
        try:
            kept = json.loads(raw) if raw is not None else {}
        except (ValueError, RecursionError):
            return {}
        return kept if isinstance(kept, dict) else {}

    def recall(self) -> tuple[str, str, int] | None:
        found = self._kept().get(self.key)
        if not isinstance(found, list) or len(found) != 3:
            return None
        stdout, stderr, code = found
        if isinstance(stdout, str) and isinstance(stderr, str) and code in (0, 1):
            return stdout, stderr, code
        return None

    def remember(self, stdout: str, stderr: str, code: int) -> None:
        from coopctl.cachedir import write_private

        try:
            if self.fingerprint() != self.key:  # something changed while the command ran
                return
        except (OSError, _NotRemembered):
            return
        kept = self._kept()
        kept.pop(self.key, None)
        kept[self.key] = [stdout, stderr, code]
        text = json.dumps(dict(list(kept.items())[-KEPT:]), ensure_ascii=False)
        try:
            write_private(self.store, text.encode("utf-8", "surrogatepass"))
        except UnicodeError:
            return


def _memo_for(argv: list[str]) -> _Memo | None:
    if any(arg in _ALWAYS_RUN for arg in argv) or os.environ.get("COOPCTL_NO_MEMO"):
        return None
    from coopctl.cachedir import cache_directory

    if not argv or (argv[-1] in _HELP and all(not a.startswith("-") for a in argv[:-1])):
        folder = cache_directory(None)
        if folder is None:
            return None
        return _Memo(folder / "outputs-help.json", lambda: _common(argv).hexdigest())
    if argv[0] != "validate":
        return None
    root = registry_root(argv)
    folder = None if root is None else cache_directory(root)
    if root is None or folder is None:
        return None

    def fingerprint() -> str:
        digest = _common(argv)
        digest.update(
            f"\0cwd={Path.cwd()}\0root={root}\0day={date.today()}".encode(
                "utf-8", "surrogateescape"
            )
        )
        # SARIF and GitLab paths start at the top of the git work tree that holds the registry.
        top = next((str(p) for p in (root, *root.parents) if (p / ".git").exists()), "")
        digest.update(f"\0git={top}".encode("utf-8", "surrogateescape"))
        for record in _contents(root):
            digest.update(record)
        return digest.hexdigest()

    try:
        memo = _Memo(folder / f"outputs-{_name(root)}.json", fingerprint)
    except _NotRemembered:
        return None
    return memo


def _name(root: Path) -> str:
    return hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def _common(argv: list[str]) -> hashlib._Hash:
    """A digest of the arguments, the environment, the terminal, the interpreter, the
    installed distributions and coopctl's own files by content (so that an upgrade, or any
    edit of an installed or editable copy, is never answered from memory)."""
    from coopctl.cachedir import code_digest
    from coopctl.i18n import language

    digest = hashlib.sha256(json.dumps(argv).encode("utf-8", "surrogatepass"))
    # The language chosen (from --lang, which argv no longer holds, the environment or the
    # registry's coopctl.toml): a remembered answer is only ever given in its own language.
    digest.update(f"\0language={language()}".encode())
    for name, value in sorted(os.environ.items()):
        if name not in UNUSED_ENVIRONMENT:
            digest.update(f"\0{name}={value}".encode("utf-8", "surrogatepass"))
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            terminal = stream.isatty()
            size = os.get_terminal_size(stream.fileno()) if terminal else None
        except (OSError, ValueError, AttributeError):
            terminal, size = False, None
        encoding = getattr(stream, "encoding", None), getattr(stream, "errors", None)
        digest.update(f"\0tty={terminal}:{size}:{encoding}".encode())
    digest.update(f"\0{sys.executable}\0{sys.version}\0{sys.flags}".encode())
    for folder in sys.path:
        if folder.endswith(("site-packages", "dist-packages")):
            digest.update(f"\0{folder}:{_distributions(folder)}".encode("utf-8", "replace"))
    digest.update(f"\0code={code_digest()}".encode())
    from coopctl.i18n import language

    digest.update(f"\0language={language()}".encode())  # settled before (cli/language.py)
    return digest


def _distributions(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.name for e in entries if e.name.endswith((".dist-info", ".egg-info")))
    except OSError:
        return []


def registry_root(argv: list[str], environ: Mapping[str, str] | None = None) -> Path | None:
    """The registry root as `coopctl.registry.find_root` would find it, or None to let the
    command itself deal with anything unusual."""
    environ = os.environ if environ is None else environ
    explicit: str | None = None
    for index, arg in enumerate(argv):
        if arg == "--root" and index + 1 < len(argv):
            explicit = argv[index + 1]
        elif arg.startswith("--root="):
            explicit = arg.removeprefix("--root=")
    explicit = explicit or environ.get("COOPCTL_ROOT") or None
    try:
        candidates = [Path(explicit)] if explicit else [Path.cwd(), *Path.cwd().parents]
    except OSError:  # the working folder is gone: the command says so
        return None
    for candidate in candidates:
        if (candidate / "registry").is_dir() and (candidate / "schemas").is_dir():
            return candidate.resolve()
    return None


def _contents(root: Path) -> Iterator[bytes]:
    """Every entry below registry/ and schemas/: files by content, anything else by its type;
    never opening what is not a regular file (a FIFO would block). A symbolic link anywhere
    (also `registry` or `schemas` themselves) means the run is not remembered."""
    for top in ("registry", "schemas"):
        if (root / top).is_symlink():
            raise _NotRemembered(top)
        yield from _folder(root / top, top)


def _folder(folder: Path, relative: str) -> Iterator[bytes]:
    with os.scandir(folder) as scanned:
        entries = sorted(scanned, key=lambda e: e.name)
    for entry in entries:
        path = f"{relative}/{entry.name}"
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            raise _NotRemembered(path)
        if stat.S_ISDIR(info.st_mode):
            yield f"\0D{path}".encode("utf-8", "surrogateescape")
            yield from _folder(Path(entry.path), path)
        elif stat.S_ISREG(info.st_mode):
            header = f"\0F{path}:{info.st_size}".encode("utf-8", "surrogateescape")
            if info.st_size > 4 * 1024 * 1024:  # refused by size; its content does not matter
                yield header + f":{info.st_mtime_ns}".encode()
            else:
                with open(entry.path, "rb") as handle:  # noqa: PTH123 -- one call per file
                    yield header + hashlib.sha256(handle.read()).digest()
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
