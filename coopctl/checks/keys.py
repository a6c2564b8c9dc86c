"""ARS and AGS of partners against DESIGN rules and the bundled Gemeindeverzeichnis.

The type of a body (kreisfreie Stadt, Landkreis, ...) is taken from the Gemeindeverzeichnis,
never inferred from number ranges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from coopctl.checks import bodies
from coopctl.checks.context import CheckContext, entity_problem
from coopctl.dates import parse_partial_date
from coopctl.gv import (
    LAND_OF_STATE,
    MUNICIPAL_TYPES,
    STATE_OF_LAND,
    TERRITORIAL_TYPES,
    Gemeindeverzeichnis,
    GvEntry,
)
from coopctl.i18n import _
from coopctl.localformat import format_date
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
    yield from bodies.type_problems(entity, str(ptype))
    if ptype not in TERRITORIAL_TYPES:
        for field, value in (("ars", ars), ("ags", ags)):
            if value:
                yield entity_problem(
                    "K004",
                    entity,
                    _("a partner of type {type} is not territorial and carries no {key}").format(
                        type=ptype, key=field.upper()
                    ),
                    [field],
                )
        return
    gv = context.gemeindeverzeichnis()
    dissolved = data.get("dissolved")
    if isinstance(dissolved, str) and parse_partial_date(dissolved) and (ars or ags):
        yield from _check_dissolved(entity, ptype, ars, ags, dissolved, gv)
        return
    if ars is None and "ars" not in data:
        yield entity_problem(
            "K007",
            entity,
            _("{type} '{id}' has no ARS").format(type=ptype, id=entity.id),
            ["id"],
            hint=f'coopctl lookup "{data.get("name", entity.id)}"',
        )
    ars_problems = [] if ars is None else list(_check_ars(entity, ptype, ars, gv))
    yield from ars_problems
    ags_problems = []
    if ags is not None:
        ags_problems = list(_check_ags(entity, ptype, ags, ars, gv, ars_is_sound=not ars_problems))
        yield from ags_problems
    if any(p.code in ("K001", "K002", "K003", "K005") for p in ars_problems + ags_problems):
        return
    entries = gv.entries_for_ars(ars) if ars else bodies.entries_for_ags(gv, ags)
    if entries and not any(p.code == "K009" for p in ars_problems):
        yield from bodies.directory_problems(entity, ptype, entries)


def _check_dissolved(
    entity: Entity,
    ptype: str,
    ars: str | None,
    ags: str | None,
    dissolved: str,
    gv: Gemeindeverzeichnis,
) -> Iterator[Problem]:
    """A body that no longer exists: its keys are checked for shape and Land only, since the
    bundled Gemeindeverzeichnis lists the bodies of one Gebietsstand."""
    problems: list[Problem] = []
    for field, key in (("ars", ars), ("ags", ags)):
        if key is not None:
            found = _state_problem(entity, field, key)
            if found is not None:
                problems.append(found)
    if not problems and ars is not None and ags is not None and ags != ars[:5] + ars[9:]:
        problems.append(
            entity_problem(
                "K003",
                entity,
                _("AGS {ags} does not agree with ARS {ars} (expected {expected})").format(
                    ags=ags, ars=ars, expected=ars[:5] + ars[9:]
                ),
                ["ags"],
            )
        )
    if not problems and ars is not None and (kreis := _kreis_key_problem(entity, ptype, ars)):
        problems.append(kreis)
    yield from problems
    if problems:
        return
    field, key = ("ars", ars) if ars is not None else ("ags", ags)
    yield entity_problem(
        "K012",
        entity,
        _(
            "the partner is dissolved ({dissolved}): {key_name} {key} is checked only for "
            "its shape and Land, because the bundled Gemeindeverzeichnis (Gebietsstand "
            "{gebietsstand}) lists only the bodies of that day"
        ).format(
            dissolved=format_date(dissolved),
            key_name=field.upper(),
            key=key,
            gebietsstand=format_date(gv.gebietsstand) if gv.gebietsstand else "?",
        ),
        [field],
    )


def _state_problem(entity: Entity, field: str, key: str) -> Problem | None:
    state = entity.data.get("state")
    land = key[:2]
    if land not in STATE_OF_LAND:
        return entity_problem(
            "K005",
            entity,
            _("{key_name} {key} starts with {land}, which is no Land").format(
                key_name=field.upper(), key=key, land=land
            ),
            [field],
        )
    if isinstance(state, str) and state in LAND_OF_STATE and STATE_OF_LAND[land] != state:
        return entity_problem(
            "K001",
            entity,
            _(
                "{key_name} {key} belongs to {key_state} (Land {land}) but state is {state} "
                "(Land {state_land})"
            ).format(
                key_name=field.upper(),
                key=key,
                key_state=STATE_OF_LAND[land],
                land=land,
                state=state,
                state_land=LAND_OF_STATE[state],
            ),
            [field],
        )
    return None


def _kreis_key_problem(entity: Entity, ptype: str, ars: str) -> Problem | None:
    """K004: a landkreis's ARS is its Kreis key padded with zeros."""
    if ptype != "landkreis" or ars[5:] == "0" * 7:
        return None
    return entity_problem(
        "K004",
        entity,
        _(
            "the ARS of a landkreis is its five-digit Kreis key followed by seven zeros "
            "({expected}), not {ars}"
        ).format(expected=ars[:5] + "0" * 7, ars=ars),
        ["ars"],
    )


