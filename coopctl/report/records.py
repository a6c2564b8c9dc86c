"""The report model: frozen records, one per section, that turn into JSON as they are.

Every field is a str, int, bool, None, a tuple of those, or a tuple of records, so the JSON
shape is the shape of these classes (docs/report.md). `json_document` builds that JSON form
straight from the fields, without copying the records first (`dataclasses.asdict` deep-copies
every value); with `lazy=True` the long lists of records are iterators that make one record's
dict at a time, as `coopctl.escaping.write_json` writes it.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from coopctl.report import labels as L

SECTIONS: tuple[str, ...] = ("overview", "timeline", "network", "areas", "adoption", "quality")


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True, slots=True)
class AgreementSummary:
    id: str
    title: str
    short_title: str | None
    instrument: str
    legal_form: str
    status: str
    binding: str
    signed: str | None
    parties: tuple[str, ...]
    participants: tuple[str, ...]
    areas: tuple[str, ...]
    notes: str | None


@dataclass(frozen=True, slots=True)
class Overview:
    entities: tuple[Count, ...]
    partners_by_state: tuple[Count, ...]
    partners_by_type: tuple[Count, ...]
    agreements_by_instrument: tuple[Count, ...]
    agreements_by_legal_form: tuple[Count, ...]
    agreements_by_status: tuple[Count, ...]
    solutions_by_category: tuple[Count, ...]
    solutions_by_status: tuple[Count, ...]
    agreements: tuple[AgreementSummary, ...]


@dataclass(frozen=True, slots=True)
class YearRow:
    year: int
    signed: int
    accession: int
    withdrawal: int
    meeting: int
    other: int


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    precision: str
    type: str
    agreement: str
    partners: tuple[str, ...]
    place: str | None


@dataclass(frozen=True, slots=True)
class Timeline:
    years: tuple[YearRow, ...]
    events: tuple[TimelineEvent, ...]


@dataclass(frozen=True, slots=True)
class Member:
    agreement: str
    partner: str
    role: str
    since: str
    function: str | None = None  # the role its joining event gave: lead, office, observer, ...


@dataclass(frozen=True, slots=True)
class Task:
    """A task a partner holds in an agreement on the as-of date (the agreement's `roles`)."""

    agreement: str
    partner: str
    role: str
    area: str | None
    topic: str | None


@dataclass(frozen=True, slots=True)
class NetworkPartner:
    id: str
    name: str
    state: str | None
    type: str | None
    agreements: tuple[str, ...]
    co_partners: int  # other parties of its agreements; participants are not counted


@dataclass(frozen=True, slots=True)
class Pair:
    partners: tuple[str, str]
    agreements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Network:
    members: tuple[Member, ...]
    partners: tuple[NetworkPartner, ...]
    pairs: tuple[Pair, ...]  # the first PAIRS_LISTED (coopctl.report.data) of them
    pairs_total: int  # pairs of parties that share an agreement, listed or not
    pairs_truncated: bool  # whether `pairs` leaves some of them out
    in_several_agreements: tuple[str, ...]
    partners_without_agreement: tuple[str, ...]
    # Partners that take part in an agreement without being a party to it (a state ministry
    # at the table): listed, but not counted as cooperation partners or in pairs.
    participants: tuple[NetworkPartner, ...] = ()
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True, slots=True)
class AreaRow:
    area: str
    agreements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Areas:
    rows: tuple[AreaRow, ...]
    agreements_without_areas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Use:
    solution: str
    partner: str
    status: str | None
    since: str | None
    until: str | None
    ended: bool


@dataclass(frozen=True, slots=True)
class SolutionRow:
    id: str
    name: str
    category: str | None
    status: str | None
    provider: str | None
    operator: str | None
    users: tuple[str, ...]
    # The solution's own agreements and those of its users: the AGREEMENTS_LISTED
    # (coopctl.report.adoption) with the most of its users, in the order of their ids.
    agreements: tuple[str, ...]
    agreements_total: int  # all of them, listed or not
    agreements_truncated: bool  # whether `agreements` leaves some of them out
    used_across_agreements: bool  # its users belong to more than one agreement
    shared_under: tuple[str, ...]  # the agreements it is shared under (its `agreements`)
    efa: bool  # an Einer-für-Alle service: reused by others without an agreement
    sharing: str  # agreement, efa, agreement_and_efa or none


@dataclass(frozen=True, slots=True)
class ThemenfeldRow:
    themenfeld: str
    solutions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Adoption:
    uses: tuple[Use, ...]
    solutions: tuple[SolutionRow, ...]
    themenfelder: tuple[ThemenfeldRow, ...]
    themenfelder_covered: int


@dataclass(frozen=True, slots=True)
class EntityRef:
    kind: str
    id: str
    path: str


@dataclass(frozen=True, slots=True)
class VagueDate:
    kind: str
    id: str
    pointer: str
    date: str
    precision: str
    note: str | None


@dataclass(frozen=True, slots=True)
class UnsourcedEvent:
    agreement: str
    pointer: str
    date: str | None
    type: str | None


@dataclass(frozen=True, slots=True)
class Review:
    kind: str
    id: str
    last_reviewed: str | None


