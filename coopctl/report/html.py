"""The report as one self-contained HTML page: inline CSS, inline SVG, no script.

The page makes no network request (a Content-Security-Policy forbids any), reads without
JavaScript, prints cleanly, and is written for screen readers too: landmarks, a table of
contents, captions and header cells on every table, titles and descriptions on every chart.
Every string from the registry goes through `coopctl.escaping.html` (or `_text`, which escapes
the same way and marks the dates in a text). The page is laid out for every screen and for A4
paper: see docs/report.md.
"""

from __future__ import annotations

import re
from functools import cache
from html import escape

from coopctl import __version__
from coopctl.dates import parse_partial_date
from coopctl.escaping import html as _e
from coopctl.escaping import one_line
from coopctl.i18n import _, language, ngettext
from coopctl.localformat import month_name
from coopctl.report import labels as L
from coopctl.report import svg
from coopctl.report.blocks import (
    TITLE,
    Items,
    Section,
    Table,
    as_of_text,
    build_sections,
    left_out,
    meta_parts,
    number,
)
from coopctl.report.records import Report
from coopctl.report.svg_timeline import timeline_chart

HTML_ROWS = 200
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1a1a1a; background: #ffffff; overflow-wrap: break-word; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; border-bottom: 3px solid #1f5fa8; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; margin: 40px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #c8c8c8; }
.meta { color: #4a4a4a; margin: 0 0 12px; }
nav ul { list-style: none; padding: 0; margin: 0 0 16px; display: flex; flex-wrap: wrap;
  gap: 6px 18px; }
a { color: #174a85; }
a:focus, [tabindex]:focus { outline: 3px solid #f2b300; outline-offset: 2px; }
.summary { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; padding: 0;
  list-style: none; }
.summary li { border: 1px solid #c8c8c8; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
.summary strong { display: block; font-size: 26px; color: #1f5fa8; }
figure { margin: 20px 0; }
.chart { overflow-x: auto; }
.chart svg { display: block; width: 100%; height: auto; }
figcaption { color: #4a4a4a; font-size: 14px; margin-top: 4px; }
time { white-space: nowrap; }
.table-wrap { overflow-x: auto; margin: 12px 0 20px; }
table { border-collapse: collapse; min-width: 40%; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th, td { text-align: left; vertical-align: top; padding: 5px 10px;
  border-bottom: 1px solid #dedede; }
th.w1 { min-width: 7em; } th.w2 { min-width: 11em; } th.w3 { min-width: 16em; }
th.w4 { min-width: 22em; }
thead th { border-bottom: 2px solid #1a1a1a; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) { background: #f4f6f9; }
.table-wrap.small { display: inline-block; vertical-align: top; margin-right: 28px;
  max-width: calc(100% - 28px); }
.more { color: #4a4a4a; font-style: italic; }
h3 { font-size: 16px; margin: 20px 0 6px; }
footer { margin-top: 48px; padding: 16px 24px 32px; color: #4a4a4a; font-size: 13px;
  border-top: 1px solid #c8c8c8; }
@media (max-width: 600px) {
  header, main, footer { padding-left: 14px; padding-right: 14px; }
  h1 { font-size: 24px; }
  .summary li { min-width: 0; flex: 1 1 40%; }
}
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  nav { display: none; }
  body { font-size: 10.5pt; }
  header, main, footer { max-width: none; padding: 0; }
  main > section + section { break-before: page; }
  h2, h3, caption { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap, .chart { overflow: visible; }
  .chart svg { min-width: 0 !important; max-width: 100% !important; }
  table { width: 100%; font-size: 9pt; }
  th, td { min-width: 0 !important; padding: 3px 5px; overflow-wrap: anywhere; }
  a { color: #1a1a1a; text-decoration: none; }
}
"""

_ISO_OR_GERMAN = r"\b(?:\d{4}-\d{2}(?:-\d{2})?|\d{2}\.\d{2}\.\d{4})\b"


@cache
def _dates(lang: str) -> re.Pattern[str]:
    """Dates as the report writes them (2020-09-23, 23.09.2020, September 2020) and as the
    registry's notes do; month names in `lang`, the language of the run."""
    months = "|".join(re.escape(month_name(m)) for m in range(1, 13))
    return re.compile(rf"{_ISO_OR_GERMAN}|\b(?:{months}) \d{{4}}\b")


def _iso(found: str) -> str | None:
    """The ISO form of a date `_dates` found; None when it is no calendar date."""
    if "." in found:
        day, month, year = found.split(".")
        found = f"{year}-{month}-{day}"
    elif " " in found:
        name, year = found.split(" ")
        index = next(m for m in range(1, 13) if month_name(m) == name)
        found = f"{year}-{index:02d}"
    return found if parse_partial_date(found) else None


def _text(text: str) -> str:
    """`text` escaped as `coopctl.escaping.html` does, each date in it a `<time>` that never
    breaks across lines."""
    line = one_line(text)
    out, last = [], 0
    for match in _dates(language()).finditer(line):
        iso = _iso(match.group())
        if iso is None:
            continue
        out.append(escape(line[last : match.start()]))
        out.append(f'<time datetime="{iso}">{escape(match.group())}</time>')
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


# A column of text is at least this wide (class w1 to w4 of its header) when its longest
# text has more characters than the bound, so a long text keeps to a few lines instead of
# stretching its row down where the column is narrow (and scrolled out of sight).
_WIDTHS = ((120, "w4"), (60, "w3"), (30, "w2"), (12, "w1"))


def _width_class(block: Table, column: int) -> str:
    longest = max(
        (len(row[column]) for row in block.rows if column < len(row)),
        default=0,
    )
    return next((name for bound, name in _WIDTHS if longest > bound), "")


def _table(block: Table, ident: str) -> str:
    langs = dict(block.lang_columns)
    heads = []
    for i, h in enumerate(block.headers):
        css = "num" if i in block.numeric else _width_class(block, i)
        heads.append(f'<th scope="col"{f" class={css}" if css else ""}>{_e(h)}</th>')
    head = "".join(heads)
    body = []
    for row in block.rows:
        cells = []
        for i, cell in enumerate(row):
            attrs = ' class="num"' if i in block.numeric else ""
            if langs.get(i, language()) != language():
                attrs += f' lang="{_e(langs[i])}"'
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{attrs}>{_text(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = f'<p class="more">{_e(left_out(block))}</p>' if block.more else ""
    wrap = "table-wrap small" if len(block.headers) == 2 else "table-wrap"
    return (
        f'<div class="{wrap}" role="region" aria-labelledby="{ident}" tabindex="0">'
        f'<table><caption id="{ident}">{_text(block.title)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{more}"
    )


def _items(block: Items) -> str:
    entries = []
    for item in block.items:
        text = f"<strong>{_e(item.label)}</strong>"
        if item.text:
            lang = f' lang="{_e(item.lang)}"' if item.lang not in (None, language()) else ""
            text += f": <span{lang}>{_text(item.text)}</span>"
        entries.append(f"<li>{text}</li>")
    if block.more:
        entries.append(f'<li class="more">{_e(left_out(block))}</li>')
    return f"<h3>{_e(block.title)}</h3><ul>{''.join(entries)}</ul>"


def _figure(section: str, chart: str | None, caption: str) -> str:
    """A chart in a box of its own that scrolls sideways where the page is too narrow for
    the chart at 11 px labels (a keyboard scrolls it too), with its caption below."""
    if chart is None:
        return ""
    ident = f"{section}-figure"
    return (
        f'<figure><div class="chart" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'{chart}</div><figcaption id="{ident}">{_e(caption)}</figcaption></figure>'
    )


def _figures(report: Report, name: str) -> str:
    if name == "overview" and report.overview:
        states = [(L.label(L.STATES, c.key), c.count) for c in report.overview.partners_by_state]
        return _figure(
            name,
            svg.bar_chart(
                "states-chart",
                _("Partners by Land"),
                ngettext(
                    "Bar chart: number of partners per Land, {count} bar.",
                    "Bar chart: number of partners per Land, {count} bars.",
                    len(states),
                ).format(count=number(len(states))),
                states,
            ),
            _("Figure: partners by Land (the numbers are also in the table “Partners by Land”)."),
        )
    if name == "timeline":
        return _figure(
            name,
            timeline_chart(report),
            _(
                "Figure: the events of each agreement on a time axis. Circle: signing, triangle "
                "pointing up: accession, pointing down: withdrawal, square: meeting, diamond: "
                "other events."
            ),
        )
    if name == "network":
        return _figure(
            name,
            svg.network_chart(report),
            _(
                "Figure: partners (left) and the agreements they belong to on the reference "
                "date (right); dashed: a participant that is not a party."
            ),
        )
    if name == "areas" and report.areas:
        bars = [(L.label(L.AREAS, r.area), len(r.agreements)) for r in report.areas.rows]
        return _figure(
            name,
            svg.bar_chart(
                "areas-chart",
                _("Fields of work"),
                _("Bar chart: number of agreements per field of work."),
                bars,
            ),
            _("Figure: agreements per field of work."),
        )
    if name == "adoption":
        return _figure(
            name,
            svg.adoption_matrix(report),
            _("Figure: which partners use which solution. {legend}").format(
                legend=svg.use_legend()
            ),
        )
    return ""


def _section(report: Report, section: Section) -> str:
    parts = [
        f'<section id="{section.name}" aria-labelledby="{section.name}-heading">',
        f'<h2 id="{section.name}-heading">{_e(section.title)}</h2>',
        _figures(report, section.name),
    ]
    for index, block in enumerate(section.blocks):
        if isinstance(block, Table):
            parts.append(_table(block, f"{section.name}-table-{index}"))
        elif isinstance(block, Items):
            parts.append(_items(block))
        else:
            parts.append(f"<p>{_text(block.text)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _summary(report: Report) -> str:
    if report.overview is None:
        return ""
    cards = "".join(
        f"<li><strong>{number(c.count)}</strong>{_e(L.label(L.KINDS, c.key))}</li>"
        for c in report.overview.entities
    )
    return f'<ul class="summary" aria-label="{_e(_("Holdings"))}">{cards}</ul>'


def _footer() -> str:
    return _(
        "Made with coopctl {version}. Every statement comes from the registry and its sources; "
        "membership of agreements is derived from the events recorded up to the reference "
        "date. Notes from the registry are in English."
    ).format(version=__version__)


def render_html(report: Report) -> str:
    sections = build_sections(report, HTML_ROWS)
    title = f"{_(TITLE)} – {as_of_text(report)}"
    meta = " · ".join(meta_parts(report))
    toc = "".join(f'<li><a href="#{s.name}">{_e(s.title)}</a></li>' for s in sections)
    body = "\n".join(_section(report, s) for s in sections)
    return f"""<!DOCTYPE html>
<html lang="{_e(language())}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="coopctl {_e(__version__)}">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(_(TITLE))}</h1>
<p class="meta">{_text(meta)}</p>
<nav aria-label="{_e(_("Contents"))}"><ul>{toc}</ul></nav>
</header>
<main>
{_summary(report)}
{body}
</main>
<footer>
<p>{_e(_footer())}</p>
</footer>
</body>
</html>
"""
