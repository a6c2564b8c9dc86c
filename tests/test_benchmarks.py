"""benchmarks/generate.py and benchmarks/run.py, run as scripts on registries in tmp_path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
COOPCTL = str(Path(sys.executable).parent / "coopctl")
SIZE = ("--partners", "200", "--agreements", "40", "--solutions", "20")

SCALED = (
    "validate",
    "list partners --format json",
    "list solutions --format json",
    "list agreements --format json",
    "show AGREEMENT --format json",
    "report --format json",
    "export sqlite FILE",
    "check --base HEAD~1 (working tree)",
    "check --base HEAD~1 --head HEAD",
    "diff HEAD~1 HEAD",
)
REGISTRIES = ("1.5k", "15k", "60k")
COMMANDS = (
    *(f"coopctl {command}, warm ({registry})" for command in SCALED for registry in REGISTRIES),
    "floor: read all bytes (15k)",
    "floor: PyYAML CSafeLoader parse all (15k)",
    "check-jsonschema, bundled schemas, 3 kinds summed (15k)",
    "coopctl validate --no-cache, beside the peers (15k)",
    "stack: CSafeLoader + jsonschema-rs, 1 worker (15k)",
    "coopctl validate --no-cache --workers 1 (15k)",
    "coopctl validate, warm (bundled)",
    "check-jsonschema, bundled schemas (bundled)",
    "coopctl --help",
    "python -c pass",
)
# A cold run passes --no-cache where the command has it, else runs with an empty cache.
COLD = tuple(
    re.compile(rf"coopctl {re.escape(command)}, cold, (--no-cache|empty cache) \({re.escape(r)}\)")
    for command in SCALED
    for r in REGISTRIES
)
TARGETS = (
    *(f"{command}, {mode}: 60k / 15k" for command in SCALED[:7] for mode in ("warm", "cold")),
    "show AGREEMENT --format json, warm: 60k / 1.5k",
    "check --base HEAD~1 (working tree), warm: 60k / 1.5k",
    "check --base HEAD~1 --head HEAD, warm: 60k / 1.5k",
    "diff HEAD~1 HEAD, warm: 60k / 1.5k",
    "history / git log --follow -p",
    "diff of the long range / git diff --stat",
    "check-jsonschema (bundled) / coopctl cold validate",
    "coopctl cold validate / stack, default workers",
    "coopctl cold validate --workers 1 / stack, 1 worker",
    "1a cold validate / CSafeLoader parse floor",
    "2 warm validate / read-all-bytes floor",
    "4a coopctl --help / python -c pass",
    "4b validate bundled / check-jsonschema bundled",
    *(
        f"peak memory, warm and cold: coopctl {command} ({registry})"
        for command in SCALED
        for registry in ("15k", "60k")
    ),
    "peak memory: coopctl validate --no-cache --workers 1 (15k)",
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
    output, keep = tmp_path / "RESULTS.md", tmp_path / "keep"
    # --prepare makes the repositories in --keep DIR and measures nothing ...
    prepared = run_benchmark("--prepare", "--small", "--scale", "60k", "--keep", str(keep))
    assert prepared.returncode == 0, prepared.stderr
    assert prepared.stderr.count("making ") == 5, prepared.stderr
    kept = sorted(p for p in keep.iterdir() if p.is_dir())
    assert [p.name.split("-")[0] for p in kept] == ["diffrange", "history", "n1.5k", "n15k", "n60k"]
    assert sorted(prepared.stdout.split()) == [str(p) for p in kept]
    assert not output.exists()
    # ... and the measured run uses them instead of generating them anew.
    result = run_benchmark(
        "--small", "--scale", "60k", "--runs", "1", "--keep", str(keep), "--output", str(output),
        "--strict",
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    assert "making " not in result.stderr
    assert result.stderr.count("again") == 5, result.stderr
    for label in (*COMMANDS, *TARGETS):
        assert label in result.stdout, label
    for pattern in COLD:
        assert pattern.search(result.stdout), pattern.pattern
    assert re.search(r"^coopctl history \S+ \(300 commits\)", result.stdout, re.MULTILINE)
    assert re.search(r"^git log --follow -p -- registry/partners/\S+\.yaml", result.stdout, re.M)
    assert "coopctl diff FIRST HEAD (100 commits)" in result.stdout
    assert "git diff --stat FIRST HEAD (100 commits)" in result.stdout
    assert re.search(r"^(all targets met|\d+ targets? missed)", result.stdout, re.MULTILINE)
    assert "not measured" not in result.stdout  # --scale 60k measures every target
    # --strict: exit 1 exactly when a target row says FAIL.
    failed = re.search(r"  FAIL$", result.stdout, re.MULTILINE) is not None
    assert result.returncode == (1 if failed else 0)
    # Each target row: the median and the range of the per-round ratios (one round: equal).
    row = re.search(r"^history / git log --follow -p +(\S+)x +(\S+)-(\S+)x", result.stdout, re.M)
    assert row is not None
    assert row.group(1) == row.group(2) == row.group(3)

    markdown = output.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Versions", "## Registries", "## Figures", "## Targets"):
        assert heading in markdown
    for field in ("- CPU: ", "- logical cores: ", "- memory: ", "- OS: ", "- Python: "):
        assert field in markdown
    assert re.search(r"- compiled bytecode: at the start, \d+ of \d+ modules of coopctl", markdown)
    assert "- jsonschema-rs " in markdown
    assert "| command | median s | min s | max s | peak MB |" in markdown
    assert "| target | median | range | limit | result |" in markdown
    for label in (*COMMANDS, *TARGETS):
        assert f"| {label} |" in markdown, label
    assert "run.py --small --scale 60k --runs 1 --keep" in markdown
    assert "- 1.5k: 130 files (100 partners, 20 agreements, 10 solutions)" in markdown
    assert "- 15k: 390 files (300 partners, 60 agreements, 30 solutions)" in markdown
    assert "- 60k: 780 files (600 partners, 120 agreements, 60 solutions)" in markdown
    assert "- bundled: " in markdown
    assert re.search(r"- history: 300 commits from the 15k registry, 6 of them change ", markdown)
    assert "options `--disable-formats '*'`" in markdown  # coopctl checks no `uri` format

    # The kept repositories: each working tree is as committed again after the run.
    for folder in kept:
        assert git(folder, "status", "--porcelain") == "", folder


def test_targets_of_a_run_without_the_60k_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """At --scale 15k the change targets compare 15k with 1.5k, and the 60k / 15k targets are
    not measured (results.targets, on figures of two rounds)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from measure import Command, Figure, Sample  # type: ignore[import-not-found]
    from results import summary, target_rows, targets  # type: ignore[import-not-found]

    def figure(key: str, *seconds: float) -> Figure:
        command = Command(key, key, (("true",),), BENCHMARKS, {})
        return Figure(command, tuple(Sample(s, 1024) for s in seconds))

    figures = {
        "show_warm@15k": figure("show_warm@15k", 0.6, 1.2),
        "show_warm@1.5k": figure("show_warm@1.5k", 0.5, 0.6),
    }
    rows = {row[0]: row for row in target_rows(targets(figures, ["1.5k", "15k"]))}
    assert rows["show AGREEMENT --format json, warm: 15k / 1.5k"] == (
        "show AGREEMENT --format json, warm: 15k / 1.5k", "1.60x", "1.20-2.00x", "<= 1.5x",
        "FAIL",
    )  # fmt: skip
    assert "show AGREEMENT --format json, warm: 60k / 1.5k" not in rows
    assert rows["report --format json, cold: 60k / 15k"][4] == "not measured (needs --scale 60k)"
    assert rows["check --base HEAD~1 (working tree), warm: 15k / 1.5k"][4].startswith(
        "not measured"
    )
    assert summary(targets(figures, ["1.5k", "15k"])).startswith("1 target missed (")


