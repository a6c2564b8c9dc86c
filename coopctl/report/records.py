"""The report model: frozen records, one per section, that turn into JSON as they are.

Every field is a str, int, bool, None, or a tuple of records, so `as_json` is
`dataclasses.asdict` and the JSON shape is the shape of these classes (docs/report.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

SECTIONS: tuple[str, ...] = ("overview", "timeline", "network", "areas", "adoption", "quality")


@dataclass(frozen=True)
class Count:
    key: str
    count: int


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class YearRow:
    year: int
    signed: int
    accession: int
    withdrawal: int
    meeting: int
    other: int


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    precision: str
    type: str
    agreement: str
    partners: tuple[str, ...]
    place: str | None


@dataclass(frozen=True)
class Timeline:
    years: tuple[YearRow, ...]
    events: tuple[TimelineEvent, ...]


@dataclass(frozen=True)
class Member:
    agreement: str
    partner: str
    role: str
    since: str
    function: str | None = None  # the role its joining event gave: lead, office, observer, ...


@dataclass(frozen=True)
class Task:
    """A task a partner holds in an agreement on the as-of date (the agreement's `roles`)."""

    agreement: str
    partner: str
    role: str
    area: str | None
    topic: str | None


@dataclass(frozen=True)
class NetworkPartner:
    id: str
    name: str
    state: str | None
    type: str | None
    agreements: tuple[str, ...]
    co_partners: int  # other parties of its agreements; participants are not counted


@dataclass(frozen=True)
class Pair:
    partners: tuple[str, str]
    agreements: tuple[str, ...]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class AreaRow:
    area: str
    agreements: tuple[str, ...]


@dataclass(frozen=True)
class Areas:
    rows: tuple[AreaRow, ...]
    agreements_without_areas: tuple[str, ...]


@dataclass(frozen=True)
class Use:
    solution: str
    partner: str
    status: str | None
    since: str | None
    until: str | None
    ended: bool


@dataclass(frozen=True)
class SolutionRow:
    id: str
    name: str
    category: str | None
    status: str | None
    provider: str | None
    operator: str | None
    users: tuple[str, ...]
    agreements: tuple[str, ...]  # the solution's own agreements and those of its users
    used_across_agreements: bool  # its users belong to more than one agreement
    shared_under: tuple[str, ...]  # the agreements it is shared under (its `agreements`)
    efa: bool  # an Einer-für-Alle service: reused by others without an agreement
    sharing: str  # agreement, efa, agreement_and_efa or none


@dataclass(frozen=True)
class ThemenfeldRow:
    themenfeld: str
    solutions: tuple[str, ...]


@dataclass(frozen=True)
class Adoption:
    uses: tuple[Use, ...]
    solutions: tuple[SolutionRow, ...]
    themenfelder: tuple[ThemenfeldRow, ...]
    themenfelder_covered: int


@dataclass(frozen=True)
class EntityRef:
    kind: str
    id: str
    path: str


@dataclass(frozen=True)
class VagueDate:
    kind: str
    id: str
    pointer: str
    date: str
    precision: str
    note: str | None


@dataclass(frozen=True)
class UnsourcedEvent:
    agreement: str
    pointer: str
    date: str | None
    type: str | None


@dataclass(frozen=True)
class Review:
    kind: str
    id: str
    last_reviewed: str | None


@dataclass(frozen=True)
class QuietAgreement:
    id: str
    last_event: str | None
    status: str | None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Names:
    """Display names of the entities the report mentions, by kind and id."""

    partners: tuple[tuple[str, str], ...]
    partners_short: tuple[tuple[str, str], ...]
    agreements: tuple[tuple[str, str], ...]
    solutions: tuple[tuple[str, str], ...]

    @cached_property
    def lookup(self) -> dict[str, dict[str, str]]:
        return {
            "partners": dict(self.partners),
            "partners_short": dict(self.partners_short),
            "agreements": dict(self.agreements),
            "solutions": dict(self.solutions),
        }


@dataclass(frozen=True)
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
        return self.names.lookup["agreements"].get(agreement_id, agreement_id)

    def solution_name(self, solution_id: str) -> str:
        return self.names.lookup["solutions"].get(solution_id, solution_id)


def as_json(report: Report) -> dict[str, Any]:
    """The report as plain JSON data; sections that were not chosen are left out."""
    document = asdict(report)
    document["names"] = {kind: dict(pairs) for kind, pairs in document["names"].items()}
    for name in SECTIONS:
        if document[name] is None:
            del document[name]
    return document
