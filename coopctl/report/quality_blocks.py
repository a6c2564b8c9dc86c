"""The data-quality section as tables and lists: the gaps an analyst should see before quoting
a number (coopctl.report.quality counts them). Fields are named in words
(`coopctl.report.field_words`), not by the JSON pointers the JSON report keeps."""

from __future__ import annotations

from collections.abc import Iterator

from coopctl.i18n import _, ngettext
from coopctl.report import labels as L
from coopctl.report.blocks import (
    NOTES_LANG,
    Block,
    Item,
    Paragraph,
    date_text,
    first,
    item_list,
    number,
    table,
)
from coopctl.report.field_words import field_words
from coopctl.report.records import Report


def quality(report: Report, limit: int) -> Iterator[Block]:
    q = report.quality
    assert q is not None
    summary = [
        (_("Files that could not be read"), q.files_not_loaded),
        (_("Entries without a source"), len(q.without_sources)),
        (_("Dates known only to the month or year"), len(q.vague_dates)),
        (_("Events without a source of their own"), len(q.events_without_sources)),
        (_("Entries without a review date (last_reviewed)"), len(q.never_reviewed)),
        (_review_outdated(q.review_max_age_days), len(q.review_outdated)),
        (_quiet(q.quiet_years), len(q.quiet_agreements)),
    ]
    yield table(
        _("Gaps at a glance"),
        (_("Gap"), _("Count")),
        [(label, number(n)) for label, n in summary],
        limit=100,
        numeric=(1,),
    )
    if q.files_not_loaded:
        missing = ngettext(
            "{count} file is missing from the report; “coopctl validate” names the reasons.",
            "{count} files are missing from the report; “coopctl validate” names the reasons.",
            q.files_not_loaded,
        )
        yield Paragraph(missing.format(count=number(q.files_not_loaded)))
    if q.without_sources:
        yield item_list(
            _("Entries without a source"),
            [Item(_entity(report, e.kind, e.id), e.path) for e in first(q.without_sources, limit)],
            limit,
            count=len(q.without_sources),
        )
    if q.vague_dates:
        rows: list[tuple[str, ...]] = [
            (
                _entity(report, v.kind, v.id),
                field_words(v.kind, v.pointer),
                date_text(v.date),
                L.label(L.PRECISIONS, v.precision),
                v.note or "–",
            )
            for v in first(q.vague_dates, limit)
        ]
        yield table(
            _("Vague dates"),
            (_("Entry"), _("Field"), _("Date"), _("Precision"), _("Note")),
            rows,
            limit,
            lang_columns=((4, NOTES_LANG),),
            count=len(q.vague_dates),
        )
    if q.events_without_sources:
        rows = [
            (
                report.agreement_label(e.agreement),
                field_words("agreement", e.pointer),
                date_text(e.date),
                L.label(L.EVENT_TYPES, e.type or "unknown"),
            )
            for e in first(q.events_without_sources, limit)
        ]
        yield table(
            _("Events without a source of their own"),
            (_("Agreement"), _("Field"), _("Date"), _("Event")),
            rows,
            limit,
            count=len(q.events_without_sources),
        )
    if q.review_outdated:
        rows = [
            (_entity(report, r.kind, r.id), date_text(r.last_reviewed))
            for r in first(q.review_outdated, limit)
        ]
        yield table(
            _review_outdated(q.review_max_age_days),
            (_("Entry"), _("Last reviewed")),
            rows,
            limit,
            count=len(q.review_outdated),
        )
    if q.quiet_agreements:
        rows = [
            (
                report.agreement_label(a.id),
                L.label(L.AGREEMENT_STATUS, a.status or "unknown"),
                date_text(a.last_event),
            )
            for a in first(q.quiet_agreements, limit)
        ]
        yield table(
            _quiet(q.quiet_years),
            (_("Agreement"), _("Status"), _("Last event")),
            rows,
            limit,
            count=len(q.quiet_agreements),
        )
    if q.never_reviewed:
        never = ngettext(
            "{count} entry has no review date (last_reviewed): when it was last compared with "
            "its sources is not recorded.",
            "{count} entries have no review date (last_reviewed): when they were last compared "
            "with their sources is not recorded.",
            len(q.never_reviewed),
        )
        yield Paragraph(never.format(count=number(len(q.never_reviewed))))


def _review_outdated(days: int) -> str:
    return ngettext(
        "Reviewed more than {count} day ago",
        "Reviewed more than {count} days ago",
        days,
    ).format(count=number(days))


def _quiet(years: int) -> str:
    return ngettext(
        "Agreements without a recorded event for {count} year",
        "Agreements without a recorded event for {count} years",
        years,
    ).format(count=number(years))


def _entity(report: Report, kind: str, entity_id: str) -> str:
    if kind == "partner":
        name = report.partner_name(entity_id)
    elif kind == "agreement":
        return report.agreement_label(entity_id, with_id=True)
    else:
        name = report.solution_name(entity_id)
    return name if name == entity_id else f"{name} ({entity_id})"