@dataclass(frozen=True, slots=True)
class QuietAgreement:
    id: str
    last_event: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class Quality:
    files_not_loaded: int
    without_sources: tuple[EntityRef, ...]
    vague_dates: tuple[VagueDate, ...]
    events_without_sources: tuple[UnsourcedEvent, ...]
    review_max_age_days: int
    never_reviewed: tuple[EntityRef, ...]
    review_outdated: tuple[Review, ...]
    quiet_years: int
    quiet_agreements: tuple[QuietAgreement, ...]


@dataclass(frozen=True)  # no slots: `lookup` is cached on the instance
class Names:
    """Display names of the entities the report mentions, by kind and id."""

    partners: tuple[tuple[str, str], ...]
    partners_short: tuple[tuple[str, str], ...]
    agreements: tuple[tuple[str, str], ...]
    solutions: tuple[tuple[str, str], ...]
    # The agreements that have a `short_title`, with it (not in `lookup`, which JSON shows).
    agreements_short: tuple[tuple[str, str], ...] = ()

    @cached_property
    def short_titles(self) -> dict[str, str]:
        return dict(self.agreements_short)

    @cached_property
    def lookup(self) -> dict[str, dict[str, str]]:
        return {
            "partners": dict(self.partners),
            "partners_short": dict(self.partners_short),
            "agreements": dict(self.agreements),
            "solutions": dict(self.solutions),
        }


@dataclass(frozen=True, slots=True)
class Report:
    as_of: str
    rev: str | None
    files: int
    sections: tuple[str, ...]
    names: Names
    overview: Overview | None = None
    timeline: Timeline | None = None
    network: Network | None = None
    areas: Areas | None = None
    adoption: Adoption | None = None
    quality: Quality | None = None

    def partner_name(self, partner_id: str, short: bool = False) -> str:
        table = self.names.lookup["partners_short" if short else "partners"]
        return table.get(partner_id, partner_id)

    def agreement_name(self, agreement_id: str) -> str:
        """The agreement's full title."""
        return self.names.lookup["agreements"].get(agreement_id, agreement_id)

    def agreement_label(self, agreement_id: str, with_id: bool = False) -> str:
        """How the report names the agreement: its short title (`agreement_label` in
        labels); `with_id` adds its id where the label does not already end in it."""
        label = L.agreement_label(
            agreement_id,
            self.names.lookup["agreements"].get(agreement_id),
            self.names.short_titles.get(agreement_id),
        )
        suffix = f" ({agreement_id})"
        return label + suffix if with_id and not label.endswith(suffix) else label

    def solution_name(self, solution_id: str) -> str:
        return self.names.lookup["solutions"].get(solution_id, solution_id)


def _is_record(value: object) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _converter(cls: type) -> Callable[[Any, bool], dict[str, Any]]:
    """How a record class turns into a JSON object: a leaf record (no field holds records)
    by zipping its field names with its values, another one field by field."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    values = operator.attrgetter(*names) if len(names) > 1 else None
    hints = typing.get_type_hints(cls)

    def holds_records(hint: Any) -> bool:
        return any(
            dataclasses.is_dataclass(arg) or holds_records(arg) for arg in typing.get_args(hint)
        ) or dataclasses.is_dataclass(hint)

    if values is not None and not any(holds_records(hints[name]) for name in names):
        return lambda record, lazy: dict(zip(names, values(record), strict=True))
    return lambda record, lazy: {name: _plain(getattr(record, name), lazy) for name in names}


def _plain(value: Any, lazy: bool) -> Any:
    if isinstance(value, tuple) and value and _is_record(value[0]):
        convert = _CONVERTERS[type(value[0])]
        rows = (convert(r, lazy) for r in value)
        return rows if lazy else list(rows)
    if _is_record(value):
        return _CONVERTERS[type(value)](value, lazy)
    return value


def json_document(report: Report, *, lazy: bool = False) -> dict[str, Any]:
    """The report as JSON data; sections that were not chosen are left out. With `lazy`,
    lists of records are iterators, read once (for `write_json`); otherwise plain lists."""
    document: dict[str, Any] = {
        "as_of": report.as_of,
        "rev": report.rev,
        "files": report.files,
        "sections": report.sections,
        "names": report.names.lookup,
    }
    for name in SECTIONS:
        section = getattr(report, name)
        if section is not None:
            document[name] = _plain(section, lazy)
    return document


def as_json(report: Report) -> dict[str, Any]:
    """The report as plain JSON data (lists and dicts only)."""
    return json_document(report)


# How each record class turns into JSON, made once from its fields.
_CONVERTERS: dict[type, Callable[[Any, bool], dict[str, Any]]] = {
    cls: _converter(cls)
    for cls in (
        Count,
        AgreementSummary,
        Overview,
        YearRow,
        TimelineEvent,
        Timeline,
        Member,
        Task,
        NetworkPartner,
        Pair,
        Network,
        AreaRow,
        Areas,
        Use,
        SolutionRow,
        ThemenfeldRow,
        Adoption,
        EntityRef,
        VagueDate,
        UnsourcedEvent,
        Review,
        QuietAgreement,
        Quality,
    )
}
