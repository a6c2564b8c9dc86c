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
    """A date given on the command line (--at), as a person types it (`typed_date`): a
    partial date means its last day."""
    parsed = parse_partial_date(typed_date(text))
    assert parsed is not None  # typed_date returns valid partial dates only
    return parsed.last


_GERMAN = re.compile(r"(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})", re.ASCII)


class DateError(ValueError):
    """A typed date that is not one; the message says what would be."""


def typed_date(text: str) -> str:
    """The partial ISO date (`2022-04-23`, `2022-04`, `2022`) of a date as a person types it:
    ISO, or German `23.04.2022`, `04.2022` (also `1.4.2022`, `4.2022`). DateError for text
    that is no date and for a day the calendar does not have (`31.02.2022`)."""
    from coopctl.i18n import _

    stripped = text.strip()
    german = _GERMAN.fullmatch(stripped)
    if german:
        day, month, year = german.groups()
        iso = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    elif _PATTERN.fullmatch(stripped):
        iso = stripped
    else:
        raise DateError(
            _(
                "'{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (or DD.MM.YYYY, MM.YYYY)"
            ).format(text=stripped)
        )
    if parse_partial_date(iso) is None:
        raise DateError(_no_such_day(stripped, iso))
    return iso


def _no_such_day(text: str, iso: str) -> str:
    from coopctl.i18n import _

    year, month = int(iso[:4]), int(iso[5:7])
    if not 1 <= month <= 12:
        return _("'{text}' is not a date: there is no month {month}").format(text=text, month=month)
    from coopctl.localformat import month_name

    days = calendar.monthrange(year, month)[1]
    return _("'{text}' is not a date: {month} {year} has {days} days").format(
        text=text, month=month_name(month), year=year, days=days
    )
