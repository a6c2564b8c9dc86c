"""The rules beyond the schema, in two layers.

* Entity checks (`ENTITY_CHECKS`) look at one entity alone: dates, events, keys against the
  Gemeindeverzeichnis, sources, repeated list items, a solution's links and launch. They run
  where the file is read, possibly in a worker process, and their results are cached with
  the file's facts.
* Registry checks (`registry_problems`) compare files: unique ids and ARS keys, ids that match
  file names, references that resolve, no dissolved partner in a later event. They see only
  the compact `FileFacts` of each file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coopctl.checks import (
    dates,
    dissolved,
    events,
    identity,
    keys,
    legal,
    references,
    solutions,
    sources,
)
from coopctl.checks.context import CheckContext
from coopctl.facts import FileFacts, entities_by_kind
from coopctl.model import Entity, Problem

EntityCheck = Callable[[Entity, CheckContext], Iterator[Problem]]
ENTITY_CHECKS: tuple[EntityCheck, ...] = (
    identity.check,
    keys.check,
    dates.check,
    events.check,
    legal.check,
    sources.check,
    solutions.check,
)

__all__ = ["ENTITY_CHECKS", "CheckContext", "entity_problems", "registry_problems"]


def entity_problems(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    for check in ENTITY_CHECKS:
        yield from check(entity, context)


def registry_problems(facts: list[FileFacts]) -> Iterator[Problem]:
    """Problems between files, unlocated (their pointers are resolved by the caller)."""
    by_kind = entities_by_kind(facts)
    yield from identity.across(facts, by_kind)
    yield from references.across(facts, by_kind)
    yield from dissolved.across(facts, by_kind)
