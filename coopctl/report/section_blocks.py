"""One function per section: the report's records turned into tables and lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from coopctl.i18n import _, ngettext
from coopctl.membership import PARTY
from coopctl.report import labels as L
from coopctl.report.blocks import (
    NOTES_LANG,
    Block,
    Item,
    Paragraph,
    count_table,
    date_text,
    first,
    item_list,
    names_cell,
    number,
    table,
)
from coopctl.report.quality_blocks import quality
from coopctl.report.records import Member, Report

MATRIX_MAX_COLUMNS = 12


def _names(report: Report, ids: tuple[str, ...], short: bool = True) -> str:
    return names_cell((report.partner_name(i, short) for i in ids), len(ids)) or "–"


def _agreements(report: Report, ids: tuple[str, ...]) -> str:
    return names_cell((report.agreement_label(i) for i in ids), len(ids))


def overview(report: Report, limit: int) -> Iterator[Block]:
    o = report.overview
    assert o is not None
    yield count_table(_("Holdings"), _("Kind"), o.entities, L.KINDS)
    yield count_table(_("Partners by Land"), _("Land"), o.partners_by_state, L.STATES)
    yield count_table(
        _("Partners by partner type"), _("Partner type"), o.partners_by_type, L.PARTNER_TYPES
    )
    yield count_table(
        _("Agreements by kind of agreement"),
        _("Kind of agreement"),
        o.agreements_by_instrument,
        L.INSTRUMENTS,
    )
    yield count_table(
        _("Agreements by legal form"), _("Legal form"), o.agreements_by_legal_form, L.LEGAL_FORMS
    )
    yield count_table(
        _("Agreements by status"), _("Status"), o.agreements_by_status, L.AGREEMENT_STATUS
    )
    yield count_table(
        _("Solutions by category"), _("Category"), o.solutions_by_category, L.SOLUTION_CATEGORIES
    )
    yield count_table(
        _("Solutions by status"), _("Status"), o.solutions_by_status, L.SOLUTION_STATUS
    )
    rows = [
        (
            report.agreement_label(a.id),
            L.label(L.INSTRUMENTS, a.instrument),
            L.label(L.AGREEMENT_STATUS, a.status),
            date_text(a.signed),
            _names(report, a.parties),
            _names(report, a.participants),
        )
        for a in first(o.agreements, limit)
    ]
    headers = (
        _("Agreement"),
        _("Kind of agreement"),
        _("Status"),
        _("Signed"),
        _("Parties"),
        _("Participants"),
    )
    title = _("Agreements on {date}").format(date=date_text(report.as_of))
    yield table(title, headers, rows, limit, count=len(o.agreements))
    noted = [a for a in o.agreements if a.notes]
    if noted:
        notes = [
            Item(report.agreement_label(a.id), a.notes or "", NOTES_LANG) for a in noted[:limit]
        ]
        yield item_list(_("Notes on the agreements"), notes, limit, count=len(noted))


def timeline(report: Report, limit: int) -> Iterator[Block]:
    t = report.timeline
    assert t is not None
    if not t.events:
        yield Paragraph(
            _("No event is recorded up to {date}.").format(date=date_text(report.as_of))
        )
        return
    yield table(
        _("Events per year"),
        (_("Year"), *(L.label(L.TIMELINE_COLUMNS, c) for c in L.TIMELINE_COLUMNS)),
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
            report.agreement_label(e.agreement),
            _names(report, e.partners),
            e.place or "–",
        )
        for e in first(t.events, limit)
    ]
    headers = (_("Date"), _("Event"), _("Agreement"), _("Partners"), _("Place"))
    yield table(_("Events"), headers, rows, limit, count=len(t.events))


def network(report: Report, limit: int) -> Iterator[Block]:
    n = report.network
    assert n is not None
    agreements = len({m.agreement for m in n.members if m.role == PARTY})
    belong = ngettext(
        "On {date}, {count} partner is a party to {agreements}.",
        "On {date}, {count} partners are parties to {agreements}.",
        len(n.partners),
    )
    besides = ngettext(
        "{count} more takes part without being a party and is not counted as a partner.",
        "{count} more take part without being parties and are not counted as partners.",
        len(n.participants),
    )
    several = ngettext(
        "{count} partner is a party to more than one agreement.",
        "{count} partners are parties to more than one agreement.",
        len(n.in_several_agreements),
    )
    pairs = ngettext(
        "{count} pair of partners works together in at least one agreement.",
        "{count} pairs of partners work together in at least one agreement.",
        n.pairs_total,
    )
    agreements_text = ngettext("{count} agreement", "{count} agreements", agreements)
    sentences = (
        belong.format(
            date=date_text(report.as_of),
            count=number(len(n.partners)),
            agreements=agreements_text.format(count=number(agreements)),
        ),
        *([besides.format(count=number(len(n.participants)))] if n.participants else []),
        several.format(count=number(len(n.in_several_agreements))),
        pairs.format(count=number(n.pairs_total)),
    )
    yield Paragraph(" ".join(sentences))
    rows = [
        (
            p.name,
            L.label(L.STATES, p.state or "unknown"),
            number(len(p.agreements)),
            number(p.co_partners),
        )
        for p in first(n.partners, limit)
    ]
    yield table(
        _("Partners by number of cooperations"),
        (_("Partner"), _("Land"), _("Agreements"), _("Co-partners")),
        rows,
        limit,
        numeric=(2, 3),
        bar=2,
        count=len(n.partners),
    )
    # `partners` is ordered by number of agreements, so those in several come first.
    in_several = [
        Item(report.partner_name(x.id), _agreements(report, x.agreements))
        for x in first(n.partners, min(limit, len(n.in_several_agreements)))
    ]
    if in_several:
        yield item_list(
            _("Partners in several agreements"),
            in_several,
            limit,
            count=len(n.in_several_agreements),
        )
    else:
        yield Paragraph(_("No partner is a party to more than one agreement."))
    if n.participants:
        yield item_list(
            _("Taking part without being a party"),
            [
                Item(report.partner_name(x.id), _agreements(report, x.agreements))
                for x in first(n.participants, limit)
            ],
            limit,
            count=len(n.participants),
        )
    members = [
        (
            report.agreement_label(m.agreement),
            report.partner_name(m.partner),
            _member_role(m),
            date_text(m.since),
        )
        for m in first(n.members, limit)
    ]
    yield table(
        _("Members on {date}").format(date=date_text(report.as_of)),
        (_("Agreement"), _("Partner"), _("Role"), _("since")),
        members,
        limit,
        count=len(n.members),
    )
    if n.tasks:
        yield table(
            _("Tasks per field of work on {date}").format(date=date_text(report.as_of)),
            (_("Agreement"), _("Partner"), _("Task"), _("Field of work or topic")),
            [
                (
                    report.agreement_label(t.agreement),
                    report.partner_name(t.partner),
                    L.label(L.TASKS, t.role),
                    ", ".join(
                        [*([L.label(L.AREAS, t.area)] if t.area else []), *filter(None, [t.topic])]
                    )
                    or "–",
                )
                for t in first(n.tasks, limit)
            ],
            limit,
            count=len(n.tasks),
        )
    pair_rows = [
        (
            report.partner_name(p.partners[0]),
            report.partner_name(p.partners[1]),
            number(len(p.agreements)),
        )
        for p in first(n.pairs, limit)
    ]
    yield table(
        _("Pairs of partners by shared agreements"),
        (_("Partner"), _("Partner"), _("Shared agreements")),
        pair_rows,
        limit,
        numeric=(2,),
        total=n.pairs_total,
        count=len(n.pairs),
    )
    alone = [Item(report.partner_name(p)) for p in first(n.partners_without_agreement, limit)]
    if alone:
        yield item_list(
            _("Partners without an agreement on {date} (such as providers and operators)").format(
                date=date_text(report.as_of)
            ),
            alone,
            limit,
            count=len(n.partners_without_agreement),
        )


def _member_role(member: Member) -> str:
    """Party or participant, with the role its joining event gave (Partner, federführend)."""
    role = L.label(L.ROLES, member.role)
    if member.function is None:
        return role
    return _("{role}, {function}").format(
        role=role, function=L.label(L.MEMBER_ROLES, member.function)
    )


def areas(report: Report, limit: int) -> Iterator[Block]:
    a = report.areas
    assert a is not None
    rows = [
        (
            L.label(L.AREAS, r.area),
            number(len(r.agreements)),
            _agreements(report, r.agreements),
        )
        for r in a.rows
    ]
    yield table(
        _("Fields of work by number of agreements"),
        (_("Field of work"), _("Count"), _("Agreements")),
        rows,
        limit,
        numeric=(1,),
        bar=1,
    )
    agreement_ids = sorted({i for r in a.rows for i in r.agreements})
    if 1 < len(agreement_ids) <= MATRIX_MAX_COLUMNS:
        yield table(
            _("Fields of work × agreements"),
            (_("Field of work"), *(report.agreement_label(i) for i in agreement_ids)),
            [
                (
                    L.label(L.AREAS, r.area),
                    *(_("yes") if i in r.agreements else "–" for i in agreement_ids),
                )
                for r in a.rows
            ],
            limit,
        )
    if a.agreements_without_areas:
        yield item_list(
            _("Agreements that name no field of work"),
            [Item(report.agreement_label(i)) for i in first(a.agreements_without_areas, limit)],
            limit,
            count=len(a.agreements_without_areas),
        )


def adoption(report: Report, limit: int) -> Iterator[Block]:
    a = report.adoption
    assert a is not None
    shared = sum(1 for s in a.solutions if s.shared_under)
    efa = sum(1 for s in a.solutions if s.efa)
    solutions = ngettext(
        "{count} solution, used by partners {uses}.",
        "{count} solutions, used by partners {uses}.",
        len(a.solutions),
    )
    uses_text = ngettext("once", "{count} times", len(a.uses))
    shared_text = ngettext(
        "{count} solution is shared under an agreement.",
        "{count} solutions are shared under an agreement.",
        shared,
    )
    efa_text = ngettext(
        "{count} is an EfA service that others reuse without an agreement.",
        "{count} are EfA services that others reuse without an agreement.",
        efa,
    )
    covered = _("OZG Themenfelder covered: {covered} of {total}.")
    sentences = (
        solutions.format(
            count=number(len(a.solutions)), uses=uses_text.format(count=number(len(a.uses)))
        ),
        shared_text.format(count=number(shared)),
        efa_text.format(count=number(efa)),
        covered.format(covered=number(a.themenfelder_covered), total=number(len(a.themenfelder))),
    )
    yield Paragraph(" ".join(sentences))
    rows = [
        (
            s.name,
            L.label(L.SOLUTION_CATEGORIES, s.category or "unknown"),
            number(len(s.users)),
            names_cell((report.agreement_label(i) for i in s.agreements), s.agreements_total)
            or "–",
            L.label(L.SHARING, s.sharing),
        )
        for s in first(sorted(a.solutions, key=lambda s: (-len(s.users), s.id)), limit)
    ]
    yield table(
        _("Solutions by number of users"),
        (_("Solution"), _("Category"), _("Users"), _("Agreements of the users"), _("Shared")),
        rows,
        limit,
        numeric=(2,),
        bar=2,
        count=len(a.solutions),
    )
    uses = [
        (
            report.solution_name(u.solution),
            report.partner_name(u.partner),
            _use_status(u.status, u.ended),
            date_text(u.since),
            date_text(u.until),
        )
        for u in first(a.uses, limit)
    ]
    headers = (_("Solution"), _("Partner"), _("Status"), _("since"), _("until"))
    yield table(_("Uses"), headers, uses, limit, count=len(a.uses))
    yield table(
        _("OZG Themenfelder"),
        (_("Themenfeld"), _("Solutions")),
        [
            (
                L.label(L.THEMENFELDER, r.themenfeld),
                names_cell((report.solution_name(s) for s in r.solutions), len(r.solutions)) or "–",
            )
            for r in a.themenfelder
        ],
        limit=100,
    )


def _use_status(status: str | None, ended: bool) -> str:
    text = L.label(L.USE_STATUS, status or "unknown")
    return _("{status} (ended)").format(status=text) if ended else text


BUILDERS: dict[str, Callable[[Report, int], Iterator[Block]]] = {
    "overview": overview,
    "timeline": timeline,
    "network": network,
    "areas": areas,
    "adoption": adoption,
    "quality": quality,
}
