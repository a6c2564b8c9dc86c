"""coopctl report through the real CLI, every number checked against an independent count.

The expected values are computed here from the YAML files themselves (read with ruamel.yaml,
membership replayed by a few lines of test code), never with coopctl's own helpers, on the
bundled registry and on a generated registry of a few hundred partners.
"""

from __future__ import annotations

import calendar
import json
import re
import subprocess
from collections import Counter
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import html5lib
import pytest
from ruamel.yaml import YAML

from tests.helpers import REPO, make_registry, run_cli

AT = "2026-11-21"
AT_DAY = date(2026, 11, 21)
SECTIONS = ["overview", "timeline", "network", "areas", "adoption", "quality"]
HOSTILE = "<script>alert(1)</script>"
PIPES = "| x |"
SVG = "{http://www.w3.org/2000/svg}"


# --- an independent reading of the registry ------------------------------------------------


def load_yaml(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    yaml = YAML(typ="safe", pure=True)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for kind, folder in (
        ("partner", "partners"),
        ("agreement", "agreements"),
        ("solution", "solutions"),
    ):
        found[kind] = {}
        for path in sorted((root / "registry" / folder).glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"))
            found[kind][data["id"]] = data
    return found


def first_day(text: str) -> date:
    parts = [int(p) for p in text.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text: str) -> date:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    month = parts[1] if len(parts) == 2 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])


def members_on(agreement: dict[str, Any], day: date) -> dict[str, str]:
    """partner -> role on `day`: joins count once certainly past, leaves likewise."""
    joined: dict[str, str] = {}
    roles = {"signed": "party", "accession": "party", "participant_joined": "participant"}
    leaves = {"withdrawal": "party", "participant_left": "participant"}
    for event in sorted(agreement["events"], key=lambda e: last_day(e["date"])):
        if last_day(event["date"]) > day:
            continue
        for partner in event.get("partners", []):
            if event["type"] in roles:
                joined.setdefault(partner, roles[event["type"]])
            elif event["type"] in leaves and joined.get(partner) == leaves[event["type"]]:
                del joined[partner]
    return dict(joined)


def tally(values: list[str]) -> dict[str, int]:
    return dict(Counter(values))


def as_dict(counts: list[dict[str, Any]]) -> dict[str, int]:
    return {c["key"]: c["count"] for c in counts}


# --- a generated registry ---------------------------------------------------------------------

STATES = ["DE-NI", "DE-BY", "DE-NW", "DE-HE", "DE-SN"]
TYPES = ["stadt", "gemeinde", "landkreis", "kreisfreie_stadt", "landesbehoerde"]
AREA_CODES = ["basisdienste", "online_dienste", "fachverfahren", "schnittstellen", "open_data"]


