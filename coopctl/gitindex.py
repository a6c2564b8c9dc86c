"""Which files of the working tree git's index already knows byte for byte.

`coopctl check` and `validate` key every file's facts by its git blob sha. For a file that is
unchanged since git last looked at it, git's index already holds that sha, so the file need not
be read and hashed to find its facts in the cache. `unchanged_blobs` asks git, in four
processes whatever the size of the registry, never one per file:

    git ls-files -s -v -z -- registry       every tracked file: tag, mode, blob, stage
    git diff-files --name-only --relative   the files whose stat data (or, for an entry
                                            written in the same second as the file, whose
                                            content) differs from the index, as `git status`
                                            finds them
    git config --type=bool core.autocrlf    whether git converts line ends without attributes
    git check-attr --all -z --stdin         the attributes of the remaining files

(`IndexQuery` starts the first three and answers later: the caller lists the folders
meanwhile, and the attributes are asked for while `diff-files` still runs.)

git runs in the registry root with the variables that point it at another repository, index,
work tree or object store removed (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`, … the list of
`git rev-parse --local-env-vars`, but for the `git -c` settings), so it compares the index of
the repository that holds the root with the files below the root; with
`--no-optional-locks`, so no command writes to .git; and with `core.fsmonitor` off, so the
answer comes from the files and not from a daemon's memory of them.

Stat data equal to the index proves the file is the one git wrote at checkout or read at
`git add`. Its bytes are the blob's unless git converted them on the way, so a file is only
taken when nothing can convert it:

* its index entry is a plain file (mode 100644 or 100755; never a symbolic link, 120000, or a
  submodule, 160000), in stage 0 (no merge conflict on the path), tagged `H` (not marked
  assume-unchanged or skip-worktree, which make git stop comparing the file);
* none of the attributes git converts by is given for the path: `ident`, `filter`,
  `working-tree-encoding` unspecified or unset; line ends unconverted: `text` (or the older
  `crlf`) unset (`-text`, `binary`), or `text`, `crlf` and `eol` all unspecified while
  `core.autocrlf` is false. Attributes come from every source git reads (each `.gitattributes`,
  `info/attributes`, `core.attributesFile`, macros), as `git check-attr` resolves them.

A file that is not taken is read and hashed as before. The answer is what `git status` would
say: a file edited without changing its size, times or inode, or attributes or
`core.autocrlf` changed after checkout without a new checkout, go unnoticed by git as by
coopctl. Any failure of git (none installed, no repository, a damaged index) gives {}.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

REGISTRY_DIR = "registry"
_PLAIN_MODES = frozenset({"100644", "100755"})
# One record of `git ls-files -s -v -z`: tag, mode, object, stage, tab, path, NUL; each
# match starts where a record does (at the start or after a NUL), never inside a file name.
_ENTRY = re.compile(r"(?<![^\0])(\S) ([0-7]{6}) ([0-9a-f]{40}|[0-9a-f]{64}) ([0-3])\t([^\0]+)\0")
# What `git rev-parse --local-env-vars` lists, but for the `git -c` settings of the caller:
# each makes git read another repository, index, work tree or object store than the one
# around the registry root, or other history.
_REPOSITORY_VARIABLES = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_OBJECT_DIRECTORY",
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_GRAFT_FILE",
    "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_REPLACE_REF_BASE",
    "GIT_PREFIX",
    "GIT_INTERNAL_SUPER_PREFIX",
    "GIT_SHALLOW_FILE",
    "GIT_COMMON_DIR",
)
_UNGIVEN = frozenset({"unspecified", "unset"})
_TIMEOUT = 120.0


def unchanged_blobs(root: Path) -> dict[str, str]:
    """Root-relative path ("registry/partners/x.yaml", forward slashes) -> blob sha, for every
    file below root/registry that git's index tracks as a regular file (mode 100644/100755)
    and whose working-tree bytes are the blob's; {} when root is not in a git work tree, git
    is missing or fails, or nothing can be trusted. How that is proved: the module's text."""
    return IndexQuery(root).result()


