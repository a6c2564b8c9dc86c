"""Agreement events: membership events name partners, accessions follow the signing, nobody
leaves who never joined, roles fit the event, and the status agrees with what happened."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.dates import PartialDate, parse_partial_date
from coopctl.i18n import _
from coopctl.membership import (
    ENDING_STATUS,
    ENDINGS,
    JOINS,
    LEAVES,
    PARTICIPANT_ROLES,
    ROLES_ANY_JOIN,
    iter_event_types,
    replay,
)
from coopctl.model import Entity, Problem

_STATUS_NEEDS = {status: event for event, status in ENDING_STATUS.items()}
_SIGNED_STATUSES = frozenset({"signed", "active", "suspended"})


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    if entity.kind == "agreement":
        # The event types decide which rules can find anything: the events are dated and
        # replayed only where an accession can precede a signing or someone leaves.
        types = set(iter_event_types(entity.data))
        yield from _parties_named(entity)
        if "signed" in types and "accession" in types:
            yield from _accession_after_signing(entity)
        if not types.isdisjoint(LEAVES):
            yield from _leaves(entity)
        yield from _roles(entity)
        yield from _status(entity, types)


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
    """E001, in the order the events are replayed (`coopctl.membership.dated_events`): only
    signings and accessions are dated, the first signing is the one of the earliest day."""
    signings: list[tuple[date, int, PartialDate]] = []
    accessions: list[tuple[date, int, PartialDate]] = []
    events = entity.data["events"]
    for index, event in enumerate(events):
        kind = event.get("type") if isinstance(event, Mapping) else None
        if kind != "signed" and kind != "accession":  # noqa: PLR1714 (any value, even a list)
            continue
        raw_date = event.get("date")
        when = parse_partial_date(raw_date) if isinstance(raw_date, str) else None
        if when is not None:
            found = signings if kind == "signed" else accessions
            found.append((when.first, index, when))
    if not signings:
        return
    signed = min(signings)[2]
    for _first, index, when in sorted(accessions):
        if when.certainly_before(signed):
            yield entity_problem(
                "E001",
                entity,
                _("events[{index}]: accession on {date} is before the signing on {signed}").format(
                    index=index, date=when.text, signed=signed.text
                ),
                ["events", index, "date"],
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


def _status(entity: Entity, types: set[str]) -> Iterator[Problem]:
    status = entity.data.get("status")
    if not isinstance(status, str):
        return
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
