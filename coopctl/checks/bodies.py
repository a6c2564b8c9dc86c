"""What kind of body a partner is, against where it can exist and what the Gemeindeverzeichnis
records for its key: the Land of a Bezirk, the Textkennzeichen (`gv_type`), the name, and
records that name no body at all (Statistische Regionen, former Regierungsbezirke)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coopctl.checks.context import entity_problem
from coopctl.gv import Gemeindeverzeichnis, GvEntry, gv_type_of
from coopctl.i18n import _
from coopctl.model import Entity, Problem
from coopctl.similar import fold

# The Länder in which a partner type exists at all.
_LAENDER_OF_TYPE: dict[str, tuple[str, ...]] = {
    "bezirk": ("DE-BY",),
    "stadtbezirk": ("DE-BE", "DE-HH"),
}
# How the name of a Bavarian Regierung (a Land authority) begins.
_REGIERUNG = re.compile(r"regierung (von|der|des) ")
# Words that may stand before the directory's name in a partner's name ("Stadt Goslar",
# "Landeshauptstadt München"); after folding, as `coopctl.similar.fold` writes them.
_NAME_PREFIXES: tuple[str, ...] = (
    "landeshauptstadt",
    "kreisfreie stadt",
    "universitaetsstadt",
    "wissenschaftsstadt",
    "hansestadt",
    "grosse kreisstadt",
    "kreisstadt",
    "stadt",
    "gemeinde",
    "markt",
    "flecken",
    "landkreis",
    "kreis",
    "samtgemeinde",
    "verbandsgemeinde",
    "amt",
    "verwaltungsgemeinschaft",
    "bezirk",
    "regierungsbezirk",
    "land",
    "freistaat",
)


def type_problems(entity: Entity, ptype: str) -> Iterator[Problem]:
    """K010 for a type that does not exist in the partner's Land; K011 for a Regierung
    recorded as the Bezirk."""
    state = entity.data.get("state")
    laender = _LAENDER_OF_TYPE.get(ptype)
    if laender is not None and isinstance(state, str) and state not in laender:
        message = (
            _("a bezirk (a Bavarian Bezirk) exists only in DE-BY, not in {state}")
            if ptype == "bezirk"
            else _(
                "a stadtbezirk (a Bezirk of Berlin or Hamburg) exists only in DE-BE and "
                "DE-HH, not in {state}"
            )
        )
        hint = (
            _(
                "a Regierungsbezirk outside Bayern is no body; record its authority as "
                "landesbehoerde"
            )
            if ptype == "bezirk"
            else _("use the type of the body the partner is")
        )
        yield entity_problem("K010", entity, message.format(state=state), ["type"], hint=hint)
    name = entity.data.get("name")
    if ptype == "bezirk" and isinstance(name, str) and _REGIERUNG.match(fold(name)):
        yield entity_problem(
            "K011",
            entity,
            _(
                "'{name}' is a Regierung, an authority of the Land, not the Bezirk (the "
                "kommunale Gebietskörperschaft of the same area)"
            ).format(name=name),
            ["type"],
            hint=_("set type: landesbehoerde, or name the Bezirk (Bezirk Oberbayern)"),
        )


def not_a_body(entity: Entity, ars: str, entries: tuple[GvEntry, ...]) -> Problem:
    """K009: the key names an area the Gemeindeverzeichnis lists but that is no body."""
    record = next(entry for entry in entries if entry.not_a_body)
    return entity_problem(
        "K009",
        entity,
        _(
            "ARS {ars} is '{name}' in the Gemeindeverzeichnis, a statistical or former area "
            "that is no body, so it cannot be a partner"
        ).format(ars=ars, name=record.name),
        ["ars"],
        hint=_("record the body itself (the Land, a Kreis, an authority) instead"),
    )


def entries_for_ags(gv: Gemeindeverzeichnis, ags: str | None) -> tuple[GvEntry, ...]:
    entry = gv.by_ags(ags) if ags else None
    return (entry,) if entry is not None else ()


def directory_problems(
    entity: Entity, ptype: str, entries: tuple[GvEntry, ...]
) -> Iterator[Problem]:
    """K008 (the Textkennzeichen) and K013 (the name) against the records of the key."""
    gv_type = entity.data.get("gv_type")
    if isinstance(gv_type, str):
        codes = sorted({e.type_code for e in entries if e.type_code is not None})
        if gv_type not in codes:
            expected = gv_type_of(entries, ptype)
            yield entity_problem(
                "K008",
                entity,
                (
                    _(
                        "the Gemeindeverzeichnis gives {key} the Textkennzeichen {codes}, "
                        "not {gv_type}"
                    )
                    if codes
                    else _("the Gemeindeverzeichnis gives {key} no Textkennzeichen, not {gv_type}")
                ).format(key=entries[0].ars, codes=_(" or ").join(codes), gv_type=gv_type),
                ["gv_type"],
                hint=(
                    _("set gv_type: '{code}'").format(code=expected)
                    if expected
                    else _("remove gv_type")
                ),
            )
    name = entity.data.get("name")
    given = fold(name) if isinstance(name, str) else ""
    if given and not any(_same_name(given, e) for e in entries):
        shown = next((e for e in entries if ptype in e.partner_types), entries[0])
        yield entity_problem(
            "K013",
            entity,
            _(
                "the Gemeindeverzeichnis names the body with key {key} '{directory}', not '{name}'"
            ).format(key=shown.ars, directory=shown.name, name=name),
            ["name"],
            hint=_("correct the name or the keys ('coopctl lookup NAME' prints them)"),
        )


def _same_name(given: str, entry: GvEntry) -> bool:
    """Whether a partner's name (`given`, folded) is a usual form of the directory's:
    "Stadt Goslar" or "Goslar" for "Goslar, Stadt", "Landeshauptstadt München" for
    "München, Landeshauptstadt", "Landkreis Gifhorn" for "Gifhorn"."""
    full, base = fold(entry.name), fold(entry.base_name)
    if given in (full, base) or f" {base} " in f" {given} ":
        return True
    for prefix in _NAME_PREFIXES:
        if given.startswith(prefix + " "):
            core = given[len(prefix) + 1 :]
            return bool(core) and f"{base} ".startswith(core + " ")
    return False
