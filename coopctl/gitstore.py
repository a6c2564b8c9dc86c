"""Everything coopctl asks of git, and the only module that talks to it.

A revision is read from git objects without a checkout: one `git ls-tree -r` lists the files
below registry/, and all their blobs stream through one `git cat-file --batch` process. Parsed
files are cached by blob sha in the store's reader, so a blob that several revisions share is
parsed once. Git's failures become UsageErrors that say what to do next (a revision that does
not exist, a shallow clone that lacks the base, no repository, no git at all).

`GitStore` runs git itself (`subprocess`, as GitPython would: in the work tree, English
messages, stdin closed): importing GitPython costs more than most of the commands that read
git need in all. Only `init` (`initialise_repository`, `ignored_paths`) still goes through it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from coopctl.codes import new_problem
from coopctl.errors import UsageError
from coopctl.i18n import N_, _
from coopctl.model import Entity, Problem, SourceFile
from coopctl.registry import (
    _ALLOWED_AT_TOP,
    REGISTRY_DIR,
    Registry,
    build_entities,
    build_registry,
    classify,
    id_of,
    kind_of_path,
)
from coopctl.yamlio import MAX_FILE_BYTES, LoadResult, YamlReader, too_large

if TYPE_CHECKING:
    from coopctl.index import EntityIndex

SHALLOW_HINT = N_(
    "the clone's history is shallow: fetch the base with 'git fetch --deepen=100' "
    "(or 'git fetch --unshallow'); in GitHub Actions set 'fetch-depth: 0' on "
    "actions/checkout, in GitLab CI set GIT_DEPTH: 0"
)
NO_GIT = N_("git is not installed or not on PATH")
_SYMLINK_MODE = "120000"
_SUBMODULE_MODE = "160000"
_FILE_MODES = ("100644", "100755")
_NUL = "\0"
_RECORD = "\x1e"  # starts each commit in `git log` output
_FIELD = "\x1f"  # between a commit's fields
_CHUNK = 1 << 20
_Process = subprocess.Popen[bytes]


def blob_sha(raw: bytes) -> str:
    """The sha git gives a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


class CachingReader(YamlReader):
    """A YamlReader that parses each distinct content once per process (keyed by blob sha)."""

    def __init__(self) -> None:
        super().__init__()
        self._cache: dict[str, tuple[str, LoadResult]] = {}
        # Where earlier runs kept what their blobs parsed to (`remember_in`).
        self._memo: EntityIndex | None = None
        self.parsed = 0  # how many contents were really parsed
        # Contents that came with their sha from git (`load_blob`), by identity, so that the
        # registry built from them next does not hash them again; see `forget_blobs`.
        self._named: dict[int, tuple[bytes, str]] = {}

    def load(self, raw: bytes, path: str) -> LoadResult:
        named = self._named.get(id(raw))
        key = named[1] if named is not None and named[0] is raw else blob_sha(raw)
        return self.load_blob(raw, path, key)

    def remember_in(self, memo: EntityIndex | None) -> None:
        """Take blobs parsed by earlier runs from `memo`, and keep there those parsed now
        (None: no longer)."""
        self._memo = memo

    def recall(self, shas: Iterable[str]) -> dict[str, dict[str, Any]]:
        """blob sha -> parsed data, for those of these blobs that parsed without a problem in
        this process or an earlier run (from the memo, fetched in one go): their bytes are
        not needed to load them."""
        shas = list(shas)
        if self._memo is not None:
            for sha, data in self._memo.parsed(s for s in shas if s not in self._cache).items():
                self._cache[sha] = ("", LoadResult(data))
        known = {}
        for sha in shas:
            hit = self._cache.get(sha)
            if hit is not None and hit[1].data is not None and not hit[1].problems:
                known[sha] = hit[1].data
        return known

    def load_blob(self, raw: bytes, path: str, key: str) -> LoadResult:
        """`load` of a blob whose sha git gave (`key`), which is not computed again."""
        self._named[id(raw)] = (raw, key)
        hit = self._cache.get(key)
        if hit is None:
            result = super().load(raw, path)
            self.parsed += 1
            self._cache[key] = (path, result)
            if self._memo is not None and result.data is not None and not result.problems:
                self._memo.put_parsed(key, result.data)
            return result
        cached_path, result = hit
        if cached_path == path or not result.problems:
            return result
        return dataclasses.replace(
            result,
            problems=tuple(dataclasses.replace(p, path=path) for p in result.problems),
        )

    def forget_blobs(self) -> None:
        """Drop the contents `load_blob` keeps by identity (the parsed results stay)."""
        self._named.clear()


