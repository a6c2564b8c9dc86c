"""Ids equal file names and are unique per kind; ARS keys are unique."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.model import Entity, Problem


def check(context: CheckContext) -> Iterator[Problem]:
    first_by_id: dict[tuple[str, str], Entity] = {}
    first_by_ars: dict[str, Entity] = {}
    for entity in context.registry.entities:
        declared = entity.data.get("id")
        stem = PurePosixPath(entity.path).stem
        if isinstance(declared, str) and declared != stem:
            yield entity_problem(
                "I001",
                entity,
                f"id '{declared}' differs from the file name '{stem}.yaml'",
                ["id"],
                hint=f"rename the file to {declared}.yaml or set id: {stem}",
            )
        key = (entity.kind, entity.id)
        if key in first_by_id:
            yield entity_problem(
                "I002",
                entity,
                f"{entity.kind} id '{entity.id}' is already used by {first_by_id[key].path}",
                ["id"],
            )
        else:
            first_by_id[key] = entity
        ars = entity.data.get("ars") if entity.kind == "partner" else None
        if isinstance(ars, str):
            if ars in first_by_ars:
                yield entity_problem(
                    "I003",
                    entity,
                    f"ARS {ars} is already used by partner "
                    f"'{first_by_ars[ars].id}' ({first_by_ars[ars].path})",
                    ["ars"],
                )
            else:
                first_by_ars[ars] = entity
