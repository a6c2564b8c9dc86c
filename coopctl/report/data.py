"""From a Registry to the report model: pure functions, one per section.

Membership on the as-of date comes from coopctl.membership (the one replay of events);
partial dates are read with coopctl.dates. Nothing here prints or formats: the renderers
(markdown, html, the terminal in coopctl.cli.report) only lay out what this module counts.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat
from operator import neg
from typing import Any

from coopctl.membership import PARTY, DatedEvent, dated_events, replay_events
from coopctl.model import KINDS
from coopctl.registry import Registry
from coopctl.relations import role_holds
from coopctl.report.adoption import build_adoption
from coopctl.report.fields import is_mapping, items, strings, text
from coopctl.report.labels import AREAS
from coopctl.report.quality import build_quality
from coopctl.report.records import (
    SECTIONS,
    AgreementSummary,
    AreaRow,
    Areas,
    Count,
    Member,
    Names,
    Network,
    NetworkPartner,
    Overview,
    Pair,
    Report,
    Task,
    Timeline,
    TimelineEvent,
    YearRow,
)
from coopctl.sharing import shared

UNKNOWN = "unknown"
TIMELINE_TYPES = ("signed", "accession", "withdrawal", "meeting")


@dataclass(frozen=True)
class ReportOptions:
    as_of: date
    sections: tuple[str, ...] = SECTIONS
    rev: str | None = None
    review_max_age_days: int = 365
    quiet_years: int = 2


def for_report(data: dict[str, Any]) -> dict[str, Any]:
    """Of one entity's data what the report reads: all of it but the contents of `sources`
    (of the entity and of the items of its lists), of which the report only asks whether
    there are any; each becomes a list of as many empty items (one list for each length,
    shared: nothing changes the data). The sources of an agreement's events are most of what
    its file holds. Its short texts are `shared`."""
    kept = dict(data)
    for name, value in data.items():
        if name == "sources":
            kept[name] = _no_details(value)
        elif type(value) is list:
            kept[name] = [_item_without_sources(item) for item in value]
    return shared(kept)


def reduced_for_report() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """For `load_snapshot`: `for_report` for every kind."""
    return dict.fromkeys(KINDS, for_report)


def _item_without_sources(item: Any) -> Any:
    if type(item) is not dict or "sources" not in item:
        return item
    kept = dict(item)
    kept["sources"] = _no_details(item["sources"])
    return kept


def _no_details(value: Any) -> Any:
    if type(value) is not list:
        return value
    empty = _EMPTY.get(len(value))
    if empty is None:
        empty = _EMPTY[len(value)] = [None] * len(value)
    return empty


_EMPTY: dict[int, list[None]] = {}  # a list of n empty items, for each n


def counts(keys: Iterable[str]) -> tuple[Count, ...]:
    """Counts, the largest first; ties in the order of the keys."""
    tally = Counter(keys)
    return tuple(Count(k, n) for k, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _members(dated: Mapping[str, list[DatedEvent]], day: date) -> dict[str, list[Member]]:
    """Who belongs to each agreement on `day`, by agreement id."""
    result: dict[str, list[Member]] = {}
    for agreement_id, events in dated.items():
        rows = [
            Member(agreement_id, m.partner, m.role, m.since.text, m.function)
            for m in replay_events(events)[0]
            if m.holds_on(day)
        ]
        result[agreement_id] = sorted(rows, key=lambda m: (m.role != PARTY, m.partner))
    return result


def _tasks(registry: Registry, day: date) -> tuple[Task, ...]:
    """The tasks of every agreement's `roles` that hold on `day`."""
    found = []
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        for item in items(entity.data, "roles"):
            partner, role = text(item, "partner"), text(item, "role")
            if partner and role and role_holds(item, day):
                found.append(
                    Task(agreement_id, partner, role, text(item, "area"), text(item, "topic"))
                )
    return tuple(found)


def build_report(registry: Registry, options: ReportOptions) -> Report:
    # Each agreement's events are read and sorted once, for every section that needs them.
    dated = {i: dated_events(e.data) for i, e in sorted(registry.by_kind["agreement"].items())}
    members = _members(dated, options.as_of)
    builders: dict[str, Callable[[], object]] = {
        "overview": lambda: build_overview(registry, members, dated),
        "timeline": lambda: build_timeline(registry, dated, options.as_of),
        "network": lambda: build_network(registry, members, _tasks(registry, options.as_of)),
        "areas": lambda: build_areas(registry),
        "adoption": lambda: build_adoption(registry, members, options.as_of),
        "quality": lambda: build_quality(
            registry, options.as_of, options.review_max_age_days, options.quiet_years, dated
        ),
    }
    chosen = tuple(s for s in SECTIONS if s in options.sections)
    sections: dict[str, Any] = {name: builders[name]() for name in chosen}
    return Report(
        as_of=options.as_of.isoformat(),
        rev=options.rev,
        files=registry.file_count,
        sections=chosen,
        names=_names(registry),
        **sections,
    )


