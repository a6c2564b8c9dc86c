"""Finding a registry, reading its files and indexing its entities.

A registry is a folder with `registry/` (the entity files) and `schemas/` (the JSON Schemas).
Files come either from the working tree (`read_working_tree`) or, for other revisions, from
git objects; both produce `SourceFile`s, and `build_registry` turns those into an index.
"""

from __future__ import annotations

import functools
import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from coopctl.codes import new_problem
from coopctl.errors import UsageError
from coopctl.i18n import N_, _
from coopctl.model import FOLDER_OF_KIND, KIND_OF_FOLDER, KINDS, Entity, Problem, SourceFile
from coopctl.yamlio import MAX_FILE_BYTES, YamlReader, too_large

ROOT_ENV = "COOPCTL_ROOT"
REGISTRY_DIR = "registry"
SCHEMA_DIR = "schemas"
EXTENSION = ".yaml"
_ALLOWED_AT_TOP = frozenset({"README.md", "README"})
# Where a symbolic link leads that coopctl never follows, and what is said of it: the registry
# folder itself, a linked folder below it, a linked file.
_OUTSIDE, _INTO_GIT = "outside", "git"
_ESCAPES = {
    _OUTSIDE: (
        N_(
            "registry/ is a symbolic link that leads outside the registry root; "
            "nothing below it is read"
        ),
        N_("symbolic link to a folder that leads outside the registry root; not followed"),
        N_("symbolic link that leads outside the registry root; not read"),
    ),
    _INTO_GIT: (
        N_(
            "registry/ is a symbolic link that leads into git's own folder (.git); "
            "nothing below it is read"
        ),
        N_("symbolic link to a folder that leads into git's own folder (.git); not followed"),
        N_("symbolic link that leads into git's own folder (.git); not read"),
    ),
}


def is_registry_root(path: Path) -> bool:
    return (path / REGISTRY_DIR).is_dir() and (path / SCHEMA_DIR).is_dir()


