"""ARS and AGS of partners against DESIGN rules and the bundled Gemeindeverzeichnis.

The type of a body (kreisfreie Stadt, Landkreis, ...) is taken from the Gemeindeverzeichnis,
never inferred from number ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.gv import (
    LAND_OF_STATE,
    MUNICIPAL_TYPES,
    STATE_OF_LAND,
    TERRITORIAL_TYPES,
    Gemeindeverzeichnis,
    GvEntry,
)
from coopctl.model import Entity, Problem

_ARS = re.compile(r"\d{12}", re.ASCII)
_AGS = re.compile(r"\d{8}", re.ASCII)


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    if entity.kind != "partner":
        return
    known_types = context.schemas.schema("partner")["properties"]["type"]["enum"]
    data = entity.data
    ptype, ars, ags = data.get("type"), data.get("ars"), data.get("ags")
    ars = ars if isinstance(ars, str) and _ARS.fullmatch(ars) else None
    ags = ags if isinstance(ags, str) and _AGS.fullmatch(ags) else None
    if ptype not in known_types:
        return  # the schema reports an unknown type
    if ptype not in TERRITORIAL_TYPES:
        for field, value in (("ars", ars), ("ags", ags)):
            if value:
                yield entity_problem(
                    "K004",
                    entity,
                    f"a partner of type {ptype} is not territorial and carries no {field.upper()}",
                    [field],
                )
        return
    gv = context.gemeindeverzeichnis()
    if ars is None and "ars" not in data:
        yield entity_problem(
            "K007",
            entity,
            f"{ptype} '{entity.id}' has no ARS",
            ["id"],
            hint=f'coopctl lookup "{data.get("name", entity.id)}"',
        )
    ars_problems = [] if ars is None else list(_check_ars(entity, ptype, ars, gv))
    yield from ars_problems
    if ags is not None:
        yield from _check_ags(entity, ptype, ags, ars, gv, ars_is_sound=not ars_problems)


def _state_problem(entity: Entity, field: str, key: str) -> Problem | None:
    state = entity.data.get("state")
    land = key[:2]
    if land not in STATE_OF_LAND:
        return entity_problem(
            "K005", entity, f"{field.upper()} {key} starts with {land}, which is no Land", [field]
        )
    if isinstance(state, str) and state in LAND_OF_STATE and STATE_OF_LAND[land] != state:
        return entity_problem(
            "K001",
            entity,
            f"{field.upper()} {key} belongs to {STATE_OF_LAND[land]} "
            f"(Land {land}) but state is {state} (Land {LAND_OF_STATE[state]})",
            [field],
        )
    return None


def _check_ars(entity: Entity, ptype: str, ars: str, gv: Gemeindeverzeichnis) -> Iterator[Problem]:
    state_problem = _state_problem(entity, "ars", ars)
    if state_problem:
        yield state_problem
        if state_problem.code == "K005":
            return
    land, district = ars[:2], ars[2]
    if ars[2:] != "0" * 10 and district not in gv.regierungsbezirke(land):
        known = ", ".join(sorted(gv.regierungsbezirke(land)))
        yield entity_problem(
            "K002",
            entity,
            f"ARS {ars}: Land {land} has no Regierungsbezirk {district} (it has {known})",
            ["ars"],
        )
        return
    if ptype == "landkreis" and ars[5:] != "0" * 7:
        yield entity_problem(
            "K004",
            entity,
            f"the ARS of a landkreis is its five-digit Kreis "
            f"key followed by seven zeros ({ars[:5]}0000000), not {ars}",
            ["ars"],
        )
        return
    entries = gv.entries_for_ars(ars)
    if not entries:
        yield entity_problem(
            "K005",
            entity,
            f"ARS {ars} is not in the Gemeindeverzeichnis",
            ["ars"],
            hint=_lookup_hint(entity),
        )
        return
    matching = {t for entry in entries for t in entry.partner_types}
    if ptype not in matching:
        yield entity_problem(
            "K006",
            entity,
            f"the Gemeindeverzeichnis lists ARS {ars} as "
            f"{_describe(entries)}, so type {ptype} does not fit"
            + (f" (expected {' or '.join(sorted(matching))})" if matching else ""),
            ["type"],
        )


def _check_ags(
    entity: Entity,
    ptype: str,
    ags: str,
    ars: str | None,
    gv: Gemeindeverzeichnis,
    *,
    ars_is_sound: bool,
) -> Iterator[Problem]:
    """AGS rules. When the ARS already has a problem, only the agreement of the two keys is
    checked: the rest would repeat what was said about the ARS."""
    if ptype not in MUNICIPAL_TYPES:
        yield entity_problem(
            "K004",
            entity,
            f"a {ptype} has no AGS (only municipalities do)",
            ["ags"],
            hint="remove the ags field; the ARS identifies it",
        )
        return
    if ars is None:
        state_problem = _state_problem(entity, "ags", ags)
        if state_problem:
            yield state_problem
            return
    elif ags != ars[:5] + ars[9:]:
        yield entity_problem(
            "K003",
            entity,
            f"AGS {ags} does not agree with ARS {ars} (expected {ars[:5] + ars[9:]})",
            ["ags"],
        )
        return
    if not ars_is_sound:
        return
    if gv.by_ags(ags) is None:
        yield entity_problem(
            "K005",
            entity,
            f"AGS {ags} is not in the Gemeindeverzeichnis",
            ["ags"],
            hint=_lookup_hint(entity),
        )
    elif ptype == "kreisfreie_stadt" and not ags.endswith("000"):
        yield entity_problem(
            "K004", entity, f"the AGS of a kreisfreie Stadt ends in 000, not {ags[5:]}", ["ags"]
        )


def _describe(entries: tuple[GvEntry, ...]) -> str:
    typed = [e for e in entries if e.partner_types] or list(entries)
    labels = dict.fromkeys(f"'{e.name}' ({e.type_label})" for e in typed)
    return " and ".join(labels)


def _lookup_hint(entity: Entity) -> str:
    return f'coopctl lookup "{entity.data.get("name", entity.id)}" prints the right keys'
