"""One way to get a Registry for any command: the working tree, or a git revision.

Query, report, export, diff and check all call `load_snapshot`, so "--rev" means the same
thing everywhere. Reading a revision happens in `gitstore` (the only module that talks to git).

    files (path, kind, blob sha; bytes only when they had to be read)   pipeline.Files
      -> each file's shaped data from the index, by blob sha            index.EntityIndex
      -> the rest read, parsed and shaped, and added to the index
      -> the Registry; a file's bytes are read again only when asked for (Registry.raw)
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopctl.model import Entity, Problem
from coopctl.registry import Registry, build_entities, id_of
from coopctl.yamlio import YamlReader

# Files read and parsed at a time when the index lacks them (with worker processes, each
# batch is split between them): what the batch holds is held for a part of the files only.
# At 60,000 files, 4,000 a time peaked 30 MB below 8,000 a time, in about the same time.
BATCH = 4000

if TYPE_CHECKING:
    from coopctl.index import Link, Reduce, Row
    from coopctl.pipeline import FileJob
    from coopctl.schemas import SchemaSet


def load_snapshot(
    root: Path,
    rev: str | None = None,
    reader: YamlReader | None = None,
    *,
    cache: bool = True,
    reduce: Mapping[str, Reduce] | None = None,
) -> Registry:
    """The registry at `root` as it is on disk (`rev` None) or as it was at revision `rev`
    (a branch, tag, sha or expression such as HEAD~3), with only the values of the shape
    the schemas allow (the others in `skipped`). A revision that does not exist, or a
    root outside any git repository, is a UsageError naming it. With `cache`, each file's
    data comes from the index when its bytes were seen before. With `reduce`, an entity of
    a kind it names keeps only what its function makes of the data (what a command reads:
    `relations.for_relations`, `report.data.for_report`), made as each file is decoded or
    parsed, so that no more is ever held for all files at once."""
    with _Snapshot(root, rev, reader, cache, reduce) as snapshot:
        return snapshot.registry(range(len(snapshot.jobs)))


def load_around(
    root: Path, rev: str | None, kinds: Sequence[str], entity_id: str, *, cache: bool = True
) -> Registry | None:
    """The part of the registry that `show` needs for the entity `entity_id` of one of
    `kinds`: the entities of that id, those they name, those that name them and those these
    name (for a solution also what names its users), and every file that did not load or
    had values left out. None when the index cannot say (`--no-cache`, or no such entity):
    then the whole registry answers. Views of the entity are the same on both."""
    with _Snapshot(root, rev, None, cache) as snapshot:
        return snapshot.around(kinds, entity_id)


class _Snapshot:
    """The files of the working tree or of a revision, their keys and the index."""

    def __init__(
        self,
        root: Path,
        rev: str | None,
        reader: YamlReader | None,
        cache: bool,
        reduce: Mapping[str, Reduce] | None = None,
    ):
        from coopctl.cache import entry_key
        from coopctl.index import EntityIndex
        from coopctl.pipeline import revision_files, working_tree_files
        from coopctl.schemas import load_schemas

        self.root = root
        self.schemas = load_schemas(root / "schemas")
        if rev is None:
            self.files = working_tree_files(root, keep=False)
        else:
            from coopctl.gitstore import GitStore

            self.files = revision_files(GitStore(root, reader), rev)
        self.reader = reader or YamlReader()
        self.index = EntityIndex(root, self.schemas.digest, enabled=cache)
        self.jobs = self.files.jobs
        self.keys = [entry_key(j.blob, j.kind, j.path) if j.blob else "" for j in self.jobs]
        self.known: dict[str, bytes] = {}
        self.unindexed = 0  # files parsed whose rows the index did not take
        self._collecting = gc.isenabled()
        self.reduce: Mapping[str, Reduce] = reduce or {}

    def __enter__(self) -> _Snapshot:
        # Loading makes millions of small objects that live as long as the command: the
        # cyclic garbage collector would walk them again and again while they are made, and
        # in every collection after. They are made with it off, then left out of its walks.
        gc.disable()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.index.save()
        gc.freeze()
        if self._collecting:
            gc.enable()

    def registry(
        self, chosen: Iterable[int], parsed: Mapping[int, Row | None] | None = None
    ) -> Registry:
        """The Registry of the chosen files (by position in `jobs`); every file counts in
        `raw`. Rows come from `parsed`, then the index, then the files themselves."""
        chosen = list(chosen)
        parsed = dict(parsed or {})
        wanted = [i for i in chosen if i not in parsed]
        stored = self.index.rows(
            [self.keys[i] for i in wanted],
            [self.jobs[i].path for i in wanted],
            [_from_index(self.reduce.get(self.jobs[i].kind)) for i in wanted],
        )
        rows = dict(zip(wanted, stored, strict=True))
        rows.update(self._parse_missing([i for i in wanted if rows[i] is None]))
        rows.update(parsed)
        if len(rows) == len(self.jobs) and not self.unindexed:
            self._remember_complete(rows)
        entities: list[Entity] = []
        load_problems: list[Problem] = list(self.files.refusals)
        skipped: list[Problem] = []
        for i in chosen:
            row, job = rows[i], self.jobs[i]
            if row is None:  # could not be read after all: refused when read
                continue
            data, notes = row
            if data is None:
                load_problems.extend(notes)
                continue
            entities.append(
                Entity(job.kind, id_of(data, job.path), job.path, data, job.blob or None)
            )
            skipped.extend(notes)
        raw = LazyBytes([job.path for job in self.jobs], self.known, self.files.raw_of)
        blobs = {job.path: job.blob for job in self.jobs if job.blob}
        return build_entities(self.root, entities, load_problems, raw, skipped, blobs)

    def _remember_complete(self, rows: Mapping[int, Row | None]) -> None:
        """Tell the index that it holds the rows of all the files listed (for `show`)."""
        if self.index.path is None:
            return
        self.index.flush()
        unclean = {
            self.keys[i]
            for i, row in rows.items()
            if self.keys[i] and (row is None or row[0] is None or row[1])
        }
        self.index.remember_complete([key for key in self.keys if key], unclean)

    def _parse_missing(self, positions: Sequence[int]) -> dict[int, Row | None]:
        """Read, parse and shape these files (in worker processes when there are many), and
        keep what they gave in the index. They go a batch at a time: the bytes, the results
        the workers send back and the rows for the index are held for one batch, not for
        every file at once."""
        found: dict[int, Row | None] = {}
        for start in range(0, len(positions), BATCH):
            found.update(self._parse_batch(positions[start : start + BATCH]))
        return found

    def _parse_batch(self, positions: Sequence[int]) -> dict[int, Row | None]:
        from coopctl.forking import MIN_ITEMS_PER_WORKER, forked_map
        from coopctl.index import decode_all

        self._fetch(positions)
        if len(positions) >= 2 * MIN_ITEMS_PER_WORKER:  # load once what workers would each load
            from coopctl.ecma import format_checker

            format_checker()
            self.reader.prepare()
            for kind in {self.jobs[i].kind for i in positions}:
                self.schemas.is_valid(kind, {})  # the compiled schema

        def load(n: int) -> tuple[Any, list[Problem], list[Link] | None, str | None]:
            job = self.jobs[positions[n]]
            return _load(
                *self._bytes(positions[n]),
                self.schemas,
                self.reader,
                reduce=self.reduce.get(job.kind),
            )

        loaded = forked_map(load, len(positions))
        # The data comes back as JSON (what the index keeps), decoded here as one array:
        # the field names of all files are then one string each, as in a warm run, not one
        # per mapping as the YAML reader made them.
        texts = [text for _data, _notes, _links, text in loaded if text is not None]
        decoded = decode_all(texts)
        found: dict[int, Row | None] = {}
        for i, result in zip(positions, loaded, strict=True):
            data, notes, links, text = result
            how = self.reduce.get(self.jobs[i].kind)
            if text is not None:
                data = next(decoded) if decoded is not None else json.loads(text)
                if how is not None:
                    data = how(data)
            found[i] = (data, notes)
            # a refusal is no fact of the blob; reduced data is not what the file holds
            whole = text is not None or data is None or how is None
            if not (
                self.keys[i]
                and links is not None
                and whole
                and self.index.put(self.keys[i], data, notes, links, text)
            ):
                self.unindexed += 1
            if self.jobs[i].raw is not None:  # read again from the files when asked for
                self.jobs[i] = self.jobs[i]._replace(raw=None)
        del loaded
        self.index.flush()
        return found

    def _fetch(self, positions: Sequence[int]) -> None:
        """Bytes for the files listed without them, in one go (`Files.fetch`). A file may come
        back under another blob sha (its bytes are not what git's index said): its key follows."""
        from coopctl.cache import entry_key

        unread = [i for i in positions if self.jobs[i].raw is None and self.jobs[i].read is None]
        if not unread or self.files.fetch is None:
            return
        for i, job in zip(unread, self.files.fetch([self.jobs[i] for i in unread]), strict=True):
            self.jobs[i] = job
            self.keys[i] = entry_key(job.blob, job.kind, job.path) if job.blob else ""

    def _bytes(self, i: int) -> tuple[FileJob, bytes | None, list[Problem]]:
        """A file's job, its bytes (None when it cannot be read) and why it cannot."""
        job, problems = self.jobs[i], list[Problem]()
        raw = job.raw
        if raw is None and job.read is not None:
            source = job.read(problems)
            raw = None if source is None else source.raw
        return job, raw, problems

    def around(self, kinds: Sequence[str], entity_id: str) -> Registry | None:
        from coopctl.index import IS, NAMES

        if self.index.path is None:
            return None
        # A run that listed exactly these files left all their rows and links in the index:
        # one query says so, and which of them are unclean. Else every key is looked up.
        unclean = self.index.complete([key for key in self.keys if key])
        parsed: dict[int, Row | None] = {}
        if unclean is None:
            seen = self.index.present([key for key in self.keys if key])
            self.unindexed = 0
            parsed = self._parse_missing([i for i, key in enumerate(self.keys) if key not in seen])
            self.index.flush()
            listed = [key for key in self.keys if key]
            unclean = self.index.unclean(listed)
            if not self.unindexed and self.index.path is not None:
                self.index.remember_complete(listed, unclean)
        position = dict(zip(self.keys, range(len(self.keys)), strict=True))
        position.pop("", None)
        if self.index.path is None:  # the index failed meanwhile
            return None
        index = self.index

        def named_by(keys: set[str]) -> set[tuple[str, str]]:
            return {(kind, i) for role, kind, i in index.links_of(sorted(keys)) if role == NAMES}

        def live(keys: set[str]) -> set[str]:
            return {key for key in keys if key in position}

        targets = live(index.keys_linked(IS, ((kind, entity_id) for kind in kinds)))
        if not targets:
            return None
        ids = {(kind, entity_id) for kind in kinds}
        naming = live(index.keys_linked(NAMES, ids))  # what names the entity
        named = named_by(targets)  # what it names
        ids |= named | named_by(naming)
        if any(self.jobs[position[k]].kind == "solution" for k in targets):
            users = {(kind, i) for kind, i in named if kind == "partner"}
            naming |= live(index.keys_linked(NAMES, users))
        chosen = targets | naming | live(index.keys_linked(IS, ids))
        # every file that claims one of the ids chosen, so that an id means the same file
        claimed = {(kind, i) for role, kind, i in index.links_of(sorted(chosen)) if role == IS}
        chosen |= live(index.keys_linked(IS, claimed))
        chosen |= unclean
        chosen |= {self.keys[i] for i in parsed if self.keys[i]}
        keyless = [i for i, key in enumerate(self.keys) if not key]
        return self.registry(sorted([position[k] for k in chosen] + keyless), parsed)


def _from_index(how: Reduce | None) -> Reduce | None:
    """What is made of a row the index gives: `how`, but for `sharing.shared` alone. Rows are
    decoded a batch at a time, the field names of a batch already one string each; sharing
    the values too paid for itself only where files are parsed (a cold run: 474 -> 336 MB for
    `list agreements` at 60k), and cost a warm `list agreements` there 40 % more time."""
    from coopctl.sharing import shared

    return None if how is shared else how


def _load(
    job: FileJob,
    raw: bytes | None,
    refusals: list[Problem],
    schemas: SchemaSet,
    reader: YamlReader,
    *,
    reduce: Reduce | None = None,
) -> tuple[Any, list[Problem], list[Link] | None, str | None]:
    """What loading one file gives: its shaped data (reduced by `reduce`; None when the
    file did not load or when the data is given as JSON) and the problems that kept it
    from loading; the values left out (located); its links (None when the file could not be
    read at all); and its data as JSON, as the index keeps it (None when JSON would not give
    it back as it is)."""
    from coopctl.facts import references_of
    from coopctl.index import IS, NAMES, as_json
    from coopctl.shape import shape_entity

    if raw is None:
        return None, refusals, None, None
    result = reader.load(raw, job.path)
    if result.data is None:  # the warnings of a file that loads are for validate
        return None, list(result.problems), [], None
    entity_id = id_of(result.data, job.path)
    entity = Entity(job.kind, entity_id, job.path, result.data, job.blob or None)
    entity, notes = shape_entity(schemas, entity, raw)
    links: list[Link] = [(IS, job.kind, entity.id)]
    links.extend((NAMES, kind, value) for kind, value, _pointer in references_of(entity, schemas))
    text = as_json(entity.data)
    if text is not None:
        return None, notes, links, text
    return (entity.data if reduce is None else reduce(entity.data)), notes, links, None


class LazyBytes(Mapping[str, bytes]):
    """The bytes of a snapshot's files by path: those already read, the others read (or
    fetched from git) when first asked for, to locate a problem or hash the contents."""

    def __init__(
        self, paths: Sequence[str], known: dict[str, bytes], read: Callable[[str], bytes | None]
    ) -> None:
        self._paths = list(dict.fromkeys(paths))
        self._set = frozenset(self._paths)
        self._known = known
        self._read = read

    def __getitem__(self, path: str) -> bytes:
        if path not in self._set:
            raise KeyError(path)
        raw = self._known.get(path)
        if raw is None:
            raw = self._read(path)
            if raw is None:
                raise KeyError(path)
            self._known[path] = raw
        return raw

    def __contains__(self, path: object) -> bool:
        return path in self._set

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)
