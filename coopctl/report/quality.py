"""The data-quality section: what the registry does not know, or knows only vaguely.

Nothing here is an error (coopctl validate reports those); these are the gaps an analyst
should see before quoting a number: entities without sources, dates known only to the month
or year, events without a source of their own, reviews that are missing or old, and
agreements that have been silent for years.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.membership import DatedEvent, dated_events
from coopctl.model import Entity
from coopctl.registry import Registry
from coopctl.report.fields import is_mapping
from coopctl.report.records import (
    EntityRef,
    Quality,
    QuietAgreement,
    Review,
    UnsourcedEvent,
    VagueDate,
)

ENDED_STATUSES = frozenset({"terminated", "expired", "dissolved", "superseded"})
# Lists whose items carry dates of facts, and the date fields of their items.
_DATED_LISTS: Mapping[str, tuple[str, ...]] = {
    "events": ("date",),
    "users": ("from", "until"),
    "contacts": ("from", "until"),
}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _ref(entity: Entity) -> EntityRef:
    return EntityRef(entity.kind, entity.id, entity.path)


def _indexed(registry: Registry) -> list[Entity]:
    return [
        e
        for kind in ("partner", "agreement", "solution")
        for _, e in sorted(registry.by_kind[kind].items())
    ]


def _has_sources(data: Mapping[str, Any]) -> bool:
    sources = data.get("sources")
    return isinstance(sources, list) and len(sources) > 0


def vague_dates(entity: Entity) -> Iterator[VagueDate]:
    """Dates of facts known only to the month or the year, with the note that explains them."""

    def check(value: Any, pointer: str, note: Any) -> Iterator[VagueDate]:
        parsed = parse_partial_date(value) if isinstance(value, str) else None
        if parsed is not None and parsed.precision != "day":
            yield VagueDate(
                entity.kind,
                entity.id,
                pointer,
                parsed.text,
                parsed.precision,
                note if isinstance(note, str) else None,
            )

    data = entity.data
    yield from check(data.get("last_reviewed"), "/last_reviewed", None)
    for list_key, fields in _DATED_LISTS.items():
        values = data.get(list_key)
        for index, item in enumerate(values if isinstance(values, list) else []):
            if is_mapping(item):
                for field in fields:
                    pointer = f"/{list_key}/{index}/{field}"
                    yield from check(item.get(field), pointer, item.get("note"))


def build_quality(
    registry: Registry,
    day: date,
    review_days: int,
    quiet_years: int,
    dated: Mapping[str, list[DatedEvent]] | None = None,
) -> Quality:
    """The gaps; `dated` holds each agreement's `dated_events` when the caller has read them."""
    entities = _indexed(registry)
    review_limit = day - timedelta(days=review_days)
    quiet_limit = years_before(day, quiet_years)
    unsourced_events = []
    for entity in registry.by_kind["agreement"].values():
        events = entity.data.get("events")
        for index, event in enumerate(events if isinstance(events, list) else []):
            if is_mapping(event) and not _has_sources(event):
                when, kind = event.get("date"), event.get("type")
                unsourced_events.append(
                    UnsourcedEvent(
                        entity.id,
                        f"/events/{index}",
                        when if isinstance(when, str) else None,
                        kind if isinstance(kind, str) else None,
                    )
                )
    never, outdated = [], []
    for entity in entities:
        reviewed = entity.data.get("last_reviewed")
        parsed = parse_partial_date(reviewed) if isinstance(reviewed, str) else None
        if parsed is None:
            never.append(_ref(entity))
        elif parsed.last < review_limit:
            outdated.append(Review(entity.kind, entity.id, parsed.text))
    quiet = []
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        status = entity.data.get("status")
        if status in ENDED_STATUSES:
            continue
        events = dated[agreement_id] if dated is not None else dated_events(entity.data)
        past = [e.date for e in events if not e.date.certainly_after(day)]
        latest = max(past, key=lambda d: d.last, default=None)
        if latest is None or latest.last < quiet_limit:
            quiet.append(
                QuietAgreement(
                    agreement_id,
                    latest.text if latest else None,
                    status if isinstance(status, str) else None,
                )
            )
    entity_paths = {e.path for e in registry.entities}
    return Quality(
        files_not_loaded=len({p.path for p in registry.load_problems} - entity_paths),
        without_sources=tuple(_ref(e) for e in entities if not _has_sources(e.data)),
        vague_dates=tuple(v for e in entities for v in vague_dates(e)),
        events_without_sources=tuple(
            sorted(unsourced_events, key=lambda u: (u.agreement, u.pointer))
        ),
        review_max_age_days=review_days,
        never_reviewed=tuple(never),
        review_outdated=tuple(outdated),
        quiet_years=quiet_years,
        quiet_agreements=tuple(quiet),
    )