@dataclass(frozen=True)
class PathChange:
    """One changed file below registry/ (paths relative to the registry root). `status` is
    git's letter: A added, D deleted, M modified, R renamed (then `old_path` is set), T type."""

    status: str
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class Commit:
    """One commit that touched a file, with the file's path before and after it."""

    sha: str
    date: str
    author: str
    subject: str
    status: str
    path: str
    old_path: str | None
    parent: str | None


@dataclass(frozen=True)
class FileVersion:
    """A file as one commit has it: tree entry mode, blob sha, path (registry-relative)."""

    mode: str
    sha: str
    path: str


@dataclass(frozen=True)
class FileChange:
    """A commit that touched a file, with the file before and after it (None where absent).
    `sides` is None when git gave no record of the change (a merge): then read both trees."""

    commit: Commit
    sides: tuple[FileVersion | None, FileVersion | None] | None


# A changed file: what changed, and its versions before and after (None where it is absent).
ChangedFile = tuple[PathChange, tuple[FileVersion | None, FileVersion | None]]


@dataclass(frozen=True)
class _TreeEntry:
    mode: str
    sha: str
    size: int
    path: str  # relative to the registry root


def _no_git() -> UsageError:
    return UsageError(
        _(NO_GIT), hint=_("install git, or read the working tree instead (drop --rev/--base)")
    )


def _git_module() -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython refuses to import without a git executable
        raise _no_git() from exc
    return git


class GitFailed(Exception):
    """A git command that exited with an error; `reason` is its message on one line."""

    def __init__(self, stderr: str) -> None:
        self.reason = " ".join(stderr.split())
        super().__init__(self.reason)


def _environment() -> dict[str, str]:
    """git's environment: the user's, with git's messages in English (they are parsed and
    quoted inside coopctl's own, translated messages)."""
    return {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}


def _spawn(args: Sequence[str], cwd: Path, stdin: int = subprocess.DEVNULL) -> _Process:
    """git started with `args` in `cwd`, its output (and stderr) on pipes."""
    try:
        return subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            env=_environment(),
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if stdin == subprocess.PIPE else subprocess.PIPE,
        )
    except FileNotFoundError as exc:
        raise _no_git() from exc


def _finish(process: _Process) -> str:
    """The output of a started git; GitFailed when it fails."""
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise GitFailed(_decoded(stderr or b""))
    return _decoded(stdout)


def _decoded(output: bytes) -> str:
    return output.decode("utf-8", "surrogateescape")


