"""Schema version 1 to 2: the partner files.

Version 2 tells apart what version 1 called `gemeindeverband` (Amt, Samtgemeinde,
Verbandsgemeinde, Verwaltungsgemeinschaft) and `landkreis` (Region, Städteregion,
Regionalverband), and keeps `bezirk` for the Bavarian Bezirke (a Bezirk of Berlin or Hamburg
becomes `stadtbezirk`). The Gemeindeverzeichnis decides, by the Textkennzeichen of the key
(and, for Region Hannover and Städteregion Aachen, the name of the Kreis record), never a
number range. `gv_type` is filled from the key where the directory has one.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from coopctl.gv import Gemeindeverzeichnis, GvEntry, gv_type_of, load
from coopctl.i18n import _
from coopctl.migrations import Change

# The key order of a version-2 partner (its schema's x-key-order), fixed here: a step
# writes version 2 as it was released, whatever later versions add.
_KEY_ORDER: tuple[str, ...] = (
    "kind",
    "id",
    "name",
    "short_name",
    "type",
    "gv_type",
    "special_status",
    "legal_form",
    "state",
    "states",
    "ags",
    "ars",
    "parent",
    "owners",
    "dissolved",
    "successor",
    "website",
    "contacts",
    "sources",
    "last_reviewed",
    "notes",
)
# Version-1 types that version 2 splits, and the level of the record that decides.
_SPLIT_TYPES: dict[str, str] = {"gemeindeverband": "gemeindeverband", "landkreis": "kreis"}
# What each split type may become: a refinement only. A type the directory contradicts
# (a kreisfreie Stadt typed landkreis) is left for validate to report, never changed here.
_REFINEMENTS: dict[str, frozenset[str]] = {
    "gemeindeverband": frozenset(
        {"amt", "samtgemeinde", "verbandsgemeinde", "verwaltungsgemeinschaft", "gemeindeverband"}
    ),
    "landkreis": frozenset({"landkreis", "region", "staedteregion", "regionalverband"}),
}
_ARS = re.compile(r"\d{12}", re.ASCII)
_AGS = re.compile(r"\d{8}", re.ASCII)


def migrate(document: MutableMapping[str, Any]) -> list[Change]:
    """Change one partner document from version 1 to version 2 in place; return what changed."""
    directory = load()
    entries = _entries(document, directory)
    changes: list[Change] = []
    old = document.get("type")
    new = _new_type(old, document.get("state"), entries)
    if isinstance(old, str) and new is not None and new != old:
        document["type"] = new
        changes.append(Change("/type", _because(old, new, document, entries)))
    ptype = document.get("type")
    if "gv_type" not in document and entries and isinstance(ptype, str):
        code = gv_type_of(entries, ptype)
        if code is not None:
            _insert(document, "gv_type", code)
            changes.append(
                Change(
                    "/gv_type",
                    _("gv_type '{code}' ({label}) filled in from the Gemeindeverzeichnis").format(
                        code=code, label=_label(entries, code)
                    ),
                )
            )
    return changes


def _entries(
    document: MutableMapping[str, Any], directory: Gemeindeverzeichnis
) -> tuple[GvEntry, ...]:
    ars, ags = document.get("ars"), document.get("ags")
    if isinstance(ars, str) and _ARS.fullmatch(ars):
        return directory.entries_for_ars(ars)
    if isinstance(ags, str) and _AGS.fullmatch(ags):
        entry = directory.by_ags(ags)
        return (entry,) if entry is not None else ()
    return ()


def _new_type(old: Any, state: Any, entries: tuple[GvEntry, ...]) -> str | None:
    if old == "bezirk":
        return "stadtbezirk" if isinstance(state, str) and state != "DE-BY" else None
    level = _SPLIT_TYPES.get(old) if isinstance(old, str) else None
    if level is None:
        return None
    types = {t for e in entries if e.level == level for t in e.partner_types}
    types &= _REFINEMENTS[old]
    return next(iter(types)) if len(types) == 1 else None


def _because(
    old: str, new: str, document: MutableMapping[str, Any], entries: tuple[GvEntry, ...]
) -> str:
    if old == "bezirk":
        return _(
            "type bezirk became stadtbezirk: in version 2 a bezirk is a Bavarian Bezirk, and "
            "this partner belongs to {state}"
        ).format(state=document.get("state"))
    record = next(e for e in entries if new in e.partner_types)
    return _(
        "type {old} became {new}: the Gemeindeverzeichnis records {key} as '{name}' "
        "({label}, Textkennzeichen {code})"
    ).format(
        old=old,
        new=new,
        key=record.ars,
        name=record.name,
        label=record.type_label,
        code=record.type_code,
    )


def _label(entries: tuple[GvEntry, ...], code: str) -> str:
    return next(e.type_label for e in entries if e.type_code == code)


def _insert(document: MutableMapping[str, Any], key: str, value: Any) -> None:
    """Add `key` where the version-2 key order puts it, after the keys that precede it
    (a round-trip map keeps its comments; a plain mapping gets the key at its end)."""
    insert = getattr(document, "insert", None)
    if insert is None:
        document[key] = value
        return
    before = set(_KEY_ORDER[: _KEY_ORDER.index(key)])
    keys = list(document)
    position = 0
    for index, existing in enumerate(keys):
        if existing in before:
            position = index + 1
    insert(position, key, value)
