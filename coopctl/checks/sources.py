"""Facts carry their sources: an entity without any is a warning."""

from __future__ import annotations

from collections.abc import Iterator

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.model import Entity, Problem


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    sources = entity.data.get("sources")
    if not sources:
        where = ["sources"] if "sources" in entity.data else ["id"]
        yield entity_problem(
            "Q001",
            entity,
            f"{entity.kind} '{entity.id}' names no source",
            where,
            hint="add sources: [{url: ..., title: ..., published: ...}]",
        )