class GitStore:
    """The git repository that holds a registry root, and a parse cache for its blobs."""

    def __init__(
        self, root: Path, reader: YamlReader | None = None, revision: str | None = None
    ) -> None:
        """The store of the work tree that holds `root`; with `revision`, the commit it names
        is looked up by the same `git rev-parse` (see `resolve`)."""
        self.root = root.resolve()
        # the commit `revision` named when the store was made, for the first `resolve` of it
        # (a later one asks git again: a branch or HEAD may have moved on)
        self._resolved: dict[str, str] = {}
        self._waiting: _Process | None = None  # a `cat-file --batch` started ahead
        self.top = self._work_tree(root, revision)
        try:
            relative = self.root.relative_to(self.top).as_posix()
        except ValueError:
            raise UsageError(
                _("{root}: not inside the work tree {top}").format(root=root, top=self.top)
            ) from None
        self.prefix = "" if relative == "." else relative + "/"
        self.reader = reader if isinstance(reader, CachingReader) else CachingReader()

    def _work_tree(self, root: Path, revision: str | None) -> Path:
        """The top of the work tree that holds the root, from one `git rev-parse` (which also
        looks up `revision`, if it is one that names the same commit wherever git runs)."""
        not_inside = UsageError(
            _("{root}: not inside a git repository").format(root=root),
            hint=_(
                "revisions can only be read from a registry kept in git "
                "('git init' and a first commit), or drop the revision options"
            ),
        )
        if not self.root.is_dir():
            raise not_inside
        asked = revision is not None and _plain_revision(revision)
        verify = ["--verify", "--quiet", f"{revision}^{{commit}}"] if asked else []
        process = _spawn(
            ["rev-parse", "--is-bare-repository", "--show-toplevel", *verify], self.root
        )
        stdout, stderr = process.communicate()
        lines = _decoded(stdout).splitlines()
        if lines[:1] == ["true"]:
            raise UsageError(
                _("{root}: the repository is bare; coopctl needs a work tree").format(root=root)
            )
        returncode = process.returncode
        if asked and revision is not None:
            if returncode == 0 and len(lines) == 3:
                self._resolved[revision] = lines.pop()
            elif returncode == 1 and len(lines) == 2 and not stderr:
                returncode = 0  # no such commit: `resolve` says so, as for any revision
        if returncode != 0 or len(lines) != 2:
            reason = " ".join(_decoded(stderr).split())
            if "not a git repository" in reason or not reason:
                raise not_inside
            raise UsageError(
                _("{root}: git cannot read the repository: {reason}").format(
                    root=root, reason=reason
                )
            )
        return Path(lines[1]).resolve()

    # --- running git ---------------------------------------------------------------------

    def _run(self, *args: str) -> str:
        """git's output; GitFailed when it fails. Paths are always literal pathspecs: a file
        or id named `*` or `:(glob)x` means that name, never a pattern."""
        return _finish(self._start(*args))

    def _start(self, *args: str) -> _Process:
        return _spawn(["--literal-pathspecs", *args], self.top)

    def _fails(self, *args: str) -> bool:
        try:
            self._run(*args)
        except GitFailed:
            return True
        return False

    def is_shallow(self) -> bool:
        return self._run("rev-parse", "--is-shallow-repository").strip() == "true"

    def resolve(self, rev: str) -> str:
        """The commit sha a revision names; a UsageError naming it when there is none."""
        if not rev or rev.startswith("-"):
            raise UsageError(_("revision '{rev}' does not exist").format(rev=rev))
        if rev in self._resolved:  # looked up with the work tree, for this first call
            return self._resolved.pop(rev)
        try:
            sha = self._run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
        except GitFailed:
            if self.is_shallow():
                raise UsageError(
                    _("revision '{rev}' is not in this clone (its history is shallow)").format(
                        rev=rev
                    ),
                    hint=_(SHALLOW_HINT),
                ) from None
            raise UsageError(
                _("revision '{rev}' does not exist").format(rev=rev),
                hint=_(
                    "name a branch, tag or commit ('git log --oneline' lists commits; "
                    "fetch remote branches with 'git fetch origin')"
                ),
            ) from None
        return sha

    def registry_tree(self, commit: str) -> str:
        """The sha of the registry/ tree of a commit ('' when it has none): equal shas mean
        equal files."""
        try:
            return self._run(
                "rev-parse", "--verify", "--quiet", f"{commit}:{self._git_path(REGISTRY_DIR)}"
            ).strip()
        except GitFailed:
            return ""

    def merge_base(self, left: str, right: str) -> str:
        a, b = self.resolve(left), self.resolve(right)
        try:
            return self._run("merge-base", a, b).strip()
        except GitFailed:
            hint = _(SHALLOW_HINT) if self.is_shallow() else None
            raise UsageError(
                _("'{left}' and '{right}' have no common ancestor").format(left=left, right=right),
                hint=hint,
            ) from None

    def describe(self, rev: str) -> str:
        """A short name for messages: the abbreviated sha."""
        return self.resolve(rev)[:12]

    # --- reading a revision --------------------------------------------------------------

    def _git_path(self, relative: str) -> str:
        return self.prefix + relative

    def _registry_relative(self, git_path: str) -> str | None:
        if not git_path.startswith(self.prefix):
            return None
        return git_path[len(self.prefix) :]

    def _tree(self, sha: str, paths: Sequence[str] = (REGISTRY_DIR,)) -> list[_TreeEntry]:
        output = self._run(
            "ls-tree",
            "-r",
            "-l",
            "-z",
            "--full-tree",
            sha,
            "--",
            *(self._git_path(p) for p in paths),
        )
        entries = []
        for record in output.split(_NUL):
            if not record:
                continue
            meta, _tab, git_path = record.partition("\t")
            mode, _kind, object_sha, size = meta.split()
            relative = self._registry_relative(git_path)
            if relative is not None:
                entries.append(
                    _TreeEntry(mode, object_sha, int(size) if size.isdigit() else 0, relative)
                )
        return entries

    def read_blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of blobs, all through one `git cat-file --batch` process."""
        return {k: v for k, v in self._stream_blobs(shas).items() if isinstance(v, bytes)}

    def _stream_blobs(
        self,
        shas: Iterable[str],
        limit: int | None = None,
        each: Callable[[str, bytes], None] | None = None,
    ) -> dict[str, bytes | int]:
        """The contents of blobs through one `git cat-file --batch` process; a blob larger
        than `limit` is passed over unread into memory, and given as its size. `each` is
        called with every blob read as soon as it is read, while git goes on writing the
        next ones."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            self.stop_blobs()
            return {}
        popen, self._waiting = self._waiting or self._batch(), None
        assert popen.stdin is not None and popen.stdout is not None
        stdin, stdout = popen.stdin, popen.stdout

        def feed() -> None:
            try:
                stdin.write("".join(f"{sha}\n" for sha in wanted).encode("ascii"))
            finally:
                stdin.close()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        contents: dict[str, bytes | int] = {}
        missing: list[str] = []
        try:
            for sha in wanted:
                header = stdout.readline().decode("ascii", "replace").split()
                if len(header) < 3:
                    missing.append(sha)
                    continue
                size = int(header[2])
                if limit is not None and size > limit:
                    contents[sha] = size
                    for _start in range(0, size, _CHUNK):
                        stdout.read(min(_CHUNK, size - _start))
                else:
                    contents[sha] = data = stdout.read(size)
                    if each is not None:
                        each(sha, data)
                stdout.read(1)  # the newline after each object
        finally:
            writer.join()
            stdout.close()
            popen.wait()
        if missing:
            raise UsageError(
                _("git object {sha} is missing from the repository").format(sha=missing[0]),
                hint=_(SHALLOW_HINT) if self.is_shallow() else _("the repository may be damaged"),
            )
        return contents

    def _batch(self) -> _Process:
        return _spawn(["cat-file", "--batch", "--buffer"], self.top, stdin=subprocess.PIPE)

    def start_blobs(self) -> None:
        """Start the `git cat-file --batch` that the next read of blobs uses, so that it is
        ready when they are asked for."""
        if self._waiting is None:
            self._waiting = self._batch()

    def stop_blobs(self) -> None:
        """End the `git cat-file --batch` started ahead, if no read of blobs has used it."""
        process, self._waiting = self._waiting, None
        if process is not None:
            assert process.stdin is not None and process.stdout is not None
            process.stdin.close()
            process.wait()
            process.stdout.close()

    def _sources(self, entries: list[_TreeEntry]) -> tuple[list[SourceFile], list[Problem]]:
        """Apply the working tree's file rules to tree entries, then read the blobs."""
        chosen, problems = self._choose(entries)
        contents = self.read_blobs(sha for _, sha in chosen)
        return [SourceFile(path, contents[sha], sha) for path, sha in chosen], problems

    def revision_files(self, rev: str) -> tuple[list[tuple[str, str]], list[Problem]]:
        """(path, blob sha) of every file of `rev` that is read as an entity file, and the
        files refused, without reading any blob (but those of symbolic links)."""
        return self._choose(self._tree(self.resolve(rev)))

    def _choose(
        self, entries: list[_TreeEntry], tree: list[_TreeEntry] | None = None
    ) -> tuple[list[tuple[str, str]], list[Problem]]:
        """Apply the working tree's file rules to tree entries: (path, blob to read). A link
        leads to an entry of `tree` (default: `entries`)."""
        problems: list[Problem] = []
        by_path = {e.path: e for e in (entries if tree is None else tree)}
        chosen: list[tuple[str, str]] = []
        for entry in entries:
            parts = entry.path.split("/")
            if any(part.startswith(".") for part in parts):
                continue
            if entry.mode == _SYMLINK_MODE and self._link_target(entry) is None:
                # As in the working tree, whatever the link is (the registry folder, a kind
                # folder or a file): it leads outside the root or into git's own folder.
                problems.append(
                    _refusal("F004", _("symbolic link outside the registry; not read"), entry.path)
                )
                continue
            refusal = classify(entry.path)
            if refusal:
                problems.append(refusal)
                continue
            if parts[-1] in _ALLOWED_AT_TOP:
                continue
            target = entry
            if entry.mode == _SYMLINK_MODE:
                followed = self._follow_link(entry, by_path, problems)
                if followed is None:
                    continue
                target = followed
            elif entry.mode == _SUBMODULE_MODE:
                problems.append(_refusal("F007", _("not a regular file (a submodule)"), entry.path))
                continue
            if target.size > MAX_FILE_BYTES:
                problems.append(_refusal("F001", too_large(target.size), entry.path))
                continue
            chosen.append((entry.path, target.sha))
        return chosen, problems

    def _link_target(self, link: _TreeEntry) -> str | None:
        """The root-relative path a committed link leads to; None when that lies outside the
        root or in git's own folder, where coopctl never reads."""
        target_text = self.read_blobs([link.sha])[link.sha].decode("utf-8", "replace")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(link.path), target_text))
        leaves = target_text.startswith("/") or joined == ".." or joined.startswith("../")
        if leaves or joined.split("/")[0] == ".git":
            return None
        return joined

    def _follow_link(
        self, link: _TreeEntry, by_path: dict[str, _TreeEntry], problems: list[Problem]
    ) -> _TreeEntry | None:
        """As in the working tree: a link inside the registry is read as its target, a link
        that leaves the registry root is refused."""
        joined = self._link_target(link)
        target = None if joined is None else by_path.get(joined)
        if target is None or target.mode not in {"100644", "100755"}:
            problems.append(
                _refusal("F007", _("symbolic link to something that is not a file"), link.path)
            )
            return None
        return target

    def load(self, rev: str, paths: Sequence[str] | None = None) -> Registry:
        """The registry as it was at `rev`; with `paths`, only those registry-relative files
        (which may be absent at that revision)."""
        sha = self.resolve(rev)
        if paths is not None and not paths:
            return build_registry(self.root, [], [], self.reader)
        entries = self._tree(sha) if paths is None else self._tree(sha, paths)
        if paths is not None:
            wanted = set(paths)
            entries = [e for e in entries if e.path in wanted]
        sources, problems = self._sources(entries)
        return build_registry(self.root, sources, problems, self.reader)

    # --- changes -------------------------------------------------------------------------

    def changed_paths(self, base: str, head: str | None = None) -> list[PathChange]:
        """Files below registry/ that differ between `base` and `head` (None: the working
        tree, untracked files included), with renames paired as git detects them."""
        return [change for change, _sides in self.changed_files(base, head)]

    def changed_files(self, base: str, head: str | None = None) -> list[ChangedFile]:
        """`changed_paths`, each with the file's version before and after (None where it is
        absent; for the working tree, the version after is always None: read the file)."""
        base_sha = self.resolve(base)
        spec = self._git_path(REGISTRY_DIR)
        revisions = [base_sha] if head is None else [base_sha, self.resolve(head)]
        # git lists the untracked files while it compares the tracked ones
        others = None
        if head is None:
            others = self._start("ls-files", "--others", "--exclude-standard", "-z", "--", spec)
        try:
            output = self._run(
                "diff",
                "--raw",
                "--no-abbrev",
                "-z",
                "-M",
                "--no-ext-diff",
                "--no-textconv",
                *revisions,
                "--",
                spec,
            )
        except BaseException:
            if others is not None:
                others.kill()
                others.communicate()
            raise
        changes = list(self._parse_raw(output.split(_NUL)))
        if others is not None:
            changes = [(change, (old, None)) for change, (old, _new) in changes]
            untracked = _finish(others)
            for git_path in untracked.split(_NUL):
                relative = self._registry_relative(git_path) if git_path else None
                if relative:
                    changes.append((PathChange("A", relative), (None, None)))
        return changes

    def _parse_name_status(self, fields: list[str]) -> Iterator[PathChange]:
        index = 0
        while index < len(fields) and fields[index]:
            status = fields[index]
            letter = status[0]
            if letter in "RC":
                old, new = fields[index + 1], fields[index + 2]
                index += 3
                old_rel, new_rel = self._registry_relative(old), self._registry_relative(new)
                if letter == "C" and new_rel:
                    yield PathChange("A", new_rel)
                elif old_rel and new_rel:
                    yield PathChange("R", new_rel, old_rel)
                continue
            path = self._registry_relative(fields[index + 1])
            index += 2
            if path:
                yield PathChange("M" if letter == "T" else letter, path)

    def history(self, path: str, commit: str) -> list[FileChange]:
        """The commits reachable from `commit` (a sha from `resolve`) that changed a registry
        file, newest first, following renames (`git log --follow`), each with the file's blob
        before and after, all from one `git log` process."""
        return self.start_history(path, commit)()

    def start_history(self, path: str, commit: str) -> Callable[[], list[FileChange]]:
        """`history`, with its `git log` started now and read when the result is asked for:
        the caller works on while git walks the commits."""
        process = self._start(
            "log",
            "--follow",
            "-M",
            "--raw",
            "--no-abbrev",
            "-z",
            f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%s{_FIELD}%P",
            commit,
            "--",
            self._git_path(path),
        )

        def result() -> list[FileChange]:
            try:
                output = _finish(process)
            except GitFailed as exc:
                raise UsageError(
                    _("git cannot read the history of {path}: {reason}").format(
                        path=path, reason=exc.reason
                    )
                ) from None
            return [self._file_change(block, path) for block in _records(output)]

        return result

    def _file_change(self, block: str, path: str) -> FileChange:
        head, _nul, rest = block.partition(_NUL)
        commit_sha, date, author, subject, parents = (head.split(_FIELD) + [""] * 5)[:5]
        parent = parents.split()[0] if parents.split() else None
        found = list(self._parse_raw(rest.lstrip("\n").split(_NUL)))
        change, sides = found[0] if found else (PathChange("M", path), None)
        commit = Commit(
            commit_sha,
            date,
            author,
            subject,
            change.status,
            change.path,
            change.old_path,
            parent,
        )
        if sides is not None and (change.status == "A" or parent is None):
            sides = (None, sides[1])
        return FileChange(commit, sides)

    def _parse_raw(
        self, fields: list[str]
    ) -> Iterator[tuple[PathChange, tuple[FileVersion | None, FileVersion | None]]]:
        """`--raw -z` records as PathChanges (the rules of `_parse_name_status`), each with the
        file's version before and after (None where it is absent)."""
        index = 0
        while index < len(fields) and fields[index].startswith(":"):
            old_mode, new_mode, old_sha, new_sha, status = fields[index][1:].split()[:5]
            letter = status[0]
            width = 3 if letter in "RC" else 2
            names = fields[index + 1 : index + width]
            index += width
            change = next(self._parse_name_status([status, *names]), None)
            if change is None:
                continue
            old_path = change.old_path or change.path
            old = None if change.status == "A" else FileVersion(old_mode, old_sha, old_path)
            new = None if change.status == "D" else FileVersion(new_mode, new_sha, change.path)
            yield change, (old, new)

    def load_versions(self, versions: Sequence[FileVersion | None]) -> list[Registry]:
        """One registry per version of a file (an empty one for None); see `load_groups`."""
        return self.load_groups([[] if v is None else [v] for v in versions])

    def load_groups(self, groups: Sequence[Sequence[FileVersion]]) -> list[Registry]:
        """One registry per group of file versions, every blob of every group through one
        `git cat-file --batch` process. The file rules are those of `load` with the group's
        paths (a blob over the size limit is refused unread, a link is followed only to a
        file of its group)."""
        plain_files = {
            v.sha: v.path
            for group in groups
            for v in group
            if v.mode in _FILE_MODES and kind_of_path(v.path) is not None
        }

        # the files the rules let through, whatever their size (a blob over the size limit
        # is passed over unread below)
        candidates = [_TreeEntry(_FILE_MODES[0], sha, 0, path) for sha, path in plain_files.items()]
        allowed = {sha: path for path, sha in self._choose(candidates)[0]}

        def parse(sha: str, raw: bytes) -> None:
            """Parse a file as soon as its blob arrives (the registry below then finds it in
            the reader's cache) if it is one that the file rules let through."""
            path = allowed.get(sha)
            if path is not None:
                self.reader.load_blob(raw, path, sha)

        # Blobs that parsed cleanly before need no bytes (a blob over the size limit never
        # parses cleanly); their bytes are read only if asked for.
        known = self.reader.recall(allowed)
        contents = self._stream_blobs(
            (
                v.sha
                for group in groups
                for v in group
                if v.mode != _SUBMODULE_MODE and v.sha not in known
            ),
            MAX_FILE_BYTES,
            parse,
        )
        registries = []
        for group in groups:
            entries = []
            for version in sorted(group, key=_tree_order):
                data = contents.get(version.sha, b"")
                size = data if isinstance(data, int) else len(data)
                entries.append(_TreeEntry(version.mode, version.sha, size, version.path))
            # the plain files already let through (`allowed`), unless too large, need no
            # second look; the rest (links, refusals) are judged in the group
            passed: list[_TreeEntry] = []
            rest: list[_TreeEntry] = []
            for e in entries:
                plain_file = e.mode in _FILE_MODES and e.size <= MAX_FILE_BYTES
                (passed if plain_file and allowed.get(e.sha) == e.path else rest).append(e)
            chosen, problems = self._choose(rest, entries)
            sources, recalled = [], []
            for path, sha in [(e.path, e.sha) for e in passed] + chosen:
                if sha in known:
                    kind = kind_of_path(path)
                    if kind is not None:
                        found = known[sha]
                        recalled.append(Entity(kind, id_of(found, path), path, found, sha))
                elif isinstance(raw := contents[sha], bytes):
                    sources.append(SourceFile(path, raw, sha))
            registry = build_registry(self.root, sources, problems, self.reader)
            if recalled:
                registry = self._with(registry, recalled)
            registries.append(registry)
        self.reader.forget_blobs()
        return registries

    def _with(self, registry: Registry, recalled: Sequence[Entity]) -> Registry:
        """`registry` with the entities loaded without their bytes, which are read from git
        when asked for."""
        from coopctl.snapshot import LazyBytes

        blob_of = {e.path: e.blob_sha for e in recalled if e.blob_sha}

        def read(path: str) -> bytes | None:
            sha = blob_of[path]
            return self.read_blobs([sha]).get(sha)

        raw = LazyBytes([*registry.raw, *blob_of], dict(registry.raw), read)
        return build_entities(
            self.root, [*registry.entities, *recalled], registry.load_problems, raw
        )

    def present(self, commit: str, paths: Sequence[str]) -> set[str]:
        """Those of `paths` (registry-relative) that the tree of `commit` (a sha) holds."""
        wanted = set(paths)
        return {e.path for e in self._tree(commit, paths) if e.path in wanted}


