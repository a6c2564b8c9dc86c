"""What one registry file contributes to a validation, in a form small enough to cache and to
send between processes.

Reading a file, checking it against its schema and running the entity checks needs nothing
but the file itself (`Examiner.examine`). Its outcome is a `FileFacts`: the problems found in
the file (already located at line and column) and the few facts the registry-wide checks
compare across files: the id, the ARS, the references to other entities. Because a file's
facts depend only on its bytes, its kind and its name, they can be cached by git blob sha and
computed in worker processes.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from sys import intern
from typing import TYPE_CHECKING, Any

from coopctl.locator import Locator
from coopctl.model import Entity, Problem, Severity
from coopctl.registry import stem
from coopctl.schemas import Pattern, SchemaSet, fields_of, schema_file, schema_problems
from coopctl.shape import shaped
from coopctl.yamlio import KEY_CODES, YamlReader, join_pointer

if TYPE_CHECKING:
    from coopctl.checks.context import CheckContext

Reference = tuple[str, str, str]  # (target kind, id, JSON pointer of the field)


@dataclass(frozen=True, slots=True)
class FileFacts:
    """One file of a kind folder after examination. `loaded` is False when the file did not
    load as a mapping; then `problems` says why and there are no other facts."""

    path: str
    kind: str
    loaded: bool
    declared_id: str | None = None
    ars: str | None = None
    references: tuple[Reference, ...] = ()
    latest: str = ""  # first day of the latest date that must not lie ahead ('' if none)
    problems: tuple[Problem, ...] = ()
    refused: bool = False  # not read at all (a link out of the registry, too large ...)
    similar: tuple[str, ...] = ()  # a partner's typed normal name and AGS (coopctl.similar)
    dissolved: str | None = None  # a partner's `dissolved` date
    event_dates: tuple[tuple[str, str], ...] = ()  # an agreement's (event pointer, its date)

    def fields(self) -> tuple[Any, ...]:
        """The fields in order: FileFacts(*facts.fields()) == facts."""
        return (
            self.path,
            self.kind,
            self.loaded,
            self.declared_id,
            self.ars,
            self.references,
            self.latest,
            self.problems,
            self.refused,
            self.similar,
            self.dissolved,
            self.event_dates,
        )

    @property
    def entity_id(self) -> str:
        """The id the entity is known by: its declared id, else its file name."""
        return self.declared_id if self.declared_id is not None else stem(self.path)

    @property
    def entity(self) -> str:
        return f"{self.kind}:{self.entity_id}"


def locate_in(problems: Iterable[Problem], raw: bytes | None) -> list[Problem]:
    """Fill in line:column of problems that have a JSON pointer into one file's bytes."""
    locator: Locator | None = None
    located = []
    for found in problems:
        if found.line != 0:
            located.append(found)
            continue
        line, column = 1, 1
        if raw is not None and found.pointer is not None:
            locator = locator or Locator(raw)
            line, column = locator.locate(found.pointer, key=found.code in KEY_CODES)
        located.append(dataclasses.replace(found, line=line, column=column))
    return located


# Findings that something is missing, with the fields whose absence they report: where such a
# field was left out for its shape, the finding would only repeat the schema problem.
ABOUT_ABSENCE: Mapping[str, frozenset[str]] = {
    "E003": frozenset({"events", "type"}),  # the event a status needs
    "E004": frozenset({"partners"}),  # the partners of a membership event
    "K007": frozenset({"ars"}),
    "Q001": frozenset({"sources", "url"}),
}


def _about_skipped(found: Problem, skipped: list[str]) -> bool:
    fields = ABOUT_ABSENCE.get(found.code, frozenset())
    return any(fields & set(gone.split("/")) for gone in skipped)


def _near(pointer: str | None, skipped: list[str]) -> bool:
    """Whether a check's finding is about a value left out for its shape: at it, inside it,
    or at the field that holds it (an event 'without partners' whose partners were a word).
    Those are said already by the schema problem."""
    if pointer is None:
        return False
    for gone in skipped:
        parent = gone.rsplit("/", 1)[0]
        if pointer in (gone, parent) or pointer.startswith(gone + "/"):
            return True
    return False


