"""Validation of many files: cache lookup, examination (in worker processes when it pays), and
the registry-wide checks over the facts of all files.

    files (path, kind, blob sha, bytes or None)
      -> facts from the cache, by blob sha           (FactCache)
      -> the rest examined, in parallel if many      (Examiner.examine, forked workers)
      -> problems between files                      (checks.registry_problems)
      -> every problem located at line:column

Bytes may be missing: for files of a revision they are fetched, in one `git cat-file --batch`
stream, only for the files the cache does not know; for files of the working tree that git's
index knows unchanged (`coopctl.gitindex`) the index gives the blob sha, and the file is read
only when the cache does not know that blob.
"""

from __future__ import annotations

import functools
import gc
import operator
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec, TypeVar

from coopctl.cache import FactCache, entry_key
from coopctl.facts import Examiner, FileFacts, locate_in
from coopctl.i18n import _, ngettext
from coopctl.model import Problem, SourceFile

if TYPE_CHECKING:
    from coopctl.gitindex import IndexQuery
    from coopctl.gitstore import GitStore

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _without_cyclic_gc(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` with the cyclic garbage collector paused. Listing the files, loading the
    cache and the checks between files make hundreds of thousands of small objects and keep
    them: the collector would walk them again and again (it tripled the time json takes to
    load the cache of a 60,000-file registry). Reference counting frees them all the same."""

    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        collecting = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if collecting:
                gc.enable()

    return paused


class FileJob(NamedTuple):
    """One file to examine (a named tuple: a 60,000-file registry makes 60,000 of them, and a
    tuple is made in a fifth of the time of a frozen dataclass)."""

    path: str
    kind: str
    blob: str  # '' when the file is read by the process that examines it
    raw: bytes | None = None  # None: fetch it when needed, or read it (`read`)
    read: Callable[[list[Problem]], SourceFile | None] | None = None


_PATH_AND_BLOB = operator.itemgetter(0, 2)  # of a FileJob

# Jobs without bytes in, the same jobs with their bytes out. A job may come back with another
# blob sha (a working-tree file whose bytes are not the blob git named) or, when its file can
# no longer be read, with a `read` that says why.
Fetch = Callable[[Sequence[FileJob]], list[FileJob]]


@dataclass
class Stats:
    """How a run came by its answer: for `--stats` and the benchmarks."""

    files: int = 0
    remembered: bool = False  # the whole outcome came from a recent run
    from_cache: int = 0  # files whose facts were cached
    shared: int = 0  # files whose facts this run had examined already (check: the other side)
    examined: int = 0  # files read, parsed and checked now
    processes: int = 0  # processes that examined them

    def summary(self) -> str:
        if self.remembered:
            return _("{files} files: the outcome of a recent run with the same contents").format(
                files=self.files
            )
        if self.shared:
            template = ngettext(
                "{files} files: {cached} from the cache, {shared} examined earlier in this run, "
                "{examined} examined in {processes} process",
                "{files} files: {cached} from the cache, {shared} examined earlier in this run, "
                "{examined} examined in {processes} processes",
                self.processes,
            )
        else:
            template = ngettext(
                "{files} files: {cached} from the cache, {examined} examined in {processes} "
                "process",
                "{files} files: {cached} from the cache, {examined} examined in {processes} "
                "processes",
                self.processes,
            )
        return template.format(
            files=self.files,
            cached=self.from_cache,
            shared=self.shared,
            examined=self.examined,
            processes=self.processes,
        )


@_without_cyclic_gc
def gather_facts(
    jobs: Sequence[FileJob],
    examiner: Examiner,
    cache: FactCache,
    workers: int | None = None,
    fetch: Fetch | None = None,
    stats: Stats | None = None,
) -> list[FileFacts]:
    """The facts of every file, in the order of `jobs`; the cache is updated, not saved."""
    stats = stats if stats is not None else Stats()
    jobs = list(jobs)
    shared_before = cache.from_run
    found: list[FileFacts | None] = [
        cache.get(entry_key(job.blob, job.kind, job.path), job.path, job.kind) for job in jobs
    ]
    missing = [index for index, hit in enumerate(found) if hit is None]
    unread = [i for i in missing if jobs[i].raw is None and jobs[i].read is None]
    if unread and fetch is not None:
        for index, job in zip(unread, fetch([jobs[i] for i in unread]), strict=True):
            if job.blob and job.blob != jobs[index].blob:  # known by its own sha, perhaps
                found[index] = cache.get(
                    entry_key(job.blob, job.kind, job.path), job.path, job.kind
                )
            jobs[index] = job
        missing = [index for index in missing if found[index] is None]
    if missing:
        work = [(jobs[i].path, jobs[i].read or jobs[i].raw or b"", jobs[i].kind) for i in missing]
        examined, stats.processes = examine_all(examiner, work, workers)
        for index, facts in zip(missing, examined, strict=True):
            found[index] = facts
            # Why a file could not be read now is no fact of its blob; a file read by the
            # process that examines it has no blob sha to keep its facts by.
            if not facts.refused and jobs[index].blob:
                cache.put(entry_key(jobs[index].blob, jobs[index].kind, jobs[index].path), facts)
    stats.files += len(jobs)
    stats.examined += len(missing)
    shared = cache.from_run - shared_before
    stats.shared += shared
    stats.from_cache += len(jobs) - len(missing) - shared
    return [f for f in found if f is not None]


class Files:
    """The entity files of the working tree or of a revision, as jobs, with the files
    refused and a way to get any file's bytes (to locate its problems). A revision's files
    are listed only when needed: its registry tree's sha (`identity`) already says whether a
    recent run saw exactly these contents."""

    def __init__(
        self,
        listing: Callable[[], tuple[list[FileJob], list[Problem]]],
        raw_of: Callable[[str], bytes | None],
        fetch: Fetch | None = None,
        identity: str | None = None,
    ) -> None:
        self._listing = listing
        self._listed: tuple[list[FileJob], list[Problem]] | None = None
        self.raw_of = raw_of
        self.fetch = fetch
        self.identity = identity

    def _list(self) -> tuple[list[FileJob], list[Problem]]:
        if self._listed is None:
            self._listed = self._listing()
        return self._listed

    @property
    def jobs(self) -> list[FileJob]:
        return self._list()[0]

    @property
    def refusals(self) -> list[Problem]:
        return self._list()[1]


def working_tree_files(root: Path, *, read: bool = True, keep: bool = True) -> Files:
    """The files of the working tree. With `read`, each with its blob sha: from git's index
    for a file it knows unchanged (read only if the cache lacks its facts), else read and
    hashed now. With `read=False` only listed, each to be read by the process that examines it
    (there is no blob sha then: no cache). With `keep=False` the bytes read are not kept for
    `raw_of`, which reads a file again when asked (what a job carries is its caller's to
    drop): a read command that parses 60,000 files then does not hold all their bytes."""
    from coopctl.registry import kind_of_path, list_working_tree, read_listed

    if not read:
        listed, refused = list_working_tree(root)
        unread = [
            FileJob(path, kind, "", None, functools.partial(read_listed, entry, path, root))
            for entry, path in listed
            if (kind := kind_of_path(path)) is not None
        ]
        return Files(lambda: (unread, refused), functools.partial(_read_again, root))
    tree = _WorkingTree(root, keep)
    return Files(tree.listing, tree.raw_of, tree.fetch)


class _WorkingTree:
    """The working tree's files as jobs: the bytes of those read, and those whose blob sha
    came from git's index, to read them when the cache lacks them (by their folder entry
    where the walk listed them). Without `keep`, the bytes of no file are kept: `raw_of`
    reads every listed file again."""

    def __init__(self, root: Path, keep: bool = True) -> None:
        self.root = root
        self.keep = keep
        self.raw: dict[str, bytes] = {}
        self.unread: dict[str, os.DirEntry[str] | None] = {}
        self.listed: set[str] = set()  # files read while listed, without `keep`

    def _kept(self, path: str, raw: bytes) -> None:
        if self.keep:
            self.raw[path] = raw
        else:
            self.listed.add(path)

    def listing(self) -> tuple[list[FileJob], list[Problem]]:
        from coopctl.gitindex import IndexQuery
        from coopctl.gitstore import blob_sha
        from coopctl.worktree import listed_with_git

        index = IndexQuery(self.root)  # git compares while the folders are listed
        found = listed_with_git(self.root, index)
        if found is None:
            return self._walked(index)
        listed, refusals = found
        unknown = [path for path, _kind, blob in listed if blob is None]
        entries = self._entries({p.rsplit("/", 1)[0] for p in unknown}) if len(unknown) > 64 else {}
        jobs = []
        self.unread = dict.fromkeys(path for path, _kind, blob in listed if blob is not None)
        for path, kind, blob in listed:
            if blob is not None:
                jobs.append(FileJob(path, kind, blob))
                continue
            source = self._read(path, entries, refusals)
            if source is not None:
                self._kept(path, source.raw)
                jobs.append(FileJob(path, kind, blob_sha(source.raw), source.raw))
        return jobs, refusals

    def _walked(self, index: IndexQuery) -> tuple[list[FileJob], list[Problem]]:
        """The listing by a walk of every folder entry, with git's index for the blobs."""
        from coopctl.gitstore import blob_sha
        from coopctl.registry import kind_of_path, list_working_tree, read_listed

        listed, refusals = list_working_tree(self.root)
        if not listed:
            index.close()
        known = index.result()
        jobs = []
        for entry, path in listed:
            kind = kind_of_path(path)
            if kind is None:
                continue
            blob = known.get(path)
            if blob is not None and entry.is_file(follow_symlinks=False):
                self.unread[path] = entry
                jobs.append(FileJob(path, kind, blob))
                continue
            source = read_listed(entry, path, self.root, refusals)
            if source is not None:
                self._kept(path, source.raw)
                jobs.append(FileJob(path, kind, blob_sha(source.raw), source.raw))
        return jobs, refusals

    def fetch(self, jobs: Sequence[FileJob]) -> list[FileJob]:
        """The files git's index named, read now under the walk's rules and hashed: what is
        examined and cached is always the working tree's bytes under their own sha."""
        from coopctl.gitstore import blob_sha

        named = [job.path for job in jobs if self.unread[job.path] is None]
        entries = self._entries({p.rsplit("/", 1)[0] for p in named}) if len(named) > 64 else {}
        for job in jobs:
            listed = self.unread[job.path]
            if listed is not None:
                entries[job.path] = listed
        filled = []
        for job in jobs:
            problems: list[Problem] = []
            source = self._read(job.path, entries, problems)
            if source is None:
                refused = functools.partial(_refused, tuple(problems))
                filled.append(job._replace(blob="", read=refused))
                continue
            if self.keep:
                self.raw[job.path] = source.raw
            filled.append(job._replace(blob=blob_sha(source.raw), raw=source.raw))
        return filled

    def _read(
        self, path: str, entries: dict[str, os.DirEntry[str]], problems: list[Problem]
    ) -> SourceFile | None:
        """One file read under the walk's rules: by its folder entry where there is one (a
        scan of its folder), else by its name."""
        from coopctl.registry import read_listed, read_path

        entry = entries.get(path)
        if entry is None:
            return read_path(self.root, path, problems)
        return read_listed(entry, path, self.root, problems)

    def _entries(self, folders: Iterable[str]) -> dict[str, os.DirEntry[str]]:
        """The folder entries of these folders, by root-relative path (one scan each)."""
        entries: dict[str, os.DirEntry[str]] = {}
        for folder in folders:
            try:
                with os.scandir(self.root / folder) as scanned:
                    entries.update((f"{folder}/{entry.name}", entry) for entry in scanned)
            except OSError:
                continue  # each file of it is read by its name, and says why it cannot be
        return entries

    def raw_of(self, path: str) -> bytes | None:
        raw = self.raw.get(path)
        if raw is None and (path in self.unread or path in self.listed):
            return _read_again(self.root, path)
        return raw


def _refused(given: tuple[Problem, ...], problems: list[Problem]) -> SourceFile | None:
    """A `FileJob.read` for a file that could not be read: the reasons, no file."""
    problems.extend(given)
    return None


def _read_again(root: Path, path: str) -> bytes | None:
    """A file's bytes, read again (under the same rules) to locate or show its problems."""
    from coopctl.registry import read_again

    return read_again(root, path)


def revision_files(store: GitStore, rev: str) -> Files:
    """The files of a git revision; nothing is listed or read until it is needed."""
    from coopctl.registry import kind_of_path

    sha = store.resolve(rev)
    blobs: dict[str, str] = {}

    def listing() -> tuple[list[FileJob], list[Problem]]:
        listed, refusals = store.revision_files(sha)
        blobs.update(listed)
        jobs = [FileJob(p, kind, b) for p, b in listed if (kind := kind_of_path(p)) is not None]
        return jobs, refusals

    def raw_of(path: str) -> bytes | None:
        if not blobs:
            listing()
        blob = blobs.get(path)
        return None if blob is None else store.read_blobs([blob]).get(blob)

    def fetch(jobs: Sequence[FileJob]) -> list[FileJob]:
        contents = store.read_blobs(job.blob for job in jobs)
        return [job._replace(raw=contents.get(job.blob, b"")) for job in jobs]

    return Files(listing, raw_of, fetch, f"tree:{store.registry_tree(sha)}")


@dataclass(frozen=True)
class Outcome:
    """The problems of a set of files, the entities counted by kind, and the facts when they
    had to be gathered (None when a recent run with the same files was remembered)."""

    problems: list[Problem]
    counts: dict[str, int]
    files: int
    facts: list[FileFacts] | None
    stats: Stats


@_without_cyclic_gc
def outcome(
    files: Files, examiner: Examiner, cache: FactCache, workers: int | None = None
) -> Outcome:
    """Every problem of `files`: remembered if a recent run saw exactly these contents on this
    day, else from the facts of each file (cached, or examined now)."""
    if files.identity is not None:
        key = cache.run_key([("", files.identity)], [])
    else:
        key = cache.run_key(map(_PATH_AND_BLOB, files.jobs), files.refusals)
    remembered = cache.last_run(key) if cache.enabled else None
    if remembered is not None:
        problems, counts, count = remembered
        return Outcome(problems, counts, count, None, Stats(count, remembered=True))
    stats = Stats()
    facts = gather_facts(files.jobs, examiner, cache, workers, files.fetch, stats)
    problems = collect_problems(facts, files.refusals, files.raw_of)
    counts = dict(Counter(f.kind for f in facts if f.loaded))
    cache.save()
    read = sum(not f.refused for f in facts)
    cache.remember_run(key, problems, counts, read)
    return Outcome(problems, counts, read, facts, stats)


# --- worker processes ---------------------------------------------------------------------------

# (path, bytes or the function that reads them, kind)
Work = tuple[str, bytes | Callable[[list[Problem]], SourceFile | None], str]


def _examine(
    examiner: Examiner, path: str, raw: bytes | Callable[..., Any], kind: str
) -> FileFacts:
    if not callable(raw):
        return examiner.examine(path, raw, kind)
    refusals: list[Problem] = []
    source = raw(refusals)
    if source is None:
        return FileFacts(path, kind, False, problems=tuple(refusals), refused=True)
    return examiner.examine(path, source.raw, kind)


def examine_all(
    examiner: Examiner, work: Sequence[Work], workers: int | None = None
) -> tuple[list[FileFacts], int]:
    """Examine (path, bytes, kind) items; also says how many processes did. Worker processes
    are forked, so they share what the parent has loaded (schemas, the Gemeindeverzeichnis,
    the bytes) and send back only facts, as plain tuples (they cross the process boundary
    twice as fast)."""
    from coopctl.forking import forked_map, processes_for

    processes = processes_for(len(work), workers)
    # Examining makes many small objects and keeps few: the cyclic garbage collector would
    # walk them all again and again (and, in forked workers, copy the pages it touches).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if processes <= 1:
            return [_examine(examiner, *item) for item in work], 1
        examiner.prepare(kind for _, _, kind in work)
        gc.freeze()
        parts = forked_map(lambda i: _examine(examiner, *work[i]).fields(), len(work), processes)
        return [FileFacts(*fields) for fields in parts], processes
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()


# --- problems -------------------------------------------------------------------------------------


def collect_problems(
    facts: Sequence[FileFacts],
    file_problems: Iterable[Problem],
    raw_of: Callable[[str], bytes | None],
) -> list[Problem]:
    """Every problem: files refused, problems inside files, problems between files (located
    here, reading a file's bytes only when it has such a problem)."""
    from coopctl.checks import registry_problems

    problems = list(file_problems)
    for fact in facts:
        problems.extend(fact.problems)
    between: dict[str, list[Problem]] = defaultdict(list)
    for found in registry_problems(list(facts)):
        between[found.path].append(found)
    for path, group in between.items():
        problems.extend(locate_in(group, raw_of(path)))
    return problems
