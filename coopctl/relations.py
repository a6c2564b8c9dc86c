"""Relations that no single file states, derived "as of" a day.

Who belongs to which agreement comes from `coopctl.membership` (the one replay of agreement
events); partial dates are read as `coopctl.dates` reads them. On top of that:

* a partner's agreements with its role and period, the solutions it provides, operates, uses;
* an agreement's members and participants over time, its events as a timeline, its solutions;
* a solution's users by status and period.

A solution user counts on a day when its status is pilot or production (or retired with an
`until` after the day), it certainly started by then (`from`; no `from` means the start is not
recorded and the use counts) and it had not certainly ended (`until`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coopctl.dates import PartialDate, parse_partial_date, parse_query_date
from coopctl.errors import UsageError
from coopctl.i18n import _
from coopctl.membership import (
    EVENT_DETAILS,
    PARTICIPANT,
    PARTY,
    dated_events,
    functions_of,
    held_on,
    memberships,
    partners_of,
)
from coopctl.model import KINDS, Entity
from coopctl.registry import Registry

IN_USE = frozenset({"pilot", "production"})


def as_of(text: str | None, today: date) -> date:
    """The day a query answers for: --at (YYYY, YYYY-MM, YYYY-MM-DD, 'today'), else today."""
    if text is None or text.strip().lower() == "today":
        return today
    try:
        return parse_query_date(text)
    except ValueError as exc:
        raise UsageError(
            _("--at: {reason}").format(reason=exc),
            hint=_("for example --at 2021-05-01, --at 2021-05 or --at 2021"),
        ) from None


def _date(value: object) -> PartialDate | None:
    return parse_partial_date(value) if isinstance(value, str) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def use_holds_on(entry: Mapping[str, Any], day: date) -> bool:
    """Whether one `users` entry of a solution was a use of it on `day`."""
    status = entry.get("status")
    since, until = _date(entry.get("from")), _date(entry.get("until"))
    if status not in IN_USE and not (status == "retired" and until is not None):
        return False
    if since is not None and not since.certainly_by(day):
        return False
    return not (until is not None and until.certainly_by(day))


def _users(solution: Entity) -> list[Mapping[str, Any]]:
    users = solution.data.get("users")
    if not isinstance(users, list):
        return []
    return [u for u in users if isinstance(u, Mapping) and isinstance(u.get("partner"), str)]


def _ids(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# What `build_relations` reads of each kind's data: a command that needs the full data of
# one kind only (`list KIND`) keeps of the others no more than this (`for_relations`).
_EVENT_FIELDS = ("date", "type", "partners", "role")
_USER_FIELDS = ("partner", "status", "from", "until")
_KEPT: Mapping[str, Mapping[str, tuple[str, ...] | None]] = {
    "partner": {"id": None},
    "agreement": {"id": None, "events": _EVENT_FIELDS},
    "solution": {
        "id": None,
        "users": _USER_FIELDS,
        "agreements": None,
        "provider": None,
        "operator": None,
    },
}


def for_relations(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Of one entity's data only what `build_relations` reads, the texts of the items kept
    interned (the same partner ids, dates and types recur in thousands of files): the same
    relations, a small part of the memory."""
    kept: dict[str, Any] = {}
    for name, fields in _KEPT.get(kind, {}).items():
        if name not in data:
            continue
        value = data[name]
        if fields is not None and isinstance(value, list):
            value = [_kept_item(item, fields) for item in value]
        elif isinstance(value, list):
            value = [_interned(item) for item in value]
        kept[name] = _interned(value)
    return kept


Reduce = Callable[[dict[str, Any]], dict[str, Any]]


def relations_only(kind: str) -> dict[str, Reduce]:
    """For `load_snapshot`: all of the data of `kind` (its short texts `shared`), of the other
    kinds `for_relations`."""
    from coopctl.sharing import shared

    reduce: dict[str, Reduce] = {
        other: functools.partial(for_relations, other) for other in KINDS if other != kind
    }
    reduce[kind] = shared
    return reduce


# What the views of `show` read of the entities around the one shown, beyond the relations:
# their names, and the tasks of each agreement's `roles` (a partner's tasks).
_NAMED = ("short_title", "name", "title")
_SHOWN: Mapping[str, tuple[str, ...]] = {
    "partner": _NAMED,
    "agreement": (*_NAMED, "roles"),
    "solution": _NAMED,
}