def references_of(entity: Entity, schemas: SchemaSet) -> tuple[Reference, ...]:
    """Every id the entity names in a reference field (`x-ref` in the schema)."""
    found = fields_of(entity, schemas.rules[entity.kind])
    references: list[Reference] = []
    for pattern, target in schemas.rules[entity.kind].references:
        values = found.get(pattern)
        if values:
            pointer = _pointer_of(pattern)
            references.extend(
                (target, _shared(value), intern(pointer(path)))
                for path, value in values
                if isinstance(value, str)
            )
    return tuple(references)


def _shared(text: str) -> str:
    """One object for all equal texts the facts of a run keep: the ids and dates that many
    files name (a partner in each of its agreements), and pointers such as /events/0/date,
    which recur in every file. The facts of every file are kept to the end of a run, and
    without this most of their memory is copies of the same few strings."""
    return intern(text) if type(text) is str else text


@functools.cache  # the patterns are the schemas' few
def _pointer_of(pattern: Pattern) -> Callable[[tuple[str | int, ...]], str]:
    """How to write the JSON pointer of a field of `pattern`: a path's parts are the
    pattern's names and list positions, so where no name needs escaping, they are joined."""
    if any("~" in part or "/" in part for part in pattern):
        return join_pointer
    return _joined


@functools.lru_cache(maxsize=1 << 14)  # the same pointers recur in file after file
def _joined(path: tuple[str | int, ...]) -> str:
    return intern("/" + "/".join(map(str, path))) if path else ""


def latest_date(entity: Entity, schemas: SchemaSet) -> str:
    """The first day of the latest date that must not lie in the future, as ISO text."""
    from coopctl.dates import parse_partial_date

    latest: date | None = None
    rules = schemas.rules[entity.kind]
    found = fields_of(entity, rules)
    for pattern, not_future in rules.dates:
        if not not_future:
            continue
        for _where, value in found.get(pattern, ()):
            parsed = parse_partial_date(value) if isinstance(value, str) else None
            if parsed is not None and (latest is None or parsed.first > latest):
                latest = parsed.first
    return "" if latest is None else latest.isoformat()


class Examiner:
    """Examines files one at a time: parse, schema, entity checks, facts."""

    def __init__(
        self,
        schemas: SchemaSet,
        today: date,
        reader: YamlReader | None = None,
        max_problems: int = 0,
    ) -> None:
        from coopctl.checks import entity_problems
        from coopctl.checks.context import CheckContext
        from coopctl.gv import load as gemeindeverzeichnis

        # Imported once here: `from <package> import name` costs a call into importlib
        # every time it runs, and `facts_of` runs for every file.
        self.entity_problems = entity_problems
        self.schemas = schemas
        self.today = today
        self.max_problems = max_problems  # per file, 0: all (`coopctl.limits`)
        self.reader = reader or YamlReader()
        self.context: CheckContext = CheckContext(schemas, today, gemeindeverzeichnis)

    def prepare(self, kinds: Iterable[str]) -> None:
        """Load now what examining these kinds will need, before worker processes are forked,
        so that they share it instead of each loading it again."""
        from coopctl.ecma import format_checker

        format_checker()  # jsonschema's format checkers: imported once, not in every worker
        self.reader.prepare()
        if "partner" in set(kinds):
            self.context.gemeindeverzeichnis()

    def examine(self, path: str, raw: bytes, kind: str) -> FileFacts:
        result = self.reader.load(raw, path)
        if result.data is None:
            return FileFacts(path, kind, False, problems=result.problems)
        declared = result.data.get("id")
        entity_id = declared if isinstance(declared, str) else stem(path)
        facts = self.facts_of(Entity(kind, entity_id, path, result.data), raw)
        if result.problems:  # warnings of a file that loads (Y013)
            return dataclasses.replace(facts, problems=(*result.problems, *facts.problems))
        return facts

    def facts_of(self, entity: Entity, raw: bytes | None) -> FileFacts:
        """The facts of an entity that is already loaded (`raw` locates its problems)."""
        entity_problems = self.entity_problems
        shown = _Shown(self.max_problems)
        streamed = self.max_problems > 0
        shown.extend(schema_problems(self.schemas, entity, entity.kind, streamed=streamed))
        if shown.count:  # the checks and facts below see only values of the allowed shape
            entity, notes = shaped(self.schemas.documents, schema_file(entity.kind), entity)
            skipped = [n.pointer or "" for n in notes]
            shown.extend(
                p
                for p in entity_problems(entity, self.context)
                if not _about_skipped(p, skipped) and not _near(p.pointer, skipped)
            )
        else:
            shown.extend(entity_problems(entity, self.context))
        declared = entity.data.get("id")
        ars = entity.data.get("ars") if entity.kind == "partner" else None
        return FileFacts(
            entity.path,
            entity.kind,
            True,
            declared if isinstance(declared, str) else None,
            ars if isinstance(ars, str) else None,
            references_of(entity, self.schemas),
            latest_date(entity, self.schemas),
            shown.located(entity.path, raw),
            similar=_similar_keys(entity),
            dissolved=_dissolved(entity),
            event_dates=_event_dates(entity),
        )


