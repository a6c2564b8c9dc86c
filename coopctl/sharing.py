"""One string object for each short text that recurs across the files of a registry.

A file's data, decoded from JSON or parsed from YAML, holds its own copy of every text: the
same partner id, date, event type or status is one object per file that names it. At
national scale (37,000 agreements, 300,000 partner ids in their events) those copies are
more than a quarter of the memory the data takes. `shared` replaces each short text by the
one interned string equal to it, in place: the data compares, prints and exports the same.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

# Ids are at most 64 characters (defs.schema.json); longer texts (titles, notes, addresses)
# seldom recur, and interning a text that does not recur costs memory instead of saving it.
SHORT = 64


def shared(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with every text of at most SHORT characters in it (not its keys: those of one
    batch of decoded files are shared already) interned; changed in place and returned."""
    intern = sys.intern
    stack: list[Any] = [data]
    pop, push = stack.pop, stack.append
    while stack:
        value = pop()
        for key, item in value.items() if type(value) is dict else enumerate(value):
            kind = type(item)
            if kind is str:
                if len(item) <= SHORT:
                    value[key] = intern(item)
            elif kind is dict or kind is list:
                push(item)
    return data


def for_every_kind() -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
    """For `load_snapshot`: `shared` for every kind (a command that keeps all of the data)."""
    from coopctl.model import KINDS

    return dict.fromkeys(KINDS, shared)
