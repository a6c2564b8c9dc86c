"""coopctl show."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coopctl.cli.options import AtOption, NoCacheOption, RevOption, RootOption
from coopctl.cli.words import kind_word
from coopctl.i18n import N_, _, ngettext
from coopctl.localformat import format_date

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from coopctl.model import Entity
    from coopctl.registry import Registry


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


_FACTS = {
    "partner": (
        "name",
        "short_name",
        "type",
        "gv_type",
        "special_status",
        "legal_form",
        "state",
        "states",
        "ars",
        "ags",
        "parent",
        "owners",
        "dissolved",
        "successor",
        "website",
    ),
    "agreement": (
        "title",
        "short_title",
        "instrument",
        "legal_form",
        "legal_basis",
        "task_transfer",
        "binding",
        "status",
        "areas",
    ),
    "solution": (
        "name",
        "category",
        "status",
        "launched",
        "license",
        "repository",
        "publiccode_url",
        "website",
    ),
}


HELP = _(
    "Show one entity and the relations derived for it.\n"
    "\n"
    "A partner: its agreements with role and period, partners it cooperates with, the\n"
    "solutions it provides, operates and uses. An agreement: members and participants over\n"
    "time, its events as a timeline, its solutions. A solution: its users by status (with\n"
    "their OZG maturity), its EfA facts (implementing and adopting Länder, federal partner,\n"
    "channels, focus service) and its components. Relations are as of --at (default today).\n"
    "\n"
    "Exit status: 0 shown, 1 no such entity, 2 usage error (also an id that several kinds\n"
    "have: write KIND:ID).\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl show landkreis-gifhorn\n"
    "\n"
    "  coopctl show braunschweig-salzgitter-wolfsburg --at 2021-01-01\n"
    "\n"
    "  coopctl show solution:ewa --format json"
)


def show(
    entity_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=_("An entity id (kind inferred when only one kind has it) or KIND:ID."),
        ),
    ],
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help=_("text or json."))
    ] = ShowFormat.text,
    at: AtOption = None,
    rev: RevOption = None,
    no_cache: NoCacheOption = False,
    root: RootOption = None,
) -> None:
    """Show one entity and the relations derived for it."""
    from datetime import date

    from coopctl.cli.output import warn_unloaded
    from coopctl.registry import find_root
    from coopctl.relations import (
        agreement_view,
        as_of,
        build_relations,
        for_show,
        partner_view,
        solution_view,
    )
    from coopctl.snapshot import load_around, load_snapshot

    day = as_of(at, date.today())
    registry_root = find_root(root)
    kinds, wanted = wanted_entity(entity_id)
    # The entity and its neighbours from the index; the whole registry when that cannot be.
    registry = load_around(registry_root, rev, kinds, wanted, cache=not no_cache)
    if registry is None:
        registry = load_snapshot(
            registry_root, rev, cache=not no_cache, reduce=for_show(kinds, wanted)
        )
    warn_unloaded(registry)
    entity = resolve(registry, entity_id)
    relations = build_relations(registry, day)
    view = {"partner": partner_view, "agreement": agreement_view, "solution": solution_view}
    derived = view[entity.kind](registry, relations, entity)
    from coopctl.cli.output import make_console
    from coopctl.escaping import write_json

    console = make_console()
    if output_format is ShowFormat.json:
        document = {
            "kind": entity.kind,
            "id": entity.id,
            "path": entity.path,
            "as_of": day.isoformat(),
            "data": entity.data,
            "relations": derived,
        }
        write_json(document, console.file)
        return
    _print_text(console, entity, derived, day.isoformat())


def wanted_entity(text: str) -> tuple[tuple[str, ...], str]:
    """The kinds and the id an argument names: ID (any kind) or KIND:ID."""
    from coopctl.errors import UsageError
    from coopctl.query import KIND_NAMES

    wanted = text.strip()
    if ":" not in wanted:
        return ("partner", "agreement", "solution"), wanted
    prefix, wanted = wanted.split(":", 1)
    kind = KIND_NAMES.get(prefix.strip().lower())
    if kind is None:
        raise UsageError(
            _("'{text}': unknown kind '{prefix}'").format(text=text, prefix=prefix),
            hint=_("write partner:ID, agreement:ID or solution:ID"),
        )
    return (kind,), wanted.strip()


def resolve(registry: Registry, text: str) -> Entity:
    """The entity an argument names: ID when one kind has it, KIND:ID otherwise."""
    import difflib

    from coopctl.errors import CoopctlError, UsageError

    kinds, wanted = wanted_entity(text)
    found = [e for kind in kinds if (e := registry.get(kind, wanted)) is not None]
    if len(found) == 1:
        return found[0]
    if found:
        choices = _(" or ").join(f"{e.kind}:{e.id}" for e in found)
        raise UsageError(
            _("'{id}' is the id of several entities").format(id=wanted),
            hint=_("write {choices}").format(choices=choices),
        )
    every = sorted({i for kind in kinds for i in registry.ids(kind)})
    close = [i for i in every if wanted and wanted in i][:3] or difflib.get_close_matches(
        wanted, every, n=3, cutoff=0.6
    )
    if len(kinds) == 1:
        message = _(_NO_ENTITY[kinds[0]])
    else:
        message = _("no partner, agreement or solution has the id '{id}'")
    raise CoopctlError(
        message.format(id=wanted),
        hint=_("did you mean {choices}?").format(choices=", ".join(repr(c) for c in close))
        if close
        else _("list the ids with 'coopctl list partners --format ids'"),
        code="not-found",
    )


_NO_ENTITY = {
    "partner": N_("no partner has the id '{id}'"),
    "agreement": N_("no agreement has the id '{id}'"),
    "solution": N_("no solution has the id '{id}'"),
}


def _period(item: dict[str, Any]) -> str:
    since, until = item.get("from"), item.get("until")
    if since is None and until is None:
        return _("period not recorded")
    return f"{format_date(since) or '?'} – {format_date(until)}".rstrip()


def _print_text(console: Console, entity: Entity, derived: dict[str, Any], day: str) -> None:
    from rich.text import Text

    from coopctl.escaping import plain

    def out(text: str = "", style: str | None = None) -> None:
        """One line, escaped as a whole: registry text in it cannot start a new line."""
        console.print(Text(plain(text), style=style or ""))

    out(f"{kind_word(entity.kind)} {entity.id}", "bold")
    for key in _FACTS[entity.kind]:
        value = entity.data.get(key)
        if key == "owners" and isinstance(value, list):
            value = [_owner(item) for item in value]
        if value is not None:
            out(f"  {key}: {' '.join(_fact_text(value).split())}")
    out("  " + _("file: {path}").format(path=entity.path))
    out()
    out(_("As of {date}").format(date=format_date(day)), "bold")
    printer = {"partner": _partner_text, "agreement": _agreement_text, "solution": _solution_text}
    printer[entity.kind](out, derived)


def _fact_text(value: Any) -> str:
    """A fact on one line; a group of fields (legal_basis) as `key: value; key: value`."""
    from coopctl.query import cell_text

    if isinstance(value, dict):
        return "; ".join(f"{key}: {cell_text(item)}" for key, item in value.items())
    return cell_text(value)


def _owner(item: Any) -> Any:
    """One Träger as a word: its partner id, its Land or its name (what the item gives)."""
    if isinstance(item, dict):
        return next((item[k] for k in ("partner", "state", "name") if item.get(k)), item)
    return item


def _named(key: str, item: dict[str, Any]) -> str:
    name = item.get("name")
    if name:
        return f"{item[key]} ({name})"
    return _("{id} (not in the registry)").format(id=item[key])


def _listed(items: list[str], empty: str) -> str:
    return ", ".join(items) or empty


def _partner_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    out(_("Agreements:"))
    for item in derived["agreements"]:
        state = _("member") if item["current"] else _("not a member")
        out(f"  {_named('agreement', item)}: {_with_function(item)}, {_period(item)}; {state}")
    if not derived["agreements"]:
        out("  " + _("none"))
    if derived["tasks"]:
        out(_("Roles:"))
    for item in derived["tasks"]:
        out(f"  {_named('agreement', item)}: {_task(item)}, {_period(item)}")
    out(_("Cooperates with: {ids}").format(ids=_listed(derived["cooperates_with"], _("nobody"))))
    out(_("Provides: {ids}").format(ids=_listed(derived["provides"], _("nothing"))))
    out(_("Operates: {ids}").format(ids=_listed(derived["operates"], _("nothing"))))
    out(_("Uses:"))
    for item in derived["uses"]:
        state = _("in use") if item["current"] else _("not in use")
        out(f"  {_named('solution', item)}: {item['status']}, {_period(item)}; {state}")
    if not derived["uses"]:
        out("  " + _("nothing"))


def _agreement_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    out(_("Members: {ids}").format(ids=_listed(derived["members"], _("none"))))
    out(_("Participants: {ids}").format(ids=_listed(derived["participants"], _("none"))))
    out(_("Membership over time:"))
    for item in derived["memberships"]:
        out(f"  {_named('partner', item)}: {_with_function(item)}, {_period(item)}")
    if not derived["memberships"]:
        out("  " + _("none"))
    if derived["roles"]:
        out(_("Roles:"))
    for item in derived["roles"]:
        out(f"  {_named('partner', item)}: {_task(item)}, {_period(item)}")
    out(_("Timeline:"))
    for event in derived["timeline"]:
        partners = f": {', '.join(event['partners'])}" if event["partners"] else ""
        place = f" ({event['place']})" if event["place"] else ""
        out(f"  {format_date(event['date'])}  {event['type']}{partners}{place}")
        for key in ("role", "body", "authority", "gazette"):
            if event[key]:
                out(f"      {key}: {event[key]}")
        for person in event["signatories"]:
            signed = _("signed by {name}, {role}, for {on_behalf_of}").format(
                name=person["name"], role=person["role"], on_behalf_of=person["on_behalf_of"]
            )
            out("      " + signed)
    later = derived["later_events"]
    if later:
        shown = ngettext(
            "({count} later event not shown)", "({count} later events not shown)", later
        )
        out("  " + shown.format(count=later))
    solutions = [_named("solution", s) for s in derived["solutions"]]
    out(_("Solutions: {ids}").format(ids=_listed(solutions, _("none recorded"))))


def _task(item: dict[str, Any]) -> str:
    """A task of `roles` with its field of work and topic: core_team (online_dienste, ...)."""
    where = ", ".join(item[key] for key in ("area", "topic") if item[key])
    return f"{item['role']} ({where})" if where else str(item["role"])


def _with_function(item: dict[str, Any]) -> str:
    """party or participant, and the role the joining event gave (party, lead)."""
    return f"{item['role']}, {item['function']}" if item.get("function") else str(item["role"])


_ROLES = {"provider": N_("Provider: {partner}"), "operator": N_("Operator: {partner}")}


def _solution_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    for role, line in _ROLES.items():
        item = derived[role]
        out(_(line).format(partner=_named("partner", item) if item else _("not recorded")))
    out(_("Used by: {ids}").format(ids=_listed(derived["used_by"], _("nobody"))))
    out(_("Users by status:"))
    for status, users in derived["users"].items():
        out(f"  {status}:")
        for item in users:
            state = _("in use") if item["current"] else _("not in use")
            maturity = _maturity(item["maturity"])
            out(f"    {_named('partner', item)}: {_period(item)}; {state}{maturity}")
    if not derived["users"]:
        out("  " + _("none recorded"))
    _efa_text(out, derived["efa"])
    if derived["components"]:
        out(_("Components:"))
    for component in derived["components"]:
        details = [str(component[k]) for k in ("license", "repository") if component.get(k)]
        out(f"  {component.get('name')}" + (f": {', '.join(details)}" if details else ""))
    agreements = [_named("agreement", a) for a in derived["agreements"]]
    out(_("Agreements: {ids}").format(ids=_listed(agreements, _("none recorded"))))
    used_in = _listed(derived["user_agreements"], _("none"))
    out(_("Used in agreements: {ids}").format(ids=used_in))


def _maturity(maturity: dict[str, Any] | None) -> str:
    """'; maturity 3 (model 2.0, as of 2024-05)' for a user's OZG maturity, or ''."""
    if not maturity or maturity.get("level") is None:
        return ""
    text = _("maturity {level} (model {model})").format(
        level=maturity.get("level"), model=maturity.get("model", "?")
    )
    if maturity.get("as_of"):
        text = _("maturity {level} (model {model}, as of {date})").format(
            level=maturity.get("level"),
            model=maturity.get("model", "?"),
            date=format_date(str(maturity["as_of"])),
        )
    return "; " + text


def _efa_text(out: Callable[[str], None], efa: dict[str, Any] | None) -> None:
    if efa is None:
        return
    out(_("EfA: implemented by {state}").format(state=efa["implementing_state"] or "?"))
    partner = efa["federal_partner"]
    if partner:
        out("  " + _("Federal partner: {partner}").format(partner=_named("partner", partner)))
    adopting = [
        _("{state} since {date}").format(state=a["state"], date=format_date(a["from"]))
        if a["from"]
        else str(a["state"])
        for a in efa["adopting_states"]
    ]
    if adopting:
        out("  " + _("Adopting states: {states}").format(states=", ".join(adopting)))
    if efa["channels"]:
        out("  " + _("Channels: {channels}").format(channels=", ".join(efa["channels"])))
    if efa["focus_service"] is not None:
        answer = _("yes") if efa["focus_service"] else _("no")
        out("  " + _("Focus service: {answer}").format(answer=answer))
    if efa["fit_store_url"]:
        out("  " + _("FIT-Store: {url}").format(url=efa["fit_store_url"]))
