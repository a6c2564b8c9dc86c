"""Inline SVG charts for the HTML report: plain shapes and text, no script, no fonts to load.

Every chart is an `<svg role="img">` named by its own `<title>` and `<desc>` (read by screen
readers), every mark carries a `<title>` with its exact value, and colours come with a second
cue (shape, symbol or dash) so nothing depends on colour alone. Registry text is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from coopctl.dates import parse_partial_date
from coopctl.escaping import html as _e
from coopctl.i18n import _, ngettext
from coopctl.localformat import format_date, format_number
from coopctl.report import labels as L
from coopctl.report.records import Report, TimelineEvent, Use

INK, MUTED, GRID = "#1a1a1a", "#4a4a4a", "#d0d0d0"
BAR = "#1f5fa8"
EVENT_STYLE: dict[str, tuple[str, str]] = {  # type -> (colour, shape)
    "signed": ("#1f5fa8", "circle"),
    "accession": ("#2e7d32", "up"),
    "withdrawal": ("#b3261e", "down"),
    "meeting": ("#6a3d9a", "square"),
    "other": ("#5f5f5f", "diamond"),
}
# status -> (fill, colour of the symbol, symbol): symbols rather than letters, which would
# differ from language to language
USE_STYLE: dict[str, tuple[str, str, str]] = {
    "production": ("#1f5fa8", "#ffffff", "●"),
    "pilot": ("#8fb8e8", "#1a1a1a", "◐"),
    "planned": ("#ffffff", "#1a1a1a", "○"),
    "retired": ("#d9d9d9", "#1a1a1a", "×"),
}
MAX_ROWS = 40
MAX_NODES = 60


def use_legend() -> str:
    """What the symbols of the adoption chart mean."""
    return _(
        "Symbols: {production} {production_label}, {pilot} {pilot_label}, {planned} "
        "{planned_label}, {retired} {retired_label}."
    ).format(
        **{status: style[2] for status, style in USE_STYLE.items()},
        **{f"{status}_label": L.label(L.USE_STATUS, status) for status in USE_STYLE},
    )


def _count(text: str, count: int) -> str:
    return text.format(count=format_number(count))


def _partners(count: int) -> str:
    return _count(ngettext("{count} partner", "{count} partners", count), count)


def _agreements(count: int) -> str:
    return _count(ngettext("{count} agreement", "{count} agreements", count), count)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(ident: str, width: int, height: int, title: str, desc: str) -> list[str]:
    n = _e(ident)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{n}-title {n}-desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12">',
        f'<title id="{n}-title">{_e(title)}</title>',
        f'<desc id="{n}-desc">{_e(desc)}</desc>',
    ]


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per label, longest scale = the largest value."""
    label_width, bar_space, row = 230, 380, 24
    width, height = label_width + bar_space + 60, max(1, len(bars)) * row + 10
    top = max((v for _, v in bars), default=0) or 1
    out = _open(ident, width, height, title, desc)
    for i, (label, value) in enumerate(bars):
        y = 5 + i * row
        length = max(2, round(bar_space * value / top)) if value else 0
        out.append(f"<g><title>{_e(label)}: {format_number(value)}</title>")
        out.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(label, 34))}</text>"
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="17" fill="{BAR}"/>'
        )
        out.append(
            f'<text x="{label_width + length + 6}" y="{y + 16}" fill="{INK}">'
            f"{format_number(value)}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 5.5:.1f}" y="{y - 5.5}" width="11" height="11" fill="{colour}"/>'
    if shape == "up":
        points = f"{x:.1f},{y - 7} {x - 7:.1f},{y + 5} {x + 7:.1f},{y + 5}"
    elif shape == "down":
        points = f"{x:.1f},{y + 7} {x - 7:.1f},{y - 5} {x + 7:.1f},{y - 5}"
    else:
        points = f"{x:.1f},{y - 7} {x + 7:.1f},{y} {x:.1f},{y + 7} {x - 7:.1f},{y}"
    return f'<polygon points="{points}" fill="{colour}"/>'


def timeline_chart(report: Report) -> str | None:
    """One lane per agreement; a marker per event, a band where the date is only a month or
    a year (the event happened somewhere in it)."""
    timeline = report.timeline
    if timeline is None or not timeline.events:
        return None
    lanes = sorted({e.agreement for e in timeline.events})[:MAX_ROWS]
    in_lane: dict[str, list[TimelineEvent]] = {agreement: [] for agreement in lanes}
    for e in timeline.events:
        if e.agreement in in_lane:
            in_lane[e.agreement].append(e)
    short = _short_titles(report)
    first_year, last_year = timeline.years[0].year, timeline.years[-1].year
    start, end = date(first_year, 1, 1), date(last_year + 1, 1, 1)
    left, plot, lane = 250, 640, 34
    width, height = left + plot + 20, 40 + len(lanes) * lane + 60
    span = (end - start).days

    def x_of(day: date) -> float:
        return left + plot * (day - start).days / span

    shown = sum(len(events) for events in in_lane.values())
    desc = ngettext(
        "{count} event in {agreements} from {first} to {last}; the table “Events” lists each "
        "of them.",
        "{count} events in {agreements} from {first} to {last}; the table “Events” lists each "
        "of them.",
        shown,
    ).format(
        count=format_number(shown),
        agreements=_agreements(len(lanes)),
        first=first_year,
        last=last_year,
    )
    title = _("Timeline of the events of each agreement")
    out = _open("timeline-chart", width, height, title, desc)
    step = max(1, (last_year - first_year + 1) // 12)
    for year in range(first_year, last_year + 2, step):
        x = x_of(date(year, 1, 1))
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 50}" stroke="{GRID}"/>')
        if year <= last_year:
            out.append(f'<text x="{x + 3:.1f}" y="16" fill="{MUTED}">{year}</text>')
    for i, agreement in enumerate(lanes):
        y = 40 + i * lane + lane // 2
        name = report.agreement_name(agreement)
        out.append(f"<g><title>{_e(name)}</title>")
        out.append(
            f'<text x="{left - 10}" y="{y + 4}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(short.get(agreement, name), 36))}</text></g>"
        )
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + plot}" y2="{y}" stroke="{GRID}"/>')
        for event in in_lane[agreement]:
            parsed = parse_partial_date(event.date)
            if parsed is None:
                continue
            colour, shape = EVENT_STYLE.get(event.type, EVENT_STYLE["other"])
            label = f"{format_date(event.date)}: {L.label(L.EVENT_TYPES, event.type)}"
            out.append(f"<g><title>{_e(label)}</title>")
            if parsed.precision != "day":
                x1, x2 = x_of(parsed.first), x_of(parsed.last)
                out.append(
                    f'<rect x="{x1:.1f}" y="{y - 9}" width="{max(2.0, x2 - x1):.1f}" height="18" '
                    f'fill="{colour}" fill-opacity="0.25" stroke="{colour}" '
                    'stroke-dasharray="3 2"/>'
                )
            middle = x_of(parsed.first) + (x_of(parsed.last) - x_of(parsed.first)) / 2
            out.append(
                _marker(shape if event.type in EVENT_STYLE else "diamond", middle, y, colour)
            )
            out.append("</g>")
    legend_y = height - 28
    x = left
    for key in L.TIMELINE_COLUMNS:
        text = L.label(L.TIMELINE_COLUMNS, key)
        colour, shape = EVENT_STYLE[key]
        out.append(_marker(shape, x + 7, legend_y, colour))
        out.append(f'<text x="{x + 18}" y="{legend_y + 4}" fill="{INK}">{_e(text)}</text>')
        x += 150
    vague = _("Dashed area: the date is known only to the month or year")
    out.append(f'<text x="{left}" y="{height - 6}" fill="{MUTED}">{_e(vague)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _short_titles(report: Report) -> dict[str, str]:
    """The short title (else the title) of each agreement, by id, when the overview has them."""
    agreements = report.overview.agreements if report.overview else ()
    return {a.id: a.short_title or a.title for a in agreements}


def network_chart(report: Report) -> str | None:
    """Partners (left) linked to the agreements they belong to (right); a dashed link is a
    participant that is not a party."""
    network = report.network
    if network is None or not network.members:
        return None
    # The MAX_NODES partners with the most cooperations, and the (at most MAX_NODES)
    # agreements with the most of them: a chart of a national registry shows its core.
    nodes = (*network.partners, *network.participants)
    chosen = nodes[:MAX_NODES]
    links = Counter(a for p in chosen for a in p.agreements)
    all_agreements = len({m.agreement for m in network.members})
    agreements = sorted(
        a for a, _n in sorted(links.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NODES]
    )
    order = {a: i for i, a in enumerate(agreements)}
    partners = sorted(
        (p for p in chosen if any(a in order for a in p.agreements)),
        key=lambda p: (min(order[a] for a in p.agreements if a in order), p.id),
    )
    short = _short_titles(report)
    row = 22
    height = max(len(partners), 2 * len(agreements)) * row + 40
    left_x, right_x, width = 230, 560, 860
    py = {p.id: 30 + i * row for i, p in enumerate(partners)}
    gap = (height - 40) / max(1, len(agreements))
    ay = {a: 20 + gap * (i + 0.5) for i, a in enumerate(agreements)}
    counts = {
        "partners": _partners(len(nodes)),
        "agreements": _agreements(all_agreements),
        "date": format_date(report.as_of),
        "shown": format_number(len(partners)),
    }
    if len(agreements) < all_agreements:
        desc = _(
            "{partners} and {agreements} on {date}; shown are the {shown} partners with the "
            "most cooperations and the {shown_agreements} agreements with the most of them. "
            "The table “Members” lists every link."
        ).format(**counts, shown_agreements=format_number(len(agreements)))
    elif len(partners) < len(nodes):
        desc = _(
            "{partners} and {agreements} on {date}; shown are the {shown} partners with the "
            "most cooperations. The table “Members” lists every link."
        ).format(**counts)
    else:
        desc = _("{partners} and {agreements} on {date}. The table “Members” lists every link.")
        desc = desc.format(**counts)
    title = _("Network of partners and agreements")
    out = _open("network-chart", width, height, title, desc)
    for m in network.members:
        if m.partner not in py or m.agreement not in ay:
            continue
        dash = ' stroke-dasharray="5 4"' if m.role != "party" else ""
        role = L.label(L.ROLES, m.role)
        agreement = short.get(m.agreement) or report.agreement_name(m.agreement)
        label = f"{report.partner_name(m.partner)} – {agreement} ({role})"
        out.append(
            f'<line x1="{left_x + 6}" y1="{py[m.partner]}" x2="{right_x - 8}" '
            f'y2="{ay[m.agreement]:.1f}" '
            f'stroke="#6b8fc7" stroke-width="1.5"{dash}><title>{_e(label)}</title></line>'
        )
    for p in partners:
        y = float(py[p.id])
        out.append(f"<g><title>{_e(p.name)}: {_e(_agreements(len(p.agreements)))}</title>")
        out.append(f'<circle cx="{left_x}" cy="{y}" r="6" fill="{BAR}"/>')
        out.append(
            f'<text x="{left_x - 12}" y="{y + 4}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(report.partner_name(p.id, short=True), 32))}</text></g>"
        )
    for a in agreements:
        y = ay[a]
        out.append(f"<g><title>{_e(report.agreement_name(a))}</title>")
        out.append(
            f'<rect x="{right_x - 8}" y="{y - 8:.1f}" width="16" height="16" fill="#6a3d9a"/>'
        )
        out.append(
            f'<text x="{right_x + 16}" y="{y + 4:.1f}" fill="{INK}">'
            f"{_e(_clip(short.get(a) or report.agreement_name(a), 38))}</text></g>"
        )
    out.append("</svg>")
    return "\n".join(out)


def adoption_matrix(report: Report) -> str | None:
    """Solutions (rows) × partners (columns); a cell is a partner's use, lettered by status."""
    adoption = report.adoption
    if adoption is None or not adoption.uses:
        return None
    uses_of: dict[str, int] = {}
    for use in adoption.uses:
        uses_of[use.partner] = uses_of.get(use.partner, 0) + 1
    columns = sorted(uses_of, key=lambda p: (-uses_of[p], p))[:MAX_ROWS]
    rows = [s for s in adoption.solutions if s.users][:MAX_ROWS]
    cell, left, top = 26, 240, 130
    width, height = left + len(columns) * cell + 20, top + len(rows) * cell + 40
    cut = len(columns) < len(uses_of) or len(rows) < sum(1 for s in adoption.solutions if s.users)
    counts = {
        "uses": _count(
            ngettext("{count} use", "{count} uses", len(adoption.uses)), len(adoption.uses)
        ),
        "solutions": _count(
            ngettext("{count} solution", "{count} solutions", len(rows)), len(rows)
        ),
        "partners": _partners(len(columns)),
        "legend": use_legend(),
    }
    if cut:
        desc = _(
            "{uses} of {solutions} by {partners}; a part is shown. {legend} "
            "The table “Uses” lists each of them."
        ).format(**counts)
    else:
        desc = _(
            "{uses} of {solutions} by {partners}. {legend} The table “Uses” lists each of them."
        ).format(**counts)
    title = _("Reuse: solutions and their users")
    out = _open("adoption-chart", width, height, title, desc)
    for j, partner in enumerate(columns):
        x = left + j * cell + cell / 2
        out.append(
            f'<text transform="translate({x + 4:.1f},{top - 8}) rotate(-55)" fill="{INK}">'
            f"{_e(_clip(report.partner_name(partner, short=True), 20))}</text>"
        )
    index = {p: j for j, p in enumerate(columns)}
    shown: dict[str, list[Use]] = {s.id: [] for s in rows}
    for use in adoption.uses:
        if use.solution in shown and use.partner in index:
            shown[use.solution].append(use)
    for i, solution in enumerate(rows):
        y = top + i * cell
        out.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" fill="{INK}">'
            f"{_e(_clip(solution.name, 34))}</text>"
        )
        for j in range(len(columns)):
            out.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="none" stroke="{GRID}"/>'
            )
        for use in shown[solution.id]:
            fill, ink, symbol = USE_STYLE.get(use.status or "", ("#ffffff", INK, "?"))
            x = left + index[use.partner] * cell
            status = L.label(L.USE_STATUS, use.status or "unknown")
            if use.since:
                status = _("{status}, since {date}").format(
                    status=status, date=format_date(use.since)
                )
            out.append(
                f"<g><title>{_e(solution.name)} – {_e(report.partner_name(use.partner))}: "
                f"{_e(status)}</title>"
                f'<rect x="{x + 2}" y="{y + 2}" width="{cell - 4}" height="{cell - 4}" '
                f'fill="{fill}" stroke="{BAR}"/>'
                f'<text x="{x + cell / 2}" y="{y + 17}" text-anchor="middle" fill="{ink}" '
                f'font-weight="bold">{symbol}</text></g>'
            )
    out.append("</svg>")
    return "\n".join(out)
