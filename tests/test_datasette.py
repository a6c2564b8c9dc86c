"""Datasette over the export: the metadata `export sqlite --datasette` writes, and `coopctl
serve` as a real server on a loopback port, asked through its JSON API and shown in Chromium.

The server tests skip, with the reason, where Datasette (the extra coopctl[datasette]) or
Chromium is not installed; .ci/run installs both where it can.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from coopctl.i18n import catalog
from tests.browser import Driver, chromium, free_port, needs_chromium
from tests.gitrepo import commit_all, edit, real_registry_repo
from tests.helpers import REPO, SCHEMAS, coopctl_process, make_registry, run_cli

needs_datasette = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None,
    reason="needs Datasette (pip install 'coopctl[datasette]'; .ci/run installs it)",
)
HOSTILE_CASE = Path(__file__).resolve().parent / "hostile" / "html-in-titles-and-sources"
STAMP = "2025-01-01T00:00:00Z"
MEMBERS_SQL = (
    "SELECT partner_id FROM memberships WHERE agreement_id = :agreement "
    "AND joined_by <= :date AND (left_by IS NULL OR left_by > :date) ORDER BY partner_id"
)


def _export(root: Path, target: Path, *args: str) -> dict[str, Any]:
    result = run_cli(
        "export",
        "sqlite",
        str(target),
        "--datasette",
        "--timestamp",
        STAMP,
        "--root",
        str(root),
        *args,
    )
    assert result.exit_code == 0, result.output
    metadata: dict[str, Any] = json.loads(target.with_name("registry.metadata.json").read_text())
    return metadata


def _schema(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return document


def _field(name: str, *keys: str) -> str:
    """The description at `keys` in schema file `name`, following `$ref`s as JSON Schema does
    (a description beside a `$ref` wins)."""
    document, node = name, _schema(name)
    for key in (*keys, None):
        while "$ref" in node:
            target, _, fragment = node["$ref"].partition("#")
            document = target or document
            found: Any = _schema(document)
            for part in filter(None, fragment.split("/")):
                found = found[part]
            node = {**found, **{k: v for k, v in node.items() if k != "$ref"}}
        if key is not None:
            node = node[key]
    description: str = node["description"]
    return description


def _all_descriptions(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for value in node.values():
            yield from _all_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_descriptions(value)


def test_metadata_descriptions_are_the_schema_descriptions(tmp_path: Path) -> None:
    import sqlite3

    from coopctl.datasette import DERIVED_COLUMNS, DERIVED_TABLES

    root = make_registry(tmp_path / "reg", with_real_registry=True)
    database = tmp_path / "out" / "registry.sqlite"
    database.parent.mkdir()
    metadata = _export(root, database)
    tables = metadata["databases"]["registry"]["tables"]
    partner = "partner.schema.json"
    assert tables["partners"]["description"] == _field(partner)
    assert tables["partners"]["columns"]["name"] == _field(partner, "properties", "name")
    events = ("properties", "events", "items")
    assert tables["events"]["description"] == _field("agreement.schema.json", *events)
    date = _field("agreement.schema.json", *events, "properties", "date")
    assert tables["events"]["columns"]["date"] == date
    level = ("properties", "users", "items", "properties", "maturity", "properties", "level")
    maturity = _field("solution.schema.json", *level)
    assert tables["solution_users"]["columns"]["maturity_level"] == maturity
    law = _field("agreement.schema.json", "properties", "legal_basis", "properties", "law")
    assert tables["agreements"]["columns"]["legal_basis_law"] == law
    # every column of the database has a description, each from a schema or, for what the
    # export derives, from coopctl.datasette
    schema_words = {d for n in SCHEMAS.glob("*.json") for d in _all_descriptions(_schema(n.name))}
    derived = set(DERIVED_TABLES.values()) | {
        text for columns in DERIVED_COLUMNS.values() for text in columns.values()
    }
    with sqlite3.connect(database) as connection:
        names = [
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in names:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            described = tables[table]["columns"]
            assert list(described) == columns, table
            assert set(described.values()) <= schema_words | derived, table
            assert tables[table]["description"] in schema_words | derived
    assert "description_html" not in json.dumps(metadata)
    assert tables["partners"]["facets"] == ["state", "type", "legal_form"]
    assert tables["agreements"]["facets"] == ["status", "legal_form", "instrument"]
    assert tables["partners"]["label_column"] == "name"
    assert tables["agreements"]["label_column"] == "title"
    assert tables["partners"]["license"] == "dl-de/by-2-0"
    assert "Statistisches Bundesamt (Destatis)" in tables["partners"]["source"]


def test_metadata_is_reproducible_atomic_and_in_the_run_language(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    first, second = tmp_path / "a" / "registry.sqlite", tmp_path / "b" / "registry.sqlite"
    first.parent.mkdir()
    second.parent.mkdir()
    english = _export(root, first)
    _export(root, second)
    metadata_a = first.with_name("registry.metadata.json").read_bytes()
    assert metadata_a == second.with_name("registry.metadata.json").read_bytes()
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in first.parent.iterdir()) == [
        "registry.metadata.json",
        "registry.sqlite",
    ]  # no temporary file left behind
    german = _export(root, second, "--lang", "de")
    name = english["databases"]["registry"]["tables"]["partners"]["columns"]["name"]
    translated = german["databases"]["registry"]["tables"]["partners"]["columns"]["name"]
    assert translated == catalog("de").gettext(name) != name


def test_datasette_flag_is_for_sqlite_only(tmp_path: Path) -> None:
    result = run_cli("export", "csv", str(tmp_path / "t"), "--datasette", "--root", str(REPO))
    assert result.exit_code == 2
    assert "--datasette applies to sqlite exports only" in result.output
    assert not (tmp_path / "t").exists()


def test_hostile_schema_and_registry_strings_stay_data(tmp_path: Path) -> None:
    root = _hostile_registry(tmp_path)
    metadata = _export(root, tmp_path / "registry.sqlite")
    text = json.dumps(metadata, ensure_ascii=False)
    tables = metadata["databases"]["registry"]["tables"]
    assert tables["partners"]["columns"]["name"].startswith("<script>alert('schema')</script>")
    assert "description_html" not in text
    for registry_string in ("alert('title')", "alert('name')", "alert('source')", "javascript:"):
        assert registry_string not in text  # registry values are rows, never metadata


def _hostile_registry(tmp_path: Path) -> Path:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    shutil.copytree(HOSTILE_CASE / "registry", root / "registry", dirs_exist_ok=True)
    schema = root / "schemas" / "partner.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    name = document["properties"]["name"]
    name["description"] = "<script>alert('schema')</script> " + name["description"]
    schema.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def test_datasette_is_an_extra_not_a_dependency() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("datasette")]
    assert project["optional-dependencies"]["datasette"] == ["datasette>=0.65,<1.0"]
    assert "'.[dev,datasette]'" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_serve_without_datasette_says_how_to_install_it(tmp_path: Path) -> None:
    blocked = (
        "import sys; sys.modules['datasette'] = None; "
        "from coopctl.cli.entry import main; sys.argv[0] = 'coopctl'; main()"
    )
    for lang, words in (
        ("en", "coopctl serve needs Datasette, which is not installed"),
        ("de", "coopctl serve braucht Datasette, das nicht installiert ist"),
    ):
        result = subprocess.run(
            [sys.executable, "-c", blocked, "--lang", lang, "serve", "--root", str(REPO)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert words in result.stderr
        assert "pip install 'coopctl[datasette]'" in result.stderr
        assert "Traceback" not in result.stderr


@contextmanager
def _serving(
    tmp_path: Path, *args: str, stop: signal.Signals = signal.SIGTERM, status: int = 0
) -> Iterator[str]:
    """`coopctl serve` as a real process on a free loopback port, until it answers (or a
    deadline passes); then sent `stop`, which must end it with `status`, and its server and
    temporary export with it."""
    port = free_port()
    log = tmp_path / "serve.log"
    temporary = tmp_path / "tmp"  # where serve puts its export
    temporary.mkdir()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "coopctl", "serve", "--port", str(port), *args],
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "TMPDIR": str(temporary)},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text(errors="replace")
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.1)
        exported = sorted(p.name for p in temporary.glob("coopctl-serve-*/*"))
        assert exported == ["registry.metadata.json", "registry.sqlite"]
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(stop)
        ended = process.wait(timeout=60)
    assert ended == status, log.read_text(errors="replace")
    assert "Traceback" not in log.read_text(errors="replace")
    with socket.socket() as probe:  # the server went with it: nothing listens any more
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert list(temporary.iterdir()) == []  # and its export with it


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        text: str = response.read().decode("utf-8")
        return text


@pytest.mark.slow
@needs_datasette
def test_serve_answers_who_was_a_member_on_a_day(tmp_path: Path) -> None:
    query = {"agreement": "braunschweig-salzgitter-wolfsburg", "date": "2021-01-01"}
    with _serving(tmp_path) as base:
        sql = urllib.parse.urlencode({"sql": MEMBERS_SQL, **query, "_shape": "array"})
        rows = _json(f"{base}/registry.json?{sql}")
        assert [row["partner_id"] for row in rows] == ["braunschweig", "salzgitter", "wolfsburg"]
        canned = _json(
            f"{base}/registry/members_on.json?{urllib.parse.urlencode(query)}&_shape=array"
        )
        assert [(r["partner_id"], r["name"]) for r in canned] == [
            ("braunschweig", "Stadt Braunschweig"),
            ("salzgitter", "Stadt Salzgitter"),
            ("wolfsburg", "Stadt Wolfsburg"),
        ]
        later = {**query, "date": "2021-06-01"}  # Gifhorn acceded in April 2021
        rows = _json(
            f"{base}/registry/members_on.json?{urllib.parse.urlencode(later)}&_shape=array"
        )
        assert "landkreis-gifhorn" in [row["partner_id"] for row in rows]
        index = _json(f"{base}/.json")
        assert index["registry"]["tables_count"] == 13


@pytest.mark.slow
@needs_datasette
def test_serve_stops_on_ctrl_c_with_130(tmp_path: Path) -> None:
    with _serving(tmp_path, stop=signal.SIGINT, status=130) as base:
        assert _json(f"{base}/.json")["registry"]["tables_count"] == 13


@pytest.mark.slow
@needs_datasette
def test_serve_rev_serves_that_revision(tmp_path: Path) -> None:
    repo, root = real_registry_repo(tmp_path)
    edit(root / "registry" / "partners" / "wolfsburg.yaml", "Stadt Wolfsburg", "Volkswagenstadt")
    commit_all(repo, "Rename Wolfsburg")
    (root / "registry" / "partners" / "salzgitter.yaml").unlink()  # not committed
    with _serving(tmp_path, "--root", str(root), "--rev", "HEAD~1") as base:
        rows = _json(f"{base}/registry/partners.json?_shape=array&id__in=wolfsburg,salzgitter")
        meta = _json(f"{base}/registry/meta.json?_shape=array&key=revision")
    assert sorted((r["id"], r["name"]) for r in rows) == [
        ("salzgitter", "Stadt Salzgitter"),
        ("wolfsburg", "Stadt Wolfsburg"),
    ]
    assert meta == [{"key": "revision", "value": "HEAD~1"}]


@pytest.mark.slow
@needs_datasette
def test_serve_on_a_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    for address, host, warned in (("127.0.0.1", "127.0.0.1", False), ("0.0.0.0", "0.0.0.0", True)):
        with socket.socket() as taken:
            taken.bind((address, 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = coopctl_process(REPO, "serve", "--port", str(port), "--host", host)
        assert result.returncode == 2, result.stderr
        assert f"is port {port} in use? choose another with --port" in result.stderr
        warning = f"warning: listening on {host}: everyone who can reach this address"
        assert (warning in result.stderr) is warned, result.stderr


@pytest.mark.slow
@needs_datasette
def test_served_pages_escape_hostile_strings(tmp_path: Path) -> None:
    root = _hostile_registry(tmp_path)
    with _serving(tmp_path, "--root", str(root)) as base:
        pages = {
            table: _page(f"{base}/registry/{table}")
            for table in ("partners", "agreements", "memberships", "sources")
        }
    for table, page in pages.items():
        for marker in ("schema", "name", "title", "short", "source", "publisher", "t", "url"):
            assert not re.search(rf"<(script|svg|img|a|b)[^>]*alert\('{marker}'\)", page), table
        assert "<iframe" not in page, table
        assert not re.search(r"<a\s[^>]*href=\"?\s*javascript:", page, re.I), table
    quote = "(&#39;|&#x27;)"  # the text is shown, as text
    assert re.search(f"&lt;script&gt;alert\\({quote}schema{quote}\\)", pages["partners"])
    assert re.search(f"&lt;script&gt;alert\\({quote}title{quote}\\)", pages["agreements"])


@pytest.mark.slow
@needs_datasette
@needs_chromium
def test_chromium_shows_facets_descriptions_and_labels(tmp_path: Path) -> None:
    partner = "partner.schema.json"
    script = """
        const text = (selector) => [...document.querySelectorAll(selector)]
            .filter((e) => e.getBoundingClientRect().height > 0)
            .map((e) => e.textContent.trim());
        const pairs = [...document.querySelectorAll('dl.column-descriptions dt')]
            .map((dt) => [dt.textContent.trim(), dt.nextElementSibling.textContent.trim()]);
        return {
            facets: [...document.querySelectorAll('.facet-info')]
                .filter((e) => e.getBoundingClientRect().height > 0)
                .map((e) => e.dataset.column),
            description: text('.metadata-description'),
            columns: Object.fromEntries(pairs),
            footer: text('footer'),
            links: text('td.col-partner_id a'),
        };
    """
    with _serving(tmp_path) as base, chromium(tmp_path / "profile") as browser:
        shown = _load(browser, f"{base}/registry/partners", script)
        members = _load(browser, f"{base}/registry/memberships", script)
    assert sorted(shown["facets"]) == ["legal_form", "state", "type"]
    assert shown["description"] == [_field(partner)]
    assert shown["columns"]["name"] == _field(partner, "properties", "name")
    assert shown["columns"]["ars"] == _field(partner, "properties", "ars")
    assert "dl-de/by-2-0" in shown["footer"][0]
    assert sorted(members["facets"]) == ["agreement_id", "role"]
    assert "Stadt Braunschweig" in members["links"]


def _load(browser: Driver, url: str, script: str) -> dict[str, Any]:
    browser("POST", "/url", {"url": url})
    result: dict[str, Any] = browser("POST", "/execute/sync", {"script": script, "args": []})
    return result