def generate(root: Path, partners: int = 300, agreements: int = 30, solutions: int = 20) -> Path:
    files: dict[str, str] = {}
    for i in range(partners):
        name = HOSTILE if i == 7 else PIPES if i == 8 else f"Gemeinde Nummer {i}"
        sources = "" if i % 10 == 0 else "sources:\n  - url: https://example.org/p\n"
        reviewed = f"last_reviewed: '{2020 + i % 7}-0{1 + i % 9}-15'\n" if i % 3 == 0 else ""
        files[f"registry/partners/p{i}.yaml"] = (
            f"kind: partner\nid: p{i}\nname: {json.dumps(name)}\ntype: {TYPES[i % 5]}\n"
            f"state: {STATES[i % 5]}\n{sources}{reviewed}"
        )
    for a in range(agreements):
        first = [f"p{(a * 9 + k) % partners}" for k in range(6)]
        later = [f"p{(a * 9 + 6 + k) % partners}" for k in range(3)]
        year = 2015 + a % 8
        signed = f"'{year}-0{1 + a % 9}'" if a % 4 == 0 else f"'{year}-03-0{1 + a % 9}'"
        events = [
            f"  - date: {signed}\n    type: signed\n    partners: {json.dumps(first)}\n"
            "    sources:\n      - url: https://example.org/e\n",
            f"  - date: '{year + 1}-05-10'\n    type: accession\n"
            f"    partners: {json.dumps(later)}\n",
            f"  - date: '{year + 2}-06-11'\n    type: meeting\n",
        ]
        if a % 3 == 0:
            events.append(
                f"  - date: '{year + 3}-07-12'\n    type: withdrawal\n    partners: [{first[0]}]\n"
            )
        if a % 5 == 0:
            events.append(
                f"  - date: '{year}'\n    type: participant_joined\n"
                f"    partners: [p{partners - 1 - a}]\n"
            )
        areas = json.dumps(AREA_CODES[: 1 + a % 5]) if a % 7 else "[]"
        status = ["signed", "active", "terminated"][a % 3]
        files[f"registry/agreements/a{a}.yaml"] = (
            f"kind: agreement\nid: a{a}\ntitle: Vereinbarung {a}\n"
            + [
                "instrument: letter_of_intent\nlegal_form: none\n",
                "instrument: zweckvereinbarung\nlegal_form: zweckvereinbarung\n",
                "instrument: kooperationsvereinbarung\n",
            ][a % 3]
            + f"status: {status}\nareas: {areas}\nevents:\n{''.join(events)}"
            + ("sources:\n  - url: https://example.org/a\n" if a % 2 else "")
        )
    for s in range(solutions):
        users = "".join(
            f"  - partner: p{(s * 13 + k * 17) % partners}\n    status: "
            f"{['production', 'pilot', 'planned', 'retired'][k % 4]}\n"
            + (f"    from: '{2018 + k}'\n" if k % 2 else "")
            + (f"    until: '2022-0{1 + k}'\n" if k == 3 else "")
            for k in range(1 + s % 6)
        )
        ozg = "ozg:\n  themenfeld: bildung\n" if s % 4 == 0 else ""
        links = f"agreements: [a{s}]\n" if s % 5 == 0 else ""
        files[f"registry/solutions/s{s}.yaml"] = (
            f"kind: solution\nid: s{s}\nname: Lösung {s}\ncategory: "
            f"{['basisdienst', 'online_dienst', 'plattform'][s % 3]}\nstatus: production\n"
            f"users:\n{users}{ozg}{links}sources:\n  - url: https://example.org/s\n"
        )
    return make_registry(root, files)