def for_show(kinds: tuple[str, ...], entity_id: str) -> dict[str, Reduce]:
    """For `load_snapshot`: the whole data of the entities `show` may show (those of `kinds`
    that declare `entity_id`, or no text id, so that their id is the file name's), of all
    others what the relations and the views read."""
    return {
        kind: functools.partial(_for_show, kind, entity_id if kind in kinds else None)
        for kind in KINDS
    }


def _for_show(kind: str, wanted: str | None, data: dict[str, Any]) -> dict[str, Any]:
    declared = data.get("id")
    if wanted is not None and (declared == wanted or not isinstance(declared, str)):
        return data
    kept = for_relations(kind, data)
    kept.update((name, data[name]) for name in _SHOWN[kind] if name in data)
    return kept


def _kept_item(item: object, fields: tuple[str, ...]) -> object:
    if not isinstance(item, dict):
        return None  # no mapping: skipped by the replay and the uses alike
    kept: dict[str, Any] = {}
    for name in fields:
        if name in item:
            value = item[name]
            if isinstance(value, list):
                value = [_interned(v) for v in value]
            kept[name] = _interned(value)
    return kept


def _interned(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


@dataclass(frozen=True)
class Relations:
    """The registry's relations on one day, indexed both ways; built once per command."""

    day: date
    parties: Mapping[str, tuple[str, ...]]
    participants: Mapping[str, tuple[str, ...]]
    agreements_of_partner: Mapping[str, tuple[tuple[str, str], ...]]
    users_of_solution: Mapping[str, tuple[str, ...]]
    solutions_of_agreement: Mapping[str, tuple[str, ...]]
    role_of_solution: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # agreement id -> partner id -> the role its joining event gave it (lead, office, ...)
    functions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # partner id -> the agreements it is a party to on the day, built once so that a
    # solution's user agreements cost its users' agreements, not a scan of all agreements
    party_agreements: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def agreements(self, partner: str, role: str = PARTY) -> list[str]:
        return [a for a, r in self.agreements_of_partner.get(partner, ()) if r == role]

    def cooperates_with(self, partner: str) -> list[str]:
        """Partners that share an agreement with `partner` on the day, as party or participant."""
        others: set[str] = set()
        for agreement, _role in self.agreements_of_partner.get(partner, ()):
            others.update(self.parties.get(agreement, ()))
            others.update(self.participants.get(agreement, ()))
        others.discard(partner)
        return sorted(others)

    def user_agreements(self, solution: str) -> list[str]:
        """Agreements that have a party using `solution` on the day."""
        found: set[str] = set()
        for user in self.users_of_solution.get(solution, ()):
            found.update(self.party_agreements.get(user, ()))
        return sorted(found)

    def solutions_of(self, partner: str, role: str) -> list[str]:
        """Solutions `partner` provides, operates or (on the day) uses."""
        return list(self.role_of_solution.get(partner, {}).get(role, ()))


def build_relations(registry: Registry, day: date) -> Relations:
    parties: dict[str, tuple[str, ...]] = {}
    participants: dict[str, tuple[str, ...]] = {}
    by_partner: dict[str, list[tuple[str, str]]] = {}
    functions: dict[str, dict[str, str]] = {}
    for agreement in sorted(registry.by_kind.get("agreement", {}).values(), key=lambda e: e.id):
        held = held_on(agreement.data, day)  # one replay of its events
        functions[agreement.id] = functions_of(held)
        parties[agreement.id] = tuple(partners_of(held, PARTY))
        participants[agreement.id] = tuple(partners_of(held, PARTICIPANT))
        for role, members in ((PARTY, parties), (PARTICIPANT, participants)):
            for partner in members[agreement.id]:
                by_partner.setdefault(partner, []).append((agreement.id, role))
    users: dict[str, tuple[str, ...]] = {}
    of_agreement: dict[str, list[str]] = {}
    roles: dict[str, dict[str, list[str]]] = {}
    for solution in sorted(registry.by_kind.get("solution", {}).values(), key=lambda e: e.id):
        users[solution.id] = tuple(
            sorted({u["partner"] for u in _users(solution) if use_holds_on(u, day)})
        )
        for agreement_id in _ids(solution.data.get("agreements")):
            of_agreement.setdefault(agreement_id, []).append(solution.id)
        for role in ("provider", "operator"):
            holder = solution.data.get(role)
            if isinstance(holder, str):
                roles.setdefault(holder, {}).setdefault(role, []).append(solution.id)
        for user in users[solution.id]:
            roles.setdefault(user, {}).setdefault("user", []).append(solution.id)
    return Relations(
        day,
        parties,
        participants,
        {p: tuple(a) for p, a in by_partner.items()},
        users,
        {a: tuple(s) for a, s in of_agreement.items()},
        {p: {r: tuple(s) for r, s in rs.items()} for p, rs in roles.items()},
        functions,
        {p: tuple(a for a, role in held if role == PARTY) for p, held in by_partner.items()},
    )


def member_roles(entity: Entity, relations: Relations) -> list[str]:
    """`partner: role` for each role held on the day: the role a joining event gave (lead,
    observer) and the tasks of the agreement's `roles` (with their area or topic)."""
    found = [f"{p}: {f}" for p, f in sorted(relations.functions.get(entity.id, {}).items())]
    items = entity.data.get("roles")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping) or not isinstance(item.get("partner"), str):
            continue
        if not role_holds(item, relations.day):
            continue
        where = ", ".join(str(item[k]) for k in ("area", "topic") if isinstance(item.get(k), str))
        task = f"{item.get('role')} ({where})" if where else str(item.get("role"))
        found.append(f"{item.get('partner')}: {task}")
    return found


