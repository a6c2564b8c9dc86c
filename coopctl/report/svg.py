"""Inline SVG charts for the HTML report: plain shapes and text, no script, no fonts to load.

Every chart is an `<svg role="img">` named by its own `<title>` and `<desc>` (read by screen
readers), every mark carries a `<title>` with its exact value, and colours come with a second
cue (shape, symbol or dash) so nothing depends on colour alone. Registry text is escaped.

Every label is cut to the room it has by an upper estimate of its width (`text_width`), so no
text runs out of its chart. A chart shrinks with the page down to MIN_SCALE of its size, so
its 12 px labels stay at least 11 px high; below that the page scrolls it sideways
(`coopctl.report.html`). The timeline is in `coopctl.report.svg_timeline`.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence

from coopctl.escaping import html as _e
from coopctl.i18n import _, ngettext
from coopctl.localformat import format_date, format_number
from coopctl.report import labels as L
from coopctl.report.records import Report, Use

INK, MUTED, GRID = "#1a1a1a", "#4a4a4a", "#d0d0d0"
BAR = "#1f5fa8"
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
COLUMN_LABEL = 150  # the longest label of an adoption matrix column, in pixels
FONT_SIZE = 12
MIN_SCALE = 11 / 12  # the smallest a chart is drawn: its labels at 11 px
# The widths of characters at FONT_SIZE, a little above those of DejaVu Sans (the widest of
# the fonts a browser picks for system-ui), so an estimate is never short.
_NARROW, _WIDE = frozenset(" .,:;'!|()[]-/ijlIJfrt"), frozenset("mwMW…")


def _char_width(c: str) -> float:
    if c in _NARROW:
        return 4.8
    if c in _WIDE or unicodedata.east_asian_width(c) in "WF":  # CJK, most emoji: a square
        return 12.5
    return 9.5 if c.isupper() else 7.7


def text_width(text: str) -> float:
    """An upper estimate of the width of `text` at FONT_SIZE, in pixels."""
    return sum(map(_char_width, text))


def fit(text: str, room: float) -> str:
    """`text`, cut with an ellipsis where it would be wider than `room` pixels (in one pass,
    however long the text)."""
    if text_width(text) <= room:
        return text
    used = _char_width("…")
    for end, c in enumerate(text):
        used += _char_width(c)
        if used > room:
            return text[:end].rstrip() + "…"
    return "…"  # not reached: the whole text is wider than `room`


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


def agreements_text(count: int) -> str:
    return _count(ngettext("{count} agreement", "{count} agreements", count), count)


def open_svg(ident: str, width: int, height: int, title: str, desc: str) -> list[str]:
    """The opening of a chart of `width` × `height`: drawn at most that wide, and at least
    MIN_SCALE of it."""
    n = _e(ident)
    least = math.ceil(width * MIN_SCALE)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width: {width}px; min-width: {least}px" '
        f'aria-labelledby="{n}-title {n}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{n}-title">{_e(title)}</title>',
        f'<desc id="{n}-desc">{_e(desc)}</desc>',
    ]


def close(out: list[str]) -> str:
    return "\n".join([*out, "</svg>"])


def bar_chart(ident: str, title: str, desc: str, bars: Sequence[tuple[str, int]]) -> str:
    """Horizontal bars, one per label, longest scale = the largest value."""
    label_width, bar_space, row = 230, 380, 24
    width, height = label_width + bar_space + 60, max(1, len(bars)) * row + 10
    top = max((v for _, v in bars), default=0) or 1
    out = open_svg(ident, width, height, title, desc)
    for i, (label, value) in enumerate(bars):
        y = 5 + i * row
        length = max(2, round(bar_space * value / top)) if value else 0
        out.append(f"<g><title>{_e(label)}: {format_number(value)}</title>")
        out.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" fill="{INK}">'
            f"{_e(fit(label, label_width - 16))}</text>"
        )
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="17" fill="{BAR}"/>'
        )
        out.append(
            f'<text x="{label_width + length + 6}" y="{y + 16}" fill="{INK}">'
            f"{format_number(value)}</text></g>"
        )
    return close(out)


def short_titles(report: Report) -> dict[str, str]:
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
    short = short_titles(report)
    row = 22
    height = max(len(partners), 2 * len(agreements)) * row + 40
    left_x, right_x, width = 230, 560, 860
    py = {p.id: 30 + i * row for i, p in enumerate(partners)}
    gap = (height - 40) / max(1, len(agreements))
    ay = {a: 20 + gap * (i + 0.5) for i, a in enumerate(agreements)}
    counts = {
        "partners": _partners(len(nodes)),
        "agreements": agreements_text(all_agreements),
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
    out = open_svg("network-chart", width, height, title, desc)
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
        out.append(f"<g><title>{_e(p.name)}: {_e(agreements_text(len(p.agreements)))}</title>")
        out.append(f'<circle cx="{left_x}" cy="{y}" r="6" fill="{BAR}"/>')
        out.append(
            f'<text x="{left_x - 12}" y="{y + 4}" text-anchor="end" fill="{INK}">'
            f"{_e(fit(report.partner_name(p.id, short=True), left_x - 20))}</text></g>"
        )
    for a in agreements:
        y = ay[a]
        out.append(f"<g><title>{_e(report.agreement_name(a))}</title>")
        out.append(
            f'<rect x="{right_x - 8}" y="{y - 8:.1f}" width="16" height="16" fill="#6a3d9a"/>'
        )
        out.append(
            f'<text x="{right_x + 16}" y="{y + 4:.1f}" fill="{INK}">'
            f"{_e(fit(short.get(a) or report.agreement_name(a), width - right_x - 24))}</text></g>"
        )
    return close(out)


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
    cell, left = 26, 240
    names = [fit(report.partner_name(p, short=True), COLUMN_LABEL) for p in columns]
    # the column labels rise at 55 degrees: room above the grid, and right of its last column
    rise = max((text_width(name) for name in names), default=0)
    top = 30 + math.ceil(rise * math.sin(math.radians(55)))
    right = max(20, math.ceil(rise * math.cos(math.radians(55))) + 12 - cell // 2)
    width, height = left + len(columns) * cell + right, top + len(rows) * cell + 40
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
    out = open_svg("adoption-chart", width, height, title, desc)
    for j, name in enumerate(names):
        x = left + j * cell + cell / 2
        out.append(
            f'<text transform="translate({x + 4:.1f},{top - 8}) rotate(-55)" fill="{INK}">'
            f"{_e(name)}</text>"
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
            f"{_e(fit(solution.name, left - 16))}</text>"
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
    return close(out)
