"""Schema version 1 to 2: the solution files."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from coopctl.migrations import Change


def migrate(document: MutableMapping[str, Any]) -> list[Change]:
    """Change one solution document from version 1 to version 2 in place; return what changed."""
    return []
