"""What every check of an entity receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from coopctl.codes import new_problem
from coopctl.model import Entity, Problem
from coopctl.schemas import SchemaSet
from coopctl.yamlio import join_pointer

if TYPE_CHECKING:
    from coopctl.gv import Gemeindeverzeichnis


@dataclass(frozen=True)
class CheckContext:
    """What the checks of one entity need besides the entity: nothing of other files."""

    schemas: SchemaSet
    today: date
    gemeindeverzeichnis: Callable[[], Gemeindeverzeichnis]


def entity_problem(
    code: str,
    entity: Entity,
    message: str,
    path: tuple[str | int, ...] | list[Any] = (),
    hint: str | None = None,
) -> Problem:
    """A problem located at a field of an entity (line and column are filled in later)."""
    return new_problem(
        code,
        message,
        entity.path,
        pointer=join_pointer(list(path)),
        entity=f"{entity.kind}:{entity.id}",
        hint=hint,
    )