class IndexQuery:
    """`unchanged_blobs`, asked at once and answered later: git compares the files with its
    index while the caller does other work (`result` waits for it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.environment = git_environment(os.environ)
        self._started: list[subprocess.Popen[bytes]] = []
        self._result: dict[str, str] | None = None
        try:
            for args in (
                ("ls-files", "-s", "-v", "-z", "--", REGISTRY_DIR),
                ("diff-files", "--name-only", "--relative", "-z", "--", REGISTRY_DIR),
                ("config", "--type=bool", "--get", "core.autocrlf"),
            ):
                self._started.append(_start(root, self.environment, args))
        except (OSError, subprocess.SubprocessError):
            self._stop()

    def result(self) -> dict[str, str]:
        if self._result is None:
            try:
                self._result = self._answer()
            except (OSError, subprocess.SubprocessError):
                self._result = {}
            finally:
                self._stop()
        return self._result

    def _answer(self) -> dict[str, str]:
        if len(self._started) != 3:
            return {}
        listing, changed, autocrlf = self._started
        listed, _ = listing.communicate(timeout=_TIMEOUT)
        if listing.returncode != 0:
            return {}
        candidates = _clean_entries(_text(listed), set())
        if not candidates:
            return {}
        # The attributes are asked for while git still compares the files with the index.
        attributes = _git(
            self.root,
            self.environment,
            ("check-attr", "--all", "-z", "--stdin"),
            "".join(path + "\0" for path in candidates).encode("utf-8", "surrogateescape"),
        )
        differing, _ = changed.communicate(timeout=_TIMEOUT)
        setting, _ = autocrlf.communicate(timeout=_TIMEOUT)
        if changed.returncode != 0 or attributes.returncode != 0:
            return {}
        for path in _text(differing).split("\0"):
            candidates.pop(path, None)
        # 1: not set. Anything but a plain false (true, input, a value git cannot read) may
        # convert.
        converts_line_ends = not (
            autocrlf.returncode == 1 or (autocrlf.returncode == 0 and setting == b"false\n")
        )
        given = _attributes(_text(attributes.stdout))
        if not given and not converts_line_ends:
            return candidates
        return {
            path: sha
            for path, sha in candidates.items()
            if not _converts(given.get(path, {}), converts_line_ends)
        }

    def close(self) -> None:
        """Stop asking: the answer is not needed (result() is then {})."""
        if self._result is None:
            self._result = {}
            self._stop()

    def _stop(self) -> None:
        for process in self._started:
            if process.poll() is None:
                process.kill()
            process.wait()
            for stream in (process.stdout, process.stdin):
                if stream is not None:
                    stream.close()


def _text(output: bytes) -> str:
    """git's output as text; file names that are not UTF-8 as `os.fsdecode` gives them (the
    names the walk of the working tree sees)."""
    return output.decode("utf-8", "surrogateescape")


def git_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment for git: the caller's, without what points git away from the
    repository it finds around the folder it runs in."""
    return {k: v for k, v in environ.items() if k not in _REPOSITORY_VARIABLES}


def _git(
    root: Path, environment: Mapping[str, str], args: Sequence[str], stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        _command(args),
        cwd=root,
        env=environment,
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        timeout=_TIMEOUT,
        check=False,
    )


def _command(args: Sequence[str]) -> list[str]:
    return [
        "git",
        "--no-optional-locks",
        "--literal-pathspecs",
        "-c",
        "core.fsmonitor=false",
        *args,
    ]


def _start(
    root: Path, environment: Mapping[str, str], args: Sequence[str]
) -> subprocess.Popen[bytes]:
    """A git command that reads no input, started."""
    return subprocess.Popen(
        _command(args),
        cwd=root,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _clean_entries(listing: str, changed: set[str]) -> dict[str, str]:
    """path -> blob of the index entries that are plain files in stage 0, compared by git
    (tag H) and not reported changed; a path with a conflict (any other stage) is left out."""
    found: dict[str, str] = {}
    conflicted: set[str] = set()
    for tag, mode, sha, stage, path in _ENTRY.findall(listing):
        if stage != "0":
            conflicted.add(path)
        elif tag == "H" and mode in _PLAIN_MODES and path not in changed:
            found[path] = sha
    for path in conflicted:
        found.pop(path, None)
    return found


def _attributes(output: str) -> dict[str, dict[str, str]]:
    """The attributes given for each path, from `check-attr --all -z` (path, name, value, …;
    unspecified attributes are not listed)."""
    fields = output.split("\0")
    given: dict[str, dict[str, str]] = {}
    for index in range(0, len(fields) - 2, 3):
        path, name, value = fields[index : index + 3]
        given.setdefault(path, {})[name] = value
    return given


def _converts(attributes: Mapping[str, str], converts_line_ends: bool) -> bool:
    """Whether git may convert the bytes of a file with these attributes between blob and
    working tree; `converts_line_ends`: core.autocrlf is not false."""
    if any(
        attributes.get(name, "unspecified") not in _UNGIVEN
        for name in ("ident", "filter", "working-tree-encoding")
    ):
        return True
    text = attributes.get("text", "unspecified")
    if text == "unspecified":  # the older name of the same attribute
        text = attributes.get("crlf", "unspecified")
    if text == "unset":
        return False
    return (
        text != "unspecified"
        or attributes.get("eol", "unspecified") != "unspecified"
        or (converts_line_ends)
    )