def role_holds(item: Mapping[str, Any], day: date) -> bool:
    """A task of `roles` holds on `day` unless it certainly started later or ended before."""
    since, until = _date(item.get("from")), _date(item.get("until"))
    if since is not None and not since.certainly_by(day):
        return False
    return not (until is not None and until.certainly_by(day))


# --- views for `show` --------------------------------------------------------------------------


def _name(registry: Registry, kind: str, entity_id: str) -> str | None:
    entity = registry.get(kind, entity_id)
    if entity is None:
        return None
    for key in ("short_title", "name", "title"):
        value = entity.data.get(key)
        if isinstance(value, str):
            return value
    return None


def _known_by(text: str | None, day: date) -> str | None:
    """A date as it was known on `day`: a date that may still lie ahead is not shown."""
    parsed = _date(text)
    return text if parsed is not None and parsed.first <= day else None


def partner_view(registry: Registry, relations: Relations, partner: Entity) -> dict[str, Any]:
    day = relations.day
    periods = []
    for agreement in sorted(registry.by_kind.get("agreement", {}).values(), key=lambda e: e.id):
        for period in memberships(agreement.data):
            if period.partner != partner.id or period.since.first > day:
                continue
            periods.append(
                {
                    "agreement": agreement.id,
                    "name": _name(registry, "agreement", agreement.id),
                    "role": period.role,
                    "function": period.function,
                    "from": period.since.text,
                    "until": _known_by(period.until.text if period.until else None, day),
                    "current": period.holds_on(day),
                }
            )
    uses = []
    for solution in sorted(registry.by_kind.get("solution", {}).values(), key=lambda e: e.id):
        for entry in _users(solution):
            if entry["partner"] == partner.id:
                uses.append(
                    {
                        "solution": solution.id,
                        "name": _name(registry, "solution", solution.id),
                        "status": _text(entry.get("status")),
                        "from": _text(entry.get("from")),
                        "until": _text(entry.get("until")),
                        "current": use_holds_on(entry, day),
                    }
                )
    tasks = [
        {"agreement": agreement.id, **{k: v for k, v in task.items() if k not in {"partner"}}}
        for agreement in sorted(registry.by_kind.get("agreement", {}).values(), key=lambda e: e.id)
        for task in _roles(registry, agreement, day)
        if task["partner"] == partner.id
    ]
    for task in tasks:
        task["name"] = _name(registry, "agreement", task["agreement"])
    return {
        "agreements": sorted(periods, key=lambda p: (p["agreement"], p["from"])),
        "tasks": tasks,
        "cooperates_with": relations.cooperates_with(partner.id),
        "provides": relations.solutions_of(partner.id, "provider"),
        "operates": relations.solutions_of(partner.id, "operator"),
        "uses": uses,
    }