def _check_ars(entity: Entity, ptype: str, ars: str, gv: Gemeindeverzeichnis) -> Iterator[Problem]:
    state_problem = _state_problem(entity, "ars", ars)
    if state_problem:
        yield state_problem
        if state_problem.code == "K005":
            return
    land, district = ars[:2], ars[2]
    if ars[2:] != "0" * 10 and district not in gv.regierungsbezirke(land):
        digits = sorted(gv.regierungsbezirke(land))
        known = ", ".join(digits)
        if digits == ["0"]:
            message = _(
                "ARS {ars}: Land {land} has no Regierungsbezirke (the third digit is 0, "
                "not {digit})"
            )
        elif _has_statistical_regions(gv, land):
            message = _("ARS {ars}: Land {land} has no statistical region {digit} (it has {known})")
        else:
            message = _("ARS {ars}: Land {land} has no Regierungsbezirk {digit} (it has {known})")
        yield entity_problem(
            "K002",
            entity,
            message.format(ars=ars, land=land, digit=district, known=known),
            ["ars"],
        )
        return
    kreis = _kreis_key_problem(entity, ptype, ars)
    if kreis is not None:
        yield kreis
        return
    entries = gv.entries_for_ars(ars)
    if not entries:
        yield entity_problem(
            "K005",
            entity,
            _("ARS {ars} is not in the Gemeindeverzeichnis").format(ars=ars),
            ["ars"],
            hint=_lookup_hint(entity),
        )
        return
    if any(entry.not_a_body for entry in entries):
        yield bodies.not_a_body(entity, ars, entries)
        return
    matching = {t for entry in entries for t in entry.partner_types}
    if ptype not in matching:
        message = (
            _(
                "the Gemeindeverzeichnis lists ARS {ars} as {entries}, so type {type} does not "
                "fit (expected {expected})"
            )
            if matching
            else _(
                "the Gemeindeverzeichnis lists ARS {ars} as {entries}, so type {type} does not fit"
            )
        )
        described = _describe(entries)
        expected = _(" or ").join(sorted(matching))
        yield entity_problem(
            "K006",
            entity,
            message.format(ars=ars, entries=described, type=ptype, expected=expected),
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
            _("a {type} has no AGS (only municipalities do)").format(type=ptype),
            ["ags"],
            hint=_("remove the ags field; the ARS identifies it"),
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
            _("AGS {ags} does not agree with ARS {ars} (expected {expected})").format(
                ags=ags, ars=ars, expected=ars[:5] + ars[9:]
            ),
            ["ags"],
        )
        return
    if not ars_is_sound:
        return
    if gv.by_ags(ags) is None:
        yield entity_problem(
            "K005",
            entity,
            _("AGS {ags} is not in the Gemeindeverzeichnis").format(ags=ags),
            ["ags"],
            hint=_lookup_hint(entity),
        )
    elif ptype == "kreisfreie_stadt" and not ags.endswith("000"):
        yield entity_problem(
            "K004",
            entity,
            _("the AGS of a kreisfreie Stadt ends in 000, not {end}").format(end=ags[5:]),
            ["ags"],
        )


def _describe(entries: tuple[GvEntry, ...]) -> str:
    typed = [e for e in entries if e.partner_types] or list(entries)
    shown = _("'{name}' ({type})")
    labels = dict.fromkeys(shown.format(name=e.name, type=e.type_label) for e in typed)
    return _(" and ").join(labels)


def _lookup_hint(entity: Entity) -> str:
    name = entity.data.get("name", entity.id)
    return _('coopctl lookup "{name}" prints the right keys').format(name=name)


def _has_statistical_regions(gv: Gemeindeverzeichnis, land: str) -> bool:
    """Whether the third digit of the Land's keys names a Statistische Region (Niedersachsen)
    rather than a Regierungsbezirk, as the Gemeindeverzeichnis names that level."""
    for digit in gv.regierungsbezirke(land):
        for entry in gv.entries_for_ars(land + digit + "0" * 9):
            if entry.name.startswith("Statistische Region"):
                return True
    return False
