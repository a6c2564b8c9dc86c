"""Validation at scale: the result cache, worker processes and the fast paths change how
fast an answer comes, never the answer.

A registry of about 1,100 files is generated from the Gemeindeverzeichnis with twelve known
problems (benchmarks/generate.py), big enough for a pool of worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coopctl.cache import JOURNAL_SHARE, FactCache
from coopctl.validation import ValidateOptions, validate
from tests.helpers import REPO, bundled_counts, make_registry, run_cli

GENERATE = REPO / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated") / "registry"
    subprocess.run(
        [
            sys.executable,
            str(GENERATE),
            str(root),
            "--partners",
            "900",
            "--agreements",
            "150",
            "--solutions",
            "60",
            "--invalid",
            "12",
        ],
        check=True,
        capture_output=True,
    )
    return root


def coopctl(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process (worker pools fork the process they run in)."""
    return subprocess.run(
        [sys.executable, "-m", "coopctl", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def problems_of(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert result.returncode == 1, result.stderr
    problems: list[dict[str, object]] = json.loads(result.stdout)["problems"]
    return problems


def test_every_way_of_validating_gives_the_same_problems(generated: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    expected = json.loads((generated / "expected-problems.json").read_text())
    one = coopctl(generated, "validate", "-f", "json", "--no-cache", "-j1", "--stats")
    assert "examined in 1 process;" in one.stderr
    two = coopctl(generated, "validate", "-f", "json", "--no-cache", "-j2", "--stats")
    assert "0 from the cache, 1110 examined in 2 processes" in two.stderr
    cold = coopctl(generated, "validate", "-f", "json", "--stats", COOPCTL_CACHE_DIR=cache)
    assert "0 from the cache" in cold.stderr
    warm = coopctl(generated, "validate", "-f", "json", "--stats", COOPCTL_CACHE_DIR=cache)
    assert "the outcome of a recent run" in warm.stderr
    reference = coopctl(
        generated, "validate", "-f", "json", "--no-cache", "-j2", COOPCTL_REFERENCE_ONLY="1"
    )
    found = problems_of(one)
    for other in (two, cold, warm, reference):
        assert problems_of(other) == found
    errors = {(p["path"], p["code"]) for p in found if p["severity"] == "error"}
    injected = {(e["path"], e["code"]) for e in expected}
    assert injected <= errors
    # a reference to the entity of a file that no longer parses names that file (R002)
    unreadable = {path for path, code in injected if code.startswith("Y")}
    for problem in found:
        if (problem["path"], problem["code"]) not in injected:
            assert problem["code"] == "R002"
            message = str(problem["message"])
            assert any(f"'{Path(path).stem}' is in {path}" in message for path in unreadable)


def test_an_edit_examines_only_the_edited_file(generated: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    coopctl(generated, "validate", COOPCTL_CACHE_DIR=cache)
    partner = sorted((generated / "registry" / "partners").glob("*.yaml"))[3]
    original = partner.read_bytes()
    try:
        partner.write_bytes(original.replace(b"\nstate: DE-", b"\nstate: DE-X", 1))
        edited = coopctl(generated, "validate", "-f", "json", "--stats", COOPCTL_CACHE_DIR=cache)
        assert "1109 from the cache, 1 examined in 1 process" in edited.stderr
        relative = partner.relative_to(generated).as_posix()
        assert (relative, "S005") in {(p["path"], p["code"]) for p in problems_of(edited)}
        uncached = coopctl(generated, "validate", "-f", "json", "--no-cache")
        assert problems_of(edited) == problems_of(uncached)
    finally:
        partner.write_bytes(original)


def test_check_reads_revisions_through_the_cache(generated: Path, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    args = ("check", "--base", "HEAD~1", "--head", "HEAD", "-f", "json", "--stats")
    first = coopctl(generated, *args, COOPCTL_CACHE_DIR=cache)
    # the two revisions share all files but one: the second is examined one file at a time
    shared = "head: 1110 files: 0 from the cache, 1109 examined earlier in this run, 1 examined"
    assert shared in first.stderr, first.stderr
    again = coopctl(generated, *args, COOPCTL_CACHE_DIR=cache)
    assert again.stderr.count("the outcome of a recent run") == 2
    uncached = coopctl(generated, *args[:-1], "--no-cache")
    assert json.loads(again.stdout) == json.loads(first.stdout) == json.loads(uncached.stdout)


def test_without_the_cache_check_examines_a_shared_file_once(
    generated: Path, tmp_path: Path
) -> None:
    """`--no-cache`: nothing read from or written to the cache folder, yet the files the base
    and the head share are examined once (the run remembers their facts in memory)."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    for head in (("--head", "HEAD"), ()):
        args = ("check", "--base", "HEAD~1", *head, "-f", "json")
        uncached = coopctl(generated, *args, "--no-cache", "--stats", COOPCTL_CACHE_DIR=str(cache))
        # what the base examined is not said to come from a cache the run did not use
        shared = "head: 1110 files: 0 from the cache, 1109 examined earlier in this run, 1 examined"
        assert shared in uncached.stderr, uncached.stderr
        assert "base: 1110 files: 0 from the cache, 1110 examined" in uncached.stderr
        assert list(cache.iterdir()) == []
        cached = coopctl(generated, *args, COOPCTL_CACHE_DIR=str(tmp_path / "other"))
        assert json.loads(uncached.stdout) == json.loads(cached.stdout)


def test_the_cache_lives_outside_the_registry(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    cache = tmp_path / "cache"
    assert run_cli("validate", "--root", str(root), env={"COOPCTL_CACHE_DIR": str(cache)})
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert sorted(p.name[:5] for p in cache.iterdir()) == ["facts", "runs-"]
    none = tmp_path / "unused"
    result = run_cli(
        "validate", "--root", str(root), "--no-cache", env={"COOPCTL_CACHE_DIR": str(none)}
    )
    assert result.exit_code == 0
    assert not none.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[1, 2]", b'{"format": 1, "entries": {"x": [1]}}', b"\xff\xfe"],
    ids=["empty", "text", "list", "wrong-shapes", "binary"],
)
def test_a_damaged_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    root = make_registry(
        tmp_path / "reg",
        {"registry/partners/x.yaml": "kind: partner\nid: x\nname: 5\ntype: other\n"},
        with_real_registry=True,
    )
    cache = tmp_path / "cache"
    env = {"COOPCTL_CACHE_DIR": str(cache)}
    first = run_cli("validate", "--root", str(root), "-f", "json", env=env)
    for file in cache.iterdir():
        file.write_bytes(content)
    again = run_cli("validate", "--root", str(root), "-f", "json", env=env)
    assert again.exit_code == first.exit_code == 1
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_entries_with_wrong_types_are_misses(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    cache = tmp_path / "cache"
    env = {"COOPCTL_CACHE_DIR": str(cache)}
    run_cli("validate", "--root", str(root), env=env)
    (facts,) = cache.glob("facts-*.json")
    document = json.loads(facts.read_text())
    for entry in document["entries"].values():
        entry[3] = 42  # the declared id, which must be text
    facts.write_text(json.dumps(document))
    for runs in cache.glob("runs-*.json"):
        runs.unlink()
    result = run_cli("validate", "--root", str(root), "--stats", env=env)
    assert result.exit_code == 0
    files = sum(bundled_counts().values())
    assert f"0 from the cache, {files} examined" in result.stderr


def test_an_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    result = run_cli("validate", "--root", str(root), env={"COOPCTL_CACHE_DIR": str(blocker / "c")})
    assert result.exit_code == 0
    assert result.stderr == ""


def test_a_date_that_was_ahead_is_checked_again_the_next_day(tmp_path: Path) -> None:
    """Cached facts hold for the day they were made, unless no date in the file could lie
    ahead then or now: a date that was in the future yesterday is fine today."""
    root = make_registry(
        tmp_path / "reg",
        {
            "registry/partners/x.yaml": "kind: partner\nid: x\nname: X\ntype: other\n"
            "sources:\n  - url: https://example.org\n    published: '2030-01-02'\n"
        },
    )
    os.environ["COOPCTL_CACHE_DIR"] = str(tmp_path / "cache")
    try:
        before = validate(root, ValidateOptions(today=date(2030, 1, 1)))
        after = validate(root, ValidateOptions(today=date(2030, 1, 2)))
        still = validate(root, ValidateOptions(today=date(2030, 1, 3)))
    finally:
        del os.environ["COOPCTL_CACHE_DIR"]
    assert [p.code for p in before.problems] == ["D002"]
    assert [p.code for p in after.problems] == [] == [p.code for p in still.problems]


def test_cache_keys_name_the_blob_kind_and_file(tmp_path: Path) -> None:
    cache = FactCache(tmp_path, "digest", date(2026, 1, 1), enabled=False)
    assert not cache.enabled
    assert cache.run_key([("a", "1")], []) != cache.run_key([("a", "2")], [])


def test_a_small_change_writes_only_its_own_facts(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    cache = tmp_path / "cache"
    env = {"COOPCTL_CACHE_DIR": str(cache)}

    def run(*edited: str) -> str:
        for name in edited:
            path = root / "registry/partners" / name
            path.write_text(path.read_text() + f"# edited {len(edited)}\n")
        for runs in cache.glob("runs-*.json"):
            runs.unlink()
        result = run_cli("validate", "--root", str(root), "--stats", env=env)
        assert result.exit_code == 0, result.output
        return result.stderr

    run()
    (whole,) = cache.glob("facts-*.json")
    before = whole.read_bytes()
    others = sum(bundled_counts().values()) - 1
    assert f"{others} from the cache, 1 examined" in run("augsburg.yaml")
    assert whole.read_bytes() == before  # only the new facts are written, beside the file
    (added,) = cache.glob("added-*.json")
    assert len(json.loads(added.read_bytes())["entries"]) == 1
    assert f"{others + 1} from the cache, 0 examined" in run()  # read back from both files
    added.write_bytes(b"not json")
    assert f"{others} from the cache, 1 examined" in run()  # a damaged file is a miss
    # well over the share of the entries that the side file takes (an eighth)
    count = 2 * (others + 1) // JOURNAL_SHARE + 1
    many = sorted(p.name for p in (root / "registry/partners").glob("*.yaml"))[:count]
    assert f"{others + 1 - count} from the cache, {count} examined" in run(*many)
    assert whole.read_bytes() != before  # too many for the side file: the whole set again
    assert json.loads(added.read_bytes())["entries"] == {}
    assert f"{others + 1} from the cache, 0 examined" in run()
