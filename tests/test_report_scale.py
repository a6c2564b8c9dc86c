"""What keeps the report linear in the registry: the lists that would grow with partners ×
agreements are cut with a count of all (JSON), and the tables, cells and charts show their
first rows and say how many there are (terminal, Markdown, HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import make_registry, run_cli

AT = "2026-11-21"
ALONE, SHARED = 30, 40  # agreements of p0 alone, and of p0 and p1 together


def _registry(root: Path) -> Path:
    files = {
        f"registry/partners/p{i}.yaml": (
            f"kind: partner\nid: p{i}\nname: Gemeinde {i}\ntype: gemeinde\nstate: DE-NI\n"
        )
        for i in range(2)
    }
    for a in range(ALONE + SHARED):
        parties = "[p0]" if a < ALONE else "[p0, p1]"
        files[f"registry/agreements/a{a:02d}.yaml"] = (
            f"kind: agreement\nid: a{a:02d}\ntitle: Vereinbarung {a}\n"
            "instrument: letter_of_intent\nstatus: active\nareas: [basisdienste]\n"
            f"events:\n  - date: '2020-01-01'\n    type: signed\n    partners: {parties}\n"
        )
    files["registry/solutions/s.yaml"] = (
        "kind: solution\nid: s\nname: Lösung\ncategory: plattform\nstatus: production\n"
        "users:\n  - partner: p0\n    status: production\n  - partner: p1\n    status: pilot\n"
    )
    return make_registry(root, files)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _registry(tmp_path_factory.mktemp("scale") / "reg")


def _report(root: Path, *extra: str) -> str:
    result = run_cli("report", "--root", str(root), "--at", AT, "--lang", "en", *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_solutions_agreements_are_the_50_with_most_users_and_counted_in_full(
    registry: Path,
) -> None:
    document: dict[str, Any] = json.loads(_report(registry, "-f", "json", "-s", "adoption"))
    (row,) = document["adoption"]["solutions"]
    assert row["agreements_total"] == ALONE + SHARED
    assert row["agreements_truncated"] is True
    assert row["used_across_agreements"] is True
    # all 40 that both users belong to, then the first 10 of p0's own by id, in id order
    expected = sorted(
        [f"a{a:02d}" for a in range(ALONE, ALONE + SHARED)] + [f"a{a:02d}" for a in range(10)]
    )
    assert row["agreements"] == expected


def test_cells_name_the_first_ten_and_say_how_many_there_are(registry: Path) -> None:
    text = _report(registry, "-f", "markdown", "-s", "adoption,areas")
    solution = next(line for line in text.splitlines() if line.startswith("| Lösung |"))
    assert solution.count("Vereinbarung") == 10
    assert "… (70 in all)" in solution
    area = next(line for line in text.splitlines() if line.startswith("| Basic services |"))
    assert area.count("Vereinbarung") == 10 and "… (70 in all)" in area


def test_tables_show_their_first_rows_and_count_the_rest(registry: Path) -> None:
    text = _report(registry, "-f", "markdown", "-s", "network")
    members = text.split("### Members on")[1].split("###")[0]
    assert len(re.findall(r"^\| Vereinbarung", members, re.MULTILINE)) == 50
    assert "… and 60 more (all of them with --format json)" in members  # 110 memberships


def test_the_network_chart_shows_at_most_60_agreements(registry: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    _report(registry, "-f", "html", "-s", "network", "-o", str(page))
    text = page.read_text(encoding="utf-8")
    chart = text.split('aria-labelledby="network-chart-title')[1].split("</svg>")[0]
    assert chart.count('fill="#6a3d9a"') == 60
    assert "70 agreements on 2026-11-21; shown are the 2 partners" in chart
    assert "and the 60 agreements with the most of them" in chart
