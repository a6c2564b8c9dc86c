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
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.membership import PARTY, dated_events, memberships
from coopctl.registry import Registry
from coopctl.relations import role_holds
from coopctl.report.labels import AREAS, THEMENFELDER
from coopctl.report.quality import build_quality
from coopctl.report.records import (
    SECTIONS,
    Adoption,
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
    SolutionRow,
    Task,
    ThemenfeldRow,
    Timeline,
    TimelineEvent,
    Use,
    YearRow,
)

UNKNOWN = "unknown"
TIMELINE_TYPES = ("signed", "accession", "withdrawal", "meeting")


@dataclass(frozen=True)
class ReportOptions:
    as_of: date
    sections: tuple[str, ...] = SECTIONS
    rev: str | None = None
    review_max_age_days: int = 365
    quiet_years: int = 2


def text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def strings(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def counts(keys: Iterable[str]) -> tuple[Count, ...]:
    """Counts, the largest first; ties in the order of the keys."""
    tally = Counter(keys)
    return tuple(Count(k, n) for k, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))


def _members(registry: Registry, day: date) -> dict[str, list[Member]]:
    """Who belongs to each agreement on `day`, by agreement id."""
    result: dict[str, list[Member]] = {}
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        rows = [
            Member(agreement_id, m.partner, m.role, m.since.text, m.function)
            for m in memberships(entity.data)
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
    members = _members(registry, options.as_of)
    builders: dict[str, Callable[[], object]] = {
        "overview": lambda: build_overview(registry, members),
        "timeline": lambda: build_timeline(registry, options.as_of),
        "network": lambda: build_network(registry, members, _tasks(registry, options.as_of)),
        "areas": lambda: build_areas(registry),
        "adoption": lambda: build_adoption(registry, members, options.as_of),
        "quality": lambda: build_quality(
            registry, options.as_of, options.review_max_age_days, options.quiet_years
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
    short = tuple(
        (i, text(e.data, "short_name") or text(e.data, "name") or i)
        for i, e in sorted(partners.items())
    )
    return Names(
        named("partner", "name"), short, named("agreement", "title"), named("solution", "name")
    )


def build_overview(registry: Registry, members: Mapping[str, list[Member]]) -> Overview:
    partners = [e.data for e in registry.by_kind["partner"].values()]
    agreements = registry.by_kind["agreement"]
    solutions = [e.data for e in registry.by_kind["solution"].values()]
    summaries = []
    for agreement_id, entity in sorted(agreements.items()):
        data = entity.data
        signed = next((e.date.text for e in dated_events(data) if e.type == "signed"), None)
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


def build_timeline(registry: Registry, day: date) -> Timeline:
    """Events that may have happened by `day` (their first possible day is not later)."""
    events: list[TimelineEvent] = []
    for agreement_id, entity in sorted(registry.by_kind["agreement"].items()):
        raw = entity.data.get("events")
        for event in dated_events(entity.data):
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
                    place=text(source, "place") if isinstance(source, Mapping) else None,
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
        for partner, agreement_ids in agreements_of.items():
            shared = Counter(other for a in agreement_ids for other in parties_of[a])
            del shared[partner]
            co_partners[partner] = len(shared)
            yield from ((n, partner, other) for other, n in shared.items() if partner < other)

    return heapq.nsmallest(PAIRS_LISTED, pairs(), key=lambda pair: (-pair[0], pair[1], pair[2]))


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


def build_adoption(registry: Registry, members: Mapping[str, list[Member]], day: date) -> Adoption:
    agreements_of: dict[str, set[str]] = {}
    for agreement_id, rows in members.items():
        for m in rows:
            agreements_of.setdefault(m.partner, set()).add(agreement_id)
    uses: list[Use] = []
    solutions: list[SolutionRow] = []
    themen: dict[str, set[str]] = {t: set() for t in THEMENFELDER}
    for solution_id, entity in sorted(registry.by_kind["solution"].items()):
        data = entity.data
        mine = [u for u in (_use(solution_id, user, day) for user in items(data, "users")) if u]
        uses.extend(mine)
        shared_under = tuple(sorted(set(strings(data, "agreements"))))
        efa = isinstance(data.get("efa"), Mapping)
        linked = set(shared_under)
        for use in mine:
            if not use.ended:
                linked |= agreements_of.get(use.partner, set())
        solutions.append(
            SolutionRow(
                id=solution_id,
                name=text(data, "name") or solution_id,
                category=text(data, "category"),
                status=text(data, "status"),
                provider=text(data, "provider"),
                operator=text(data, "operator"),
                users=tuple(sorted({u.partner for u in mine})),
                agreements=tuple(sorted(linked)),
                used_across_agreements=len(linked) > 1,
                shared_under=shared_under,
                efa=efa,
                sharing=_sharing(bool(shared_under), efa),
            )
        )
        for themenfeld in _themenfelder(data):
            themen.setdefault(themenfeld, set()).add(solution_id)
    covered = tuple(ThemenfeldRow(t, tuple(sorted(ids))) for t, ids in themen.items())
    return Adoption(tuple(uses), tuple(solutions), covered, sum(1 for r in covered if r.solutions))


def _sharing(under_agreement: bool, efa: bool) -> str:
    """How a solution is shared: under an agreement of its users, as an Einer-für-Alle service
    that others reuse without one, both, or neither (used by several on their own)."""
    if under_agreement:
        return "agreement_and_efa" if efa else "agreement"
    return "efa" if efa else "none"


def _use(solution_id: str, user: Mapping[str, Any], day: date) -> Use | None:
    """One partner's use of a solution, unless it certainly starts after `day`."""
    partner = text(user, "partner")
    if partner is None:
        return None
    since, until = text(user, "from"), text(user, "until")
    start = parse_partial_date(since) if since else None
    end = parse_partial_date(until) if until else None
    if start is not None and start.certainly_after(day):
        return None
    ended = end is not None and end.certainly_by(day)
    return Use(solution_id, partner, text(user, "status"), since, until, ended)


def _themenfelder(data: Mapping[str, Any]) -> set[str]:
    ozg = data.get("ozg")
    if not isinstance(ozg, Mapping):
        return set()
    found = {t for t in [text(ozg, "themenfeld")] if t}
    found |= {t for leika in items(ozg, "leika") if (t := text(leika, "themenfeld"))}
    return found
