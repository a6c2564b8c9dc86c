"""The result cache: the facts of each file, keyed by its git blob sha.

One JSON file per registry root, coopctl version and schema hash, in the cache folder
(`coopctl.cachedir`: never inside the registry or its git work tree, and only files this
user alone can have written are read). Inside, an entry per file content is
keyed by blob sha, kind and file name (a file's facts depend on nothing else), so a file is
parsed and checked again only when its bytes change, and blobs that several revisions share
(`coopctl check`) are examined once.

A run that adds few entries (at most one in JOURNAL_SHARE of all) writes only those, with
those of earlier such runs, to a second file beside the first (`added-…`), so that saving
costs what the change costs; a run that adds more writes the whole set again and empties it.

Entries are only valid for the day they were made unless no date in the file could be
reported as lying in the future then or now (`latest`). The cache is JSON, never pickle;
anything malformed in it is ignored as a miss; a cache that cannot be written is skipped
silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from coopctl import __version__
from coopctl.cachedir import cache_directory, code_digest, read_private, write_private
from coopctl.facts import FileFacts
from coopctl.i18n import language
from coopctl.model import Problem, Severity

FORMAT = 2  # 2: the similarity keys of partners (FileFacts.similar)
MAX_ENTRIES = 250_000  # entries kept besides those used in the last run
RECENT_RUNS = 8  # whole-run outcomes kept
JOURNAL_SHARE = 8  # runs adding at most 1/8 of the entries write them to the `added-` file


def entry_key(blob: str, kind: str, path: str) -> str:
    return f"{blob}:{kind}:{path.rsplit('/', 1)[-1]}"


class FactCache:
    """Facts by entry key, read on first use and written back when something was added; and
    the outcome of the last whole run, for the case that nothing changed since."""

    def __init__(
        self, root: Path, schema_digest: str, today: date, *, enabled: bool = True
    ) -> None:
        self.digest = schema_digest
        self.today = today.isoformat()
        self.directory: Path | None = cache_directory(root) if enabled else None
        # The code by content, not only its version: an edited or reinstalled coopctl with the
        # same version number must not answer with what the code before it found. Messages are
        # kept in the language they were written in.
        identity = hashlib.sha256(
            f"{root.resolve()}\0{__version__}\0{code_digest()}\0{schema_digest}\0"
            f"{language()}".encode("utf-8", "surrogateescape")
        )
        self.name = identity.hexdigest()[:24]
        self._entries: dict[str, Any] | None = None if enabled else {}
        self._journal: dict[str, Any] = {}  # the entries of the `added-` file
        # The facts this run examined, in memory (all there is without a cache folder,
        # `--no-cache`): the files `check` finds unchanged between base and head are examined
        # once, and share one set of facts.
        self._memo: dict[str, FileFacts] = {}
        # The facts taken from the cache, their entries dropped from `entries` (the files
        # still hold them): at 60,000 files those lists were a sixth of what `check` held.
        self._taken: dict[str, FileFacts] = {}
        self.from_run = 0  # lookups the facts examined earlier in this run answered
        self.used: set[str] = set()
        self.new: set[str] = set()  # keys put by this run
        self.added = 0

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = self._entries_of(f"facts-{self.name}.json")
            self._journal = self._entries_of(f"added-{self.name}.json")
            self._entries.update(self._journal)
        return self._entries

    def _entries_of(self, name: str) -> dict[str, Any]:
        document = self._read(name)
        entries = document.get("entries") if document else None
        return entries if isinstance(entries, dict) else {}

    def _read(self, name: str) -> dict[str, Any] | None:
        """A cache document of this version and these schemas, or None."""
        raw = None if self.directory is None else read_private(self.directory / name)
        if raw is None:
            return None
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError):
            return None
        if (
            isinstance(document, dict)
            and document.get("format") == FORMAT
            and document.get("version") == __version__
            and document.get("schemas") == self.digest
        ):
            return document
        return None

    def _write(self, name: str, content: dict[str, Any]) -> None:
        if self.directory is None:
            return
        document = {"format": FORMAT, "version": __version__, "schemas": self.digest, **content}
        write_private(self.directory / name, json.dumps(document, separators=(",", ":")).encode())

    def get(self, key: str, path: str, kind: str) -> FileFacts | None:
        remembered = self._remembered(key, path)
        if remembered is not None or self.directory is None:
            return remembered
        taken = self._taken.get(key)
        if taken is not None:
            return _at(taken, path)
        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            facts = _facts_from_json(entry, path, kind, self.today)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            facts = None
        if facts is not None:
            self.used.add(key)
            self._taken[key] = facts
            del self.entries[key]  # on disk still: `save` reads it again if it writes all
        return facts

    def _remembered(self, key: str, path: str) -> FileFacts | None:
        facts = self._memo.get(key)
        if facts is None:
            return None
        self.from_run += 1
        return _at(facts, path)

    def put(self, key: str, facts: FileFacts) -> None:
        self._memo[key] = facts
        if self.directory is None:
            return
        self.entries[key] = _facts_to_json(facts, self.today)
        self._taken.pop(key, None)
        self.used.add(key)
        self.new.add(key)
        self.added += 1

    def save(self) -> None:
        """Write the facts back if this run added some: those used, then older ones."""
        if self.directory is None or not self.added:
            return
        entries = self.entries
        journal = {**self._journal, **{key: entries[key] for key in self.new}}
        if len(journal) * JOURNAL_SHARE <= len(entries) + len(self._taken):
            self._write(f"added-{self.name}.json", {"entries": journal})
            self._journal = journal
        else:
            self._write_all({**self._on_disk(), **entries})
        self.new.clear()
        self.added = 0

    def _on_disk(self) -> dict[str, Any]:
        """The entries of the facts taken from the cache, as its files hold them."""
        if not self._taken:
            return {}
        stored = self._entries_of(f"facts-{self.name}.json")
        stored.update(self._entries_of(f"added-{self.name}.json"))
        return {key: stored[key] for key in self._taken if key in stored}

    def _write_all(self, entries: dict[str, Any]) -> None:
        kept = {key: entries[key] for key in self.used if key in entries}
        for key, entry in entries.items():
            if len(kept) >= len(self.used) + MAX_ENTRIES:
                break
            kept.setdefault(key, entry)
        self._write(f"facts-{self.name}.json", {"entries": kept})
        if self._journal:  # now in the whole set
            self._write(f"added-{self.name}.json", {"entries": {}})
            self._journal = {}

    # --- the last run -------------------------------------------------------------------------

    def run_key(self, files: Iterable[tuple[str, str]], refusals: Iterable[Problem]) -> str:
        """What a whole run's outcome depends on: every (path, blob sha), the files refused,
        the day (the schemas and the version are part of the cache's name)."""
        digest = hashlib.sha256(self.today.encode())
        # "\0path\0blob" for each file, joined in one piece: the same bytes as one update per
        # file, in a fraction of the time for 60,000 files.
        fields = list(itertools.chain.from_iterable(files))
        if fields:
            digest.update(("\0" + "\0".join(fields)).encode("utf-8", "surrogateescape"))
        for refusal in refusals:
            digest.update(
                f"\1{refusal.path}\0{refusal.code}\0{refusal.message}".encode(
                    "utf-8", "surrogateescape"
                )
            )
        return digest.hexdigest()

    def last_run(self, key: str) -> tuple[list[Problem], dict[str, int], int] | None:
        """Problems, entity counts and files of a recent run with the same key."""
        document = self._read(f"runs-{self.name}.json")
        runs = document.get("runs") if document else None
        run = runs.get(key) if isinstance(runs, dict) else None
        if not isinstance(run, dict):
            return None
        try:
            problems = [_problem_from_json(path, item) for path, item in run["problems"]]
            counts = {str(kind): int(n) for kind, n in run["counts"].items()}
            files = int(run["files"])
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return None
        return problems, counts, files

    def remember_run(
        self, key: str, problems: list[Problem], counts: dict[str, int], files: int
    ) -> None:
        """Keep the outcome of this run beside those of a few recent ones (`coopctl check`
        runs two: the base and the head)."""
        if self.directory is None:
            return
        document = self._read(f"runs-{self.name}.json")
        runs = document.get("runs") if document else None
        kept = dict(runs) if isinstance(runs, dict) else {}
        kept.pop(key, None)
        kept[key] = {
            "problems": [[p.path, _problem_to_json(p)] for p in problems],
            "counts": counts,
            "files": files,
        }
        self._write(f"runs-{self.name}.json", {"runs": dict(list(kept.items())[-RECENT_RUNS:])})


def _at(facts: FileFacts, path: str) -> FileFacts:
    """The facts of the file at `path`. The key names the kind and the file name, so the path
    only differs in its spelling (the same file named from another registry root)."""
    if facts.path == path:
        return facts
    return dataclasses.replace(
        facts,
        path=path,
        problems=tuple(dataclasses.replace(p, path=path) for p in facts.problems),
    )


def _problem_to_json(problem: Problem) -> list[Any]:
    return [
        problem.code,
        problem.severity.value,
        problem.message,
        problem.line,
        problem.column,
        problem.pointer,
        problem.entity,
        problem.hint,
    ]


def _facts_to_json(facts: FileFacts, today: str) -> list[Any]:
    return [
        today,
        facts.latest,
        facts.loaded,
        facts.declared_id,
        facts.ars,
        [list(reference) for reference in facts.references],
        [_problem_to_json(p) for p in facts.problems],
        list(facts.similar),
        facts.dissolved,
        [list(item) for item in facts.event_dates],
    ]


def _facts_from_json(entry: list[Any], path: str, kind: str, today: str) -> FileFacts | None:
    made, latest, loaded, declared_id, ars, references, problems, similar, dissolved, dates = entry
    if made != today and latest > min(made, today):
        return None  # a date in the file may lie in the future on one day and not the other
    return FileFacts(
        path,
        kind,
        bool(loaded),
        _optional_text(declared_id),
        _optional_text(ars),
        _texts([(target, value, pointer) for target, value, pointer in references]),
        str(latest),
        tuple([_problem_from_json(path, item) for item in problems]),
        similar=_texts([(key,) for key in similar], single=True),
        dissolved=_optional_text(dissolved),
        event_dates=_texts([(pointer, day) for pointer, day in dates]),
    )


def _texts(rows: list[tuple[Any, ...]], *, single: bool = False) -> tuple[Any, ...]:
    """Rows of text, as a tuple (of the single values with `single`); TypeError if any value is
    not text. One pass in C where the cache holds tens of thousands of entries."""
    if rows and set(map(type, itertools.chain.from_iterable(rows))) != {str}:
        raise TypeError("text expected")
    return tuple([row[0] for row in rows]) if single else tuple(rows)


def _problem_from_json(path: str, item: list[Any]) -> Problem:
    code, severity, message, line, column, pointer, entity, hint = item
    return Problem(
        _text(code),
        Severity(severity),
        _text(message),
        _text(path),
        int(line),
        int(column),
        _optional_text(pointer),
        _optional_text(entity),
        _optional_text(hint),
    )


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("text expected")
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("text expected")
    return value
