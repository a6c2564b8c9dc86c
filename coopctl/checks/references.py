"""Every id held in a reference field (`x-ref` in the schema) names an existing entity.

An id whose file exists but could not be read (a YAML mistake, bytes that are not UTF-8, a
link that is not followed) is not "missing": the reference names that file and its first
problem (R002), so the one mistake is fixed where it is."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping

from coopctl.codes import new_problem
from coopctl.facts import FileFacts
from coopctl.i18n import _
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
            message = (
                _("{field}: no {kind} with id '{id}' (did you mean '{close}'?)")
                if close
                else _("{field}: no {kind} with id '{id}'")
            )
            yield new_problem(
                "R001",
                message.format(
                    field=pointer_path(pointer),
                    kind=target,
                    id=value,
                    close=close[0] if close else "",
                ),
                fact.path,
                pointer=pointer,
                entity=fact.entity,
                hint=_("add registry/{kind}s/{id}.yaml or correct the id").format(
                    kind=target, id=value
                ),
            )


def _unreadable(
    fact: FileFacts, target: str, value: str, pointer: str, unread: FileFacts
) -> Problem:
    """R002: the id's file exists, but it could not be read."""
    first = unread.problems[0] if unread.problems else None
    where = {"field": pointer_path(pointer), "kind": target, "id": quoted(value)}
    if first is None:
        message = _("{field}: the {kind} {id} is in {path}, which cannot be read").format(
            **where, path=unread.path
        )
    else:
        message = _(
            "{field}: the {kind} {id} is in {path}, which cannot be read: {code} at line "
            "{line}, column {column}: {message}"
        ).format(
            **where,
            path=unread.path,
            code=first.code,
            line=first.line,
            column=first.column,
            message=first.message,
        )
    return new_problem(
        "R002",
        message,
        fact.path,
        pointer=pointer,
        entity=fact.entity,
        hint=_(
            "correct {path} (its problem is shown there); this reference is then checked"
        ).format(path=unread.path),
    )
