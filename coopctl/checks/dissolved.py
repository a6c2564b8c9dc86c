"""A partner that no longer exists (`dissolved`) is not named by an event dated after it.

The check compares files: the dates come from each agreement's facts (`event_dates`), the end
of each partner from its own (`dissolved`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from coopctl.codes import new_problem
from coopctl.dates import parse_partial_date
from coopctl.facts import FileFacts
from coopctl.i18n import _
from coopctl.localformat import format_date
from coopctl.model import Problem
from coopctl.schemas import pointer_path


def across(
    facts: list[FileFacts], by_kind: Mapping[str, Mapping[str, FileFacts]]
) -> Iterator[Problem]:
    ended = {}
    for partner_id, fact in by_kind.get("partner", {}).items():
        end = parse_partial_date(fact.dissolved) if fact.dissolved else None
        if end is not None:
            ended[partner_id] = end
    if not ended:
        return
    for fact in facts:
        if fact.kind != "agreement" or not fact.loaded:
            continue
        dates = dict(fact.event_dates)
        for target, value, pointer in fact.references:
            end = ended.get(value) if target == "partner" else None
            event = "/".join(pointer.split("/")[:3])
            day = parse_partial_date(dates[event]) if end and event in dates else None
            if end is None or day is None or not end.certainly_before(day):
                continue
            yield new_problem(
                "K014",
                _(
                    "{field}: partner '{id}' (dissolved {dissolved}) is named by an event dated "
                    "after that, {date}"
                ).format(
                    field=pointer_path(pointer),
                    id=value,
                    dissolved=format_date(end.text),
                    date=format_date(day.text),
                ),
                fact.path,
                pointer=pointer,
                entity=fact.entity,
                hint=_("name the body that took over (its successor), or correct a date"),
            )
