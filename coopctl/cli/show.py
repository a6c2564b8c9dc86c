"""coopctl show."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coopctl.cli.options import AtOption, RevOption, RootOption

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from coopctl.model import Entity
    from coopctl.registry import Registry


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


_FACTS = {
    "partner": ("name", "short_name", "type", "state", "ars", "ags", "parent", "website"),
    "agreement": ("title", "short_title", "legal_form", "binding", "status", "areas"),
    "solution": ("name", "category", "status", "license", "repository", "website"),
}


def show(
    entity_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="An entity id (kind inferred when only one kind has it) or KIND:ID.",
        ),
    ],
    output_format: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ShowFormat.text,
    at: AtOption = None,
    rev: RevOption = None,
    root: RootOption = None,
) -> None:
    """Show one entity and the relations derived for it.

    A partner: its agreements with role and period, partners it cooperates with, the
    solutions it provides, operates and uses. An agreement: members and participants over
    time, its events as a timeline, its solutions. A solution: its users by status.
    Relations are as of --at (default today).

    Exit status: 0 shown, 1 no such entity, 2 usage error (also an id that several kinds
    have: write KIND:ID).

    Examples:

      coopctl show landkreis-gifhorn

      coopctl show braunschweig-salzgitter-wolfsburg --at 2021-01-01

      coopctl show solution:ewa --format json
    """
    from datetime import date

    from coopctl.cli.output import warn_unloaded
    from coopctl.registry import find_root
    from coopctl.relations import (
        agreement_view,
        as_of,
        build_relations,
        partner_view,
        solution_view,
    )
    from coopctl.snapshot import load_snapshot

    day = as_of(at, date.today())
    registry = load_snapshot(find_root(root), rev)
    warn_unloaded(registry)
    entity = resolve(registry, entity_id)
    relations = build_relations(registry, day)
    view = {"partner": partner_view, "agreement": agreement_view, "solution": solution_view}
    derived = view[entity.kind](registry, relations, entity)
    from coopctl.cli.output import make_console
    from coopctl.escaping import to_json

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
        console.file.write(to_json(document) + "\n")
        return
    _print_text(console, entity, derived, day.isoformat())


def resolve(registry: Registry, text: str) -> Entity:
    """The entity an argument names: ID when one kind has it, KIND:ID otherwise."""
    import difflib

    from coopctl.errors import CoopctlError, UsageError
    from coopctl.query import KIND_NAMES

    kinds: tuple[str, ...] = ("partner", "agreement", "solution")
    wanted = text.strip()
    if ":" in wanted:
        prefix, wanted = wanted.split(":", 1)
        kind = KIND_NAMES.get(prefix.strip().lower())
        if kind is None:
            raise UsageError(
                f"'{text}': unknown kind '{prefix}'",
                hint="write partner:ID, agreement:ID or solution:ID",
            )
        kinds = (kind,)
        wanted = wanted.strip()
    found = [e for kind in kinds if (e := registry.get(kind, wanted)) is not None]
    if len(found) == 1:
        return found[0]
    if found:
        choices = " or ".join(f"{e.kind}:{e.id}" for e in found)
        raise UsageError(f"'{wanted}' is the id of several entities", hint=f"write {choices}")
    every = sorted({i for kind in kinds for i in registry.ids(kind)})
    close = [i for i in every if wanted and wanted in i][:3] or difflib.get_close_matches(
        wanted, every, n=3, cutoff=0.6
    )
    where = f"no {kinds[0]}" if len(kinds) == 1 else "no partner, agreement or solution"
    raise CoopctlError(
        f"{where} has the id '{wanted}'",
        hint=f"did you mean {', '.join(repr(c) for c in close)}?"
        if close
        else "list the ids with 'coopctl list partners --format ids'",
        code="not-found",
    )


def _period(item: dict[str, Any]) -> str:
    since, until = item.get("from"), item.get("until")
    if since is None and until is None:
        return "period not recorded"
    return f"{since or '?'} – {until or ''}".rstrip()


def _print_text(console: Console, entity: Entity, derived: dict[str, Any], day: str) -> None:
    from rich.text import Text

    from coopctl.escaping import plain
    from coopctl.query import cell_text

    def out(text: str = "", style: str | None = None) -> None:
        """One line, escaped as a whole: registry text in it cannot start a new line."""
        console.print(Text(plain(text), style=style or ""))

    out(f"{entity.kind} {entity.id}", "bold")
    for key in _FACTS[entity.kind]:
        if entity.data.get(key) is not None:
            out(f"  {key}: {' '.join(cell_text(entity.data[key]).split())}")
    out(f"  file: {entity.path}")
    out()
    out(f"As of {day}", "bold")
    printer = {"partner": _partner_text, "agreement": _agreement_text, "solution": _solution_text}
    printer[entity.kind](out, derived)


def _named(key: str, item: dict[str, Any]) -> str:
    name = item.get("name")
    return f"{item[key]} ({name})" if name else f"{item[key]} (not in the registry)"


def _partner_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    out("Agreements:")
    for item in derived["agreements"]:
        state = "member" if item["current"] else "not a member"
        out(f"  {_named('agreement', item)}: {item['role']}, {_period(item)}; {state}")
    if not derived["agreements"]:
        out("  none")
    out(f"Cooperates with: {', '.join(derived['cooperates_with']) or 'nobody'}")
    out(f"Provides: {', '.join(derived['provides']) or 'nothing'}")
    out(f"Operates: {', '.join(derived['operates']) or 'nothing'}")
    out("Uses:")
    for item in derived["uses"]:
        state = "in use" if item["current"] else "not in use"
        out(f"  {_named('solution', item)}: {item['status']}, {_period(item)}; {state}")
    if not derived["uses"]:
        out("  nothing")


def _agreement_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    out(f"Members: {', '.join(derived['members']) or 'none'}")
    out(f"Participants: {', '.join(derived['participants']) or 'none'}")
    out("Membership over time:")
    for item in derived["memberships"]:
        out(f"  {_named('partner', item)}: {item['role']}, {_period(item)}")
    if not derived["memberships"]:
        out("  none")
    out("Timeline:")
    for event in derived["timeline"]:
        partners = f": {', '.join(event['partners'])}" if event["partners"] else ""
        place = f" ({event['place']})" if event["place"] else ""
        out(f"  {event['date']}  {event['type']}{partners}{place}")
        for person in event["signatories"]:
            out(f"      signed by {person['name']}, {person['role']}, for {person['on_behalf_of']}")
    later = derived["later_events"]
    if later:
        out(f"  ({later} later event{'s' if later > 1 else ''} not shown)")
    solutions = [_named("solution", s) for s in derived["solutions"]]
    out(f"Solutions: {', '.join(solutions) or 'none recorded'}")


def _solution_text(out: Callable[[str], None], derived: dict[str, Any]) -> None:
    for role in ("provider", "operator"):
        item = derived[role]
        out(f"{role.capitalize()}: {_named('partner', item) if item else 'not recorded'}")
    out(f"Used by: {', '.join(derived['used_by']) or 'nobody'}")
    out("Users by status:")
    for status, users in derived["users"].items():
        out(f"  {status}:")
        for item in users:
            state = "in use" if item["current"] else "not in use"
            out(f"    {_named('partner', item)}: {_period(item)}; {state}")
    if not derived["users"]:
        out("  none recorded")
    agreements = [_named("agreement", a) for a in derived["agreements"]]
    out(f"Agreements: {', '.join(agreements) or 'none recorded'}")
    out(f"Used in agreements: {', '.join(derived['user_agreements']) or 'none'}")
