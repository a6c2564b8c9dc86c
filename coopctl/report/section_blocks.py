"""One function per section: the report's records turned into tables and lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coopctl.report import labels as L
from coopctl.report.blocks import (
    NOTES_LANG,
    Block,
    Item,
    Items,
    Paragraph,
    count_table,
    date_text,
    number,
    plural,
    table,
)
from coopctl.report.records import Report

MATRIX_MAX_COLUMNS = 12


def _names(report: Report, ids: tuple[str, ...], short: bool = True) -> str:
    return ", ".join(report.partner_name(i, short) for i in ids) or "–"


def _items(title: str, items: list[Item], limit: int) -> Items:
    return Items(title, tuple(items[:limit]), max(0, len(items) - limit))


def overview(report: Report, limit: int) -> Iterator[Block]:
    o = report.overview
    assert o is not None
    yield count_table("Bestand", "Art", o.entities, L.KINDS)
    yield count_table("Partner nach Land", "Land", o.partners_by_state, L.STATES)
    yield count_table("Partner nach Art", "Art", o.partners_by_type, L.PARTNER_TYPES)
    yield count_table(
        "Vereinbarungen nach Rechtsform", "Rechtsform", o.agreements_by_legal_form, L.LEGAL_FORMS
    )
    yield count_table(
        "Vereinbarungen nach Status", "Status", o.agreements_by_status, L.AGREEMENT_STATUS
    )
    yield count_table(
        "Lösungen nach Kategorie", "Kategorie", o.solutions_by_category, L.SOLUTION_CATEGORIES
    )
    yield count_table("Lösungen nach Status", "Status", o.solutions_by_status, L.SOLUTION_STATUS)
    rows = [
        (
            a.short_title or a.title,
            L.label(L.LEGAL_FORMS, a.legal_form),
            L.label(L.AGREEMENT_STATUS, a.status),
            date_text(a.signed),
            _names(report, a.parties),
            _names(report, a.participants),
        )
        for a in o.agreements
    ]
    headers = ("Vereinbarung", "Rechtsform", "Status", "Unterzeichnet", "Vertragspartner")
    yield table(f"Vereinbarungen am {report.as_of}", (*headers, "Teilnehmer"), rows, limit)
    notes = [Item(a.short_title or a.title, a.notes, NOTES_LANG) for a in o.agreements if a.notes]
    if notes:
        yield _items("Anmerkungen zu den Vereinbarungen", notes, limit)


def timeline(report: Report, limit: int) -> Iterator[Block]:
    t = report.timeline
    assert t is not None
    if not t.events:
        yield Paragraph(f"Bis {report.as_of} ist kein Ereignis verzeichnet.")
        return
    yield table(
        "Ereignisse je Jahr",
        ("Jahr", *L.TIMELINE_COLUMNS.values()),
        [
            (
                str(y.year),
                *(number(n) for n in (y.signed, y.accession, y.withdrawal, y.meeting, y.other)),
            )
            for y in t.years
        ],
        limit=10_000,
        numeric=(1, 2, 3, 4, 5),
    )
    rows = [
        (
            date_text(e.date),
            L.label(L.EVENT_TYPES, e.type),
            report.agreement_name(e.agreement),
            _names(report, e.partners),
            e.place or "–",
        )
        for e in t.events
    ]
    yield table("Ereignisse", ("Datum", "Ereignis", "Vereinbarung", "Partner", "Ort"), rows, limit)


def network(report: Report, limit: int) -> Iterator[Block]:
    n = report.network
    assert n is not None
    agreements = len({m.agreement for m in n.members})
    yield Paragraph(
        f"Am {report.as_of} gehören {plural(len(n.partners), 'Partner', 'Partner')} zu "
        f"{plural(agreements, 'Vereinbarung', 'Vereinbarungen')} (als Vertragspartner oder "
        f"Teilnehmer); {plural(len(n.in_several_agreements), 'Partner ist', 'Partner sind')} "
        f"an mehr als einer Vereinbarung beteiligt, {number(len(n.pairs))} Partnerpaare "
        "arbeiten in mindestens einer Vereinbarung zusammen."
    )
    rows = [
        (
            p.name,
            L.label(L.STATES, p.state or "unknown"),
            number(len(p.agreements)),
            number(p.co_partners),
        )
        for p in n.partners
    ]
    yield table(
        "Partner nach Zahl der Kooperationen",
        ("Partner", "Land", "Vereinbarungen", "Kooperationspartner"),
        rows,
        limit,
        numeric=(2, 3),
        bar=2,
    )
    several = [
        Item(report.partner_name(p), ", ".join(report.agreement_name(a) for a in x.agreements))
        for x in n.partners
        if (p := x.id) in n.in_several_agreements
    ]
    if several:
        yield _items("Partner in mehreren Vereinbarungen", several, limit)
    else:
        yield Paragraph("Kein Partner ist an mehr als einer Vereinbarung beteiligt.")
    members = [
        (
            report.agreement_name(m.agreement),
            report.partner_name(m.partner),
            L.label(L.ROLES, m.role),
            date_text(m.since),
        )
        for m in n.members
    ]
    yield table(
        f"Beteiligte am {report.as_of}",
        ("Vereinbarung", "Partner", "Rolle", "seit"),
        members,
        limit,
    )
    pairs = [
        (
            report.partner_name(p.partners[0]),
            report.partner_name(p.partners[1]),
            number(len(p.agreements)),
        )
        for p in n.pairs
    ]
    yield table(
        "Partnerpaare nach gemeinsamen Vereinbarungen",
        ("Partner", "Partner", "gemeinsame Vereinbarungen"),
        pairs,
        limit,
        numeric=(2,),
    )
    alone = [Item(report.partner_name(p)) for p in n.partners_without_agreement]
    if alone:
        yield _items(
            f"Partner ohne Vereinbarung am {report.as_of} (etwa Anbieter und Betreiber)",
            alone,
            limit,
        )


def areas(report: Report, limit: int) -> Iterator[Block]:
    a = report.areas
    assert a is not None
    rows = [
        (
            L.label(L.AREAS, r.area),
            number(len(r.agreements)),
            ", ".join(report.agreement_name(i) for i in r.agreements),
        )
        for r in a.rows
    ]
    yield table(
        "Handlungsfelder nach Zahl der Vereinbarungen",
        ("Handlungsfeld", "Anzahl", "Vereinbarungen"),
        rows,
        limit,
        numeric=(1,),
        bar=1,
    )
    agreement_ids = sorted({i for r in a.rows for i in r.agreements})
    if 1 < len(agreement_ids) <= MATRIX_MAX_COLUMNS:
        yield table(
            "Handlungsfelder × Vereinbarungen",
            ("Handlungsfeld", *(_short_agreement(report, i) for i in agreement_ids)),
            [
                (
                    L.label(L.AREAS, r.area),
                    *("ja" if i in r.agreements else "–" for i in agreement_ids),
                )
                for r in a.rows
            ],
            limit,
        )
    if a.agreements_without_areas:
        yield _items(
            "Vereinbarungen ohne Angabe von Handlungsfeldern",
            [Item(report.agreement_name(i)) for i in a.agreements_without_areas],
            limit,
        )


def _short_agreement(report: Report, agreement_id: str) -> str:
    if report.overview:
        for a in report.overview.agreements:
            if a.id == agreement_id and a.short_title:
                return a.short_title
    return agreement_id


def adoption(report: Report, limit: int) -> Iterator[Block]:
    a = report.adoption
    assert a is not None
    shared = sum(1 for s in a.solutions if s.shared_across_agreements)
    yield Paragraph(
        f"{plural(len(a.solutions), 'Lösung', 'Lösungen')}, "
        f"{plural(len(a.uses), 'Nutzung', 'Nutzungen')} durch Partner; "
        f"{plural(shared, 'Lösung wird', 'Lösungen werden')} von Partnern mehrerer "
        f"Vereinbarungen genutzt. OZG-Themenfelder abgedeckt: {a.themenfelder_covered} von "
        f"{len(a.themenfelder)}."
    )
    rows = [
        (
            s.name,
            L.label(L.SOLUTION_CATEGORIES, s.category or "unknown"),
            number(len(s.users)),
            ", ".join(report.agreement_name(i) for i in s.agreements) or "–",
            "ja" if s.shared_across_agreements else "nein",
        )
        for s in sorted(a.solutions, key=lambda s: (-len(s.users), s.id))
    ]
    yield table(
        "Lösungen nach Zahl der Nutzer",
        ("Lösung", "Kategorie", "Nutzer", "Vereinbarungen der Nutzer", "geteilt"),
        rows,
        limit,
        numeric=(2,),
        bar=2,
    )
    uses = [
        (
            report.solution_name(u.solution),
            report.partner_name(u.partner),
            L.label(L.USE_STATUS, u.status or "unknown") + (" (beendet)" if u.ended else ""),
            date_text(u.since),
            date_text(u.until),
        )
        for u in a.uses
    ]
    yield table("Nutzungen", ("Lösung", "Partner", "Status", "seit", "bis"), uses, limit)
    yield table(
        "OZG-Themenfelder",
        ("Themenfeld", "Lösungen"),
        [
            (
                L.label(L.THEMENFELDER, r.themenfeld),
                ", ".join(report.solution_name(s) for s in r.solutions) or "–",
            )
            for r in a.themenfelder
        ],
        limit=100,
    )


def quality(report: Report, limit: int) -> Iterator[Block]:
    q = report.quality
    assert q is not None
    summary = [
        ("Dateien, die nicht gelesen werden konnten", q.files_not_loaded),
        ("Einträge ohne Quelle", len(q.without_sources)),
        ("Datumsangaben nur auf Monat oder Jahr genau", len(q.vague_dates)),
        ("Ereignisse ohne eigene Quelle", len(q.events_without_sources)),
        ("Einträge ohne Prüfdatum (last_reviewed)", len(q.never_reviewed)),
        (f"Prüfung älter als {q.review_max_age_days} Tage", len(q.review_outdated)),
        (f"Vereinbarungen ohne Ereignis seit {q.quiet_years} Jahren", len(q.quiet_agreements)),
    ]
    yield table(
        "Lücken im Überblick",
        ("Befund", "Anzahl"),
        [(label, number(n)) for label, n in summary],
        limit=100,
        numeric=(1,),
    )
    if q.files_not_loaded:
        yield Paragraph(
            f"{plural(q.files_not_loaded, 'Datei', 'Dateien')} fehlen im Bericht; "
            "'coopctl validate' nennt die Gründe."
        )
    if q.without_sources:
        yield _items(
            "Einträge ohne Quelle",
            [Item(_entity(report, e.kind, e.id), e.path) for e in q.without_sources],
            limit,
        )
    if q.vague_dates:
        rows: list[tuple[str, ...]] = [
            (
                _entity(report, v.kind, v.id),
                v.pointer,
                v.date,
                L.label(L.PRECISIONS, v.precision),
                v.note or "–",
            )
            for v in q.vague_dates
        ]
        yield table(
            "Ungenaue Datumsangaben",
            ("Eintrag", "Feld", "Datum", "Genauigkeit", "Anmerkung"),
            rows,
            limit,
            lang_columns=((4, NOTES_LANG),),
        )
    if q.events_without_sources:
        rows = [
            (
                report.agreement_name(e.agreement),
                e.pointer,
                e.date or "–",
                L.label(L.EVENT_TYPES, e.type or "unknown"),
            )
            for e in q.events_without_sources
        ]
        yield table(
            "Ereignisse ohne eigene Quelle",
            ("Vereinbarung", "Feld", "Datum", "Ereignis"),
            rows,
            limit,
        )
    if q.review_outdated:
        rows = [(_entity(report, r.kind, r.id), r.last_reviewed or "–") for r in q.review_outdated]
        yield table(
            f"Prüfung älter als {q.review_max_age_days} Tage",
            ("Eintrag", "zuletzt geprüft"),
            rows,
            limit,
        )
    if q.quiet_agreements:
        rows = [
            (
                report.agreement_name(a.id),
                L.label(L.AGREEMENT_STATUS, a.status or "unknown"),
                date_text(a.last_event),
            )
            for a in q.quiet_agreements
        ]
        yield table(
            f"Vereinbarungen ohne verzeichnetes Ereignis seit {q.quiet_years} Jahren",
            ("Vereinbarung", "Status", "letztes Ereignis"),
            rows,
            limit,
        )
    if q.never_reviewed:
        yield Paragraph(
            f"{plural(len(q.never_reviewed), 'Eintrag hat', 'Einträge haben')} kein Prüfdatum "
            "(last_reviewed): wann sie zuletzt mit ihren Quellen abgeglichen wurden, ist "
            "nicht festgehalten."
        )


def _entity(report: Report, kind: str, entity_id: str) -> str:
    if kind == "partner":
        name = report.partner_name(entity_id)
    elif kind == "agreement":
        name = report.agreement_name(entity_id)
    else:
        name = report.solution_name(entity_id)
    return name if name == entity_id else f"{name} ({entity_id})"


BUILDERS: dict[str, Callable[[Report, int], Iterator[Block]]] = {
    "overview": overview,
    "timeline": timeline,
    "network": network,
    "areas": areas,
    "adoption": adoption,
    "quality": quality,
}
