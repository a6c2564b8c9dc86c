"""Declared migrations of registry data from one schema version to the next.

A migration step changes one entity file's round-trip document in place (comments and layout
stay) and says what it changed. `coopctl.migrate` runs the steps of each kind, version by
version, and validates the result against the new schemas before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One change a step made to a document: where (a JSON pointer) and what, for people."""

    pointer: str
    message: str


# A step takes the round-trip document of one entity file (a ruamel.yaml CommentedMap),
# changes it in place and returns what it changed; an empty list means nothing to do.
Step = Callable[[MutableMapping[str, Any]], list[Change]]
