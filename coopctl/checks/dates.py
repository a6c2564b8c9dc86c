"""Dates exist in the calendar, events and sources do not lie ahead, periods do not end
before they start. Which fields are dates comes from the schema."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from coopctl.checks.context import CheckContext, entity_problem
from coopctl.dates import PartialDate, parse_partial_date
from coopctl.i18n import _
from coopctl.model import Entity, Problem
from coopctl.schemas import Pattern, fields_of, readable_path

# The schema's date pattern; values it refuses are reported by the schema, not here.
_FORMAT_OK = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", re.ASCII)


def check(entity: Entity, context: CheckContext) -> Iterator[Problem]:
    rules = context.schemas.rules[entity.kind]
    found = fields_of(entity, rules)
    for pattern, not_future in rules.dates:
        for path, value in found.get(pattern, ()):
            problem = _date_problem(context, entity, path, value, not_future)
            if problem is not None:
                yield problem
        if pattern and pattern[-1] == "from" and pattern in found:
            yield from _check_periods(entity, found, pattern)


def _date_problem(
    context: CheckContext, entity: Entity, path: tuple[str | int, ...], value: Any, not_future: bool
) -> Problem | None:
    if not isinstance(value, str) or not _FORMAT_OK.fullmatch(value):
        return None  # the schema reports malformed dates
    parsed = parse_partial_date(value)
    if parsed is None:
        message = _("{field}: {value} is not a day of the calendar")
        return entity_problem(
            "D001", entity, message.format(field=readable_path(path), value=value), path
        )
    if not_future and parsed.certainly_after(context.today):
        return entity_problem(
            "D002",
            entity,
            _("{field}: {value} lies after today ({today})").format(
                field=readable_path(path), value=value, today=context.today.isoformat()
            ),
            path,
        )
    return None


def _check_periods(
    entity: Entity,
    found: Mapping[Pattern, list[tuple[tuple[str | int, ...], Any]]],
    from_pattern: Pattern,
) -> Iterator[Problem]:
    until_pattern = (*from_pattern[:-1], "until")
    starts = dict(found.get(from_pattern, ()))
    for path, until in found.get(until_pattern, ()):
        start = starts.get((*path[:-1], "from"))
        first = _parse(start)
        last = _parse(until)
        if first and last and last.certainly_before(first):
            message = _("{field}: {until} is before from: {start}").format(
                field=readable_path(path), until=until, start=start
            )
            yield entity_problem("D003", entity, message, path)


def _parse(value: Any) -> PartialDate | None:
    return parse_partial_date(value) if isinstance(value, str) else None