def agreement_view(registry: Registry, relations: Relations, agreement: Entity) -> dict[str, Any]:
    day = relations.day
    periods = [
        {
            "partner": period.partner,
            "name": _name(registry, "partner", period.partner),
            "role": period.role,
            "function": period.function,
            "from": period.since.text,
            "until": _known_by(period.until.text if period.until else None, day),
            "current": period.holds_on(day),
        }
        for period in memberships(agreement.data)
        if period.since.first <= day
    ]
    raw_events = agreement.data.get("events")
    timeline = []
    later = 0
    for event in dated_events(agreement.data):
        if event.date.first > day:
            later += 1
            continue
        raw = raw_events[event.index] if isinstance(raw_events, list) else {}
        signatories = raw.get("signatories")
        timeline.append(
            {
                "date": event.date.text,
                "type": event.type,
                "partners": list(event.partners),
                "role": event.role,
                **{key: _text(raw.get(key)) for key in EVENT_DETAILS},
                "place": _text(raw.get("place")),
                "signatories": [
                    {k: s.get(k) for k in ("name", "role", "on_behalf_of")}
                    for s in (signatories if isinstance(signatories, list) else [])
                    if isinstance(s, Mapping)
                ],
                "note": _text(raw.get("note")),
            }
        )
    return {
        "members": list(relations.parties.get(agreement.id, ())),
        "participants": list(relations.participants.get(agreement.id, ())),
        "memberships": sorted(periods, key=lambda p: (p["from"], p["role"], p["partner"])),
        "roles": _roles(registry, agreement, day),
        "timeline": timeline,
        "later_events": later,
        "solutions": [
            {"solution": s, "name": _name(registry, "solution", s)}
            for s in relations.solutions_of_agreement.get(agreement.id, ())
        ],
    }


def _roles(registry: Registry, agreement: Entity, day: date) -> list[dict[str, Any]]:
    """The agreement's `roles` (tasks per field of work) known by `day`, with whether each
    held on the day."""
    items = agreement.data.get("roles")
    result = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping) or not isinstance(item.get("partner"), str):
            continue
        since = _date(item.get("from"))
        if since is not None and since.first > day:
            continue
        result.append(
            {
                "partner": item["partner"],
                "name": _name(registry, "partner", item["partner"]),
                "role": _text(item.get("role")),
                "area": _text(item.get("area")),
                "topic": _text(item.get("topic")),
                "from": _text(item.get("from")),
                "until": _known_by(_text(item.get("until")), day),
                "current": role_holds(item, day),
            }
        )
    return result


def solution_view(registry: Registry, relations: Relations, solution: Entity) -> dict[str, Any]:
    by_status: dict[str, list[dict[str, Any]]] = {}
    for entry in _users(solution):
        status = _text(entry.get("status")) or "unknown"
        by_status.setdefault(status, []).append(
            {
                "partner": entry["partner"],
                "name": _name(registry, "partner", entry["partner"]),
                "from": _text(entry.get("from")),
                "until": _text(entry.get("until")),
                "current": use_holds_on(entry, relations.day),
                "maturity": _mapping(entry.get("maturity")),
            }
        )
    roles = {}
    for role in ("provider", "operator"):
        partner = _text(solution.data.get(role))
        roles[role] = (
            {"partner": partner, "name": _name(registry, "partner", partner)} if partner else None
        )
    return {
        **roles,
        "used_by": list(relations.users_of_solution.get(solution.id, ())),
        "users": by_status,
        "agreements": [
            {"agreement": a, "name": _name(registry, "agreement", a)}
            for a in _ids(solution.data.get("agreements"))
        ],
        "user_agreements": relations.user_agreements(solution.id),
        "efa": _efa_view(registry, solution.data.get("efa")),
        "components": [dict(item) for item in _list(solution.data.get("components"))],
    }


def _mapping(value: object) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, Mapping) else None


def _list(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _efa_view(registry: Registry, efa: object) -> dict[str, Any] | None:
    """The EfA facts of a solution, with the federal partner's name; None for no efa."""
    if not isinstance(efa, Mapping):
        return None
    partner = _text(efa.get("federal_partner"))
    return {
        "implementing_state": _text(efa.get("implementing_state")),
        "adopting_states": [
            {"state": _text(item.get("state")), "from": _text(item.get("from"))}
            for item in _list(efa.get("adopting_states"))
        ],
        "federal_partner": (
            {"partner": partner, "name": _name(registry, "partner", partner)} if partner else None
        ),
        "channels": _ids(efa.get("channels")),
        "focus_service": efa.get("focus_service")
        if isinstance(efa.get("focus_service"), bool)
        else None,
        "fit_store_url": _text(efa.get("fit_store_url")),
    }
