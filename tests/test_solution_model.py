"""Solutions in data model 2: the EfA facts, the users' OZG maturity, the launch and the
components, through validate, show, list and export on real registries."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import make_registry, run_cli

HEAD = "# yaml-language-server: $schema=../../schemas/solution.schema.json\n"
PARTNERS = {
    "registry/partners/hamburg.yaml": (
        "kind: partner\nid: hamburg\nname: Senatskanzlei Hamburg\ntype: landesbehoerde\n"
        "state: DE-HH\nsources:\n  - url: https://example.org/hh\n"
    ),
    "registry/partners/bmi.yaml": (
        "kind: partner\nid: bmi\nname: Bundesministerium des Innern\ntype: bundesbehoerde\n"
        "sources:\n  - url: https://example.org/bmi\n"
    ),
}
SOLUTION = """\
kind: solution
id: umzug
name: Umzug digital
category: online_dienst
status: beta
launched: '2022-09'
users:
  - partner: hamburg
    status: production
    from: '2022-09-20'
    maturity:
      level: {level}
      model: '{model}'
      as_of: '2024-05'
efa:
  implementing_state: DE-HH
  adopting_states:
    - state: DE-BY
      from: '2023-02'
    - state: DE-NI
  federal_partner: bmi
  channels: [fit_store, efa_marktplatz]
  focus_service: true
components:
  - name: App
    repository: https://example.org/app
    license: MIT
  - name: CMS
    license: Apache-2.0
sources:
  - url: https://example.org/umzug
