"""Steps rewritten from a scan per item to an index built once give the answers the scans gave:
each test recomputes the old, quadratic answer here, from the CLI's own output, and compares."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from tests.gitrepo import commit_all, edit, git, init_repo
from tests.helpers import REPO, make_registry, run_cli

GENERATE = REPO / "benchmarks" / "generate.py"
GENERATED_SIZE = ("--partners", "300", "--agreements", "90", "--solutions", "40")
DAYS = ("2019-01-01", "2023-06-30", "today")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "reg"
    subprocess.run(
        [sys.executable, str(GENERATE), str(root), *GENERATED_SIZE],
        capture_output=True,
        check=True,
    )
    return root


@pytest.fixture(scope="module")
def participant_user(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry where a participant (not a party) of an agreement uses a solution:
    that agreement is not one of the solution's user agreements."""
    root = make_registry(tmp_path_factory.mktemp("participant") / "reg", with_real_registry=True)
    edit(
        root / "registry" / "solutions" / "servicekonto-niedersachsen.yaml",
        "users:\n",
        "users:\n  - partner: stmd-bayern\n    status: production\n",
    )
    return root


def listed(root: Path, kind: str, day: str, *options: str) -> list[dict[str, Any]]:
    result = run_cli("list", kind, "--format", "json", "--at", day, *options, "--root", str(root))
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("which", ["bundled", "participant_user", "generated"])
def test_user_agreements_are_those_of_the_scan_over_all_agreements(
    which: str, day: str, request: pytest.FixtureRequest
) -> None:
    root = REPO if which == "bundled" else request.getfixturevalue(which)
    agreements = listed(root, "agreements", day)
    # user_agreements is computed only when an option names it
    solutions = listed(root, "solutions", day, "--columns", "id,used_by,user_agreements")
    assert all("user_agreements" not in s for s in listed(root, "solutions", day))
    found = 0
    for solution in solutions:
        users = set(solution["used_by"])
        # the former step: every agreement, for each solution, with a party that uses it
        scanned = sorted(a["id"] for a in agreements if users & set(a["members"]))
        assert solution["user_agreements"] == scanned, solution["id"]
        found += len(scanned)
    if day != "2019-01-01":
        assert found > 0  # the comparison covers solutions that have user agreements


# --- diff: the fields of each changed entity ---------------------------------------------------

DIFF_GOLDEN = REPO / "tests" / "golden" / "diff-many"
PARTNERS = 60
AGREEMENTS = 20
SOLUTIONS = 12


def _partner(number: int, name: str | None = None) -> str:
    return (
        f"kind: partner\nid: partner-{number:03}\n"
        f"name: {name or f'Gemeinde Nummer {number}'}\nshort_name: Nummer {number}\n"
        f"type: gemeinde\nstate: DE-NI\nwebsite: https://example.org/{number}\n"
    )


def _agreement(number: int, parties: list[int], events: str = "") -> str:
    listed = "".join(f"      - partner-{p:03}\n" for p in parties)
    return (
        f"kind: agreement\nid: agreement-{number:02}\ntitle: Kooperation {number}\n"
        f"instrument: letter_of_intent\nlegal_form: none\nstatus: signed\n"
        f"areas:\n  - basisdienste\n  - online_dienste\n"
        f"events:\n  - date: '2021-0{1 + number % 9}'\n    type: signed\n"
        f"    partners:\n{listed}{events}"
    )


