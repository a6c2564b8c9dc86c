"""Ids equal file names and are unique per kind; ARS keys are unique; items of identified
lists (`x-identity` in the schema) are unique by their identity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.model import FOLDER_OF_KIND, Entity, Problem
from coopctl.schemas import readable_path, values_at

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check(context: CheckContext) -> Iterator[Problem]:
    first_by_ars: dict[str, Entity] = {}
    for entity in context.registry.entities:
        yield from _file_name(context, entity)
        canonical = context.registry.get(entity.kind, entity.id)
        if canonical is not None and canonical is not entity:
            yield entity_problem(
                "I002",
                entity,
                f"{entity.kind} id '{entity.id}' is already used by {canonical.path}",
                ["id"],
            )
        ars = entity.data.get("ars") if entity.kind == "partner" else None
        if isinstance(ars, str):
            first = first_by_ars.setdefault(ars, entity)
            if first is not entity:
                yield entity_problem(
                    "I003",
                    entity,
                    f"ARS {ars} is already used by partner '{first.id}' ({first.path})",
                    ["ars"],
                )
        yield from _duplicate_items(context, entity)


def _file_name(context: CheckContext, entity: Entity) -> Iterator[Problem]:
    declared = entity.data.get("id")
    stem = PurePosixPath(entity.path).stem
    if not isinstance(declared, str) or declared == stem:
        return
    taken = f"registry/{FOLDER_OF_KIND[entity.kind]}/{declared}.yaml" in context.registry.raw
    if not _SLUG.match(declared) or taken:
        hint = f"set id: {stem}"
    else:
        hint = f"rename the file to {declared}.yaml (git mv) or set id: {stem}"
    yield entity_problem(
        "I001",
        entity,
        f"id '{declared}' differs from the file name '{stem}.yaml'",
        ["id"],
        hint=hint,
    )


def _identity_of(item: Any, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
    if len(fields) == 1 and not isinstance(item, dict):
        return None
    if not isinstance(item, dict) or any(not isinstance(item.get(f), str) for f in fields):
        return None
    return tuple(item[f] for f in fields)


def _duplicate_items(context: CheckContext, entity: Entity) -> Iterator[Problem]:
    for pattern, fields in context.schemas.rules[entity.kind].identities:
        for path, items in values_at(entity.data, pattern):
            if not isinstance(items, list):
                continue
            seen: dict[tuple[Any, ...], int] = {}
            for index, item in enumerate(items):
                identity = _identity_of(item, fields)
                if identity is None:
                    continue
                if identity in seen:
                    shown = ", ".join(f"{f}: {v}" for f, v in zip(fields, identity, strict=True))
                    yield entity_problem(
                        "I005",
                        entity,
                        f"{readable_path([*path, index])} repeats "
                        f"{readable_path([*path, seen[identity]])} ({shown})",
                        [*path, index],
                        hint="merge the two items or tell them apart",
                    )
                else:
                    seen[identity] = index
