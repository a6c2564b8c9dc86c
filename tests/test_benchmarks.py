"""benchmarks/generate.py and benchmarks/run.py, run as scripts on registries in tmp_path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
COOPCTL = str(Path(sys.executable).parent / "coopctl")
SIZE = ("--partners", "200", "--agreements", "40", "--solutions", "20")

COMMANDS = (
    "coopctl validate --no-cache (national)",
    "coopctl validate, cache warm (national)",
    "coopctl validate --no-cache --workers 1 (national)",
    "check-jsonschema, 3 kinds summed (national)",
    "floor: read all bytes (national)",
    "floor: PyYAML CSafeLoader parse all (national)",
    "coopctl diff HEAD~1 HEAD (national)",
    "coopctl check --base HEAD~1 (national)",
    "coopctl validate, cache warm (bundled)",
    "check-jsonschema, 3 kinds summed (bundled)",
    "coopctl diff HEAD~1 HEAD (bundled)",
    "coopctl check --base HEAD~1 (bundled)",
    "coopctl --help",
    "python -c pass",
)
TARGETS = (
    "1a cold validate / CSafeLoader parse floor",
    "1b check-jsonschema / cold validate",
    "1c check-jsonschema / validate --workers 1",
    "2 warm validate / read-all-bytes floor",
    "3a diff national / diff bundled",
    "3b check national / check bundled",
    "4a coopctl --help / python -c pass",
    "4b validate bundled / check-jsonschema bundled",
    "5a peak memory, cold validate (national)",
    "5b peak memory, warm validate (national)",
    "5c peak memory, validate --workers 1 (national)",
)


def generate(out: Path, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "generate.py"), str(out), *SIZE, *extra],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def validate_json(root: Path) -> tuple[int, dict[str, Any]]:
    result = subprocess.run(
        [COOPCTL, "validate", "--no-cache", "--format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, json.loads(result.stdout)


def files_of(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


# --- generate.py ------------------------------------------------------------------------------


def test_generated_registry_is_valid(tmp_path: Path) -> None:
    generate(tmp_path / "reg")
    status, report = validate_json(tmp_path / "reg")
    assert status == 0
    assert report["problems"] == []
    assert report["summary"]["by_kind"] == {"partner": 200, "agreement": 40, "solution": 20}
    assert report["summary"]["files"] == 260


def test_same_seed_gives_the_same_files_and_commits(tmp_path: Path) -> None:
    generate(tmp_path / "a", "--seed", "7")
    generate(tmp_path / "b", "--seed", "7")
    generate(tmp_path / "c", "--seed", "8")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    commits = [git(tmp_path / name, "rev-parse", "HEAD~1", "HEAD") for name in "abc"]
    assert commits[0] == commits[1]
    assert len(commits[0].split()) == 2
    assert commits[2] != commits[0]


def test_second_commit_changes_exactly_one_file(tmp_path: Path) -> None:
    printed = generate(tmp_path / "reg")
    root = tmp_path / "reg"
    assert git(root, "rev-list", "--count", "HEAD").strip() == "2"
    changed = git(root, "diff", "--name-only", "HEAD~1", "HEAD").split()
    assert len(changed) == 1
    assert changed[0].startswith("registry/agreements/")
    assert printed.rstrip().endswith(f"second commit: {changed[0]}")
    assert git(root, "status", "--porcelain") == ""


def test_partners_have_unique_ars_and_known_types(tmp_path: Path) -> None:
    generate(tmp_path / "reg")
    schema = json.loads((SCHEMAS / "partner.schema.json").read_text(encoding="utf-8"))
    types = set(schema["properties"]["type"]["enum"])
    loader = YAML(typ="safe")
    partners = [
        loader.load(p.read_text(encoding="utf-8"))
        for p in sorted((tmp_path / "reg" / "registry" / "partners").glob("*.yaml"))
    ]
    assert len(partners) == 200
    ars = [p["ars"] for p in partners]
    assert all(re.fullmatch(r"[0-9]{12}", a) for a in ars)
    assert len(set(ars)) == len(ars)
    assert {p["type"] for p in partners} <= types
    assert len({p["id"] for p in partners}) == 200


def referring_files(root: Path, partner_id: str) -> set[str]:
    """Files that name the partner in an agreement's parties, a user or a provider."""
    pattern = re.compile(
        rf"^\s*(?:- |- partner: |provider: ){re.escape(partner_id)}$", re.MULTILINE
    )
    return {
        p.relative_to(root).as_posix()
        for p in (root / "registry").glob("*/*.yaml")
        if p.stem != partner_id and pattern.search(p.read_text(encoding="utf-8"))
    }


