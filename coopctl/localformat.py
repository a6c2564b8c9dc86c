"""Dates and numbers as people read them in the language of the run: `01.12.2026`,
`September 2020` and `1.234` in German; `2026-12-01`, `September 2020` and `1,234` in English.

Only text for people goes through here. YAML, JSON, CSV, SARIF and SQLite keep ISO dates and
plain numbers.
"""

from __future__ import annotations

from datetime import date

from coopctl.dates import parse_partial_date
from coopctl.i18n import N_, _, language

MONTHS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def month_name(month: int) -> str:
    return _(MONTHS[month - 1])


def format_date(value: date | str | None) -> str:
    """A day, month or year (a `date` or a partial ISO date) for people; anything that is no
    date is returned as it is, None as the empty text."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else value
    parsed = parse_partial_date(text)
    if parsed is None:
        return text
    if parsed.precision == "year":
        return text
    if parsed.precision == "month":
        return f"{month_name(parsed.first.month)} {parsed.first.year}"
    day = parsed.first
    return f"{day.day:02d}.{day.month:02d}.{day.year}" if language() == "de" else text


def format_number(value: float, decimals: int = 0) -> str:
    """`value` with the thousands and decimal separators of the language."""
    text = f"{value:,.{decimals}f}"
    if language() == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_percent(value: float, decimals: int = 0) -> str:
    """A share (0.125) as a percentage: `12,5 %` in German, `12.5%` in English."""
    number = format_number(value * 100, decimals)
    return f"{number} %" if language() == "de" else f"{number}%"
