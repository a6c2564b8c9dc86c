"""Rules for solutions beyond the schema: a publiccode.yml that the text mentions is linked,
and nobody uses or adopts a solution before it was launched.

The maturity level's limit under model 1.1 (at most 4) is a rule of the schema itself
(`if`/`then` in solution.schema.json), reported as S001 like every other schema rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.dates import PartialDate, parse_partial_date
from coopctl.i18n import _
from coopctl.model import Entity, Problem
from coopctl.schemas import readable_path

_PUBLICCODE = re.compile(r"publiccode\.ya?ml", re.IGNORECASE)


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    if entity.kind != "solution":
        return
    yield from _publiccode_linked(entity)
    yield from _not_before_launch(entity)


def _texts(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """The prose of a solution: its description and notes, and each user's note."""
    for key in ("description", "notes"):
        if isinstance(data.get(key), str):
            yield (key,), data[key]
    users = data.get("users")
    for index, user in enumerate(users if isinstance(users, list) else []):
        if isinstance(user, Mapping) and isinstance(user.get("note"), str):
            yield ("users", index, "note"), user["note"]


def _publiccode_linked(entity: Entity) -> Iterator[Problem]:
    if entity.data.get("publiccode_url"):
        return
    for path, text in _texts(entity.data):
        if _PUBLICCODE.search(text):
            yield entity_problem(
                "P001",
                entity,
                _("{field} mentions a publiccode.yml, but publiccode_url is not given").format(
                    field=readable_path(path)
                ),
                path,
                hint=_("add publiccode_url: the address of the publiccode.yml file"),
            )
            return


def _date(value: object) -> PartialDate | None:
    return parse_partial_date(value) if isinstance(value, str) else None


def _starts(data: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every start of a use: users[].from and efa.adopting_states[].from."""
    users = data.get("users")
    for index, user in enumerate(users if isinstance(users, list) else []):
        if isinstance(user, Mapping) and isinstance(user.get("from"), str):
            yield ("users", index, "from"), user["from"]
    efa = data.get("efa")
    adopting = efa.get("adopting_states") if isinstance(efa, Mapping) else None
    for index, item in enumerate(adopting if isinstance(adopting, list) else []):
        if isinstance(item, Mapping) and isinstance(item.get("from"), str):
            yield ("efa", "adopting_states", index, "from"), item["from"]


def _not_before_launch(entity: Entity) -> Iterator[Problem]:
    launched = _date(entity.data.get("launched"))
    if launched is None:
        return
    for path, text in _starts(entity.data):
        start = _date(text)
        if start is not None and start.certainly_before(launched):
            yield entity_problem(
                "P002",
                entity,
                _("{field}: {start} is before the solution was launched ({launched})").format(
                    field=readable_path(path), start=text, launched=launched.text
                ),
                path,
                hint=_("check the date of the use and the launched date against their sources"),
            )