def test_injected_problems_are_reported_exactly(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    generate(root, "--invalid", "12")
    expected = json.loads((root / "expected-problems.json").read_text(encoding="utf-8"))
    assert len(expected) == 12
    assert len({e["path"] for e in expected}) == 12
    codes = sorted(e["code"] for e in expected)
    assert codes == sorted(["R001", "S003", "S005", "D001", "K001", "Y001"] * 2)

    status, report = validate_json(root)
    assert status == 1
    errors = {(p["path"], p["code"]) for p in report["problems"] if p["severity"] == "error"}
    warnings = {(p["path"], p["code"]) for p in report["problems"] if p["severity"] == "warning"}

    # A partner file that is not YAML loads as nothing: its own Y001 is the only error of
    # that file, and every file that names the partner gets a warning naming it (R002).
    unreadable = [Path(e["path"]) for e in expected if e["code"] == "Y001"]
    consequences = {(path, "R002") for p in unreadable for path in referring_files(root, p.stem)}
    assert consequences  # the seed makes other files name the unreadable partners
    assert errors == {(e["path"], e["code"]) for e in expected}
    assert warnings == consequences
    for path in unreadable:
        assert [p["code"] for p in report["problems"] if p["path"] == path.as_posix()] == ["Y001"]


# --- run.py -----------------------------------------------------------------------------------


def run_benchmark(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_run_small_end_to_end(tmp_path: Path) -> None:
    output = tmp_path / "RESULTS.md"
    result = run_benchmark("--small", "--runs", "1", "--output", str(output))
    assert result.returncode == 0, result.stderr
    for label in (*COMMANDS, *TARGETS):
        assert label in result.stdout
    assert re.search(r"^(all targets met|\d+ targets? missed)", result.stdout, re.MULTILINE)

    markdown = output.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Versions", "## Registries", "## Figures", "## Targets"):
        assert heading in markdown
    for field in ("- CPU: ", "- logical cores: ", "- memory: ", "- OS: ", "- Python: "):
        assert field in markdown
    assert "| command | median s | min s | max s | peak MB |" in markdown
    assert "| target | measured | limit | result |" in markdown
    for label in (*COMMANDS, *TARGETS):
        assert f"| {label} |" in markdown
    assert "run.py --small --runs 1 --output" in markdown
    assert "- national: 390 files (300 partners, 60 agreements, 30 solutions)" in markdown
    assert "- bundled: " in markdown


def test_run_refuses_fewer_than_five_rounds_without_small() -> None:
    result = run_benchmark("--runs", "2")
    assert result.returncode == 2
    assert "--runs must be at least 5" in result.stderr


def test_run_aborts_when_a_command_fails(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    generate(root, "--invalid", "3")
    output = tmp_path / "RESULTS.md"
    result = run_benchmark(
        "--registry", str(root), "--small", "--runs", "1", "--output", str(output)
    )
    assert result.returncode == 2
    assert "benchmark aborted" in result.stderr
    assert "coopctl validate" in result.stderr
    assert "exited with status 1" in result.stderr
    assert "error[R001]" in result.stderr  # the tail of what validate printed
    assert result.stdout == ""
    assert not output.exists()
