"""`coopctl show`: one entity and its derived relations, as of a date, through the real CLI.
Expectations come from the YAML files read here with ruamel.yaml, not from coopctl's helpers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, REPO, make_registry, run_cli
from tests.test_query import read_kind

SOLUTIONS = read_kind(REPO, "solutions")
AGREEMENTS = read_kind(REPO, "agreements")
BSW = "braunschweig-salzgitter-wolfsburg"


def shown(*args: str, root: Path = REPO) -> dict[str, Any]:
    result = run_cli("show", *args, "--format", "json", "--root", str(root))
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_gifhorn_is_a_member_on_2021_05_01_not_on_2021_01_01() -> None:
    later = shown("landkreis-gifhorn", "--at", "2021-05-01")
    assert later["kind"] == "partner"
    assert later["as_of"] == "2021-05-01"
    assert later["relations"]["agreements"] == [
        {
            "agreement": BSW,
            "name": AGREEMENTS[BSW]["title"],
            "role": "party",
            "function": None,
            "from": "2021-04-23",
            "until": None,
            "current": True,
        }
    ]
    assert later["relations"]["cooperates_with"] == ["braunschweig", "salzgitter", "wolfsburg"]
    earlier = shown("landkreis-gifhorn", "--at", "2021-01-01")
    assert earlier["relations"]["agreements"] == []
    assert earlier["relations"]["cooperates_with"] == []


def test_agreement_members_timeline_and_later_events() -> None:
    document = shown(BSW, "--at", "2021-01-01")
    relations = document["relations"]
    assert relations["members"] == ["braunschweig", "salzgitter", "wolfsburg"]
    events = AGREEMENTS[BSW]["events"]
    assert [e["date"] for e in relations["timeline"]] == [
        e["date"] for e in events if e["date"] < "2021"
    ]
    assert relations["later_events"] == sum(1 for e in events if e["date"] >= "2021")
    signed = relations["timeline"][0]
    assert signed["type"] == "signed"
    assert [s["on_behalf_of"] for s in signed["signatories"]] == events[0]["partners"]
    now = shown(BSW)
    assert "landkreis-gifhorn" in now["relations"]["members"]
    assert now["relations"]["later_events"] == 0


def test_participant_is_not_a_member() -> None:
    relations = shown("muenchen-augsburg-nuernberg")["relations"]
    assert relations["participants"] == ["stmd-bayern"]
    assert "stmd-bayern" not in relations["members"]
    cit = [s["solution"] for s in relations["solutions"]]
    assert cit == sorted(
        i for i, s in SOLUTIONS.items() if "muenchen-augsburg-nuernberg" in s.get("agreements", [])
    )


def test_solution_users_by_status_match_the_file() -> None:
    relations = shown("ewa")["relations"]
    expected: dict[str, list[str]] = {}
    for user in SOLUTIONS["ewa"]["users"]:
        expected.setdefault(user["status"], []).append(user["partner"])
    assert {s: [u["partner"] for u in us] for s, us in relations["users"].items()} == expected
    assert relations["provider"]["partner"] == SOLUTIONS["ewa"]["provider"]
    assert relations["operator"] is None
    # Augsburg's pilot started in 2023: not a user at the end of 2022
    users_2022 = shown("ewa", "--at", "2022-12-31")["relations"]["used_by"]
    assert "augsburg" not in users_2022
    assert "augsburg" in relations["used_by"]


def test_partner_provides_operates_uses_match_an_independent_count() -> None:
    for partner in ("stmd-bayern", "akdb", "muenchen"):
        relations = shown(f"partner:{partner}")["relations"]
        assert relations["provides"] == sorted(
            i for i, s in SOLUTIONS.items() if s.get("provider") == partner
        )
        assert relations["operates"] == sorted(
            i for i, s in SOLUTIONS.items() if s.get("operator") == partner
        )
        assert [u["solution"] for u in relations["uses"]] == sorted(
            i for i, s in SOLUTIONS.items() if any(u["partner"] == partner for u in s["users"])
        )


def test_text_output() -> None:
    result = run_cli("show", "landkreis-gifhorn", "--at", "2021-05-01", "--root", str(REPO))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "partner landkreis-gifhorn"
    assert "  ars: 031510000000" in lines
    assert "As of 2021-05-01" in lines
    assert any(
        line.startswith(f"  {BSW} (") and line.endswith("party, 2021-04-23 –; member")
        for line in lines
    )
    agreement = run_cli("show", BSW, "--at", "2021-01-01", "--root", str(REPO)).stdout
    signed = "signed: braunschweig, salzgitter, wolfsburg (Rathaus Braunschweig)\n"
    assert f"  September 2020  {signed}" in agreement
    assert "  (1 later event not shown)\n" in agreement
    solution = run_cli("show", "solution:ewa", "--root", str(REPO)).stdout
    assert "  pilot:\n    augsburg (Stadt Augsburg): 2023 –; in use\n" in solution


def test_text_output_in_german() -> None:
    """Labels from the catalog, dates as German readers write them; values and ids as they are."""
    args = ("show", "landkreis-gifhorn", "--at", "2021-05-01", "--root", str(REPO))
    lines = run_cli("--lang", "de", *args).stdout.splitlines()
    assert lines[0] == "Partner landkreis-gifhorn"
    assert "Stand 01.05.2021" in lines
    assert any(
        line.startswith(f"  {BSW} (") and line.endswith("party, 23.04.2021 –; Mitglied")
        for line in lines
    )
    agreement = run_cli("--lang", "de", "show", BSW, "--at", "2021-01-01", "--root", str(REPO))
    assert "  September 2020  signed: braunschweig" in agreement.stdout
    assert "  (1 späteres Ereignis nicht gezeigt)\n" in agreement.stdout
    missing = run_cli("--lang", "de", "show", "gifhorn", "--root", str(REPO))
    assert missing.exit_code == 1
    assert "Fehler: kein Partner, keine Vereinbarung und keine Lösung hat die ID „gifhorn“" in (
        missing.stderr
    )


def test_unknown_id_is_exit_1_with_a_suggestion() -> None:
    result = run_cli("show", "gifhorn", "--root", str(REPO))
    assert result.exit_code == 1
    assert "error: no partner, agreement or solution has the id 'gifhorn'" in result.stderr
    assert "did you mean 'landkreis-gifhorn'?" in result.stderr
    typo = run_cli("show", "partner:nurnberg", "--root", str(REPO))
    assert typo.exit_code == 1
    assert "no partner has the id 'nurnberg'" in typo.stderr
    assert "did you mean 'nuernberg'?" in typo.stderr


def test_bad_kind_prefix_is_a_usage_error() -> None:
    result = run_cli("show", "person:muenchen", "--root", str(REPO))
    assert result.exit_code == 2
    assert "unknown kind 'person'" in result.stderr


def test_an_id_of_two_kinds_needs_a_kind(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path / "reg",
        {
            "registry/partners/hub.yaml": "kind: partner\nid: hub\nname: Hub GmbH\ntype: other\n",
            "registry/solutions/hub.yaml": "kind: solution\nid: hub\nname: Hub\nprovider: hub\n",
        },
    )
    result = run_cli("show", "hub", "--root", str(root))
    assert result.exit_code == 2
    assert "'hub' is the id of several entities" in result.stderr
    assert "write partner:hub or solution:hub" in result.stderr
    assert shown("solutions:hub", root=root)["relations"]["provider"] == {
        "partner": "hub",
        "name": "Hub GmbH",
    }
    assert shown("partner:hub", root=root)["relations"]["provides"] == ["hub"]


def test_control_characters_in_registry_text_are_escaped(tmp_path: Path) -> None:
    root = make_registry(
        tmp_path / "reg",
        {"registry/partners/x.yaml": 'kind: partner\nid: x\nname: "Evil\\e[31m Name"\n'},
    )
    result = run_cli("show", "x", "--root", str(root))
    assert result.exit_code == 0
    assert "  name: Evil\\x1b[31m Name" in result.stdout
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("entity", ["wolfsburg", "bayernportal", "muenchen-augsburg-nuernberg"])
def test_every_kind_shows_in_both_formats(entity: str) -> None:
    assert run_cli("show", entity, "--root", str(REPO)).exit_code == 0
    assert shown(entity)["id"] == entity


def test_show_names_instrument_legal_basis_roles_and_event_details(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg")
    shutil.copytree(EXAMPLES / "valid/agreement-details/registry", root / "registry",
                    dirs_exist_ok=True)  # fmt: skip
    agreement = "zweckvereinbarung-braunschweig-wolfsburg"
    result = run_cli("show", agreement, "--at", "2022-01-01", "--root", str(root))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for line in (
        "  instrument: zweckvereinbarung",
        "  legal_form: zweckvereinbarung",
        "  legal_basis: state: DE-NI; law: NKomZG; article: § 5; url: https://www.voris.niedersachsen.de",
        "  task_transfer: mandating",
        "  braunschweig (Stadt Braunschweig): party, lead, 2020-09-23 –",
        "  dataport (Dataport): participant, funder, March 2021 –",
        "Roles:",
        "  braunschweig (Stadt Braunschweig): technical_lead (online_dienste, Online-Services),"
        " 2021 –",
        "      body: Rat der Stadt Braunschweig",
        "      authority: Niedersächsisches Ministerium für Inneres und Sport",
        "      gazette: Amtsblatt für den Landkreis Gifhorn",
        "  December 2020  entry_into_force",
    ):
        assert line in lines
    document = shown(agreement, "--at", "2020-10-15", root=root)
    relations = document["relations"]
    assert [r["partner"] for r in relations["roles"]] == ["wolfsburg"]  # the other from 2021
    assert relations["timeline"][0]["body"] == "Rat der Stadt Braunschweig"
    assert relations["timeline"][2]["role"] == "lead"
    assert {m["partner"]: m["function"] for m in relations["memberships"]} == {
        "braunschweig": "lead",
        "wolfsburg": "office",
    }
    partner = shown("dataport", "--at", "2022-01-01", root=root)
    assert partner["relations"]["agreements"][0]["function"] == "funder"
    text = run_cli("show", "braunschweig", "--at", "2022-01-01", "--root", str(root)).stdout
    assert (
        f"  {agreement} (Zweckvereinbarung über einen gemeinsamen Online-Dienst): technical_lead "
        "(online_dienste, Online-Services), 2021 –"
    ) in text.splitlines()


def test_a_partner_shows_its_tasks_in_the_bundled_m_a_n() -> None:
    tasks = shown("nuernberg")["relations"]["tasks"]
    assert [(t["agreement"], t["role"], t["area"], t["topic"]) for t in tasks] == [
        ("muenchen-augsburg-nuernberg", "technical_lead", "online_dienste", "Online-Services")
    ]
    assert shown("salzgitter")["relations"]["tasks"] == []


def test_partner_fields_of_model_2_in_show_and_list(tmp_path: Path) -> None:
    """show prints the new partner fields (an owner by its partner id, Land or name); list
    takes them as columns and filters by a field of the owners."""
    files = {
        "registry/partners/land-berlin.yaml": (
            "kind: partner\nid: land-berlin\nname: Land Berlin\ntype: stadtstaat\n"
            "state: DE-BE\nags: '11000000'\nars: '110000000000'\n"
            "sources:\n  - url: https://www.berlin.de\n"
        ),
        "registry/partners/verbund.yaml": (
            "kind: partner\nid: verbund\nname: IT-Verbund Nord\ntype: kommunaler_it_dienstleister\n"
            "legal_form: anstalt_oeffentlichen_rechts\nstates: [DE-BE, DE-BB]\n"
            "owners:\n  - partner: land-berlin\n  - state: DE-BB\n  - name: Kommunen\n"
            "dissolved: '2020-06'\nsuccessor: land-berlin\n"
            "sources:\n  - url: https://www.example.org/verbund\n"
        ),
    }
    root = make_registry(tmp_path / "r", files)
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    text = run_cli("show", "verbund", "--root", str(root)).stdout
    for line in (
        "  legal_form: anstalt_oeffentlichen_rechts",
        "  states: DE-BE, DE-BB",
        "  owners: land-berlin, DE-BB, Kommunen",
        "  dissolved: 2020-06",
        "  successor: land-berlin",
    ):
        assert line in text.splitlines()
    assert shown("verbund", root=root)["data"]["owners"][1] == {"state": "DE-BB"}
    listed = run_cli(
        "list", "partners", "--columns", "id,states,legal_form", "--format", "csv",
        "--where", "owners.state=DE-BB", "--root", str(root),
    )  # fmt: skip
    assert listed.stdout.splitlines() == [
        "id,states,legal_form",
        'verbund,"DE-BE, DE-BB",anstalt_oeffentlichen_rechts',
    ]
