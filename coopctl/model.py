"""Records that flow through coopctl: entities read from files and the problems found in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

KINDS: tuple[str, ...] = ("partner", "agreement", "solution")
FOLDER_OF_KIND: dict[str, str] = {
    "partner": "partners",
    "agreement": "agreements",
    "solution": "solutions",
}
KIND_OF_FOLDER: dict[str, str] = {folder: kind for kind, folder in FOLDER_OF_KIND.items()}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Entity:
    """One registry file that loaded as a mapping. `path` is relative to the registry root."""

    kind: str
    id: str
    path: str
    data: dict[str, Any]
    blob_sha: str | None = None
    # The values of the schema's field patterns, found in one walk when first asked for
    # (`coopctl.schemas.field_values`).
    fields: dict[tuple[str, ...], list[tuple[tuple[str | int, ...], Any]]] = field(
        default_factory=dict, compare=False, repr=False
    )


@dataclass(frozen=True)
class Problem:
    """One finding. `line`/`column` are 1-based; `pointer` is a JSON pointer into the document."""

    code: str
    severity: Severity
    message: str
    path: str
    line: int = 1
    column: int = 1
    pointer: str | None = None
    entity: str | None = None
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(frozen=True)
class SourceFile:
    """The bytes of one registry file, before parsing."""

    path: str
    raw: bytes
    blob_sha: str | None = None


@dataclass(frozen=True)
class Change:
    """One semantic change between two states of a registry.

    Entity level (`pointer` is None): `action` is added, removed, renamed (`old_id` and
    `old_path` say from what) or modified. Field level (`pointer` set, a JSON pointer into the
    new document, or into the old one for what was removed): `action` is added, removed or
    changed, with the `old` and `new` values (None on the side where the field is absent).
    """

    action: str
    kind: str
    id: str
    path: str
    pointer: str | None = None
    old: Any = None
    new: Any = None
    old_id: str | None = None
    old_path: str | None = None