@pytest.fixture(params=["bundled", "generated"])
def any_registry(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "bundled":
        return make_registry(tmp_path / "reg", with_real_registry=True)
    return generate(tmp_path / "gen")


def report_json(root: Path, *extra: str) -> dict[str, Any]:
    result = run_cli("report", "--root", str(root), "--format", "json", "--at", AT, *extra)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# --- every number, cross-checked ---------------------------------------------------------------


def test_overview_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    overview = report_json(any_registry, "--section", "overview")["overview"]
    assert as_dict(overview["entities"]) == {k: len(v) for k, v in data.items()}
    partners = data["partner"].values()
    assert as_dict(overview["partners_by_state"]) == tally(
        [p.get("state", "unknown") for p in partners]
    )
    assert as_dict(overview["partners_by_type"]) == tally([p["type"] for p in partners])
    agreements = data["agreement"].values()
    assert as_dict(overview["agreements_by_legal_form"]) == tally(
        [a.get("legal_form", "unknown") for a in agreements]
    )
    assert as_dict(overview["agreements_by_status"]) == tally([a["status"] for a in agreements])
    solutions = data["solution"].values()
    assert as_dict(overview["solutions_by_category"]) == tally([s["category"] for s in solutions])
    assert as_dict(overview["solutions_by_status"]) == tally(
        [s.get("status", "unknown") for s in solutions]
    )
    for summary in overview["agreements"]:
        expected = members_on(data["agreement"][summary["id"]], AT_DAY)
        assert set(summary["parties"]) == {p for p, r in expected.items() if r == "party"}
        assert set(summary["participants"]) == {p for p, r in expected.items() if r != "party"}


def test_timeline_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    timeline = report_json(any_registry, "--section", "timeline")["timeline"]
    expected: dict[int, Counter[str]] = {}
    events = [e for a in data["agreement"].values() for e in a["events"]]
    assert events
    events = [e for e in events if first_day(e["date"]) <= AT_DAY]
    for event in events:
        column = (
            event["type"]
            if event["type"] in {"signed", "accession", "withdrawal", "meeting"}
            else "other"
        )
        expected.setdefault(int(event["date"][:4]), Counter())[column] += 1
    years = {row.pop("year"): row for row in timeline["years"]}
    assert set(years) == set(range(min(expected), max(expected) + 1))
    for year, row in years.items():
        assert row == {k: expected.get(year, Counter())[k] for k in row}, year
    assert len(timeline["events"]) == len(events)


def test_network_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    network = report_json(any_registry, "--section", "network")["network"]
    membership = {a: members_on(d, AT_DAY) for a, d in data["agreement"].items()}
    expected_members = {(a, p, r) for a, m in membership.items() for p, r in m.items()}
    assert {
        (m["agreement"], m["partner"], m["role"]) for m in network["members"]
    } == expected_members
    agreements_of: dict[str, set[str]] = {}
    taking_part: dict[str, set[str]] = {}
    pairs: dict[tuple[str, str], set[str]] = {}
    for agreement, members in membership.items():
        parties = sorted(p for p, role in members.items() if role == "party")
        for partner in parties:
            agreements_of.setdefault(partner, set()).add(agreement)
        for partner in set(members) - set(parties):
            taking_part.setdefault(partner, set()).add(agreement)
        for pair in combinations(parties, 2):
            pairs.setdefault(pair, set()).add(agreement)
    got = {p["id"]: p for p in network["partners"]}
    assert {p: set(g["agreements"]) for p, g in got.items()} == agreements_of
    for partner, row in got.items():
        others = {b for pair in pairs for b in pair if partner in pair and b != partner}
        assert row["co_partners"] == len(others), partner
    assert {tuple(p["partners"]): set(p["agreements"]) for p in network["pairs"]} == pairs
    assert {p["id"]: set(p["agreements"]) for p in network["participants"]} == taking_part
    assert set(network["in_several_agreements"]) == {
        p for p, a in agreements_of.items() if len(a) > 1
    }
    assert set(network["partners_without_agreement"]) == set(data["partner"]) - set(
        agreements_of
    ) - set(taking_part)


def test_areas_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    areas = report_json(any_registry, "--section", "areas")["areas"]
    expected: dict[str, set[str]] = {}
    for agreement_id, agreement in data["agreement"].items():
        for area in agreement.get("areas", []):
            expected.setdefault(area, set()).add(agreement_id)
    assert {r["area"]: set(r["agreements"]) for r in areas["rows"]} == expected
    assert set(areas["agreements_without_areas"]) == {
        a for a, d in data["agreement"].items() if not d.get("areas")
    }


def test_adoption_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    adoption = report_json(any_registry, "--section", "adoption")["adoption"]
    membership = {a: members_on(d, AT_DAY) for a, d in data["agreement"].items()}
    all_uses = [(s, u) for s, d in data["solution"].items() for u in d.get("users", [])]
    assert len(adoption["uses"]) == len(all_uses)  # no use starts after the as-of date here
    for row in adoption["solutions"]:
        users = data["solution"][row["id"]].get("users", [])
        assert set(row["users"]) == {u["partner"] for u in users}
        current = {
            u["partner"] for u in users if not ("until" in u and last_day(u["until"]) <= AT_DAY)
        }
        linked = set(data["solution"][row["id"]].get("agreements", []))
        linked |= {a for a, m in membership.items() if current & set(m)}
        assert set(row["agreements"]) == linked, row["id"]
        assert row["agreements_total"] == len(linked) and row["agreements_truncated"] is False
        assert row["used_across_agreements"] == (len(linked) > 1)
        declared = data["solution"][row["id"]].get("agreements", [])
        assert row["shared_under"] == sorted(declared)
        efa = "efa" in data["solution"][row["id"]]
        assert row["efa"] is efa
        assert (
            row["sharing"]
            == {
                (True, True): "agreement_and_efa",
                (True, False): "agreement",
                (False, True): "efa",
                (False, False): "none",
            }[(bool(declared), efa)]
        )
    ended = [u for _, u in all_uses if "until" in u and last_day(u["until"]) <= AT_DAY]
    assert sum(u["ended"] for u in adoption["uses"]) == len(ended)
    themen: dict[str, set[str]] = {}
    for solution_id, solution in data["solution"].items():
        if "ozg" in solution:
            themen.setdefault(solution["ozg"]["themenfeld"], set()).add(solution_id)
    got = {r["themenfeld"]: set(r["solutions"]) for r in adoption["themenfelder"] if r["solutions"]}
    assert got == themen
    assert adoption["themenfelder_covered"] == len(themen)
    assert len(adoption["themenfelder"]) == 14


def test_quality_counts(any_registry: Path) -> None:
    data = load_yaml(any_registry)
    quality = report_json(any_registry, "--section", "quality", "--review-age", "400")["quality"]
    entities = [(k, i, d) for k, by_id in data.items() for i, d in by_id.items()]
    assert {(e["kind"], e["id"]) for e in quality["without_sources"]} == {
        (k, i) for k, i, d in entities if not d.get("sources")
    }
    vague = set()
    for kind, entity_id, d in entities:
        for key, fields in (
            ("events", ["date"]),
            ("users", ["from", "until"]),
            ("contacts", ["from", "until"]),
        ):
            for index, item in enumerate(d.get(key, [])):
                for field in fields:
                    if field in item and len(item[field]) < 10:
                        vague.add((kind, entity_id, f"/{key}/{index}/{field}"))
        if "last_reviewed" in d and len(d["last_reviewed"]) < 10:
            vague.add((kind, entity_id, "/last_reviewed"))
    assert {(v["kind"], v["id"], v["pointer"]) for v in quality["vague_dates"]} == vague
    assert {(e["agreement"], e["pointer"]) for e in quality["events_without_sources"]} == {
        (a, f"/events/{i}")
        for a, d in data["agreement"].items()
        for i, e in enumerate(d["events"])
        if not e.get("sources")
    }
    assert {(e["kind"], e["id"]) for e in quality["never_reviewed"]} == {
        (k, i) for k, i, d in entities if "last_reviewed" not in d
    }
    assert quality["review_max_age_days"] == 400
    assert {(r["kind"], r["id"]) for r in quality["review_outdated"]} == {
        (k, i)
        for k, i, d in entities
        if "last_reviewed" in d and (AT_DAY - last_day(d["last_reviewed"])).days > 400
    }
    quiet = {
        a
        for a, d in data["agreement"].items()
        if d["status"] not in {"terminated", "expired", "dissolved", "superseded"}
        and max(last_day(e["date"]) for e in d["events"]) < date(2024, 11, 21)
    }
    assert {q["id"] for q in quality["quiet_agreements"]} == quiet
    assert quality["files_not_loaded"] == 0


def test_bundled_registry_facts_a_reader_checks_first(registry_root: Path) -> None:
    document = report_json(registry_root)
    quality = document["quality"]
    signing = [
        v
        for v in quality["vague_dates"]
        if v["pointer"] == "/events/0/date" and v["id"] == "braunschweig-salzgitter-wolfsburg"
    ]
    assert len(signing) == 1
    assert signing[0]["precision"] == "month"
    assert "day of signing is not stated" in signing[0]["note"]
    quiet = {q["id"] for q in quality["quiet_agreements"]}
    assert "braunschweig-salzgitter-wolfsburg" in quiet  # nothing reported after 2021-04-23
    assert "muenchen-augsburg-nuernberg" not in quiet  # met on 2025-05-14
    ewa = next(s for s in document["adoption"]["solutions"] if s["id"] == "ewa")
    # eWA is used in both agreements' cities, but as an EfA service, not shared under either.
    assert ewa["used_across_agreements"] is True
    assert (ewa["sharing"], ewa["shared_under"]) == ("efa", [])
    intelliform = next(s for s in document["adoption"]["solutions"] if s["id"] == "cit-intelliform")
    assert intelliform["sharing"] == "agreement"
    # The StMD takes part in M-A-N without being a party: no co-partner, in no pair.
    network = document["network"]
    assert "stmd-bayern" not in {p["id"] for p in network["partners"]}
    assert [p["id"] for p in network["participants"]] == ["stmd-bayern"]
    assert all("stmd-bayern" not in p["partners"] for p in network["pairs"])
    assert {p["id"]: p["co_partners"] for p in network["partners"]}["muenchen"] == 2
    # M-A-N's tasks from the muenchen.digital post, and the kinds of agreement apart from the
    # legal form (a letter of intent and a memorandum are no legal form).
    man = [t for t in network["tasks"] if t["agreement"] == "muenchen-augsburg-nuernberg"]
    assert {(t["partner"], t["role"]) for t in man} == {
        ("nuernberg", "technical_lead"),
        ("augsburg", "subject_lead"),
        ("muenchen", "core_team"),
    }
    overview = document["overview"]
    instruments = {c["key"]: c["count"] for c in overview["agreements_by_instrument"]}
    documents = ("letter_of_intent", "memorandum_of_understanding")
    assert all(instruments[kind] >= 1 for kind in documents)
    legal_forms = {c["key"]: c["count"] for c in overview["agreements_by_legal_form"]}
    assert not set(documents) & set(legal_forms)
    assert legal_forms["none"] >= 2


def test_a_joining_events_role_is_reported_with_the_membership(
    registry_root: Path, tmp_path: Path
) -> None:
    path = registry_root / "registry/agreements/muenchen-augsburg-nuernberg.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    type: signed\n", "    type: signed\n    role: lead\n", 1))
    document = report_json(registry_root, "--section", "network")
    functions = {
        (m["partner"], m["function"])
        for m in document["network"]["members"]
        if m["agreement"] == "muenchen-augsburg-nuernberg"
    }
    assert functions == {
        ("muenchen", "lead"),
        ("augsburg", "lead"),
        ("nuernberg", "lead"),
        ("stmd-bayern", None),
    }
    german = run_cli(
        "report", "--section", "network", "--format", "markdown", "--root", str(registry_root)
    )
    assert "Partner, federführend (Leitkommune)" in german.stdout
    assert "Aufgaben je Handlungsfeld" in german.stdout and "technische Leitung" in german.stdout