def find_root(
    explicit: Path | None = None,
    start: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The registry root: `explicit` (--root), else $COOPCTL_ROOT, else the first folder from
    `start` upwards that has registry/ and schemas/."""
    environ = os.environ if environ is None else environ
    if explicit is None and environ.get(ROOT_ENV):
        explicit = Path(environ[ROOT_ENV])
    if explicit is not None:
        if not explicit.is_dir():
            raise UsageError(_("{path}: no such folder").format(path=explicit), code="root")
        if not is_registry_root(explicit):
            raise UsageError(
                _("{path}: not a registry (it needs registry/ and schemas/)").format(path=explicit),
                hint=_("create one with 'coopctl init DIR'"),
            )
        return explicit.resolve()
    try:
        here = (start or Path.cwd()).resolve()
    except FileNotFoundError:
        raise UsageError(
            _("the current folder no longer exists"),
            hint=_("change into a registry folder or pass --root DIR"),
        ) from None
    for candidate in (here, *here.parents):
        if is_registry_root(candidate):
            return candidate
    raise UsageError(
        _("no registry found in {path} or any folder above it").format(path=here),
        hint=_(
            "run coopctl inside a registry, pass --root DIR, set COOPCTL_ROOT, "
            "or create one with 'coopctl init DIR'"
        ),
    )


def kind_of_path(path: str) -> str | None:
    """The kind a registry-relative path holds by its folder, or None."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == REGISTRY_DIR:
        return KIND_OF_FOLDER.get(parts[1])
    return None


def stem(path: str) -> str:
    """The file name without its last suffix, as PurePosixPath(path).stem (but cheaper)."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def classify(path: str) -> Problem | None:
    """Why a file under registry/ is not read as an entity, or None if it is one."""
    parts = path.split("/")
    if len(parts) == 2 and parts[1] in _ALLOWED_AT_TOP:
        return None
    if len(parts) != 3 or parts[1] not in KIND_OF_FOLDER:
        folders = ", ".join(f"{REGISTRY_DIR}/{f}/" for f in FOLDER_OF_KIND.values())
        return new_problem(
            "F005",
            _("not in a kind folder; entity files belong in {folders}").format(folders=folders),
            path,
            line=1,
            column=1,
        )
    if not parts[2].endswith(EXTENSION):
        suffix = PurePosixPath(parts[2]).suffix.lower()
        hint = (
            _("rename it to {name}").format(name=PurePosixPath(parts[2]).stem + EXTENSION)
            if suffix in {".yml", ".yaml", ".json"}
            else _("only <id>{extension} files belong here; move or delete it").format(
                extension=EXTENSION
            )
        )
        return new_problem(
            "F006",
            _("only {extension} files are read in {folder}").format(
                extension=EXTENSION, folder=f"{REGISTRY_DIR}/{parts[1]}/"
            ),
            path,
            line=1,
            column=1,
            hint=hint,
        )
    return None


def read_working_tree(root: Path) -> tuple[list[SourceFile], list[Problem]]:
    """All entity files below root/registry, read as bytes, and the files that were refused."""
    listed, problems = list_working_tree(root)
    sources = [s for s in (read_listed(e, p, root, problems) for e, p in listed) if s]
    return sources, problems


def list_working_tree(root: Path) -> tuple[list[tuple[os.DirEntry[str], str]], list[Problem]]:
    """The entity files below root/registry (not yet read) with their root-relative paths,
    and the files refused by their place or name."""
    listed: list[tuple[os.DirEntry[str], str]] = []
    problems: list[Problem] = []
    escape = _escape(root / REGISTRY_DIR, _real(root))
    if escape:
        problems.append(_refusal("F004", _(_ESCAPES[escape][0])))
        return listed, problems
    for entry, relative in _walk(str(root / REGISTRY_DIR), REGISTRY_DIR, problems, root):
        refusal = classify(relative)
        if refusal:
            problems.append(refusal)
        elif relative.rsplit("/", 1)[-1] not in _ALLOWED_AT_TOP:
            listed.append((entry, relative))
    return listed, problems


def read_listed(
    entry: os.DirEntry[str], relative: str, root: Path, problems: list[Problem]
) -> SourceFile | None:
    """One listed file read, or None with the reason added to `problems`."""
    return _read_file(entry, relative, _real(root), problems)


def read_again(root: Path, relative: str) -> bytes | None:
    """The bytes of a registry file that was read before, or None if it is no longer (or
    never was) a file coopctl reads: a FIFO, a link out of the registry, a file too large."""
    source = read_path(root, relative, [])
    return None if source is None or len(source.raw) > MAX_FILE_BYTES else source.raw


def read_path(root: Path, relative: str, problems: list[Problem]) -> SourceFile | None:
    """One registry file named by its root-relative path, read with the rules of a full walk
    (the registry folder and any link must stay inside the root and outside .git), or None
    with the reason added to `problems`."""
    escape = _escape(root / REGISTRY_DIR, _real(root))
    if escape:
        problems.append(_refusal("F004", _(_ESCAPES[escape][0])))
        return None
    return _read_file(_Named(str(root / relative)), relative, _real(root), problems)


def link_escape(path: Path, root: Path) -> str | None:
    """Whether `path` (a link, or below a linked folder) leads somewhere coopctl never reads or
    writes: "outside" the registry root or into "git"'s own folder; None if it stays inside."""
    return _escape(path, _real(root))


class _Named:
    """A path with the part of os.DirEntry's interface `_read_file` uses."""

    def __init__(self, path: str) -> None:
        self.path = path

    def is_symlink(self) -> bool:
        return os.path.islink(self.path)  # noqa: PTH114 -- no Path objects per file

    def stat(self) -> os.stat_result:
        return os.stat(self.path)  # noqa: PTH116 -- as DirEntry.stat


@functools.cache
def _real(root: Path) -> Path:
    return root.resolve()


def _walk(
    folder: str, relative: str, problems: list[Problem], root: Path
) -> Iterator[tuple[os.DirEntry[str], str]]:
    """Files below `folder` (hidden names skipped) with their root-relative paths, sorted."""
    try:
        with os.scandir(folder) as scanned:
            entries = sorted(scanned, key=lambda e: e.name)
    except OSError as exc:
        problems.append(
            new_problem(
                "F007",
                _("cannot read the folder: {reason}").format(reason=exc.strerror),
                relative,
                line=1,
                column=1,
            )
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = f"{relative}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, path, problems, root)
        elif entry.is_symlink() and _is_dir(entry):
            escape = _escape(Path(entry.path), _real(root))
            if escape:
                problems.append(_refusal("F004", _(_ESCAPES[escape][1]), path))
            else:
                problems.append(
                    _refusal("F005", _("symbolic links to folders are not followed"), path)
                )
        else:
            yield entry, path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether a link leads to a folder; a broken link or a link loop does not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _escape(path: Path, real_root: Path) -> str | None:
    """Where `path` leads, with every link resolved, if that is outside the registry root or
    inside a `.git` folder or file of the work tree (git's own data: HEAD, config, objects);
    None if it stays inside the registry's files."""
    try:
        relative = path.resolve().relative_to(real_root)
    except ValueError:
        return _OUTSIDE
    except (OSError, RuntimeError):
        return None  # a symlink loop: reading it fails with its own message (F007)
    if any(part.casefold() == ".git" for part in relative.parts):
        return _INTO_GIT
    return None


def _refusal(code: str, message: str, path: str = REGISTRY_DIR) -> Problem:
    return new_problem(code, message, path, line=1, column=1)


def _read_file(
    entry: os.DirEntry[str] | _Named, relative: str, real_root: Path, problems: list[Problem]
) -> SourceFile | None:
    def refuse(code: str, message: str) -> None:
        problems.append(new_problem(code, message, relative, line=1, column=1))

    escape = _escape(Path(entry.path), real_root) if entry.is_symlink() else None
    if escape:
        refuse("F004", _(_ESCAPES[escape][2]))
        return None
    try:
        info = entry.stat()
        if not stat.S_ISREG(info.st_mode):
            refuse("F007", _("not a regular file"))
            return None
        if info.st_size > MAX_FILE_BYTES:
            refuse("F001", too_large(info.st_size))
            return None
        raw = _read_bytes(entry.path, info.st_size)
    except OSError as exc:
        refuse("F007", _("cannot read the file: {reason}").format(reason=exc.strerror or exc))
        return None
    return SourceFile(relative, raw)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)


def _read_bytes(path: str, size: int) -> bytes:
    """A file's bytes, up to one more than MAX_FILE_BYTES (to notice a file that grew past
    it), by the file descriptor itself: a buffered file object costs more system calls (a
    terminal check, a stat) and more objects than reading a small file does. The first
    request is the size stat gave plus one byte, to notice growth: a larger one makes every
    small file hold a whole page of memory."""
    descriptor = os.open(path, _READ_FLAGS)
    try:
        raw = os.read(descriptor, size + 1)
        while raw and len(raw) <= MAX_FILE_BYTES:  # until the end, as a file object reads
            more = os.read(descriptor, MAX_FILE_BYTES + 1 - len(raw))
            if not more:
                break
            raw += more
        return raw
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Registry:
    """The loaded registry: entities by kind and id, and what could not be loaded."""

    root: Path
    entities: tuple[Entity, ...]
    load_problems: tuple[Problem, ...]
    raw: Mapping[str, bytes]
    by_kind: Mapping[str, Mapping[str, Entity]]
    # values of a shape the schema does not allow, left out of `entities` (`coopctl.shape`)
    skipped: tuple[Problem, ...] = ()
    # the git blob sha of each file in `raw`, where known without reading it
    blobs: Mapping[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    def get(self, kind: str, entity_id: str) -> Entity | None:
        return self.by_kind.get(kind, {}).get(entity_id)

    def ids(self, kind: str) -> list[str]:
        return sorted(self.by_kind.get(kind, {}))

    @property
    def file_count(self) -> int:
        return len(self.raw)


def build_registry(
    root: Path,
    sources: Iterable[SourceFile],
    problems: Iterable[Problem] = (),
    reader: YamlReader | None = None,
) -> Registry:
    """Parse source files into entities. Files that do not load become problems."""
    reader = reader or YamlReader()
    load_problems = list(problems)
    entities: list[Entity] = []
    raw: dict[str, bytes] = {}
    for source in sorted(sources, key=lambda s: s.path):
        raw[source.path] = source.raw
        kind = kind_of_path(source.path)
        if kind is None:
            continue
        result = reader.load(source.raw, source.path)
        if result.data is None:  # the warnings of a file that loads are for validate
            load_problems.extend(result.problems)
            continue
        entity_id = id_of(result.data, source.path)
        entities.append(Entity(kind, entity_id, source.path, result.data, source.blob_sha))
    return build_entities(root, entities, load_problems, raw)


def id_of(data: Mapping[str, Any], path: str) -> str:
    """The id of the entity a file holds: its `id` if that is text, else its file name's stem."""
    declared = data.get("id")
    return declared if isinstance(declared, str) else stem(path)


def build_entities(
    root: Path,
    entities: Iterable[Entity],
    load_problems: Iterable[Problem],
    raw: Mapping[str, bytes],
    skipped: Iterable[Problem] = (),
    blobs: Mapping[str, str] | None = None,
) -> Registry:
    """The Registry of loaded entities (in path order), each id meaning one of them."""
    ordered = tuple(sorted(entities, key=lambda e: e.path))
    by_kind: dict[str, dict[str, Entity]] = {kind: {} for kind in KINDS}
    # Where two files claim one id, the file named after the id is the entity that id means.
    for entity in sorted(ordered, key=lambda e: stem(e.path) != e.id):
        by_kind[entity.kind].setdefault(entity.id, entity)
    return Registry(
        root, ordered, tuple(load_problems), raw, by_kind, tuple(skipped), dict(blobs or {})
    )


def load_working_tree(root: Path, reader: YamlReader | None = None) -> Registry:
    sources, problems = read_working_tree(root)
    return build_registry(root, sources, problems, reader)
