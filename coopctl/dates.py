"""Partial ISO dates (2020, 2020-09, 2020-09-23), compared with their precision in mind.

A partial date stands for an interval of days: '2020-09' is any day from 2020-09-01 to
2020-09-30. One date is certainly before another only when its last possible day is before
the other's first possible day.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


@dataclass(frozen=True)
class PartialDate:
    text: str
    first: date
    last: date

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month"}.get(len(self.text), "day")

    def certainly_before(self, other: PartialDate) -> bool:
        return self.last < other.first

    def certainly_by(self, day: date) -> bool:
        """True when the date has certainly come by `day` (its last possible day is not later)."""
        return self.last <= day

    def possibly_after(self, day: date) -> bool:
        return self.last > day

    def certainly_after(self, day: date) -> bool:
        return self.first > day


@functools.lru_cache(maxsize=8192)
def parse_partial_date(text: str) -> PartialDate | None:
    """The interval a partial date stands for; None when it is malformed or not a calendar day."""
    match = _PATTERN.fullmatch(text)
    if not match:
        return None
    year = int(match.group(1))
    month_text, day_text = match.group(2), match.group(3)
    try:
        if month_text is None:
            return PartialDate(text, date(year, 1, 1), date(year, 12, 31))
        month = int(month_text)
        if day_text is None:
            last_day = calendar.monthrange(year, month)[1]
            return PartialDate(text, date(year, month, 1), date(year, month, last_day))
        day = date(year, month, int(day_text))
    except ValueError:
        return None
    return PartialDate(text, day, day)


def parse_query_date(text: str) -> date:
    """A date given on the command line (--at): a partial date means its last day."""
    parsed = parse_partial_date(text.strip())
    if parsed is None:
        raise ValueError(f"'{text}' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    return parsed.last