def test_run_refuses_fewer_than_five_rounds_without_small() -> None:
    result = run_benchmark("--runs", "2")
    assert result.returncode == 2
    assert "--runs must be at least 5" in result.stderr


def test_run_refuses_to_prepare_without_keep() -> None:
    result = run_benchmark("--prepare", "--small")
    assert result.returncode == 2
    assert "--prepare needs --keep DIR" in result.stderr
    assert result.stdout == ""


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


# --- stack_validate.py and diff_repo.py -------------------------------------------------------


def stack(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "stack_validate.py"), str(root), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_stack_finds_no_problem_in_a_valid_registry(tmp_path: Path) -> None:
    generate(tmp_path / "reg")
    for workers in ("1", "2"):
        result = stack(tmp_path / "reg", "--workers", workers)
        assert result.returncode == 0, result.stdout
        assert result.stdout == ""
        assert result.stderr == "0 problems\n"


def test_stack_finds_the_injected_problems_it_can_know(tmp_path: Path) -> None:
    """The stack knows YAML, the schemas and references; the impossible date (D001) and the
    partner in the wrong Land (K001) are coopctl's own checks, which it lacks."""
    root = tmp_path / "reg"
    generate(root, "--invalid", "12")
    expected = json.loads((root / "expected-problems.json").read_text(encoding="utf-8"))
    one, two = stack(root, "--workers", "1"), stack(root, "--workers", "2")
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    lines = [line.split(" ", 2)[:2] for line in one.stdout.splitlines()]
    found = {(path.removesuffix(":"), code) for path, code in lines}
    schema = {"S003": "S001", "S005": "S001"}  # the stack has one code for schema errors
    assert found == {
        (e["path"], schema.get(e["code"], e["code"]))
        for e in expected
        if e["code"] not in ("D001", "K001")
    }
    assert one.stderr == f"{len(found)} problems\n"


