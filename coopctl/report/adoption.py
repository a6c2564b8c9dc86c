"""The adoption section: who uses which solution, under which agreements, and how it is shared.

A solution's agreements are its own (`agreements`, those it is shared under) and those its
current users belong to. In a national registry a partner belongs to dozens of agreements, so
that union grows with users × agreements per user: it is counted in full, and the
AGREEMENTS_LISTED with the most of the solution's users are listed.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from datetime import date
from itertools import chain
from operator import neg
from typing import Any

from coopctl.dates import parse_partial_date
from coopctl.registry import Registry
from coopctl.report.fields import items, strings, text
from coopctl.report.labels import THEMENFELDER
from coopctl.report.records import Adoption, Member, SolutionRow, ThemenfeldRow, Use

# Far above what a solution of the bundled registry has (two); `agreements_total` counts all.
AGREEMENTS_LISTED = 50


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
        current = {use.partner for use in mine if not use.ended}
        linked = Counter(chain.from_iterable(agreements_of.get(p, ()) for p in current))
        for agreement_id in shared_under:
            linked[agreement_id] += 0  # its own agreements count even without a user in them
        listed = _most_users(linked)
        solutions.append(
            SolutionRow(
                id=solution_id,
                name=text(data, "name") or solution_id,
                category=text(data, "category"),
                status=text(data, "status"),
                provider=text(data, "provider"),
                operator=text(data, "operator"),
                users=tuple(sorted({u.partner for u in mine})),
                agreements=listed,
                agreements_total=len(linked),
                agreements_truncated=len(linked) > len(listed),
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


def _most_users(linked: Counter[str]) -> tuple[str, ...]:
    """The AGREEMENTS_LISTED agreements with the most users, listed in the order of their ids."""
    if len(linked) > AGREEMENTS_LISTED:
        most = zip(map(neg, linked.values()), linked, strict=True)  # (-users, id)
        ranked = heapq.nsmallest(AGREEMENTS_LISTED, most)
        return tuple(sorted(agreement_id for _, agreement_id in ranked))
    return tuple(sorted(linked))


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
