"""The pull-request gate behind `coopctl check`: validate the head fully, diff it against the
base, apply the change rules, and tell problems the change brings from problems the base
already had.

Change rules (codes C001–C004): removing an entity, or changing its id, while others still
reference it is an error listing the referrers; an id change is reported as a rename; an
agreement's status going back needs a new event that explains it; moving an existing event
to another date is a warning.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from coopctl.codes import new_problem
from coopctl.diff import DiffResult, diff_revisions
from coopctl.facts import FileFacts, entities_by_kind, locate_in
from coopctl.gitstore import GitStore
from coopctl.i18n import _
from coopctl.limits import DEFAULT_MAX_PROBLEMS, facts_digest, limit_per_file
from coopctl.model import Change, Problem, Severity
from coopctl.schemas import SchemaSet, load_schemas, pointer_path

_T = TypeVar("_T")

# Status ranks: going to a lower rank is going back. Suspension is a pause, not a step back.
STATUS_RANK: Mapping[str, int] = {
    "draft": 0,
    "approved": 1,
    "signed": 2,
    "active": 3,
    "suspended": 3,
    "terminated": 4,
    "expired": 4,
    "dissolved": 4,
    "superseded": 4,
}
REVIVING_EVENTS = frozenset({"signed", "amendment", "extension"})
_EVENT = re.compile(r"^/events/(\d+)$")
_EVENT_DATE = re.compile(r"^/events/(\d+)/date$")


@dataclass(frozen=True)
class CheckOptions:
    base: str
    head: str | None = None  # None: the working tree
    new_only: bool = False
    cache: bool = True
    workers: int | None = None
    today: date = dataclasses.field(default_factory=date.today)
    max_problems: int = DEFAULT_MAX_PROBLEMS  # per file; 0: all (`coopctl.limits`)


@dataclass(frozen=True)
class GateResult:
    root: Path
    diff: DiffResult
    new_problems: tuple[Problem, ...]  # brought by the change (and every change-rule problem)
    existing_problems: tuple[Problem, ...]  # already present on the base
    files_checked: int
    entities: int
    new_only: bool
    sources: Mapping[str, bytes] = dataclasses.field(default_factory=dict)
    repo_prefix: str = ""  # the registry root relative to the top of the git work tree
    stats: str = ""  # how the answer was come by (`--stats`)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(sorted((*self.new_problems, *self.existing_problems), key=_sort_key))

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def new_errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.new_problems)

    @property
    def failed(self) -> bool:
        return bool(self.new_errors if self.new_only else self.errors)

    def is_new(self, problem: Problem) -> bool:
        return problem in self.new_problems


def _sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return problem.sort_key


def fingerprint(problem: Problem) -> tuple[str, str, str]:
    """What identifies a problem across revisions: not its line, which edits above it move."""
    return (problem.code, problem.entity or problem.path, problem.message)


def run_check(root: Path, options: CheckOptions) -> GateResult:
    from coopctl.cache import FactCache
    from coopctl.facts import Examiner
    from coopctl.pipeline import gather_facts, outcome, revision_files, working_tree_files
    from coopctl.versions import VersionProblem

    store = GitStore(root)
    try:
        schemas = load_schemas(root / "schemas")
    except VersionProblem as exc:  # one problem, in every format, instead of the gate
        return _version_result(root, options, store, exc.problem)
    digest = facts_digest(schemas.digest, options.max_problems)
    cache = FactCache(root, digest, options.today, enabled=options.cache)
    # The examiner has a reader of its own: the store's keeps every content it parses (for the
    # diff), which for the examiner would be every file of both sides.
    examiner = Examiner(schemas, options.today, None, options.max_problems)
    base = revision_files(store, options.base)
    head = working_tree_files(root) if options.head is None else revision_files(store, options.head)
    base_outcome = outcome(base, examiner, cache, options.workers)
    if options.head is None:
        # The working tree's files are listed (git comparing every file with its index, the
        # changed ones read; nothing parsed) while the diff's git compares them with the base.
        listing = _Background(lambda: head.jobs)
        diff = diff_revisions(root, options.base, None, store, schemas, cache=options.cache)
        listing.result()
        head_outcome = outcome(head, examiner, cache, options.workers)
    else:
        head_outcome = outcome(head, examiner, cache, options.workers)
        diff = diff_revisions(root, options.base, options.head, store, schemas, cache=options.cache)
    head_problems = head_outcome.problems
    base_fingerprints = {fingerprint(p) for p in base_outcome.problems}

    def head_facts() -> list[FileFacts]:
        if head_outcome.facts is not None:
            return head_outcome.facts
        facts = gather_facts(head.jobs, examiner, cache, options.workers, head.fetch)
        cache.save()
        return facts

    view = HeadView(head_facts, lambda path: _entity_data(store, root, options.head, path))
    rule_problems: list[Problem] = []
    for path, group in _by_path(change_problems(diff, view, schemas)).items():
        rule_problems.extend(locate_in(group, head.raw_of(path)))
    new = [p for p in head_problems if fingerprint(p) not in base_fingerprints]
    existing = [p for p in head_problems if fingerprint(p) in base_fingerprints]
    new.extend(rule_problems)
    new = limit_per_file(new, options.max_problems)
    existing = limit_per_file(existing, options.max_problems)
    paths = {p.path for p in (*new, *existing)}
    sources = {path: head.raw_of(path) for path in paths}
    return GateResult(
        root,
        diff,
        tuple(sorted(new, key=_sort_key)),
        tuple(sorted(existing, key=_sort_key)),
        head_outcome.files,
        sum(head_outcome.counts.values()),
        options.new_only,
        {path: raw for path, raw in sources.items() if raw is not None},
        store.prefix,
        _("base: {base}; head: {head}").format(
            base=base_outcome.stats.summary(), head=head_outcome.stats.summary()
        ),
    )


class _Background(Generic[_T]):
    """A function run in a thread of its own; `result` waits for its value or raises what it
    raised. The thread is a daemon: an interrupted run does not wait for it."""

    def __init__(self, function: Callable[[], _T]) -> None:
        self._function = function
        self._value: tuple[_T] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = (self._function(),)
        except BaseException as exc:  # raised again in the caller's thread
            self._error = exc

    def result(self) -> _T:
        self._thread.join()
        if self._value is None:
            raise self._error or RuntimeError("no result")
        return self._value[0]


def _version_result(
    root: Path, options: CheckOptions, store: GitStore, problem: Problem
) -> GateResult:
    """check's answer for a head whose schema version coopctl does not read (V001, V002)."""
    from coopctl.diff import WORKING_TREE

    try:
        sources = {problem.path: (root / problem.path).read_bytes()}
    except OSError:
        sources = {}
    diff = DiffResult(options.base, options.head or WORKING_TREE, (), 0, 0)
    return GateResult(root, diff, (problem,), (), 0, 0, options.new_only, sources, store.prefix)