def _names(registry: Registry) -> Names:
    def named(kind: str, key: str) -> tuple[tuple[str, str], ...]:
        return tuple((i, text(e.data, key) or i) for i, e in sorted(registry.by_kind[kind].items()))

    partners = registry.by_kind["partner"]
    brief = [
        (i, text(e.data, "short_name") or text(e.data, "name") or i)
        for i, e in sorted(partners.items())
    ]
    # A short name two partners share (Stadt and Kreis Coesfeld are both "Coesfeld") would make
    # a list ambiguous: those partners are named in full.
    shared = Counter(label for _id, label in brief)
    short = tuple(
        (i, label if shared[label] == 1 else text(partners[i].data, "name") or i)
        for i, label in brief
    )
    agreements = registry.by_kind["agreement"]
    short_titles = tuple(
        (i, title)
        for i, e in sorted(agreements.items())
        if (title := text(e.data, "short_title")) is not None
    )
    return Names(
        named("partner", "name"),
        short,
        named("agreement", "title"),
        named("solution", "name"),
        short_titles,
    )


def build_overview(
    registry: Registry,
    members: Mapping[str, list[Member]],
    dated: Mapping[str, list[DatedEvent]],
) -> Overview:
    partners = [e.data for e in registry.by_kind["partner"].values()]
    agreements = registry.by_kind["agreement"]
    solutions = [e.data for e in registry.by_kind["solution"].values()]
    summaries = []
    for agreement_id, entity in sorted(agreements.items()):
        data = entity.data
        signed = next((e.date.text for e in dated[agreement_id] if e.type == "signed"), None)
        binding = data.get("binding")
        summaries.append(
            AgreementSummary(
                id=agreement_id,
                title=text(data, "title") or agreement_id,
                short_title=text(data, "short_title"),
                instrument=text(data, "instrument") or UNKNOWN,
                legal_form=text(data, "legal_form") or UNKNOWN,
                status=text(data, "status") or UNKNOWN,
                binding=str(binding).lower()
                if isinstance(binding, bool)
                else str(binding or UNKNOWN),
                signed=signed,
                parties=tuple(m.partner for m in members[agreement_id] if m.role == PARTY),
                participants=tuple(m.partner for m in members[agreement_id] if m.role != PARTY),
                areas=tuple(strings(data, "areas")),
                notes=text(data, "notes"),
            )
        )
    return Overview(
        entities=tuple(
            Count(k, len(registry.by_kind[k])) for k in ("partner", "agreement", "solution")
        ),
        partners_by_state=counts(text(p, "state") or UNKNOWN for p in partners),
        partners_by_type=counts(text(p, "type") or UNKNOWN for p in partners),
        agreements_by_instrument=counts(s.instrument for s in summaries),
        agreements_by_legal_form=counts(s.legal_form for s in summaries),
        agreements_by_status=counts(s.status for s in summaries),
        solutions_by_category=counts(text(s, "category") or UNKNOWN for s in solutions),
        solutions_by_status=counts(text(s, "status") or UNKNOWN for s in solutions),
        agreements=tuple(summaries),
    )


def build_timeline(
    registry: Registry, dated: Mapping[str, list[DatedEvent]], day: date
) -> Timeline:
    """Events that may have happened by `day` (their first possible day is not later)."""
    events: list[TimelineEvent] = []
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        raw = entity.data.get("events")
        for event in dated[agreement_id]:
            if event.date.certainly_after(day):
                continue
            source = raw[event.index] if isinstance(raw, list) else {}
            events.append(
                TimelineEvent(
                    date=event.date.text,
                    precision=event.date.precision,
                    type=event.type,
                    agreement=agreement_id,
                    partners=event.partners,
                    place=text(source, "place") if is_mapping(source) else None,
                )
            )
    events.sort(key=lambda e: (e.date, e.agreement, e.type))
    by_year: dict[int, Counter[str]] = {}
    for row in events:
        column = row.type if row.type in TIMELINE_TYPES else "other"
        by_year.setdefault(int(row.date[:4]), Counter())[column] += 1
    years = []
    if by_year:
        for year in range(min(by_year), max(by_year) + 1):
            tally = by_year.get(year, Counter())
            years.append(YearRow(year, *(tally[c] for c in (*TIMELINE_TYPES, "other"))))
    return Timeline(tuple(years), tuple(events))