def _dissolved(entity: Entity) -> str | None:
    value = entity.data.get("dissolved") if entity.kind == "partner" else None
    return value if isinstance(value, str) else None


def _event_dates(entity: Entity) -> tuple[tuple[str, str], ...]:
    """Where each dated event of an agreement is and its date, for the checks that compare
    the partners an event names with other files (`coopctl.checks.dissolved`)."""
    events = entity.data.get("events") if entity.kind == "agreement" else None
    if not isinstance(events, list):
        return ()
    return tuple(
        (intern(f"/events/{index}"), _shared(event["date"]))
        for index, event in enumerate(events)
        if isinstance(event, dict) and isinstance(event.get("date"), str)
    )


def _similar_keys(entity: Entity) -> tuple[str, ...]:
    """What `coopctl.checks.identity` compares between partners besides the ARS."""
    from coopctl.similar import similarity_keys

    if entity.kind != "partner":
        return ()
    return tuple(k for k in similarity_keys("partner", entity.data) if not k.startswith("ars:"))


class _Shown:
    """The problems of one file up to a limit (0: all); past it, only how many and how
    severe. Only the problems kept are located: locating is what costs."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: list[Problem] = []
        self.count = 0
        self.hidden_error = False

    def extend(self, problems: Iterable[Problem]) -> None:
        for found in problems:
            self.count += 1
            if not self.limit or len(self.kept) < self.limit:
                self.kept.append(found)
            elif found.severity is Severity.ERROR:
                self.hidden_error = True

    def located(self, path: str, raw: bytes | None) -> tuple[Problem, ...]:
        if not self.count:
            return ()
        located = tuple(locate_in(self.kept, raw))
        hidden = self.count - len(self.kept)
        if not hidden:
            return located
        from coopctl.limits import summary

        worst = Severity.ERROR if self.hidden_error else Severity.WARNING
        return (*located, summary(path, hidden, worst))


def entities_by_kind(facts: Iterable[FileFacts]) -> Mapping[str, dict[str, FileFacts]]:
    """The file each id of each kind means. Where two files claim one id, the file named after
    the id wins, then the first by path (as `coopctl.registry.build_registry` decides)."""
    ordered = sorted(
        (f for f in facts if f.loaded),
        key=lambda f: (stem(f.path) != f.entity_id, f.path),
    )
    by_kind: dict[str, dict[str, FileFacts]] = {}
    for fact in ordered:
        by_kind.setdefault(fact.kind, {}).setdefault(fact.entity_id, fact)
    return by_kind