# --- as of a date -------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "member"), [("2021-05-01", True), ("2021-01-01", False)])
def test_at_changes_membership(registry_root: Path, day: str, member: bool) -> None:
    result = run_cli(
        "report", "--root", str(registry_root), "-f", "json", "--at", day, "-s", "network"
    )
    assert result.exit_code == 0, result.output
    members = json.loads(result.stdout)["network"]["members"]
    pairs = {(m["agreement"], m["partner"]) for m in members}
    assert (("braunschweig-salzgitter-wolfsburg", "landkreis-gifhorn") in pairs) is member
    assert ("braunschweig-salzgitter-wolfsburg", "braunschweig") in pairs


def test_at_limits_the_timeline(registry_root: Path) -> None:
    timeline = report_json(registry_root, "--at", "2020-12-31", "-s", "timeline")["timeline"]
    dates = [e["date"] for e in timeline["events"]]
    assert "2020-09-23" in dates and all(d[:4] <= "2020" for d in dates)
    assert "2021-04-23" not in dates  # Gifhorn's accession is after the day asked about
    assert timeline["years"][-1]["year"] == 2020


def test_bad_at_and_section_are_usage_errors(registry_root: Path) -> None:
    bad_date = run_cli("report", "--root", str(registry_root), "--at", "2021-13")
    assert bad_date.exit_code == 2
    assert "--at" in bad_date.stderr
    bad_section = run_cli("report", "--root", str(registry_root), "--section", "networks")
    assert bad_section.exit_code == 2
    assert "unbekannter Abschnitt 'networks'" in bad_section.stderr
    english = run_cli(
        "report", "--root", str(registry_root), "--section", "networks", "--lang", "en"
    )
    assert english.exit_code == 2
    assert "unknown section 'networks'" in english.stderr


