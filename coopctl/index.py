"""The registry index: the data of each file as the read commands use it, kept by blob sha.

`list`, `show`, `report` and `export` need every file's data, shaped as the schemas allow
(`coopctl.shape`). Parsing YAML is by far the dearest part of that, and most files are the
same from one run to the next. The index keeps, for each file content, what loading it gave:
the shaped data (as JSON) or the problems that kept it from loading, and the values left out.
A run looks up every file by its key (blob sha, kind and file name, as the fact cache does:
a file's data depends on nothing else) and parses only the files whose bytes it has not seen.

`diff` and `history` compare revisions: they need each blob's parsed YAML, not shaped. The
index keeps that too, by blob sha, for each blob that parsed without a problem (`parsed`), so
that a diff parses only the blobs no earlier run saw.

It is one SQLite file per registry root, coopctl code, schemas and language, in the cache folder
(`coopctl.cachedir`), under the fact cache's rules: never inside the registry or a git work
tree; opened only when it and its folder are this user's own and nobody else can write them;
a damaged index (not SQLite, a table of another shape, a row that does not decode) is never
trusted: the row is a miss, the file is removed and made again. Anything that stops the index
from being written only makes the next run parse again. `--no-cache` neither reads nor writes it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from coopctl import __version__
from coopctl.cache import _problem_from_json as problem_from_json
from coopctl.cache import _problem_to_json as problem_to_json
from coopctl.cachedir import _private as is_private
from coopctl.cachedir import _private_folder as private_folder
from coopctl.cachedir import cache_directory, code_digest
from coopctl.i18n import language
from coopctl.model import Problem

# 2: rows with a rowid (large rows in a WITHOUT ROWID table read slowly); 3: links;
# 5: sets of keys all of whose rows are there, with their unclean keys; 6: parsed blobs
FORMAT = 6
_CHUNK = 4000  # keys per query (SQLite allows 32,766 parameters)
# Rows kept besides those of the last run: enough for a few branches or revisions.
SPARE_ROWS = 100_000
SETS_KEPT = 16  # the last sets of keys known complete (a few branches or revisions)

Row = tuple[Any, list[Problem]]  # (shaped data or None, problems of loading and shaping)
Reduce = Callable[[dict[str, Any]], dict[str, Any]]  # the part of a file's data a command uses
Link = tuple[str, str, str]  # (IS or NAMES, kind, id): the id a file is, or one it names
IS, NAMES = "is", "names"


class EntityIndex:
    """Rows by entry key, read in batches and written back at the end of a run."""

    def __init__(self, root: Path, schema_digest: str, *, enabled: bool = True) -> None:
        identity = hashlib.sha256(
            f"{root.resolve()}\0{__version__}\0{code_digest()}\0{schema_digest}\0"
            f"{language()}".encode("utf-8", "surrogateescape")
        )
        directory = cache_directory(root) if enabled else None
        self.path = None if directory is None else directory / f"index-{identity.hexdigest()[:24]}"
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str | None, str, int]] = []
        self._links: list[tuple[str, str, str, str]] = []
        self._used: set[str] = set()
        self._parsed: list[tuple[str, str]] = []  # (blob sha, data JSON) to write
        self._parsed_used: set[str] = set()
        self._wrote = False  # rows were written before `save` (`flush`)
        self.hits = 0

    # --- opening ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            self._db = _open(self.path)
            if self._db is None:
                self.path = None  # not this run
        return self._db

    # --- reading ------------------------------------------------------------------------------

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[str | None, str]]:
        """The stored (data JSON, problems JSON) of those keys the index has."""
        db = self._connection()
        if db is None or not keys:
            return {}
        found: dict[str, tuple[str | None, str]] = {}
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT key, data, notes FROM files WHERE key IN ({marks})"
                for key, data, notes in db.execute(query, [_stored(k) for k in chunk]):
                    if isinstance(key, str) and isinstance(notes, str) and _text_or_none(data):
                        found[_given(key)] = (data, notes)
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        self._used.update(found)
        return found

    def rows(
        self,
        keys: Sequence[str],
        paths: Sequence[str],
        reduce: Sequence[Reduce | None] | None = None,
    ) -> list[Row | None]:
        """The rows of `keys` (decoded for the files at `paths`), None where the index has
        none or its row does not decode; where `reduce` gives a function for a key, its data
        is what that function makes of it. The rows are read and decoded a few thousand at a
        time, each batch as one JSON array (so that the keys of the mappings, "type", "date",
        ..., are one string each, not one per file, and the work is one call instead of one
        per file), and reduced before the next batch is read: only the data a command uses
        is ever held for all files at once."""
        rows: list[Row | None] = []
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            stored = self.get_many([key for key in chunk if key])
            found = [stored.get(key) if key else None for key in chunk]
            del stored
            texts = [row[0] for row in found if row is not None and row[0] is not None]
            decoded = decode_all(texts)
            del texts
            for offset, row in enumerate(found):
                if row is None:
                    rows.append(None)
                    continue
                data_text, notes_text = row
                data = None
                if data_text is not None:
                    data = next(decoded) if decoded is not None else _decode_one(data_text)
                    how = None if reduce is None else reduce[start + offset]
                    if how is not None and isinstance(data, dict):
                        data = how(data)
                rows.append(self._row(data_text, data, notes_text, paths[start + offset]))
        return rows

    def _row(self, text: str | None, data: Any, notes_text: str, path: str) -> Row | None:
        if text is not None and not isinstance(data, dict):
            return None
        try:
            notes = (
                []
                if notes_text == "[]"
                else [problem_from_json(path, item) for item in json.loads(notes_text)]
            )
        except (TypeError, ValueError, KeyError, IndexError, RecursionError):
            return None
        self.hits += 1
        return data, notes

    # --- writing ------------------------------------------------------------------------------

    def put(
        self,
        key: str,
        data: Any,
        problems: Sequence[Problem],
        links: Iterable[Link] = (),
        text: str | None = None,
    ) -> bool:
        """Keep what loading one file gave, with the id it is and the ids it names (`text`:
        the data as `as_json` gives it, if made already); not when the data would not come
        back the same from JSON (a key that is not text, a value JSON has no type for).
        Whether it is kept."""
        if self.path is None:
            return False
        if data is not None and text is None:
            text = as_json(data)
            if text is None:
                return False
        notes = json.dumps([problem_to_json(p) for p in problems])  # ASCII, as `as_json`
        clean = int(data is not None and not problems)
        self._pending.append((_stored(key), text, notes, clean))
        self._links.extend((_stored(key), role, kind, _stored(i)) for role, kind, i in links)
        self._used.add(key)
        return True

    # --- parsed files, for diff and history -----------------------------------------------------

    def parsed(self, blobs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """blob sha -> the mapping that parsing its bytes gave, for those of `blobs` that an
        earlier run parsed without a problem (`put_parsed`)."""
        wanted = sorted(set(blobs))
        if not wanted or self._connection() is None:
            return {}
        query = "SELECT blob, data FROM parsed WHERE blob IN ({})"
        rows = [(b, t) for b, t in self._rows(query, wanted) if type(b) is str and type(t) is str]
        decoded = decode_all([text for _blob, text in rows])
        found: dict[str, dict[str, Any]] = {}
        for blob, text in rows:
            data = next(decoded) if decoded is not None else _decode_one(text)
            if isinstance(data, dict):
                found[blob] = data
        self._parsed_used.update(wanted)
        return found

    def put_parsed(self, blob: str, data: dict[str, Any]) -> None:
        """Keep what parsing the blob `blob` gave, a mapping, when JSON gives it back as it
        is (written by `save`)."""
        if self.path is None:
            return
        text = as_json(data)
        if text is not None:
            self._parsed.append((blob, text))
            self._parsed_used.add(blob)

    # --- the neighbourhood of one entity ------------------------------------------------------

    def present(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` the index has a row for (nothing decoded: all keys are read from
        the key index, which is faster than asking for each)."""
        stored = set(self._all("SELECT key FROM files"))
        return {key for key in keys if _stored(key) in stored}

    def unclean(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys` whose file did not load or had values left out."""
        stored = set(self._all("SELECT key FROM files WHERE clean = 0"))
        return {key for key in keys if _stored(key) in stored}

    def complete(self, keys: Sequence[str]) -> set[str] | None:
        """When the index has a row and the links of each of `keys` (as a run that listed
        exactly these files found), the unclean ones among them; else None. One query
        instead of looking up every key."""
        db = self._connection()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT unclean FROM sets WHERE digest = ?", (_digest(keys),)
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        try:
            unclean = json.loads(row[0]) if row is not None else None
        except (TypeError, ValueError, RecursionError):
            return None
        if not isinstance(unclean, list) or not all(isinstance(k, str) for k in unclean):
            return None
        self._used.update(keys)
        return {_given(key) for key in unclean}

    def remember_complete(self, keys: Sequence[str], unclean: set[str]) -> None:
        """Note that every one of `keys` has its row and links, `unclean` those of them whose
        file did not load or had values left out (after `flush`)."""
        db = self._connection()
        if db is None:
            return
        stored = json.dumps(sorted(_stored(key) for key in unclean))
        digest = _digest(keys)
        try:
            known = db.execute("SELECT unclean FROM sets WHERE digest = ?", (digest,)).fetchone()
            if known == (stored,):
                return
            with db:
                db.execute("INSERT OR REPLACE INTO sets VALUES (?, ?)", (digest, stored))
                db.execute(
                    "DELETE FROM sets WHERE rowid NOT IN"
                    " (SELECT rowid FROM sets ORDER BY rowid DESC LIMIT ?)",
                    (SETS_KEPT,),
                )
        except sqlite3.Error as exc:
            self._failed(exc)

    def _all(self, query: str) -> list[str]:
        db = self._connection()
        if db is None:
            return []
        try:
            return [key for (key,) in db.execute(query)]
        except sqlite3.Error as exc:
            self._failed(exc)
            return []

    def keys_linked(self, role: str, targets: Iterable[tuple[str, str]]) -> set[str]:
        """The keys of the files that are (IS) or name (NAMES) any of these (kind, id)."""
        db = self._connection()
        found: set[str] = set()
        if db is None:
            return found
        try:
            for kind, entity_id in set(targets):
                query = "SELECT key FROM links WHERE kind = ? AND id = ? AND role = ?"
                rows = db.execute(query, (kind, _stored(entity_id), role))
                found.update(_given(key) for (key,) in rows)
        except sqlite3.Error as exc:
            self._failed(exc)
        return found

    def links_of(self, keys: Sequence[str]) -> list[Link]:
        """The links of these files."""
        query = "SELECT role, kind, id FROM links WHERE key IN ({})"
        stored = [_stored(key) for key in keys]
        return [(role, kind, _given(i)) for role, kind, i in self._rows(query, stored)]

    def _rows(self, query: str, keys: Sequence[str]) -> list[tuple[Any, ...]]:
        db = self._connection()
        if db is None:
            return []
        try:
            return [
                row
                for start in range(0, len(keys), _CHUNK)
                for row in db.execute(
                    query.format(",".join("?" * len(keys[start : start + _CHUNK]))),
                    keys[start : start + _CHUNK],
                )
            ]
        except sqlite3.Error as exc:
            self._failed(exc)
            return []

    def flush(self) -> None:
        """Write the rows added so far (so that the queries above see them)."""
        db = self._connection() if self._pending else None
        if db is None:
            return
        try:
            with db:
                self._write(db)
            self._wrote = True
        except sqlite3.Error as exc:
            self._failed(exc)

    def _write(self, db: sqlite3.Connection) -> None:
        keys = [(row[0],) for row in self._pending]
        db.executemany("DELETE FROM links WHERE key = ?", keys)
        db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", self._pending)
        db.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", self._links)
        self._pending, self._links = [], []

    def save(self) -> None:
        """Write the new rows, and drop old ones beyond what the last run used plus a margin."""
        db = self._connection() if self._pending or self._parsed else self._db
        if db is None:
            return
        try:
            with db:
                if self._pending or self._wrote:
                    self._write(db)
                    self._prune(db)
                if self._parsed:
                    db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)", self._parsed)
                    self._prune_parsed(db)
        except sqlite3.Error as exc:
            self._failed(exc)
        finally:
            self._pending, self._links, self._parsed = [], [], []
            if self._db is not None:
                self._db.close()
                self._db = None

    def _prune(self, db: sqlite3.Connection) -> None:
        (count,) = db.execute("SELECT count(*) FROM files").fetchone()
        if count <= len(self._used) + SPARE_ROWS:
            return
        db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
        used = ((_stored(key),) for key in self._used)
        db.executemany("INSERT OR IGNORE INTO used VALUES (?)", used)
        db.execute("DELETE FROM files WHERE key NOT IN (SELECT key FROM used)")
        db.execute("DELETE FROM links WHERE key NOT IN (SELECT key FROM used)")
        db.execute("DELETE FROM sets")  # rows they name may be gone
        db.execute("DROP TABLE used")

    def _prune_parsed(self, db: sqlite3.Connection) -> None:
        (count,) = db.execute("SELECT count(*) FROM parsed").fetchone()
        if count <= len(self._parsed_used) + SPARE_ROWS:
            return
        db.execute("CREATE TEMP TABLE used (blob TEXT PRIMARY KEY)")
        db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((b,) for b in self._parsed_used))
        db.execute("DELETE FROM parsed WHERE blob NOT IN (SELECT blob FROM used)")
        db.execute("DROP TABLE used")

    def _failed(self, error: sqlite3.Error) -> None:
        """The index is not used again in this run; a damaged one is removed too (the next
        run makes a new one), one another run holds locked is left to it."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self.path is not None and _damaged(error):
            _remove(self.path)
        self.path = None


def _open(path: Path) -> sqlite3.Connection | None:
    """The index at `path`, made if missing; None unless it is this user's own and sound."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not private_folder(folder):
        return None
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError:
        return None
    if info is not None and not is_private(info, stat.S_ISREG):
        return None  # a link, someone else's file: neither used nor touched
    if info is None and not _create(path):
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=2.0)
    except sqlite3.Error:
        return None
    try:
        if _sound(db):
            return db
    except sqlite3.Error as exc:
        if not _damaged(exc):  # locked by another run, say: not this time
            db.close()
            return None
    db.close()
    _remove(path)
    return _open(path) if _create(path) else None


def _damaged(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file is not a database or is corrupt (not merely busy)."""
    return getattr(error, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    )


def _create(path: Path) -> bool:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        os.close(os.open(path, flags, 0o600))
    except OSError:
        return False
    return True


def _sound(db: sqlite3.Connection) -> bool:
    """Whether the file holds an index of this format (an empty file becomes one)."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        with db:
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
            db.execute(
                "CREATE TABLE files (key TEXT PRIMARY KEY, data TEXT, notes TEXT NOT NULL,"
                " clean INTEGER NOT NULL)"
            )
            db.execute(
                "CREATE TABLE links (key TEXT NOT NULL, role TEXT NOT NULL, kind TEXT NOT NULL,"
                " id TEXT NOT NULL)"
            )
            db.execute("CREATE TABLE sets (digest TEXT PRIMARY KEY, unclean TEXT NOT NULL)")
            db.execute("CREATE TABLE parsed (blob TEXT PRIMARY KEY, data TEXT NOT NULL)")
            db.execute("CREATE INDEX files_unclean ON files (key) WHERE clean = 0")
            db.execute("CREATE INDEX links_by_id ON links (kind, id, role)")
            db.execute("CREATE INDEX links_by_key ON links (key)")
            db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT),))
        return True
    if tables != {"meta", "files", "links", "sets", "parsed"}:
        return False
    row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
    files = [column[1] for column in db.execute("PRAGMA table_info(files)")]
    links = [column[1] for column in db.execute("PRAGMA table_info(links)")]
    sets = [column[1] for column in db.execute("PRAGMA table_info(sets)")]
    parsed = [column[1] for column in db.execute("PRAGMA table_info(parsed)")]
    return (
        row == (str(FORMAT),)
        and files == ["key", "data", "notes", "clean"]
        and links == ["key", "role", "kind", "id"]
        and sets == ["digest", "unclean"]
        and parsed == ["blob", "data"]
    )


def _remove(path: Path) -> None:
    for name in (path, path.with_name(path.name + "-journal")):
        try:
            if is_private(os.lstat(name), stat.S_ISREG):
                name.unlink()
        except OSError:
            pass


def as_json(data: Any) -> str | None:
    """The data as the index keeps it, or None when JSON would not give it back as it is."""
    if not _json_exact(data):
        return None
    return json.dumps(data, allow_nan=False)  # ASCII: a lone surrogate is written \udcff


def _json_exact(value: Any) -> bool:
    """Whether `value` reads back from JSON as it is: text keys, and only JSON's types."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if any(type(key) is not str for key in item):
                return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif kind not in (str, int, bool) and item is not None:
            return False
    return True


def _stored(text: str) -> str:
    """A key or id as the index stores it: as it is when ASCII, else `~` and the text as a
    JSON string, which is ASCII (a file name that is not UTF-8 holds lone surrogates, which
    SQLite cannot take). ASCII text that starts with `~` is written the second way too, so
    that no two texts are stored alike."""
    if text.isascii() and not text.startswith("~"):
        return text
    return "~" + json.dumps(text)


def _given(text: str) -> str:
    """The key or id `_stored` gave `text` for."""
    if not text.startswith("~"):
        return text
    try:
        value = json.loads(text[1:])
    except (ValueError, RecursionError):
        return text  # damaged: matches no key of a file
    return value if isinstance(value, str) else text


def _digest(keys: Sequence[str]) -> str:
    """One text for a list of keys, in their order (as a JSON array, which is ASCII and
    tells any two lists apart)."""
    return hashlib.sha256(json.dumps(list(keys)).encode("ascii")).hexdigest()


def _text_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def decode_all(texts: list[str]) -> Iterator[Any] | None:
    """The values of `texts`, decoded together, or None when that fails or gives another
    number of values (a damaged row: each is then decoded alone)."""
    if not texts:
        return iter(())
    try:
        values: list[Any] = json.loads("[" + ",".join(texts) + "]")
    except (ValueError, RecursionError):
        return None
    if not isinstance(values, list) or len(values) != len(texts):
        return None
    return iter(values)


def _decode_one(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
