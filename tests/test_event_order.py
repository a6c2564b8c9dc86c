"""The event checks date only the events a rule needs: E001 (an accession before the signing)
and E002 (a leave without a join) must still find what the replay of all dated events finds
(`coopctl.membership`), in the replay order, which decides which problems a file keeps when
they are cut (--max-problems-per-file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopctl.checks import events
from coopctl.membership import LEAVES, dated_events, replay
from coopctl.model import Entity
from tests.helpers import make_registry, run_cli

DATES = ["2020", "2020-03", "2020-03-01", "2020-03-15", "2019-12", "2021", "2020-02-30", "x", 7]
TYPES = ["signed", "accession", "withdrawal", "participant_joined", "participant_left", "meeting"]
PARTNERS = ["a", "b", "c"]

event_items = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "date": st.sampled_from(DATES),
            "type": st.sampled_from([*TYPES, 3]),
            "partners": st.lists(st.sampled_from(PARTNERS), max_size=3),
        },
    ),
    st.sampled_from(["text", None, 1]),
)


def _replayed(data: dict[str, Any]) -> list[tuple[str, str | None]]:
    """E001 and E002 as the replay of every dated event defines them: (code, pointer)."""
    dated = dated_events(data)
    signings = [e for e in dated if e.type == "signed"]
    found = [
        ("E001", f"/events/{e.index}/date")
        for e in dated
        if signings and e.type == "accession" and e.date.certainly_before(signings[0].date)
    ]
    for orphan in replay(data)[1]:
        partners = data["events"][orphan.event_index]["partners"]
        found.append(
            ("E002", f"/events/{orphan.event_index}/partners/{partners.index(orphan.partner)}")
        )
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event_items, max_size=7))
def test_accessions_and_leaves_are_found_as_the_replay_finds_them(items: list[Any]) -> None:
    data = {"kind": "agreement", "id": "x", "events": items}
    entity = Entity("agreement", "x", "registry/agreements/x.yaml", data)
    found = [
        (p.code, p.pointer)
        for p in events.check(entity, None)
        if p.code in ("E001", "E002")  # type: ignore[arg-type]
    ]
    assert found == _replayed(data)
    if not any(isinstance(e, dict) and e.get("type") in LEAVES for e in items):
        assert not any(code == "E002" for code, _ in found)


AGREEMENT = """\
kind: agreement
id: late-signing
title: Späte Unterzeichnung
instrument: other
status: signed
events:
  - date: '2020-09'
    type: signed
    partners: [braunschweig]
  - date: '2019-06'
    type: accession
    partners: [wolfsburg]
  - date: '2019-02'
    type: accession
    partners: [dataport]
sources:
  - url: https://www.kommune21.de
"""


def test_the_earliest_accession_before_the_signing_is_the_one_kept(tmp_path: Path) -> None:
    partners = {
        f"registry/partners/{name}.yaml": (
            f"kind: partner\nid: {name}\nname: {name}\ntype: other\n"
            "sources:\n  - url: https://www.kommune21.de\n"
        )
        for name in ("braunschweig", "wolfsburg", "dataport")
    }
    root = make_registry(
        tmp_path / "r", {**partners, "registry/agreements/late-signing.yaml": AGREEMENT}
    )
    every = run_cli("validate", "--root", str(root), "--format", "json", "--no-cache")
    kept = run_cli(
        "validate",
        "--root",
        str(root),
        "--format",
        "json",
        "--no-cache",
        "--max-problems-per-file",
        "1",
    )
    assert every.exit_code == kept.exit_code == 1
    lines = [
        (p["code"], p["line"]) for p in json.loads(every.stdout)["problems"] if p["code"] == "E001"
    ]
    assert lines == [("E001", 10), ("E001", 13)]
    shown = [(p["code"], p["line"]) for p in json.loads(kept.stdout)["problems"]]
    # 2019-02 comes first in the replay, though listed last; the other is counted (L001).
    assert sorted(shown) == [("E001", 13), ("L001", 1)]