def test_stack_checks_ids_and_references(tmp_path: Path) -> None:
    root = tmp_path / "reg"
    generate(root)
    agreement = sorted((root / "registry" / "agreements").glob("*.yaml"))[0]
    copy = agreement.with_name("copied.yaml")
    copy.write_bytes(agreement.read_bytes())  # the same id in a file of another name
    solution = sorted((root / "registry" / "solutions").glob("*.yaml"))[0]
    text = solution.read_text(encoding="utf-8")
    solution.write_text(re.sub(r"(?m)^provider: .*$", "provider: nobody-here", text, count=1))
    result = stack(root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    rel = copy.relative_to(root).as_posix()
    assert any(line.startswith(f"{rel}: I001 ") for line in lines)
    original = agreement.relative_to(root).as_posix()
    twice = [line for line in lines if " I002 " in line]
    assert len(twice) == 1
    assert rel in twice[0]
    assert original in twice[0]
    assert (
        f"{solution.relative_to(root).as_posix()}: R001 /provider: no partner with id 'nobody-here'"
        in lines
    )


def test_diff_repo_changes_each_chosen_file_once(tmp_path: Path) -> None:
    source, out = tmp_path / "reg", tmp_path / "range"
    generate(source)
    subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "diff_repo.py"),
            str(source),
            str(out),
            "--commits",
            "10",
            "--files",
            "14",
        ],
        check=True,
    )
    first = git(out, "rev-list", "--max-parents=0", "HEAD").strip()
    assert git(out, "rev-list", "--count", f"{first}..HEAD").strip() == "10"
    assert git(out, "diff", "--shortstat", first, "HEAD").strip().startswith("14 files changed")
    touched = [
        len(git(out, "diff-tree", "--no-commit-id", "--name-only", "-r", f"HEAD~{n}").split())
        for n in range(10)
    ]
    assert sorted(touched) == [1] * 6 + [2] * 4
    status, report = validate_json(out)
    assert status == 0, report["problems"]
    diff = subprocess.run(
        [COOPCTL, "diff", first, "HEAD", "--format", "json"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 0, diff.stderr
    assert "Benchmark change" in diff.stdout
