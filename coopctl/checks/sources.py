"""Facts carry their sources: an entity without any is a warning."""

from __future__ import annotations

from collections.abc import Iterator

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.i18n import _
from coopctl.model import Entity, Problem


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    sources = entity.data.get("sources")
    if not sources:
        where = ["sources"] if "sources" in entity.data else ["id"]
        yield entity_problem(
            "Q001",
            entity,
            _("{kind} '{id}' names no source").format(kind=entity.kind, id=entity.id),
            where,
            hint=_("add sources: [{{url: ..., title: ..., published: ...}}]").format(),
        )
