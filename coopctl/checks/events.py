"""Agreement events: membership events name partners, accessions follow the signing, nobody
leaves who never joined, roles fit the event, and the status agrees with what happened."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.i18n import _
from coopctl.membership import (
    ENDING_STATUS,
    ENDINGS,
    JOINS,
    LEAVES,
    PARTICIPANT_ROLES,
    ROLES_ANY_JOIN,
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
        yield from _roles(entity)
        yield from _status(entity)


def _parties_named(entity: Entity) -> Iterator[Problem]:
    events = entity.data.get("events")
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping):
            continue
        kind = event.get("type")
        if (kind in JOINS or kind in LEAVES) and not event.get("partners"):
            message = (
                _("events[{index}]: an {type} event must name its partners")
                if str(kind)[0] in "aeiou"
                else _("events[{index}]: a {type} event must name its partners")
            )
            yield entity_problem(
                "E004",
                entity,
                message.format(index=index, type=kind),
                ["events", index],
                hint=_("add partners: [id, ...]"),
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
                _("events[{index}]: accession on {date} is before the signing on {signed}").format(
                    index=event.index, date=event.date.text, signed=first_signing.date.text
                ),
                ["events", event.index, "date"],
            )


def _leaves(entity: Entity) -> Iterator[Problem]:
    _members, orphans = replay(entity.data)
    events: list[Any] = entity.data["events"] if isinstance(entity.data.get("events"), list) else []
    for orphan in orphans:
        partners = events[orphan.event_index].get("partners", [])
        position = partners.index(orphan.partner) if orphan.partner in partners else 0
        message = (
            _("events[{index}]: '{partner}' leaves but was not a party at that time")
            if orphan.role == "party"
            else _("events[{index}]: '{partner}' leaves but was not a participant at that time")
        )
        yield entity_problem(
            "E002",
            entity,
            message.format(index=orphan.event_index, partner=orphan.partner),
            ["events", orphan.event_index, "partners", position],
        )


def _roles(entity: Entity) -> Iterator[Problem]:
    """lead and office go with any joining event; guest, observer, advisory_member and funder
    only with participant_joined, because a party has a vote. Unknown roles are the schema's."""
    events = entity.data.get("events")
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping) or "role" not in event:
            continue
        role, kind = event.get("role"), event.get("type")
        if not isinstance(role, str) or role not in ROLES_ANY_JOIN | PARTICIPANT_ROLES:
            continue
        if kind not in JOINS:
            message = _(
                "events[{index}]: {type} events give no role; roles go with signed, accession "
                "and participant_joined events"
            )
        elif role in PARTICIPANT_ROLES and kind != "participant_joined":
            message = _(
                "events[{index}]: role {role} is only for participant_joined events, not for "
                "{type} events, which make their partners parties"
            )
        else:
            continue
        yield entity_problem(
            "E005",
            entity,
            message.format(index=index, type=kind, role=role),
            ["events", index, "role"],
            hint=_("record the role on the event that makes the partners members or participants"),
        )


def _status(entity: Entity) -> Iterator[Problem]:
    status = entity.data.get("status")
    if not isinstance(status, str):
        return
    types = set(iter_event_types(entity.data))
    needed = _STATUS_NEEDS.get(status)
    message = None
    if needed and needed not in types:
        message = _("status is {status} but there is no {event} event")
    elif status in _SIGNED_STATUSES and "signed" not in types:
        message = _("status is {status} but there is no signed event")
    elif status in _SIGNED_STATUSES and types & ENDINGS:
        needed = sorted(types & ENDINGS)[0]
        message = _("status is {status} but a {event} event ended the agreement")
    elif status == "draft" and "signed" in types:
        message = _("status is draft but the agreement has a signed event")
    if message:
        yield entity_problem(
            "E003",
            entity,
            message.format(status=status, event=needed),
            ["status"],
            hint=_("record the event, or correct the status"),
        )
