"""Registry-wide rules. Each module offers `check(context) -> Iterator[Problem]`, a pure
function of the loaded registry; `run_checks` runs them all."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coopctl.checks import dates, events, identity, keys, references, sources
from coopctl.checks.context import CheckContext
from coopctl.model import Problem

Check = Callable[[CheckContext], Iterator[Problem]]
ALL_CHECKS: tuple[Check, ...] = (
    identity.check,
    references.check,
    keys.check,
    dates.check,
    events.check,
    sources.check,
)

__all__ = ["ALL_CHECKS", "CheckContext", "run_checks"]


def run_checks(context: CheckContext) -> Iterator[Problem]:
    for check in ALL_CHECKS:
        yield from check(context)