def test_sections_pick_what_is_reported(registry_root: Path) -> None:
    document = report_json(registry_root, "--section", "areas,quality", "--section", "timeline")
    assert document["sections"] == ["timeline", "areas", "quality"]
    assert not {"overview", "network", "adoption"} & set(document)


# --- escaping -----------------------------------------------------------------------------------


def test_hostile_names_stay_text(tmp_path: Path) -> None:
    root = generate(tmp_path / "gen", partners=40, agreements=3, solutions=2)
    html_result = run_cli(
        "report", "--root", str(root), "-f", "html", "-o", str(tmp_path / "r.html"), "--at", AT
    )
    assert html_result.exit_code == 0, html_result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert HOSTILE not in page
    document = html5lib.parse(page, namespaceHTMLElements=False)
    assert document.findall(".//script") == []
    texts = ["".join(e.itertext()) for e in document.iter()]
    assert any(HOSTILE in t for t in texts)
    assert any(PIPES in t for t in texts)
    markdown = run_cli("report", "--root", str(root), "-f", "markdown", "--at", AT).stdout
    assert HOSTILE not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "\\| x \\|" in markdown
    for line in markdown.splitlines():
        if line.startswith("| "):  # a table row: every unescaped pipe is a cell border
            header = line
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) >= 3, header