def _plain_revision(rev: str) -> bool:
    """Whether `rev` names the same commit in every folder of the work tree (`HEAD:./x` is
    read from the folder git runs in) and cannot be taken for an option."""
    return bool(rev) and not rev.startswith("-") and ":" not in rev


def _tree_order(version: FileVersion) -> bytes:
    """The order of `git ls-tree -r` (git sorts the full paths byte by byte)."""
    return version.path.encode("utf-8", "surrogateescape")


def _records(output: str) -> Iterator[str]:
    for block in output.split(_RECORD):
        if block.strip(_NUL + "\n"):
            yield block


def _refusal(code: str, message: str, path: str) -> Problem:
    return new_problem(code, message, path, line=1, column=1)


def load_revision(root: Path, rev: str, reader: YamlReader | None = None) -> Registry:
    """The registry at `root` as it was at git revision `rev`, read from git objects."""
    return GitStore(root, reader).load(rev)


def initialise_repository(root: Path) -> bool:
    """`git init` in `root` unless it already lies inside a work tree; True if one was made."""
    git = _git_module()
    try:
        git.Repo(root, search_parent_directories=True)
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        pass
    else:
        return False
    try:
        git.Repo.init(root)
    except git.exc.GitCommandError as exc:
        raise UsageError(
            _("{root}: git init failed: {reason}").format(root=root, reason=exc.stderr.strip())
        ) from None
    return True


