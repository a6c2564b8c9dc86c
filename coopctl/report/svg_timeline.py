"""The timeline chart of the HTML report: one lane per agreement, a marker per event.

Markers that would touch (the same day, or a month's band and a day in it) are stacked on
levels of their own within the lane, so each one stays visible; the legend wraps onto more
rows when its entries do not fit on one. Registry text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coopctl.dates import parse_partial_date
from coopctl.escaping import html as _e
from coopctl.i18n import _, ngettext
from coopctl.localformat import format_date, format_number
from coopctl.report import labels as L
from coopctl.report.records import Report, TimelineEvent
from coopctl.report.svg import (
    GRID,
    INK,
    MAX_ROWS,
    MUTED,
    agreements_text,
    close,
    fit,
    open_svg,
    short_titles,
    text_width,
)

EVENT_STYLE: dict[str, tuple[str, str]] = {  # type -> (colour, shape)
    "signed": ("#1f5fa8", "circle"),
    "accession": ("#2e7d32", "up"),
    "withdrawal": ("#b3261e", "down"),
    "meeting": ("#6a3d9a", "square"),
    "other": ("#5f5f5f", "diamond"),
}
HALF = 7  # half the width and height of the largest marker
LEVEL = 18  # vertical distance of two stacked levels in a lane
GAP = 3  # the least room between two marks on one level
LANE_PAD = 16  # room above and below the levels of a lane
LEFT, PLOT = 250, 640  # the lane labels' column and the plot's width


@dataclass(frozen=True)
class _Mark:
    event: TimelineEvent
    x1: float  # the band's left end (the marker's x for a day)
    x2: float
    middle: float

    @property
    def start(self) -> float:
        return min(self.x1, self.middle - HALF)

    @property
    def end(self) -> float:
        return max(self.x2, self.middle + HALF)


def stack(marks: Sequence[tuple[float, float]]) -> list[int]:
    """A level for each of the (start, end) spans, given in order of start: the lowest level
    whose last span ends at least GAP before this one starts."""
    ends: list[float] = []
    levels = []
    for start, end in marks:
        level = next((i for i, last in enumerate(ends) if last + GAP <= start), len(ends))
        if level == len(ends):
            ends.append(end)
        else:
            ends[level] = end
        levels.append(level)
    return levels


def marker(shape: str, x: float, y: float, colour: str, css: str = "") -> str:
    """A marker of `shape` centred on (x, y); `css` is its class attribute, if any."""
    cls = f' class="{css}"' if css else ""
    if shape == "circle":
        return f'<circle{cls} cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect{cls} x="{x - 5.5:.1f}" y="{y - 5.5:.1f}" width="11" height="11" '
            f'fill="{colour}"/>'
        )
    if shape == "up":
        points = f"{x:.1f},{y - 7:.1f} {x - 7:.1f},{y + 5:.1f} {x + 7:.1f},{y + 5:.1f}"
    elif shape == "down":
        points = f"{x:.1f},{y + 7:.1f} {x - 7:.1f},{y - 5:.1f} {x + 7:.1f},{y - 5:.1f}"
    else:
        points = f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"
    return f'<polygon{cls} points="{points}" fill="{colour}"/>'


def _legend(top: int, width: int) -> tuple[list[str], int]:
    """The legend's marks and words from `top` down, wrapped to `width`; and its height."""
    out: list[str] = []
    x, y, right = LEFT, top + 8, width - 10
    for key in L.TIMELINE_COLUMNS:
        text = L.label(L.TIMELINE_COLUMNS, key)
        entry = 18 + text_width(text)
        if x > LEFT and x + entry > right:
            x, y = LEFT, y + 22
        colour, shape = EVENT_STYLE[key]
        out.append(marker(shape, x + 7, y, colour))
        words = _e(fit(text, right - x - 18))
        out.append(f'<text x="{x + 18}" y="{y + 4}" fill="{INK}">{words}</text>')
        x += round(entry) + 28
    vague = _("Dashed area: the date is known only to the month or year")
    y += 24
    out.append(f'<text x="{LEFT}" y="{y + 4}" fill="{MUTED}">{_e(fit(vague, right - LEFT))}</text>')
    return out, y + 14 - top


