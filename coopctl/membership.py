"""Who belongs to an agreement, derived from its events.

`signed` and `accession` make partners parties, `withdrawal` ends that; `participant_joined`
and `participant_left` do the same for participants that are not parties (a state ministry
sitting at the table). Events are replayed in date order; on the same date a signing comes
before an accession, and joining before leaving. A vague date (2021) is read in favour of
what the events say: joins as early, leaves as late as the date allows.

A joining event may give its partners a `role` (lead, office; for participants also guest,
observer, advisory_member, funder): the membership it opens keeps it as its `function`. The
role does not change who belongs when: a partner that is already a member stays the member it
was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from coopctl.dates import PartialDate, parse_partial_date

PARTY, PARTICIPANT = "party", "participant"
JOINS: Mapping[str, str] = {"signed": PARTY, "accession": PARTY, "participant_joined": PARTICIPANT}
LEAVES: Mapping[str, str] = {"withdrawal": PARTY, "participant_left": PARTICIPANT}
# What council_decision, approval and publication events record besides partners and place.
EVENT_DETAILS = ("body", "authority", "gazette")
# The role (`function`) a joining event may give its partners (check E005).
ROLES_ANY_JOIN = frozenset({"lead", "office"})
PARTICIPANT_ROLES = frozenset({"guest", "observer", "advisory_member", "funder"})
# The status each ending event gives an agreement (check E003; add event sets it).
ENDING_STATUS: Mapping[str, str] = {
    "termination": "terminated",
    "dissolution": "dissolved",
    "supersession": "superseded",
}
ENDINGS = frozenset(ENDING_STATUS)
_SAME_DAY_ORDER = {
    "signed": 0,
    "accession": 1,
    "participant_joined": 1,
    "withdrawal": 2,
    "participant_left": 2,
}


@dataclass(frozen=True)
class DatedEvent:
    index: int
    date: PartialDate
    type: str
    partners: tuple[str, ...]
    role: str | None = None  # the event's `role` for its partners


@dataclass(frozen=True)
class Membership:
    partner: str
    role: str  # party or participant
    since: PartialDate
    until: PartialDate | None
    joined_event: int
    left_event: int | None
    function: str | None = None  # the joining event's role: lead, office, observer, ...

    def holds_on(self, day: date) -> bool:
        """Certainly joined by `day` and not certainly gone by then."""
        return self.since.certainly_by(day) and not (
            self.until is not None and self.until.certainly_by(day)
        )


@dataclass(frozen=True)
class OrphanLeave:
    """A leave event for a partner that did not belong at that time."""

    event_index: int
    partner: str
    role: str


def _replay_order(event: DatedEvent) -> tuple[object, ...]:
    """Where a date is vague, joins count from their first possible day and leaves from their
    last, so that a withdrawal in '2021' is not taken to precede an accession in '2021-03'."""
    day = event.date.last if event.type in LEAVES else event.date.first
    return (day, _SAME_DAY_ORDER.get(event.type, 3), event.index)


def dated_events(agreement: Mapping[str, Any]) -> list[DatedEvent]:
    """The events with a valid date and type, in replay order."""
    result = []
    events = agreement.get("events")
    for index, event in enumerate(events if isinstance(events, list) else []):
        if not isinstance(event, Mapping):
            continue
        raw_date = event.get("date")
        when = parse_partial_date(raw_date) if isinstance(raw_date, str) else None
        kind = event.get("type")
        if when is None or not isinstance(kind, str):
            continue
        partners = event.get("partners")
        ids = tuple(p for p in partners if isinstance(p, str)) if isinstance(partners, list) else ()
        role = event.get("role")
        result.append(DatedEvent(index, when, kind, ids, role if isinstance(role, str) else None))
    result.sort(key=_replay_order)
    return result


def replay(agreement: Mapping[str, Any]) -> tuple[list[Membership], list[OrphanLeave]]:
    """All membership periods of an agreement, and the leave events that had nobody to remove."""
    return replay_events(dated_events(agreement))


def replay_events(
    events: Iterable[DatedEvent],
) -> tuple[list[Membership], list[OrphanLeave]]:
    """`replay` of the agreement whose `dated_events` these are (for a caller that needs the
    events too and reads them once)."""
    open_periods: dict[tuple[str, str], tuple[PartialDate, int, str | None]] = {}
    closed: list[Membership] = []
    orphans: list[OrphanLeave] = []
    for event in events:
        if event.type in JOINS:
            role = JOINS[event.type]
            for partner in event.partners:
                open_periods.setdefault((partner, role), (event.date, event.index, event.role))
        elif event.type in LEAVES:
            role = LEAVES[event.type]
            for partner in event.partners:
                started = open_periods.pop((partner, role), None)
                if started is None:
                    orphans.append(OrphanLeave(event.index, partner, role))
                else:
                    since, index, function = started
                    closed.append(
                        Membership(partner, role, since, event.date, index, event.index, function)
                    )
    still_open = [
        Membership(partner, role, since, None, index, None, function)
        for (partner, role), (since, index, function) in open_periods.items()
    ]
    return closed + still_open, orphans


def memberships(agreement: Mapping[str, Any]) -> list[Membership]:
    return replay(agreement)[0]


def held_on(agreement: Mapping[str, Any], day: date) -> list[Membership]:
    """The memberships that certainly held on `day` (one replay of the events)."""
    return [m for m in memberships(agreement) if m.holds_on(day)]


def partners_of(held: Iterable[Membership], role: str = PARTY) -> list[str]:
    """Ids of the partners of `held` in `role`, sorted."""
    return sorted({m.partner for m in held if m.role == role})


def functions_of(held: Iterable[Membership]) -> dict[str, str]:
    """The role each partner of `held` was given, by partner id (partners without one are left
    out; a party's role before a participant's)."""
    return {m.partner: m.function for m in sorted(held, key=lambda m: m.role) if m.function}


def members_on(agreement: Mapping[str, Any], day: date, role: str = PARTY) -> list[str]:
    """Ids of the partners that certainly held `role` on `day`, sorted."""
    return partners_of(held_on(agreement, day), role)


def functions_on(agreement: Mapping[str, Any], day: date) -> dict[str, str]:
    """The role each partner certainly held on `day`, by partner id (partners without one are
    left out)."""
    return functions_of(held_on(agreement, day))


def iter_event_types(agreement: Mapping[str, Any]) -> Iterator[str]:
    events = agreement.get("events")
    for event in events if isinstance(events, list) else []:
        if isinstance(event, Mapping) and isinstance(event.get("type"), str):
            yield event["type"]