def ignored_paths(root: Path, paths: Sequence[str]) -> dict[str, str]:
    """Those of `paths` (relative to `root`) that git ignores in the repository `root` lies in,
    each with the rule that ignores it (`.gitignore:3: registry/`); empty outside one."""
    git = _git_module()
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.exc.InvalidGitRepositoryError, git.exc.NoSuchPathError):
        return {}
    if repo.working_tree_dir is None:
        return {}
    prefix = root.resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    given = {(path if prefix == "." else f"{prefix}/{path}"): path for path in paths}
    try:
        run = subprocess.run(
            ["git", "check-ignore", "-z", "--verbose", "--no-index", "--stdin"],
            cwd=repo.working_tree_dir,
            input="".join(f"{path}\0" for path in given),
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as exc:
        raise UsageError(_("git check-ignore could not run: {reason}").format(reason=exc)) from None
    if run.returncode == 1:  # git's answer for "none is ignored"
        return {}
    if run.returncode != 0:
        raise UsageError(
            _("{root}: git check-ignore failed: {reason}").format(
                root=root, reason=run.stderr.strip()
            )
        )
    fields = run.stdout.split("\0")
    found = {}
    for source, line, pattern, path in zip(*[iter(fields)] * 4, strict=False):
        if not pattern.startswith("!") and path in given:  # a ! rule un-ignores
            found[given[path]] = f"{source}:{line}: {pattern}"
    return found


def commit_file(root: Path, path: str, message: str) -> str:
    """Stage and commit one file of the registry (path relative to `root`, or absolute) with
    nothing else that is staged; the new commit's sha."""
    from coopctl.errors import CoopctlError

    store = GitStore(root)
    relative = Path(path).resolve().relative_to(store.root) if Path(path).is_absolute() else path
    git_path = store.prefix + PurePosixPath(relative).as_posix()
    try:
        store._run("add", "--", git_path)
        store._run("commit", "-m", message, "--only", "--", git_path)
    except GitFailed as exc:
        raise CoopctlError(
            _("git commit failed: {reason}").format(reason=exc.reason or exc),
            hint=_("set user.name and user.email with 'git config', then commit by hand"),
        ) from None
    return store.resolve("HEAD")