# At most this many pairs are listed: an agreement of n parties makes n(n-1)/2 of them (60k
# for one of 350 parties), and pairs_total still counts them all.
PAIRS_LISTED = 1000


def build_network(
    registry: Registry, members: Mapping[str, list[Member]], tasks: tuple[Task, ...] = ()
) -> Network:
    """The cooperation network of the parties. Participants that are not parties (a state
    ministry at the table) are listed apart: they are no cooperation partners and form no
    pairs."""
    agreements_of: dict[str, set[str]] = {}
    taking_part: dict[str, set[str]] = {}
    parties_of: dict[str, list[str]] = {}
    for agreement_id, rows in members.items():
        parties = {m.partner for m in rows if m.role == PARTY}
        parties_of[agreement_id] = sorted(parties)
        for partner in parties:
            agreements_of.setdefault(partner, set()).add(agreement_id)
        for m in rows:
            if m.role != PARTY and m.partner not in parties:
                taking_part.setdefault(m.partner, set()).add(agreement_id)
    co_partners: dict[str, int] = {}
    listed = _first_pairs(agreements_of, parties_of, co_partners)
    order = {agreement_id: i for i, agreement_id in enumerate(members)}

    def node(partner: str, agreement_ids: set[str]) -> NetworkPartner:
        entity = registry.get("partner", partner)
        data = entity.data if entity else {}
        return NetworkPartner(
            id=partner,
            name=text(data, "name") or partner,
            state=text(data, "state"),
            type=text(data, "type"),
            agreements=tuple(sorted(agreement_ids)),
            co_partners=co_partners.get(partner, 0),
        )

    partners = [node(p, ids) for p, ids in agreements_of.items()]
    partners.sort(key=lambda p: (-len(p.agreements), -p.co_partners, p.id))
    participants = sorted((node(p, ids) for p, ids in taking_part.items()), key=lambda p: p.id)
    pairs_total = sum(co_partners.values()) // 2
    return Network(
        members=tuple(m for rows in members.values() for m in rows),
        partners=tuple(partners),
        pairs=tuple(
            Pair((a, b), tuple(sorted(agreements_of[a] & agreements_of[b], key=order.__getitem__)))
            for _shared, a, b in listed
        ),
        pairs_total=pairs_total,
        pairs_truncated=pairs_total > len(listed),
        in_several_agreements=tuple(p.id for p in partners if len(p.agreements) > 1),
        partners_without_agreement=tuple(
            p for p in registry.ids("partner") if p not in agreements_of and p not in taking_part
        ),
        participants=tuple(participants),
        tasks=tasks,
    )


def _first_pairs(
    agreements_of: Mapping[str, set[str]],
    parties_of: Mapping[str, list[str]],
    co_partners: dict[str, int],
) -> list[tuple[int, str, str]]:
    """The PAIRS_LISTED first pairs (shared agreements, partner, partner), most shared first,
    then by ids; fills `co_partners` with each party's number of distinct co-partners. One
    party's co-partners at a time are counted, so memory follows the largest union of member
    sets and the listed pairs, not the number of pairs."""

    def pairs() -> Iterator[tuple[int, str, str]]:
        """(-shared, partner, other): in tuple order, the order of the listed pairs."""
        for partner, agreement_ids in agreements_of.items():
            shared = Counter(chain.from_iterable(parties_of[a] for a in agreement_ids))
            del shared[partner]
            co_partners[partner] = len(shared)
            later = list(filter(partner.__lt__, shared))  # each pair once
            yield from zip(map(neg, map(shared.__getitem__, later)), repeat(partner), later)

    return [(-minus, a, b) for minus, a, b in heapq.nsmallest(PAIRS_LISTED, pairs())]


def build_areas(registry: Registry) -> Areas:
    covering: dict[str, list[str]] = {}
    without = []
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        areas = strings(entity.data, "areas")
        if not areas:
            without.append(agreement_id)
        for area in dict.fromkeys(areas):
            covering.setdefault(area, []).append(agreement_id)
    order = {area: rank for rank, area in enumerate(AREAS)}
    rows = sorted(covering.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return Areas(tuple(AreaRow(a, tuple(ids)) for a, ids in rows), tuple(without))