def _by_path(problems: Iterator[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for found in problems:
        grouped.setdefault(found.path, []).append(found)
    return grouped


def _entity_data(store: GitStore, root: Path, head: str | None, path: str) -> dict[str, Any] | None:
    """The data of one file of the head (read and parsed alone)."""
    from coopctl.diff import read_working_files

    loaded = (
        store.load(head, [path])
        if head is not None
        else read_working_files(root, [path], store.reader)
    )
    return loaded.entities[0].data if loaded.entities else None


class HeadView:
    """What the change rules need of the head: every file's facts (gathered only when a rule
    asks for them: when an entity is removed or renamed), and the data of single files."""

    def __init__(
        self,
        facts: Callable[[], list[FileFacts]],
        data_of: Callable[[str], dict[str, Any] | None],
    ) -> None:
        self._facts = facts
        self._gathered: list[FileFacts] | None = None
        self.data_of = data_of

    @property
    def facts(self) -> list[FileFacts]:
        if self._gathered is None:
            self._gathered = self._facts()
        return self._gathered

    def find(self, kind: str, entity_id: str) -> FileFacts | None:
        return entities_by_kind(self.facts).get(kind, {}).get(entity_id)


# --- change rules -------------------------------------------------------------------------------


def referrers(facts: list[FileFacts], kind: str, entity_id: str) -> list[tuple[str, str]]:
    """(kind:id, field) of every reference to an entity."""
    return [
        (fact.entity, pointer_path(pointer))
        for fact in sorted(facts, key=lambda f: f.path)
        for target, value, pointer in fact.references
        if target == kind and value == entity_id
    ]


def change_problems(diff: DiffResult, head: HeadView, schemas: SchemaSet) -> Iterator[Problem]:
    for change in diff.entity_changes():
        if change.action == "removed":
            yield from _still_referenced(change, change.id, head, schemas)
        elif change.action == "renamed" and change.old_id and change.old_id != change.id:
            yield new_problem(
                "C002",
                (
                    _("{kind} '{old_id}' is renamed to '{id}' (was {old_path})")
                    if change.old_path != change.path
                    else _("{kind} '{old_id}' is renamed to '{id}'")
                ).format(
                    kind=change.kind, old_id=change.old_id, id=change.id, old_path=change.old_path
                ),
                change.path,
                pointer="/id",
                entity=f"{change.kind}:{change.id}",
            )
            if head.find(change.kind, change.old_id) is None:
                yield from _still_referenced(change, change.old_id, head, schemas)
        if change.kind == "agreement" and change.action in {"modified", "renamed"}:
            fields = diff.fields_of(change)
            yield from _status_backwards(change, fields)
            yield from _event_dates(change, fields, head)


def _still_referenced(
    change: Change, old_id: str, head: HeadView, schemas: SchemaSet
) -> Iterator[Problem]:
    found = referrers(head.facts, change.kind, old_id)
    if not found:
        return
    listed = ", ".join(f"{who} ({field})" for who, field in found)
    message = (
        _("{kind} '{old_id}' is renamed to '{id}' but is still referenced by {listed}")
        if change.action == "renamed"
        else _("{kind} '{old_id}' is removed but is still referenced by {listed}")
    )
    yield new_problem(
        "C001",
        message.format(kind=change.kind, old_id=old_id, id=change.id, listed=listed),
        change.path,
        line=0 if change.action == "renamed" else 1,
        column=0 if change.action == "renamed" else 1,
        pointer="/id" if change.action == "renamed" else None,
        entity=f"{change.kind}:{old_id}",
        hint=_("update the references in the same change, or keep the entity"),
    )


def _status_backwards(change: Change, fields: list[Change]) -> Iterator[Problem]:
    status = next((f for f in fields if f.pointer == "/status"), None)
    if status is None or not isinstance(status.old, str) or not isinstance(status.new, str):
        return
    before, after = STATUS_RANK.get(status.old), STATUS_RANK.get(status.new)
    if before is None or after is None or after >= before:
        return
    revived = any(
        f.action == "added"
        and _EVENT.match(f.pointer or "")
        and isinstance(f.new, dict)
        and f.new.get("type") in REVIVING_EVENTS
        for f in fields
    )
    if not revived:
        yield new_problem(
            "C003",
            _("status goes back from {old} to {new} without a new event that explains it").format(
                old=status.old, new=status.new
            ),
            change.path,
            pointer="/status",
            entity=f"agreement:{change.id}",
            hint=_("add the signed, amendment or extension event, or keep the status"),
        )


def _event_dates(change: Change, fields: list[Change], head: HeadView) -> Iterator[Problem]:
    if not any(_EVENT_DATE.match(f.pointer or "") and f.action == "changed" for f in fields):
        return
    data = head.data_of(change.path)
    events: list[Any] = []
    if data is not None and isinstance(data.get("events"), list):
        events = data["events"]
    for field in fields:
        match = _EVENT_DATE.match(field.pointer or "")
        if not match or field.action != "changed":
            continue
        index = int(match.group(1))
        event = events[index] if index < len(events) else {}
        kind = event.get("type", "event") if isinstance(event, dict) else "event"
        yield new_problem(
            "C004",
            _("events[{index}]: the {kind} event moves from {old} to {new}").format(
                index=index, kind=kind, old=field.old, new=field.new
            ),
            change.path,
            pointer=field.pointer,
            entity=f"agreement:{change.id}",
            hint=_("make sure a source supports the new date"),
        )
