"""Every id held in a reference field (`x-ref` in the schema) names an existing entity."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from coopctl.codes import new_problem
from coopctl.facts import FileFacts
from coopctl.model import Problem
from coopctl.schemas import pointer_path


def across(
    facts: list[FileFacts], by_kind: Mapping[str, Mapping[str, FileFacts]]
) -> Iterator[Problem]:
    known = {kind: set(ids) for kind, ids in by_kind.items()}
    for fact in facts:
        for target, value, pointer in fact.references:
            ids = known.get(target, set())
            if value in ids:
                continue
            candidates = sorted(ids - {fact.entity_id} if target == fact.kind else ids)
            close = difflib.get_close_matches(value, candidates, n=1)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            yield new_problem(
                "R001",
                f"{pointer_path(pointer)}: no {target} with id '{value}'{suggestion}",
                fact.path,
                pointer=pointer,
                entity=fact.entity,
                hint=f"add registry/{target}s/{value}.yaml or correct the id",
            )
