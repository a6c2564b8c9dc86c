"""Agreement events: membership events name partners, accessions follow the signing, nobody
leaves who never joined, and the status agrees with what happened."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.membership import (
    ENDING_STATUS,
    ENDINGS,
    JOINS,
    LEAVES,
    dated_events,
    iter_event_types,
    replay,
)
from coopctl.model import Entity, Problem

_STATUS_NEEDS = {status: event for event, status in ENDING_STATUS.items()}
_SIGNED_STATUSES = frozenset({"signed", "active", "suspended"})


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    if entity.kind == "agreement":
        yield from _parties_named(entity)
        yield from _accession_after_signing(entity)
        yield from _leaves(entity)
        yield from _status(entity)


def _parties_named(entity: Entity) -> Iterator[Problem]:
    events = entity.data.get("events")
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping):
            continue
        kind = event.get("type")
        if (kind in JOINS or kind in LEAVES) and not event.get("partners"):
            yield entity_problem(
                "E004",
                entity,
                f"events[{index}]: {'an' if str(kind)[0] in 'aeiou' else 'a'} {kind} event "
                "must name its partners",
                ["events", index],
                hint="add partners: [id, ...]",
            )


def _accession_after_signing(entity: Entity) -> Iterator[Problem]:
    events = dated_events(entity.data)
    signings = [e for e in events if e.type == "signed"]
    if not signings:
        return
    first_signing = signings[0]
    for event in events:
        if event.type == "accession" and event.date.certainly_before(first_signing.date):
            yield entity_problem(
                "E001",
                entity,
                f"events[{event.index}]: accession on {event.date.text} is "
                f"before the signing on {first_signing.date.text}",
                ["events", event.index, "date"],
            )


def _leaves(entity: Entity) -> Iterator[Problem]:
    _, orphans = replay(entity.data)
    events: list[Any] = entity.data["events"] if isinstance(entity.data.get("events"), list) else []
    for orphan in orphans:
        partners = events[orphan.event_index].get("partners", [])
        position = partners.index(orphan.partner) if orphan.partner in partners else 0
        what = "a party" if orphan.role == "party" else "a participant"
        yield entity_problem(
            "E002",
            entity,
            f"events[{orphan.event_index}]: '{orphan.partner}' leaves but was "
            f"not {what} at that time",
            ["events", orphan.event_index, "partners", position],
        )


def _status(entity: Entity) -> Iterator[Problem]:
    status = entity.data.get("status")
    if not isinstance(status, str):
        return
    types = set(iter_event_types(entity.data))
    needed = _STATUS_NEEDS.get(status)
    message = None
    if needed and needed not in types:
        message = f"status is {status} but there is no {needed} event"
    elif status in _SIGNED_STATUSES and "signed" not in types:
        message = f"status is {status} but there is no signed event"
    elif status in _SIGNED_STATUSES and types & ENDINGS:
        ended = sorted(types & ENDINGS)[0]
        message = f"status is {status} but a {ended} event ended the agreement"
    elif status == "draft" and "signed" in types:
        message = "status is draft but the agreement has a signed event"
    if message:
        yield entity_problem(
            "E003", entity, message, ["status"], hint="record the event, or correct the status"
        )
