"""`coopctl list`: filters, JMESPath, sorting, counting, formats and time travel, through the
real CLI. Expected answers are computed here from the YAML files themselves (read with
ruamel.yaml directly), not with coopctl's own helpers."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from coopctl.errors import UsageError
from coopctl.query import parse_where
from tests.helpers import REPO, make_registry, run_cli


def read_kind(root: Path, folder: str) -> dict[str, dict[str, Any]]:
    """Every file of one kind folder, parsed independently of coopctl."""
    yaml = YAML(typ="safe", pure=True)
    found = {}
    for path in sorted((root / "registry" / folder).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        found[data["id"]] = data
    return found


def listed(*args: str, root: Path = REPO) -> Any:
    result = run_cli("list", *args, "--root", str(root))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def ids(*args: str, root: Path = REPO) -> list[str]:
    result = run_cli("list", *args, "--format", "ids", "--root", str(root))
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


PARTNERS = read_kind(REPO, "partners")
AGREEMENTS = read_kind(REPO, "agreements")
SOLUTIONS = read_kind(REPO, "solutions")


def test_every_partner_is_listed_once_in_id_order() -> None:
    assert ids("partners") == sorted(PARTNERS)
    assert ids("agreements") == sorted(AGREEMENTS)
    assert ids("solutions") == sorted(SOLUTIONS)


def test_json_form_is_the_files_data_plus_derived_fields() -> None:
    rows = {row["id"]: row for row in listed("partners", "--format", "json")}
    for partner_id, data in PARTNERS.items():
        assert {k: v for k, v in rows[partner_id].items() if k in data} == data
    assert rows["landkreis-gifhorn"]["agreements"] == ["braunschweig-salzgitter-wolfsburg"]


def test_count_by_state_matches_an_independent_count() -> None:
    expected = Counter(p.get("state") for p in PARTNERS.values())
    counted = listed("partners", "--count-by", "state", "--format", "json")
    assert {row["state"]: row["count"] for row in counted} == dict(expected)
    assert [row["count"] for row in counted] == sorted(expected.values(), reverse=True)


def test_count_by_a_list_field_counts_each_item() -> None:
    expected = Counter(area for a in AGREEMENTS.values() for area in a["areas"])
    counted = listed("agreements", "--count-by", "areas", "--format", "json")
    assert {row["areas"]: row["count"] for row in counted} == dict(expected)


@pytest.mark.parametrize(
    ("condition", "predicate"),
    [
        ("state=DE-NI", lambda p: p.get("state") == "DE-NI"),
        ("state!=DE-NI", lambda p: p.get("state") != "DE-NI"),
        ("name~^Stadt ", lambda p: p["name"].startswith("Stadt ")),
        ("state in DE-HH, DE-BY", lambda p: p.get("state") in {"DE-HH", "DE-BY"}),
        ("type = kreisfreie_stadt", lambda p: p["type"] == "kreisfreie_stadt"),
        (
            "contacts.role~Kreisrat",
            lambda p: any("Kreisrat" in c["role"] for c in p.get("contacts", [])),
        ),
    ],
)
def test_where_on_partners(condition: str, predicate: Any) -> None:
    expected = sorted(i for i, p in PARTNERS.items() if predicate(p))
    assert expected  # every case selects something
    assert ids("partners", "--where", condition) == expected


def test_where_dotted_path_through_a_list_and_list_membership() -> None:
    users = sorted(
        i for i, s in SOLUTIONS.items() if any(u["partner"] == "augsburg" for u in s["users"])
    )
    assert ids("solutions", "--where", "users.partner=augsburg") == users
    with_basis = sorted(i for i, a in AGREEMENTS.items() if "basisdienste" in a["areas"])
    assert ids("agreements", "--where", "areas=basisdienste") == with_basis
    assert ids("solutions", "--where", "users.0.partner=nuernberg") == sorted(
        i for i, s in SOLUTIONS.items() if s["users"][0]["partner"] == "nuernberg"
    )


def test_repeated_where_means_and() -> None:
    expected = sorted(
        i
        for i, p in PARTNERS.items()
        if p.get("state") == "DE-NI" and p["type"] == "kreisfreie_stadt"
    )
    assert ids("partners", "-w", "state=DE-NI", "-w", "type=kreisfreie_stadt") == expected


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("state", "--where 'state': expected =, !=, ~ or in after 'state'"),
        ("=DE-NI", "--where '=DE-NI': a condition starts with a field name"),
        ("", "--where '': a condition starts with a field name"),
        ("name~(unclosed", "--where 'name~(unclosed': not a regular expression: missing )"),
        ("state in ", "--where 'state in ': 'in' needs a comma-separated list of values"),
        ("stat=DE-NI", "--where: partners have no field 'stat'"),
        ("state<DE-NI", "--where 'state<DE-NI': expected =, !=, ~ or in after 'state'"),
    ],
)
def test_bad_where_is_a_usage_error_with_a_clear_message(condition: str, message: str) -> None:
    result = run_cli("list", "partners", "--where", condition, "--root", str(REPO))
    assert result.exit_code == 2
    assert f"error: {message}" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_field_suggests_the_closest() -> None:
    result = run_cli("list", "partners", "--where", "stat=DE-NI", "--root", str(REPO))
    assert "hint: did you mean 'state'?" in result.stderr
    result = run_cli("list", "partners", "--columns", "id,nmae", "--root", str(REPO))
    assert result.exit_code == 2
    assert "--columns: partners have no field 'nmae'" in result.stderr


def test_parse_where_reads_each_operator() -> None:
    assert parse_where("a.b = x").path == ("a", "b")
    assert parse_where("a!=x").operator == "!="
    assert parse_where("a in x, y ,z").values == ("x", "y", "z")
    assert parse_where("a~x=y").values == ("x=y",)
    assert parse_where("index=1").operator == "="  # a field name that starts with 'in'
    with pytest.raises(UsageError, match="expected =, !=, ~ or in"):
        parse_where("ain x")


def test_query_is_jmespath_over_the_json_form() -> None:
    names = listed("partners", "--query", "[?state=='DE-NI'].name", "--format", "json")
    assert names == [p["name"] for _, p in sorted(PARTNERS.items()) if p.get("state") == "DE-NI"]
    result = run_cli("list", "partners", "-q", "length(@)", "--format", "json", "--root", str(REPO))
    assert result.stdout == f"{len(PARTNERS)}\n"


@pytest.mark.parametrize("expression", ["[?state=='DE-NI'", "[].name | sort_by(@, &foo)", "nope("])
def test_bad_query_is_a_usage_error(expression: str) -> None:
    result = run_cli("list", "partners", "--query", expression, "--root", str(REPO))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --query: ")
    assert "jmespath" in result.stderr.lower()


def test_sort_descending_and_limit() -> None:
    by_name = sorted(PARTNERS, key=lambda i: PARTNERS[i]["name"].casefold(), reverse=True)
    assert ids("partners", "--sort", "-name", "--limit", "3") == by_name[:3]
    # rows without the field come last in either direction
    with_ars = [i for i in ids("partners", "--sort", "-ars") if "ars" in PARTNERS[i]]
    assert ids("partners", "--sort", "-ars")[: len(with_ars)] == with_ars
    assert with_ars == sorted(with_ars, key=lambda i: PARTNERS[i]["ars"], reverse=True)


def test_table_has_default_columns_and_no_trailing_space() -> None:
    result = run_cli("list", "partners", "--root", str(REPO))
    lines = result.stdout.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["id", "name", "type", "state", "ars", "agreements"]
    assert len(lines) == 1 + len(PARTNERS)
    assert all(line == line.rstrip() for line in lines)
    gifhorn = next(line for line in lines if line.startswith("landkreis-gifhorn "))
    assert gifhorn.split()[-1] == "braunschweig-salzgitter-wolfsburg"


def test_csv_and_yaml_formats_hold_the_same_answer() -> None:
    result = run_cli(
        "list", "solutions", "--columns", "id,users.partner", "--format", "csv", "--root", str(REPO)
    )
    table = list(csv.reader(io.StringIO(result.stdout)))
    assert table[0] == ["id", "users.partner"]
    assert {row[0]: row[1].split(", ") for row in table[1:]} == {
        i: [u["partner"] for u in s["users"]] for i, s in SOLUTIONS.items()
    }
    as_json = listed("agreements", "--columns", "id,members", "--format", "json")
    as_yaml = run_cli(
        "list", "agreements", "--columns", "id,members", "--format", "yaml", "--root", str(REPO)
    )
    assert YAML(typ="safe", pure=True).load(as_yaml.stdout) == as_json
    assert "- id: braunschweig-salzgitter-wolfsburg\n  members:\n" in as_yaml.stdout


def test_ids_format_of_a_query_result_that_is_not_a_list_is_refused() -> None:
    result = run_cli("list", "partners", "-q", "[0]", "--format", "ids", "--root", str(REPO))
    assert result.exit_code == 2
    assert "--format ids needs a list" in result.stderr


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-01-01", ["braunschweig", "salzgitter", "wolfsburg"]),
        ("2021-05-01", ["braunschweig", "landkreis-gifhorn", "salzgitter", "wolfsburg"]),
        ("2020-08-31", []),
        ("2020", ["braunschweig", "salzgitter", "wolfsburg"]),  # --at 2020 means 2020-12-31
        ("2020-09", ["braunschweig", "salzgitter", "wolfsburg"]),  # signed in 2020-09
        ("2020-09-29", []),  # not certainly signed before the month is over
    ],
)
def test_members_as_of_a_date(day: str, expected: list[str]) -> None:
    rows = listed("agreements", "--at", day, "--columns", "id,members", "--format", "json")
    members = {row["id"]: row["members"] for row in rows}
    assert members["braunschweig-salzgitter-wolfsburg"] == expected


def test_gifhorn_time_travel_from_the_partner_side() -> None:
    bsw = "agreements=braunschweig-salzgitter-wolfsburg"
    assert "landkreis-gifhorn" in ids("partners", "--at", "2021-05-01", "--where", bsw)
    assert "landkreis-gifhorn" not in ids("partners", "--at", "2021-01-01", "--where", bsw)


@pytest.mark.parametrize("bad", ["2021-13", "yesterday", "21-05-01", "2021-02-30"])
def test_bad_at_is_a_usage_error(bad: str) -> None:
    result = run_cli("list", "partners", "--at", bad, "--root", str(REPO))
    assert result.exit_code == 2
    assert f"error: --at: '{bad}' is not a date" in result.stderr


def test_unknown_kind_is_a_usage_error() -> None:
    result = run_cli("list", "people", "--root", str(REPO))
    assert result.exit_code == 2


# --- generated registries --------------------------------------------------------------------


def _partner(pid: str, state: str) -> str:
    return f"kind: partner\nid: {pid}\nname: Gemeinde {pid}\ntype: gemeinde\nstate: {state}\n"


def _agreement(aid: str, events: list[tuple[str, str, list[str]]]) -> str:
    lines = [f"kind: agreement\nid: {aid}\ntitle: {aid}\nstatus: active\nevents:"]
    for day, kind, partners in events:
        lines.append(f"  - date: '{day}'\n    type: {kind}\n    partners: [{', '.join(partners)}]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    files = {
        f"registry/partners/p{n}.yaml": _partner(f"p{n}", f"DE-{'NI' if n % 3 else 'BY'}")
        for n in range(30)
    }
    files["registry/agreements/a1.yaml"] = _agreement(
        "a1",
        [
            ("2019-03-01", "signed", ["p0", "p1", "p2"]),
            ("2020-06", "accession", ["p3"]),
            ("2021", "withdrawal", ["p1"]),
            ("2022-02-02", "participant_joined", ["p4"]),
        ],
    )
    files["registry/agreements/a2.yaml"] = _agreement(
        "a2", [("2020-01-15", "signed", ["p1", "p5"]), ("2023-07-01", "withdrawal", ["p5"])]
    )
    files["registry/solutions/s1.yaml"] = (
        "kind: solution\nid: s1\nname: S1\ncategory: plattform\nprovider: p9\nstatus: production\n"
        "users:\n  - {partner: p3, status: production, from: '2021-01'}\n"
        "  - {partner: p5, status: retired, from: '2020', until: '2023-07'}\n"
        "  - {partner: p6, status: planned}\n"
    )
    return make_registry(tmp_path / "gen", files)


def test_generated_registry_counts(generated: Path) -> None:
    counted = listed("partners", "--count-by", "state", "--format", "json", root=generated)
    assert counted == [{"state": "DE-NI", "count": 20}, {"state": "DE-BY", "count": 10}]


@pytest.mark.parametrize(
    ("day", "a1", "a2"),
    [
        ("2019-12-31", ["p0", "p1", "p2"], []),
        ("2020-06-15", ["p0", "p1", "p2"], ["p1", "p5"]),  # accession in 2020-06 not yet certain
        ("2020-12-31", ["p0", "p1", "p2", "p3"], ["p1", "p5"]),
        ("2021-06-30", ["p0", "p1", "p2", "p3"], ["p1", "p5"]),  # withdrawal in 2021 not certain
        ("2022-12-31", ["p0", "p2", "p3"], ["p1", "p5"]),
        ("2023-07-01", ["p0", "p2", "p3"], ["p1"]),
    ],
)
def test_generated_membership_over_time(
    generated: Path, day: str, a1: list[str], a2: list[str]
) -> None:
    rows = listed("agreements", "--at", day, "--format", "json", root=generated)
    assert {row["id"]: row["members"] for row in rows} == {"a1": a1, "a2": a2}


def test_generated_solution_users_and_cooperation(generated: Path) -> None:
    def used_by(day: str) -> list[str]:
        return listed(
            "solutions", "--at", day, "-q", "[0].used_by", "--format", "json", root=generated
        )

    assert used_by("2020-12-31") == ["p5"]
    assert used_by("2021-02-01") == ["p3", "p5"]
    assert used_by("2023-08-01") == ["p3"]
    rows = listed(
        "partners", "--at", "2022-12-31", "-w", "id in p1,p4", "--format", "json", root=generated
    )
    by_id = {row["id"]: row for row in rows}
    assert by_id["p4"]["participant_in"] == ["a1"]
    # cooperates_with grows with the square of agreement sizes: only when a option names it
    assert "cooperates_with" not in by_id["p4"]
    for named in (
        ("-c", "id,cooperates_with"),
        ("-q", "[].{id: id, cooperates_with: cooperates_with}"),
        ("--sort", "-cooperates_with"),
    ):
        rows = listed(
            "partners",
            "--at",
            "2022-12-31",
            "-w",
            "id in p1,p4",
            "--format",
            "json",
            *named,
            root=generated,
        )
        by_id = {row["id"]: row for row in rows}
        assert by_id["p4"]["cooperates_with"] == ["p0", "p2", "p3"], named
        assert by_id["p1"]["cooperates_with"] == ["p5"], named
    near = listed(
        "partners",
        "--at",
        "2022-12-31",
        "-w",
        "cooperates_with=p5",
        "-q",
        "[].id",
        "--format",
        "json",
        root=generated,
    )
    assert near == ["p1"]
    provider = listed(
        "partners", "-w", "provides=s1", "-q", "[].id", "--format", "json", root=generated
    )
    assert provider == ["p9"]


def test_at_today_is_the_default() -> None:
    assert listed("agreements", "--at", "today", "--format", "json") == listed(
        "agreements", "--format", "json"
    )


def test_agreements_list_instrument_legal_form_and_roles() -> None:
    """The default columns name the instrument and the legal form; member_roles gives the
    tasks (and joining-event roles) held on the day."""
    result = run_cli("list", "agreements", "--root", str(REPO))
    header = result.stdout.splitlines()[0].split()
    assert header[:3] == ["id", "instrument", "legal_form"]
    rows = {row["id"]: row for row in listed("agreements", "--format", "json")}
    man = rows["muenchen-augsburg-nuernberg"]
    assert (man["instrument"], man["legal_form"]) == ("memorandum_of_understanding", "none")
    assert man["member_roles"] == [
        "nuernberg: technical_lead (online_dienste, Online-Services)",
        "augsburg: subject_lead (online_dienste, Online-Services)",
        "muenchen: core_team (online_dienste, Online-Services)",
    ]
    assert rows["braunschweig-salzgitter-wolfsburg"]["member_roles"] == []