"""


def _root(tmp_path: Path, level: int = 3, model: str = "1.1") -> Path:
    text = HEAD + SOLUTION.format(level=level, model=model)
    return make_registry(tmp_path / "r", {**PARTNERS, "registry/solutions/umzug.yaml": text})


def _problems(root: Path) -> list[tuple[str, str]]:
    result = run_cli("validate", "--root", str(root), "--format", "json")
    return [(p["code"], p["pointer"]) for p in json.loads(result.stdout)["problems"]]


def test_a_solution_with_every_new_field_is_valid(tmp_path: Path) -> None:
    assert _problems(_root(tmp_path)) == []


@pytest.mark.parametrize(
    ("level", "model", "found"),
    [
        (4, "1.1", []),
        (5, "1.1", [("S001", "/users/0/maturity/level")]),
        (7, "2.0", []),
        (8, "2.0", [("S001", "/users/0/maturity/level")]),
    ],
)
def test_the_maturity_level_is_bounded_by_its_model(
    tmp_path: Path, level: int, model: str, found: list[tuple[str, str]]
) -> None:
    assert _problems(_root(tmp_path, level, model)) == found


def test_the_limit_of_model_1_1_explains_itself(tmp_path: Path) -> None:
    result = run_cli("validate", "--root", str(_root(tmp_path, 5, "1.1")), "--format", "json")
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["message"] == "users[0].maturity.level: 5 is greater than the maximum of 4"
    assert problem["hint"] == (
        "Under the maturity model 1.1 the level is at most 4; levels 5 to 7 exist only in "
        "model 2.0."
    )
    german = run_cli("--lang", "de", "validate", "--root", str(_root(tmp_path / "de", 5, "1.1")),
                     "--format", "json")  # fmt: skip
    assert json.loads(german.stdout)["problems"][0]["hint"].startswith("Im Reifegradmodell 1.1")


def test_a_maturity_needs_its_model(tmp_path: Path) -> None:
    root = _root(tmp_path)
    path = root / "registry/solutions/umzug.yaml"
    path.write_text(path.read_text().replace("      model: '1.1'\n", ""), encoding="utf-8")
    assert _problems(root) == [("S002", "/users/0/maturity")]


def test_an_unknown_channel_and_the_old_efa_key_are_refused(tmp_path: Path) -> None:
    root = _root(tmp_path)
    path = root / "registry/solutions/umzug.yaml"
    text = path.read_text().replace("efa_marktplatz]", "marktplatz]")
    path.write_text(text.replace("implementing_state", "umsetzendes_land"), encoding="utf-8")
    assert sorted(_problems(root)) == [
        ("S002", "/efa"),
        ("S003", "/efa/umsetzendes_land"),
        ("S005", "/efa/channels/1"),
    ]


def test_show_prints_the_efa_facts_maturity_and_components(tmp_path: Path) -> None:
    root = _root(tmp_path)
    text = run_cli("show", "solution:umzug", "--root", str(root), "--at", "2025-01-01").stdout
    assert "  launched: 2022-09\n" in text
    assert "hamburg (Senatskanzlei Hamburg): 2022-09-20 –; in use; maturity 3 " in text
    assert "(model 1.1, as of May 2024)\n" in text
    assert "EfA: implemented by DE-HH\n" in text
    assert "  Federal partner: bmi (Bundesministerium des Innern)\n" in text
    assert "  Adopting states: DE-BY since February 2023, DE-NI\n" in text
    assert "  Channels: fit_store, efa_marktplatz\n" in text
    assert "  Focus service: yes\n" in text
    assert "Components:\n  App: MIT, https://example.org/app\n  CMS: Apache-2.0\n" in text


def test_show_json_carries_the_same_facts(tmp_path: Path) -> None:
    root = _root(tmp_path)
    result = run_cli("show", "umzug", "--root", str(root), "--format", "json")
    relations = json.loads(result.stdout)["relations"]
    assert relations["efa"] == {
        "implementing_state": "DE-HH",
        "adopting_states": [
            {"state": "DE-BY", "from": "2023-02"},
            {"state": "DE-NI", "from": None},
        ],
        "federal_partner": {"partner": "bmi", "name": "Bundesministerium des Innern"},
        "channels": ["fit_store", "efa_marktplatz"],
        "focus_service": True,
        "fit_store_url": None,
    }
    assert relations["users"]["production"][0]["maturity"] == {
        "level": 3,
        "model": "1.1",
        "as_of": "2024-05",
    }
    assert [c["name"] for c in relations["components"]] == ["App", "CMS"]


def test_show_in_german_names_the_efa_facts_in_german(tmp_path: Path) -> None:
    root = _root(tmp_path)
    text = run_cli("--lang", "de", "show", "umzug", "--root", str(root)).stdout
    assert "EfA: umgesetzt von DE-HH\n" in text
    assert "  Bundespartner: bmi (Bundesministerium des Innern)\n" in text
    assert "  Fokusleistung: ja\n" in text
    assert "Reifegrad 3 (Modell 1.1, Stand Mai 2024)" in text


def test_list_solutions_shows_the_launch_and_efa_columns(tmp_path: Path) -> None:
    root = _root(tmp_path)
    listing = run_cli("list", "solutions", "--root", str(root)).stdout.splitlines()
    assert listing[0].split() == [
        "id", "name", "category", "provider", "status", "launched", "used_by"
    ]  # fmt: skip
    assert "2022-09" in listing[1]
    result = run_cli(
        "list", "solutions", "--root", str(root), "--format", "json", "--where",
        "efa.federal_partner=bmi", "--columns", "id,efa.implementing_state,users.maturity.level",
    )  # fmt: skip
    assert json.loads(result.stdout) == [
        {"id": "umzug", "efa.implementing_state": "DE-HH", "users.maturity.level": [3]}
    ]


def _rows(db: sqlite3.Connection, query: str) -> list[tuple[Any, ...]]:
    return list(db.execute(query))


def test_export_sqlite_has_columns_and_tables_for_the_new_fields(tmp_path: Path) -> None:
    root = _root(tmp_path)
    target = tmp_path / "r.sqlite"
    result = run_cli("export", "sqlite", str(target), "--root", str(root))
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(target)
    assert _rows(
        db,
        "SELECT launched, implementing_state, federal_partner, channels, focus_service "
        "FROM solutions",
    ) == [("2022-09", "DE-HH", "bmi", '["fit_store","efa_marktplatz"]', "true")]
    assert _rows(
        db, "SELECT maturity_level, maturity_model, maturity_as_of FROM solution_users"
    ) == [(3, "1.1", "2024-05")]
    assert _rows(db, "SELECT * FROM solution_components") == [
        ("umzug", 0, "App", "https://example.org/app", "MIT", None),
        ("umzug", 1, "CMS", None, "Apache-2.0", None),
    ]
    assert _rows(db, "SELECT * FROM solution_adopting_states") == [
        ("umzug", 0, "DE-BY", "2023-02"),
        ("umzug", 1, "DE-NI", None),
    ]
    # the federal partner is a foreign key to partners
    assert _rows(db, "PRAGMA foreign_key_check") == []


def test_export_csv_writes_the_new_tables(tmp_path: Path) -> None:
    root = _root(tmp_path)
    folder = tmp_path / "tables"
    assert run_cli("export", "csv", str(folder), "--root", str(root)).exit_code == 0
    with (folder / "solution_components.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [
            ["solution_id", "position", "name", "repository", "license", "note"],
            ["umzug", "0", "App", "https://example.org/app", "MIT", ""],
            ["umzug", "1", "CMS", "", "Apache-2.0", ""],
        ]
    with (folder / "solution_users.csv").open(encoding="utf-8", newline="") as f:
        header, row = list(csv.reader(f))
    assert dict(zip(header, row, strict=True))["maturity_level"] == "3"


def test_the_bundled_registry_records_what_its_sources_say() -> None:
    from tests.helpers import REPO

    result = run_cli("show", "solution:ewa", "--root", str(REPO), "--format", "json")
    efa = json.loads(result.stdout)["relations"]["efa"]
    assert efa["federal_partner"]["partner"] == "bmi"
    integreat = run_cli("show", "integreat", "--root", str(REPO), "--format", "json").stdout
    document = json.loads(integreat)
    assert "license" not in document["data"]  # MIT AND Apache-2.0 was wrong for the whole
    assert [(c["name"], c["license"]) for c in document["relations"]["components"]] == [
        ("Integreat App", "MIT"),
        ("Integreat CMS", "Apache-2.0"),
    ]


def test_an_unquoted_model_version_gets_a_hint_to_quote_it(tmp_path: Path) -> None:
    root = _root(tmp_path)
    path = root / "registry/solutions/umzug.yaml"
    path.write_text(path.read_text().replace("model: '1.1'", "model: 1.1"), encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--format", "json")
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["code"], problem["pointer"]) == ("S005", "/users/0/maturity/model")
    assert problem["hint"] == "quote the value so it stays text: model: '1.1'"