def timeline_chart(report: Report) -> str | None:
    """One lane per agreement; a marker per event, a band where the date is only a month or
    a year (the event happened somewhere in it)."""
    timeline = report.timeline
    if timeline is None or not timeline.events:
        return None
    lanes = sorted({e.agreement for e in timeline.events})[:MAX_ROWS]
    first_year, last_year = timeline.years[0].year, timeline.years[-1].year
    start, end = date(first_year, 1, 1), date(last_year + 1, 1, 1)
    span = (end - start).days

    def x_of(day: date) -> float:
        return LEFT + PLOT * (day - start).days / span

    marks: dict[str, list[_Mark]] = {agreement: [] for agreement in lanes}
    for e in timeline.events:
        parsed = parse_partial_date(e.date) if e.agreement in marks else None
        if parsed is not None:
            x1, x2 = x_of(parsed.first), x_of(parsed.last)
            if parsed.precision == "day":
                x1 = x2
            marks[e.agreement].append(_Mark(e, x1, x2, x1 + (x2 - x1) / 2))
    levels: dict[str, list[int]] = {}
    for agreement, in_lane in marks.items():
        in_lane.sort(key=lambda m: (m.start, m.end))
        levels[agreement] = stack([(m.start, m.end) for m in in_lane])
    heights = [LANE_PAD + LEVEL * (max(levels[a], default=0) + 1) for a in lanes]
    width = LEFT + PLOT + 20
    plot_bottom = 40 + sum(heights)
    legend, legend_height = _legend(plot_bottom + 10, width)
    height = plot_bottom + 10 + legend_height

    shown = sum(len(in_lane) for in_lane in marks.values())
    desc = ngettext(
        "{count} event in {agreements} from {first} to {last}; the table “Events” lists each "
        "of them.",
        "{count} events in {agreements} from {first} to {last}; the table “Events” lists each "
        "of them.",
        shown,
    ).format(
        count=format_number(shown),
        agreements=agreements_text(len(lanes)),
        first=first_year,
        last=last_year,
    )
    title = _("Timeline of the events of each agreement")
    out = open_svg("timeline-chart", width, height, title, desc)
    step = max(1, (last_year - first_year + 1) // 12)
    for year in range(first_year, last_year + 2, step):
        x = x_of(date(year, 1, 1))
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{plot_bottom}" stroke="{GRID}"/>')
        if year <= last_year:
            out.append(f'<text x="{x + 3:.1f}" y="16" fill="{MUTED}">{year}</text>')
    short = short_titles(report)
    top = 40
    for agreement, lane_height in zip(lanes, heights, strict=True):
        middle = top + lane_height / 2
        name = report.agreement_name(agreement)
        out.append(f"<g><title>{_e(name)}</title>")
        out.append(
            f'<text x="{LEFT - 10}" y="{middle + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{_e(fit(short.get(agreement, name), LEFT - 16))}</text></g>"
        )
        out.append(
            f'<line x1="{LEFT}" y1="{middle:.1f}" x2="{LEFT + PLOT}" y2="{middle:.1f}" '
            f'stroke="{GRID}"/>'
        )
        count = max(levels[agreement], default=0) + 1
        for mark, level in zip(marks[agreement], levels[agreement], strict=True):
            y = middle + (level - (count - 1) / 2) * LEVEL
            out.append(_event(mark, y))
        top += lane_height
    out.extend(legend)
    return close(out)


def _event(mark: _Mark, y: float) -> str:
    event = mark.event
    colour, shape = EVENT_STYLE.get(event.type, EVENT_STYLE["other"])
    label = f"{format_date(event.date)}: {L.label(L.EVENT_TYPES, event.type)}"
    parts = [f'<g class="event"><title>{_e(label)}</title>']
    if mark.x2 > mark.x1:
        parts.append(
            f'<rect x="{mark.x1:.1f}" y="{y - 8:.1f}" width="{max(2.0, mark.x2 - mark.x1):.1f}" '
            f'height="16" fill="{colour}" fill-opacity="0.25" stroke="{colour}" '
            'stroke-dasharray="3 2"/>'
        )
    parts.append(marker(shape, mark.middle, y, colour, "mark"))
    parts.append("</g>")
    return "".join(parts)