def _solution(number: int, users: list[int]) -> str:
    listed = "".join(f"  - partner: partner-{u:03}\n    status: production\n" for u in users)
    return (
        f"kind: solution\nid: solution-{number:02}\nname: Lösung {number}\n"
        f"category: basisdienst\nprovider: partner-{number:03}\nstatus: production\n"
        f"users:\n{listed}"
    )


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / "registry" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def many_changes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose working tree changes about a hundred entities against HEAD, with
    field changes of every kind: changed, added and removed fields, list items, renames."""
    repo = init_repo(tmp_path_factory.mktemp("many") / "repo")
    root = make_registry(repo)
    parties = {a: [(a * 3 + k) % PARTNERS for k in range(4)] for a in range(AGREEMENTS)}
    users = {s: [(s * 5 + k) % PARTNERS for k in range(3)] for s in range(SOLUTIONS)}
    _write(root, {f"partners/partner-{p:03}.yaml": _partner(p) for p in range(PARTNERS)})
    _write(root, {f"agreements/agreement-{a:02}.yaml": _agreement(a, parties[a]) for a in parties})
    _write(root, {f"solutions/solution-{s:02}.yaml": _solution(s, users[s]) for s in users})
    commit_all(repo, "The registry")
    for p in range(PARTNERS):
        path = root / "registry" / "partners" / f"partner-{p:03}.yaml"
        if p % 7 == 3:
            path.unlink()
        elif p % 7 == 5:
            moved = path.with_name(f"gemeinde-{p:03}.yaml")
            git(repo, "mv", str(path), str(moved))
            if p % 2:  # a new id as well, and a changed field
                text = _partner(p).replace(f"id: partner-{p:03}", f"id: gemeinde-{p:03}")
                moved.write_text(text.replace("DE-NI", "DE-HB"), encoding="utf-8")
        elif p % 2 == 0:
            text = _partner(p, f"Stadt Nummer {p}").replace("website", "homepage")
            path.write_text(text + f"ags: '03{p:06}'\n", encoding="utf-8")
    _write(root, {f"partners/partner-{p:03}.yaml": _partner(p) for p in range(100, 110)})
    for a, members in parties.items():
        joined = f"  - date: '2023-05'\n    type: joined\n    partners:\n      - partner-{a:03}\n"
        text = _agreement(a, list(reversed(members)) if a % 2 else members[1:], joined)
        text = text.replace("Kooperation", "Vereinbarung" if a % 3 else "Kooperation")
        _write(root, {f"agreements/agreement-{a:02}.yaml": text})
    for s, used in users.items():
        _write(root, {f"solutions/solution-{s:02}.yaml": _solution(s, [*used[1:], 100 + s % 10])})
    return root


@pytest.mark.parametrize(
    ("form", "suffix"), [("text", "txt"), ("markdown", "md"), ("json", "json")]
)
def test_diff_of_many_entities_is_pinned(many_changes: Path, form: str, suffix: str) -> None:
    result = run_cli("diff", "--root", str(many_changes), "--format", form)
    assert result.exit_code == 0, result.output
    if form == "json":
        summary = json.loads(result.stdout)["summary"]
        assert min(summary.values()) > 0 and summary["modified"] >= 50, summary
    golden = DIFF_GOLDEN.with_suffix(f".{suffix}")
    if os.environ.get("COOPCTL_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


# --- report: pairs of partners ---------------------------------------------------------------


@pytest.fixture(scope="module")
def large_agreement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One agreement of 60 parties (1,770 pairs) and one of three of them and one more: 1,773
    pairs, 3 of which share two agreements."""
    root = make_registry(tmp_path_factory.mktemp("large") / "reg")
    _write(root, {f"partners/partner-{p:03}.yaml": _partner(p) for p in range(61)})
    _write(root, {"agreements/agreement-01.yaml": _agreement(1, list(range(60)))})
    _write(root, {"agreements/agreement-02.yaml": _agreement(2, [7, 30, 59, 60])})
    return root


def report_network(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli("report", "--format", "json", "--root", str(root), *args)
    assert result.exit_code == 0, result.output
    network: dict[str, Any] = json.loads(result.stdout)["network"]
    return network


@pytest.mark.parametrize("which", ["bundled", "generated", "large_agreement"])
def test_report_pairs_are_those_of_every_combination(
    which: str, request: pytest.FixtureRequest
) -> None:
    root = REPO if which == "bundled" else request.getfixturevalue(which)
    network = report_network(root)
    parties: dict[str, list[str]] = {}
    for member in network["members"]:
        if member["role"] == "party":
            parties.setdefault(member["agreement"], []).append(member["partner"])
    # the former step: every pair of every agreement, materialised
    shared: dict[tuple[str, str], list[str]] = {}
    for agreement, ids in parties.items():
        for pair in combinations(sorted(set(ids)), 2):
            shared.setdefault(pair, []).append(agreement)
    every = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    expected = [{"partners": list(pair), "agreements": ids} for pair, ids in every]
    assert network["pairs"] == expected[:1000]
    assert network["pairs_total"] == len(expected)
    assert network["pairs_truncated"] is (len(expected) > 1000)
    assert network["partners"]
    for partner in network["partners"]:
        counted = {b for pair in shared if partner["id"] in pair for b in pair} - {partner["id"]}
        assert partner["co_partners"] == len(counted), partner["id"]


def test_a_large_agreement_lists_1000_pairs_and_counts_all(large_agreement: Path) -> None:
    network = report_network(large_agreement)
    assert (len(network["pairs"]), network["pairs_total"], network["pairs_truncated"]) == (
        1000,
        1770 + 3,
        True,
    )
    assert [p["partners"] for p in network["pairs"][:3]] == [
        ["partner-007", "partner-030"],
        ["partner-007", "partner-059"],
        ["partner-030", "partner-059"],
    ]
    assert {p["id"]: p["co_partners"] for p in network["partners"]}["partner-060"] == 3
    assert {p["id"]: p["co_partners"] for p in network["partners"]}["partner-007"] == 60
    terminal = run_cli(
        "report", "--section", "network", "--lang", "en", "--root", str(large_agreement)
    )
    assert "1,773 pairs of partners work together" in terminal.stdout
    several = terminal.stdout.split("Partners in several agreements\n")[1].split("\n\n")[0]
    assert several.splitlines() == [
        f"  • Gemeinde Nummer {p}: Kooperation 1, Kooperation 2" for p in (7, 30, 59)
    ]
    assert "… and 1,758 more (--format json lists the first 1,000 of 1,773)" in terminal.stdout
    markdown = run_cli(
        "report", "--format", "markdown", "--lang", "de", "--root", str(large_agreement)
    )
    assert "… und 1.723 weitere (--format json führt die ersten 1.000 von 1.773 auf)" in (
        markdown.stdout
    )
    page = large_agreement / "report.html"
    html = run_cli(
        "report",
        "--format",
        "html",
        "--lang",
        "en",
        "--output",
        str(page),
        "--root",
        str(large_agreement),
    )
    assert html.exit_code == 0, html.output
    assert "… and 1,573 more (--format json lists the first 1,000 of 1,773)" in page.read_text(
        encoding="utf-8"
    )