def test_markdown_table_rows_have_the_header_width(tmp_path: Path) -> None:
    root = generate(tmp_path / "gen", partners=40, agreements=3, solutions=2)
    markdown = run_cli("report", "--root", str(root), "-f", "markdown", "--at", AT).stdout
    width = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        width = width or cells
        assert cells == width, line


# --- HTML structure -----------------------------------------------------------------------------


def test_html_is_self_contained_and_accessible(
    registry_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", "--root", str(registry_root), "--format", "html", "--at", AT)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(page)
    assert document.get("lang") == "de"
    assert document.findtext("head/title") == "Kooperationsbericht – Stand 21.11.2026"
    csp = [m for m in document.iter("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in csp[0].get("content", "")
    assert document.findall(".//script") == [] and document.findall(".//link") == []
    for element in document.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute)
            assert value is None or value.startswith("#"), (element.tag, value)
    sections = document.findall(".//main/section")
    assert [s.get("id") for s in sections] == SECTIONS
    for section in sections:
        heading = section.find("h2")
        assert heading is not None and heading.get("id") == section.get("aria-labelledby")
    figures = document.findall(".//figure")
    assert len(figures) == 5
    for figure in figures:
        assert (figure.findtext("figcaption") or "").startswith("Abbildung")
        scroller = figure.find("div")
        assert scroller is not None and scroller.get("class") == "chart"
        caption = figure.find("figcaption")
        assert caption is not None and scroller.get("aria-labelledby") == caption.get("id")
        chart = scroller.find(f"{SVG}svg")
        assert chart is not None and chart.get("role") == "img"
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert title is not None and desc is not None and (desc.text or "").strip()
        assert chart.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    tables = document.findall(".//table")
    assert len(tables) > 10
    for table in tables:
        assert (table.findtext("caption") or "").strip()
        assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
    notes = [e for e in document.iter() if e.get("lang") == "en"]
    assert notes, "the English notes are marked as such"
    assert "Datenqualität" in page and "Kooperationsnetz" in page


def test_html_numbers_match_json(registry_root: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "bericht.html"
    target.parent.mkdir()
    result = run_cli(
        "report", "--root", str(registry_root), "-f", "html", "-o", str(target), "--at", AT
    )
    assert result.exit_code == 0
    document = html5lib.parse(target.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    cards = {
        "".join(li.itertext()).lstrip("0123456789."): li.findtext("strong")
        for li in document.findall(".//ul[@class='summary']/li")
    }
    data = load_yaml(registry_root)
    assert cards == {
        "Partner": str(len(data["partner"])),
        "Vereinbarungen": str(len(data["agreement"])),
        "Lösungen": str(len(data["solution"])),
    }


# --- terminal, markdown, files ------------------------------------------------------------------


def test_terminal_fits_80_columns_and_has_no_colour_with_no_color(registry_root: Path) -> None:
    result = run_cli("report", "--root", str(registry_root), "--at", AT, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    for title in (
        "Überblick",
        "Zeitleiste",
        "Kooperationsnetz",
        "Handlungsfelder",
        "Datenqualität",
    ):
        assert title in result.stdout
    assert "█" in result.stdout


def test_terminal_report_to_a_file(registry_root: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    result = run_cli("report", "--root", str(registry_root), "--at", AT, "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout.strip() == str(target)
    text = target.read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Kooperationsbericht" in text


def test_markdown_has_every_section(registry_root: Path) -> None:
    result = run_cli("report", "--root", str(registry_root), "-f", "markdown", "--at", AT)
    assert result.exit_code == 0
    headings = re.findall(r"^## (.+)$", result.stdout, re.MULTILINE)
    assert headings == [
        "Überblick",
        "Zeitleiste",
        "Kooperationsnetz",
        "Handlungsfelder",
        "Nachnutzung von Lösungen",
        "Datenqualität",
    ]
    assert "| Bayern | 6 |" in result.stdout


def test_unwritable_output_is_an_error_without_traceback(
    registry_root: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "report", "--root", str(registry_root), "-f", "json", "-o", str(tmp_path / "no" / "r.json")
    )
    assert result.exit_code == 1
    assert "kann nicht geschrieben werden" in result.stderr  # a report speaks German
    assert "Traceback" not in result.output


# --- the documented JSON shape -------------------------------------------------------------------


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], dict | list) else []
    return None


def _keys(shape: Any, prefix: str = "") -> set[str]:
    if isinstance(shape, dict):
        found = set()
        for key, value in shape.items():
            found.add(prefix + key)
            found |= _keys(value, prefix + key + ".")
        return found
    if isinstance(shape, list) and shape:
        return _keys(shape[0], prefix)
    return set()


def test_docs_describe_the_json_keys(registry_root: Path, tmp_path: Path) -> None:
    documented_block = re.search(
        r"<!-- json-shape:start -->\s*```json\n(.*?)```\s*<!-- json-shape:end -->",
        (REPO / "docs" / "report.md").read_text(encoding="utf-8"),
        re.DOTALL,
    )
    assert documented_block, "docs/report.md has a JSON example between json-shape markers"
    documented = _keys(_shape(json.loads(documented_block.group(1))))
    generated = generate(tmp_path / "gen", partners=40, agreements=3, solutions=2)
    real = _keys(_shape(report_json(registry_root))) | _keys(_shape(report_json(generated)))
    names = {k for k in real if k.startswith("names.")}
    assert real - names - documented == set(), "keys in the output that docs/report.md lacks"
    assert documented - real - {k for k in documented if k.startswith("names.")} == set()


# --- a git revision -------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def test_rev_reports_an_earlier_commit(registry_root: Path) -> None:
    _git(registry_root, "init", "-q", "-b", "main")
    _git(registry_root, "add", ".")
    _git(registry_root, "commit", "-q", "-m", "registry")
    (registry_root / "registry/partners/neustadt.yaml").write_text(
        "kind: partner\nid: neustadt\nname: Stadt Neustadt\ntype: stadt\nstate: DE-TH\n",
        encoding="utf-8",
    )
    _git(registry_root, "add", ".")
    _git(registry_root, "commit", "-q", "-m", "add neustadt")
    now = report_json(registry_root, "-s", "overview")["overview"]
    before = report_json(registry_root, "-s", "overview", "--rev", "HEAD~1")
    assert before["rev"] == "HEAD~1"
    assert (
        as_dict(now["entities"])["partner"]
        == as_dict(before["overview"]["entities"])["partner"] + 1
    )
    assert "DE-TH" not in as_dict(before["overview"]["partners_by_state"])
    assert as_dict(now["partners_by_state"])["DE-TH"] == 1
    missing = run_cli("report", "--root", str(registry_root), "--rev", "no-such-rev")
    assert missing.exit_code == 2


def test_partners_sharing_a_short_name_are_named_in_full(tmp_path: Path) -> None:
    """Stadt and Kreis Coesfeld are both "Coesfeld" for short: a list of parties that held
    both would read "Coesfeld, Coesfeld", so the report names those two in full (and only
    those)."""

    def partner(pid: str, name: str, kind: str) -> str:
        return f"kind: partner\nid: {pid}\nname: {name}\nshort_name: Coesfeld\ntype: {kind}\n"

    files = {
        "registry/partners/coesfeld.yaml": partner("coesfeld", "Stadt Coesfeld", "stadt"),
        "registry/partners/kreis-coesfeld.yaml": partner(
            "kreis-coesfeld", "Kreis Coesfeld", "landkreis"
        ),
        "registry/partners/senden.yaml": "kind: partner\nid: senden\nname: Gemeinde Senden\n"
        "short_name: Senden\ntype: gemeinde\n",
        "registry/agreements/a.yaml": "kind: agreement\nid: a\ntitle: Coesfeld 12.0\n"
        "instrument: other\nstatus: signed\nevents:\n  - date: '2019-06'\n    type: signed\n"
        "    partners: [coesfeld, kreis-coesfeld, senden]\n",
    }
    root = make_registry(tmp_path / "reg", files)
    short = report_json(root)["names"]["partners_short"]
    assert short == {
        "coesfeld": "Stadt Coesfeld", "kreis-coesfeld": "Kreis Coesfeld", "senden": "Senden",
    }  # fmt: skip
    text = run_cli("report", "--root", str(root), "--at", AT, "--lang", "en").stdout
    assert "Kreis Coesfeld" in text and "Stadt Coesfeld" in text
    assert "Coesfeld, Coesfeld" not in text
