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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coopctl.codes import new_problem
from coopctl.diff import DiffResult, diff_revisions
from coopctl.gitstore import GitStore
from coopctl.model import Change, Problem, Severity
from coopctl.registry import Registry, load_working_tree
from coopctl.schemas import SchemaSet, load_schemas, readable_path, values_at
from coopctl.validation import check_registry, locate

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
    today: date = dataclasses.field(default_factory=date.today)


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
    store = GitStore(root)
    schemas = load_schemas(root / "schemas")
    base_registry = store.load(options.base)
    if options.head is None:
        head_registry = load_working_tree(root, store.reader)
    else:
        head_registry = store.load(options.head)
    diff = diff_revisions(root, options.base, options.head, store, schemas)
    head_problems = check_registry(head_registry, schemas, options.today)
    base_fingerprints = {
        fingerprint(p) for p in check_registry(base_registry, schemas, options.today)
    }
    rule_problems = locate(change_problems(diff, head_registry, schemas), head_registry)
    new = [p for p in head_problems if fingerprint(p) not in base_fingerprints]
    existing = [p for p in head_problems if fingerprint(p) in base_fingerprints]
    new.extend(rule_problems)
    paths = {p.path for p in (*new, *existing)}
    return GateResult(
        root,
        diff,
        tuple(sorted(new, key=_sort_key)),
        tuple(sorted(existing, key=_sort_key)),
        head_registry.file_count,
        len(head_registry.entities),
        options.new_only,
        {path: head_registry.raw[path] for path in paths if path in head_registry.raw},
        store.prefix,
    )


# --- change rules -------------------------------------------------------------------------------


def referrers(
    registry: Registry, schemas: SchemaSet, kind: str, entity_id: str
) -> list[tuple[str, str]]:
    """(kind:id, field) of every reference to an entity."""
    found = []
    for entity in registry.entities:
        for pattern, target in schemas.rules[entity.kind].references:
            if target != kind:
                continue
            for path, value in values_at(entity.data, pattern):
                if value == entity_id:
                    found.append((f"{entity.kind}:{entity.id}", readable_path(path)))
    return found


def change_problems(diff: DiffResult, head: Registry, schemas: SchemaSet) -> Iterator[Problem]:
    for change in diff.entity_changes():
        if change.action == "removed":
            yield from _still_referenced(change, change.id, head, schemas, "is removed")
        elif change.action == "renamed" and change.old_id and change.old_id != change.id:
            yield new_problem(
                "C002",
                f"{change.kind} '{change.old_id}' is renamed to '{change.id}'"
                + (f" (was {change.old_path})" if change.old_path != change.path else ""),
                change.path,
                pointer="/id",
                entity=f"{change.kind}:{change.id}",
            )
            if head.get(change.kind, change.old_id) is None:
                yield from _still_referenced(
                    change, change.old_id, head, schemas, f"is renamed to '{change.id}'"
                )
        if change.kind == "agreement" and change.action in {"modified", "renamed"}:
            fields = diff.fields_of(change)
            yield from _status_backwards(change, fields)
            yield from _event_dates(change, fields, head)


def _still_referenced(
    change: Change, old_id: str, head: Registry, schemas: SchemaSet, what: str
) -> Iterator[Problem]:
    found = referrers(head, schemas, change.kind, old_id)
    if not found:
        return
    listed = ", ".join(f"{who} ({field})" for who, field in found)
    yield new_problem(
        "C001",
        f"{change.kind} '{old_id}' {what} but is still referenced by {listed}",
        change.path,
        line=0 if change.action == "renamed" else 1,
        column=0 if change.action == "renamed" else 1,
        pointer="/id" if change.action == "renamed" else None,
        entity=f"{change.kind}:{old_id}",
        hint="update the references in the same change, or keep the entity",
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
            f"status goes back from {status.old} to {status.new} without a new event that "
            "explains it",
            change.path,
            pointer="/status",
            entity=f"agreement:{change.id}",
            hint="add the signed, amendment or extension event, or keep the status",
        )


def _event_dates(change: Change, fields: list[Change], head: Registry) -> Iterator[Problem]:
    entity = head.get("agreement", change.id)
    events: list[Any] = []
    if entity is not None and isinstance(entity.data.get("events"), list):
        events = entity.data["events"]
    for field in fields:
        match = _EVENT_DATE.match(field.pointer or "")
        if not match or field.action != "changed":
            continue
        index = int(match.group(1))
        event = events[index] if index < len(events) else {}
        kind = event.get("type", "event") if isinstance(event, dict) else "event"
        yield new_problem(
            "C004",
            f"events[{index}]: the {kind} event moves from {field.old} to {field.new}",
            change.path,
            pointer=field.pointer,
            entity=f"agreement:{change.id}",
            hint="make sure a source supports the new date",
        )
