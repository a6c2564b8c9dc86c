"""Schema version 1 to 2: the solution files.

Version 2 names the EfA service's Land in English like every other field:
`efa.umsetzendes_land` becomes `efa.implementing_state`, at the same place in the mapping and
with the comments it had. Every other version-1 solution field is valid in version 2 as it
is (the status values of version 1 are all still values of version 2).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from coopctl.i18n import _
from coopctl.migrations import Change

OLD_KEY = "umsetzendes_land"
NEW_KEY = "implementing_state"


def migrate(document: MutableMapping[str, Any]) -> list[Change]:
    """Change one solution document from version 1 to version 2 in place; return what changed."""
    efa = document.get("efa")
    if not isinstance(efa, MutableMapping) or OLD_KEY not in efa:
        return []
    if NEW_KEY not in efa:
        _rename_key(efa, OLD_KEY, NEW_KEY)
        return [
            Change("/efa/" + NEW_KEY, _("renamed efa.umsetzendes_land to efa.implementing_state"))
        ]
    old = efa.pop(OLD_KEY)
    if old == efa[NEW_KEY]:
        return [
            Change(
                "/efa/" + OLD_KEY,
                _("removed efa.umsetzendes_land: efa.implementing_state has the same value"),
            )
        ]
    _append_note(
        document, _("Version 1 named another implementing Land: {value}.").format(value=old)
    )
    return [
        Change(
            "/notes",
            _(
                "moved efa.umsetzendes_land ({value}) into notes: efa.implementing_state "
                "already names another Land"
            ).format(value=old),
        )
    ]


def _rename_key(mapping: MutableMapping[str, Any], old: str, new: str) -> None:
    """`old` renamed to `new` in place: same position, same value, same comments."""
    keys = list(mapping)
    position = keys.index(old)
    comments = getattr(getattr(mapping, "ca", None), "items", None)
    comment = comments.pop(old, None) if isinstance(comments, dict) else None
    value = mapping.pop(old)
    insert = getattr(mapping, "insert", None)
    if callable(insert):
        insert(position, new, value)
    else:  # a plain dict (a test or a caller without round-trip data): order as far as possible
        rest = {key: mapping.pop(key) for key in keys[position + 1 :]}
        mapping[new] = value
        mapping.update(rest)
    if comment is not None and isinstance(comments, dict):
        comments[new] = comment


def _append_note(document: MutableMapping[str, Any], sentence: str) -> None:
    notes = document.get("notes")
    document["notes"] = (
        f"{notes.rstrip()} {sentence}" if isinstance(notes, str) and notes else sentence
    )
