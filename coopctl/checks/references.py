"""Every id held in a reference field (`x-ref` in the schema) names an existing entity.

An id whose file exists but could not be read (a YAML mistake, bytes that are not UTF-8, a
link that is not followed) is not "missing": the reference names that file and its first
problem (R002), so the one mistake is fixed where it is."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from coopctl.codes import new_problem
from coopctl.facts import FileFacts
from coopctl.model import Problem
from coopctl.registry import stem
from coopctl.schemas import pointer_path
from coopctl.yamlio import quoted


def across(
    facts: list[FileFacts], by_kind: Mapping[str, Mapping[str, FileFacts]]
) -> Iterator[Problem]:
    known = {kind: set(ids) for kind, ids in by_kind.items()}
    unread: dict[tuple[str, str], FileFacts] = {}
    for fact in sorted((f for f in facts if not f.loaded), key=lambda f: f.path):
        unread.setdefault((fact.kind, stem(fact.path)), fact)
    for fact in facts:
        for target, value, pointer in fact.references:
            ids = known.get(target, set())
            if value in ids:
                continue
            if (target, value) in unread:
                yield _unreadable(fact, target, value, pointer, unread[target, value])
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


def _unreadable(
    fact: FileFacts, target: str, value: str, pointer: str, unread: FileFacts
) -> Problem:
    """R002: the id's file exists, but it could not be read."""
    first = unread.problems[0] if unread.problems else None
    why = (
        f": {first.code} at line {first.line}, column {first.column}: {first.message}"
        if first is not None
        else ""
    )
    return new_problem(
        "R002",
        f"{pointer_path(pointer)}: the {target} {quoted(value)} is in {unread.path}, "
        f"which cannot be read{why}",
        fact.path,
        pointer=pointer,
        entity=fact.entity,
        hint=f"correct {unread.path} (its problem is shown there); this reference is then checked",
    )
