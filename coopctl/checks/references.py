"""Every id held in a reference field (`x-ref` in the schema) names an existing entity."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.model import Problem
from coopctl.schemas import readable_path, values_at


def check(context: CheckContext) -> Iterator[Problem]:
    registry = context.registry
    known = {kind: set(registry.ids(kind)) for kind in registry.by_kind}
    for entity in registry.entities:
        for pattern, target in context.schemas.rules[entity.kind].references:
            for path, value in values_at(entity.data, pattern):
                if not isinstance(value, str) or value in known.get(target, set()):
                    continue
                candidates = sorted(
                    known.get(target, set()) - {entity.id}
                    if target == entity.kind
                    else known.get(target, set())
                )
                close = difflib.get_close_matches(value, candidates, n=1)
                suggestion = f" (did you mean '{close[0]}'?)" if close else ""
                yield entity_problem(
                    "R001",
                    entity,
                    f"{readable_path(path)}: no {target} with id '{value}'{suggestion}",
                    path,
                    hint=f"add registry/{target}s/{value}.yaml or correct the id",
                )
