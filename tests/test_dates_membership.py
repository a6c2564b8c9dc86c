"""Partial dates and membership derived from events, on the real registry files."""

from __future__ import annotations

from datetime import date

import pytest

from coopctl.dates import parse_partial_date, parse_query_date
from coopctl.membership import PARTICIPANT, members_on, memberships, replay
from coopctl.yamlio import YamlReader
from tests.helpers import REGISTRY


def _agreement(name: str) -> dict[str, object]:
    path = REGISTRY / "agreements" / f"{name}.yaml"
    data = YamlReader().load(path.read_bytes(), str(path)).data
    assert data is not None
    return data


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("2021-02", date(2021, 2, 1), date(2021, 2, 28)),
        ("2020-09-23", date(2020, 9, 23), date(2020, 9, 23)),
    ],
)
def test_partial_dates_are_intervals(text: str, first: date, last: date) -> None:
    parsed = parse_partial_date(text)
    assert parsed is not None
    assert (parsed.first, parsed.last) == (first, last)


@pytest.mark.parametrize(
    "text",
    ["2021-02-30", "2020-13", "2020-00", "20", "2020-9", "", "2020-09-23T10:00", "23.09.2020"],
)
def test_malformed_or_impossible_dates_are_refused(text: str) -> None:
    assert parse_partial_date(text) is None


def test_comparison_respects_precision() -> None:
    september, day = parse_partial_date("2020-09"), parse_partial_date("2020-09-23")
    august = parse_partial_date("2020-08-31")
    assert september and day and august
    assert not day.certainly_before(september)
    assert not september.certainly_before(day)
    assert august.certainly_before(september)


def test_query_dates_mean_the_last_day() -> None:
    assert parse_query_date("2021") == date(2021, 12, 31)
    with pytest.raises(ValueError, match="is not a date"):
        parse_query_date("yesterday")


def test_gifhorn_is_a_member_after_its_accession_only() -> None:
    agreement = _agreement("braunschweig-salzgitter-wolfsburg")
    assert members_on(agreement, date(2021, 1, 1)) == ["braunschweig", "salzgitter", "wolfsburg"]
    assert members_on(agreement, date(2021, 5, 1)) == [
        "braunschweig",
        "landkreis-gifhorn",
        "salzgitter",
        "wolfsburg",
    ]
    # signed in 2020-09 (day unknown): not certainly a member on 2020-09-15
    assert members_on(agreement, date(2020, 9, 15)) == []
    assert members_on(agreement, date(2020, 9, 30)) == ["braunschweig", "salzgitter", "wolfsburg"]


def test_the_ministry_is_a_participant_not_a_party() -> None:
    agreement = _agreement("muenchen-augsburg-nuernberg")
    assert members_on(agreement, date(2020, 1, 1)) == ["augsburg", "muenchen", "nuernberg"]
    assert members_on(agreement, date(2020, 1, 1), PARTICIPANT) == ["stmd-bayern"]
    assert members_on(agreement, date(2019, 11, 19), PARTICIPANT) == []


def test_withdrawal_closes_a_period_and_orphans_are_reported() -> None:
    agreement = {
        "events": [
            {"date": "2020", "type": "signed", "partners": ["a", "b"]},
            {"date": "2022-05-01", "type": "withdrawal", "partners": ["b", "c"]},
        ]
    }
    periods = {
        m.partner: (m.since.text, m.until.text if m.until else None) for m in memberships(agreement)
    }
    assert periods == {"a": ("2020", None), "b": ("2020", "2022-05-01")}
    assert members_on(agreement, date(2022, 5, 1)) == ["a"]
    assert members_on(agreement, date(2022, 4, 30)) == ["a", "b"]
    _, orphans = replay(agreement)
    assert [(o.event_index, o.partner) for o in orphans] == [(1, "c")]


def test_a_joining_event_role_is_the_membership_function() -> None:
    """The role of a joining event stays with the period it opens; a later event with another
    role does not change who belongs since when (replay unchanged), and a withdrawal ends the
    period with its function."""
    from coopctl.membership import functions_on

    agreement = {
        "events": [
            {"date": "2020", "type": "signed", "partners": ["a", "b"], "role": "lead"},
            {"date": "2021-03", "type": "accession", "partners": ["a"], "role": "office"},
            {"date": "2021-06", "type": "participant_joined", "partners": ["m"], "role": "funder"},
            {"date": "2022-05-01", "type": "withdrawal", "partners": ["b"]},
            {"date": "2022-06", "type": "accession", "partners": ["c"]},
        ]
    }
    periods = {
        (m.partner, m.role): (m.since.text, m.until.text if m.until else None, m.function)
        for m in memberships(agreement)
    }
    assert periods == {
        ("a", "party"): ("2020", None, "lead"),
        ("b", "party"): ("2020", "2022-05-01", "lead"),
        ("m", PARTICIPANT): ("2021-06", None, "funder"),
        ("c", "party"): ("2022-06", None, None),
    }
    assert functions_on(agreement, date(2021, 12, 31)) == {"a": "lead", "b": "lead", "m": "funder"}
    assert functions_on(agreement, date(2022, 12, 31)) == {"a": "lead", "m": "funder"}
    assert functions_on(agreement, date(2020, 6, 1)) == {}  # '2020' may mean 31 December
