"""Ids equal file names and are unique per kind; ARS keys are unique; two partners of one
type do not share a name, nor an AGS (`coopctl.similar`); items of identified lists
(`x-identity` in the schema) are unique by their identity."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.codes import new_problem
from coopctl.facts import FileFacts
from coopctl.i18n import _
from coopctl.model import FOLDER_OF_KIND, Entity, Problem
from coopctl.registry import stem as file_stem
from coopctl.schemas import fields_of, readable_path
from coopctl.similar import told_apart

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    """Within one entity: items of identified lists are unique by their identity."""
    yield from _duplicate_items(context, entity)


def across(
    facts: list[FileFacts], by_kind: Mapping[str, Mapping[str, FileFacts]]
) -> Iterator[Problem]:
    """Between files: ids equal file names, ids are unique per kind, ARS keys are unique,
    partners resemble no other. `by_kind`: the file each id means (`entities_by_kind`)."""
    paths = {f.path for f in facts if not f.refused}
    first_by_ars: dict[str, FileFacts] = {}
    first_by_similar: dict[str, FileFacts] = {}
    for fact in sorted((f for f in facts if f.loaded), key=lambda f: f.path):
        yield from _resembling(fact, first_by_similar)
        yield from _file_name(fact, paths)
        canonical = by_kind[fact.kind][fact.entity_id]
        if canonical is not fact:
            yield _problem(
                "I002",
                fact,
                _("{kind} id '{id}' is already used by {path}").format(
                    kind=fact.kind, id=fact.entity_id, path=canonical.path
                ),
                "/id",
            )
        if fact.ars is not None:
            first = first_by_ars.setdefault(fact.ars, fact)
            if first is not fact:
                yield _problem(
                    "I003",
                    fact,
                    _("ARS {ars} is already used by partner '{id}' ({path})").format(
                        ars=fact.ars, id=first.entity_id, path=first.path
                    ),
                    "/ars",
                )


def _resembling(fact: FileFacts, first_by_key: dict[str, FileFacts]) -> Iterator[Problem]:
    """I006, once for each earlier partner `fact` resembles, unless I002 (the same id) or
    I003 (the same ARS) says so already."""
    told: set[str] = set()
    for key in fact.similar:
        first = first_by_key.setdefault(key, fact)
        if (
            first is fact
            or first.path in told
            or first.entity_id == fact.entity_id
            or (fact.ars is not None and fact.ars == first.ars)
            or (key.startswith("name:") and told_apart(fact.ars, first.ars))
        ):
            continue
        told.add(first.path)
        field, _sep, value = key.partition(":")
        if field == "name":
            message, pointer = (
                _("partner '{id}' has the same name as partner '{other}' ({path})"),
                "/name",
            )
        else:
            message = _("partner '{id}' has the same AGS {ags} as partner '{other}' ({path})")
            pointer = "/ags"
        yield _problem(
            "I006",
            fact,
            message.format(id=fact.entity_id, other=first.entity_id, path=first.path, ags=value),
            pointer,
            _("merge the two partners if they are one body, or make the name tell them apart"),
        )


def _problem(
    code: str, fact: FileFacts, message: str, pointer: str, hint: str | None = None
) -> Problem:
    return new_problem(code, message, fact.path, pointer=pointer, entity=fact.entity, hint=hint)


def _file_name(fact: FileFacts, paths: set[str]) -> Iterator[Problem]:
    declared = fact.declared_id
    stem = file_stem(fact.path)
    if declared is None or declared == stem:
        return
    taken = f"registry/{FOLDER_OF_KIND[fact.kind]}/{declared}.yaml" in paths
    if not _SLUG.fullmatch(declared) or taken:
        hint = _("set id: {stem}").format(stem=stem)
    else:
        hint = _("rename the file to {id}.yaml (git mv) or set id: {stem}").format(
            id=declared, stem=stem
        )
    message = _("id '{id}' differs from the file name '{stem}.yaml'").format(id=declared, stem=stem)
    yield _problem("I001", fact, message, "/id", hint)


def _identity_of(item: Any, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The item's values of its identity fields, if it is a mapping with text in each."""
    if not isinstance(item, dict):
        return None
    identity = []
    for field in fields:
        value = item.get(field)
        if not isinstance(value, str):
            return None
        identity.append(value)
    return tuple(identity)


def _duplicate_items(context: CheckContext, entity: Entity) -> Iterator[Problem]:
    rules = context.schemas.rules[entity.kind]
    found = fields_of(entity, rules)
    for pattern, fields in rules.identities:
        for path, items in found.get(pattern, ()):
            if not isinstance(items, list) or len(items) < 2:
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
                        _("{item} repeats {earlier} ({identity})").format(
                            item=readable_path([*path, index]),
                            earlier=readable_path([*path, seen[identity]]),
                            identity=shown,
                        ),
                        [*path, index],
                        hint=_("merge the two items or tell them apart"),
                    )
                else:
                    seen[identity] = index
