"""Measure coopctl against peer tools and floors, in one run, and write RESULTS.md.

Every command runs as a fresh process, and the commands take turns: each round runs every
command once, so that a slow spell of the machine touches them all alike. For each command the
table gives the median, least and greatest wall time over the rounds and the peak resident
memory (ru_maxrss from os.wait4). The targets are ratios between figures of the same run.

    python benchmarks/run.py                         # national registry, 5 rounds
    python benchmarks/run.py --registry /tmp/national --runs 7
    python benchmarks/run.py --small --runs 1        # a quick look; writes no RESULTS.md

Without --registry the national registry is generated into a temporary folder with
benchmarks/generate.py. A git copy of the registry bundled with this repository, with one
file changed in a second commit, is the small registry the national one is compared with.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
BIN = Path(sys.executable).parent
COOPCTL = str(BIN / "coopctl")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")
DIFF = (COOPCTL, "diff", "HEAD~1", "HEAD")
CHECK = (COOPCTL, "check", "--base", "HEAD~1", "--head", "HEAD")
KINDS = ("partner", "agreement", "solution")
SMALL = ("--partners", "300", "--agreements", "60", "--solutions", "30")
MIN_RUNS = 5
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "coopctl benchmark",
    "GIT_AUTHOR_EMAIL": "benchmark@example.org",
    "GIT_COMMITTER_NAME": "coopctl benchmark",
    "GIT_COMMITTER_EMAIL": "benchmark@example.org",
    "GIT_AUTHOR_DATE": "2026-01-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T12:00:00Z",
}
BENCHMARK_NOTE = "notes: Benchmark edit.\n"

READ_ALL = """\
import pathlib

size = 0
for path in sorted(pathlib.Path("registry").glob("**/*.yaml")):
    size += len(path.read_bytes())
"""

# Starts one command and waits for it. Linux counts the resident pages of the process a
# command was started from in the command's ru_maxrss, so the commands are started from this
# small process (the size of a bare Python) rather than from run.py, which is larger.
PROBE = """\
import os
import sys
import time

result, *argv = sys.argv[1:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w", encoding="utf-8") as out:
    out.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\\n")
"""

PARSE_ALL = """\
import pathlib

import yaml

for path in sorted(pathlib.Path("registry").glob("**/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


Invocations = tuple[tuple[str, ...], ...]


class BenchmarkError(Exception):
    """A step failed; the run stops without reporting figures."""


@dataclass(frozen=True)
class Command:
    """One measured command: one or more invocations whose times add up to a round's figure
    (check-jsonschema needs one per kind) and whose peak memory is the greatest of them."""

    key: str
    label: str
    invocations: Invocations
    cwd: Path
    env: Mapping[str, str]


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kib: int


@dataclass(frozen=True)
class Figure:
    """The samples of one command over all rounds."""

    command: Command
    samples: tuple[Sample, ...]

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def fastest(self) -> float:
        return min(s.seconds for s in self.samples)

    @property
    def slowest(self) -> float:
        return max(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.peak_kib for s in self.samples) / 1024


@dataclass(frozen=True)
class Target:
    label: str
    value: float
    limit: float
    at_most: bool  # the value must be <= limit; else >= limit
    unit: str  # "x" for ratios, "MB" for memory

    @property
    def met(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def measured(self) -> str:
        return f"{self.value:.2f} MB" if self.unit == "MB" else f"{self.value:.2f}x"

    def bound(self) -> str:
        sign = "<=" if self.at_most else ">="
        return f"{sign} {self.limit:g} MB" if self.unit == "MB" else f"{sign} {self.limit:g}x"


@dataclass(frozen=True)
class RegistrySize:
    files: dict[str, int]  # by kind
    total_bytes: int


@dataclass(frozen=True)
class Report:
    figures: list[Figure]
    targets: list[Target]
    sizes: dict[str, RegistrySize]
    changed: dict[str, str]  # the file the second commit changes, by registry
    rounds: int


# --- running a process ------------------------------------------------------------------------


def run_once(argv: Sequence[str], cwd: Path, env: Mapping[str, str], scratch: Path) -> Sample:
    """Run argv to the end, through the probe; its wall time and peak RSS. Raises
    BenchmarkError, with the tail of its output, when it exits non-zero."""
    out_path, err_path = scratch / "stdout.txt", scratch / "stderr.txt"
    result_path = scratch / "result.txt"
    result_path.unlink(missing_ok=True)
    probe = [sys.executable, "-I", "-S", str(scratch / "probe.py"), str(result_path)]
    with out_path.open("wb") as out, err_path.open("wb") as err:
        subprocess.run(
            [*probe, *argv],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            check=False,
        )
    status = "could not be started"
    if result_path.exists():
        seconds, peak_kib, exit_status = result_path.read_text(encoding="utf-8").split()
        if exit_status == "0":
            return Sample(float(seconds), int(peak_kib))
        status = f"exited with status {exit_status}"
    raise BenchmarkError(
        f"`{shlex.join(argv)}` in {cwd} {status}\n"
        f"--- stdout (tail) ---\n{tail(out_path)}\n--- stderr (tail) ---\n{tail(err_path)}"
    )


def tail(path: Path, lines: int = 20) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


def measure(command: Command, scratch: Path) -> Sample:
    samples = [run_once(argv, command.cwd, command.env, scratch) for argv in command.invocations]
    return Sample(sum(s.seconds for s in samples), max(s.peak_kib for s in samples))


def run_rounds(commands: Sequence[Command], rounds: int, scratch: Path) -> list[Figure]:
    """Each round runs every command once, in turn."""
    samples: dict[str, list[Sample]] = {c.key: [] for c in commands}
    for number in range(1, rounds + 1):
        started = time.perf_counter()
        for command in commands:
            samples[command.key].append(measure(command, scratch))
        progress(f"round {number}/{rounds} took {time.perf_counter() - started:.1f} s")
    return [Figure(c, tuple(samples[c.key])) for c in commands]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **COMMIT_ENV}
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchmarkError(f"git {' '.join(args)} in {root} failed:\n{result.stderr.strip()}")
    return result.stdout.strip()


# --- the registries ---------------------------------------------------------------------------


def generate_national(target: Path, small: bool) -> None:
    progress(f"generating the {'small' if small else 'national'} registry in {target}")
    argv = [sys.executable, str(BENCHMARKS / "generate.py"), str(target), *(SMALL if small else ())]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchmarkError(f"generate.py failed:\n{result.stderr.strip()}")


def check_registry(root: Path) -> None:
    if not (root / "registry").is_dir() or not (root / "schemas").is_dir():
        raise BenchmarkError(f"{root}: not a registry (it needs registry/ and schemas/)")
    try:
        git(root, "rev-parse", "--verify", "HEAD~1")
    except BenchmarkError as error:
        raise BenchmarkError(
            f"{root}: diff and check need a git repository with at least two commits"
        ) from error


def make_bundled(target: Path) -> Path:
    """A git copy of the repository's own registry: a first commit, then a second that changes
    exactly one file. Returns the changed file."""
    shutil.copytree(REPO / "registry", target / "registry")
    shutil.copytree(REPO / "schemas", target / "schemas")
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "Bundled registry")
    changed = add_note(target)
    git(target, "commit", "-q", "-am", f"Benchmark edit of {changed.relative_to(target)}")
    return changed


def add_note(root: Path) -> Path:
    """Give the first entity file that has no notes a line of notes."""
    for path in sorted((root / "registry").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^notes:", text, re.MULTILINE):
            path.write_text(text.rstrip("\n") + "\n" + BENCHMARK_NOTE, encoding="utf-8")
            return path
    raise BenchmarkError(f"{root}: every entity file has notes; no file to make the edit in")


def changed_file(root: Path) -> str:
    """The files the last commit changes, as git names them."""
    return ", ".join(git(root, "diff", "--name-only", "HEAD~1", "HEAD").splitlines())


def registry_files(root: Path, kind: str) -> list[str]:
    """The entity files of one kind, relative to the root, sorted."""
    folder = root / "registry" / f"{kind}s"
    return sorted(str(p.relative_to(root)) for p in folder.glob("*.yaml"))


def registry_size(root: Path) -> RegistrySize:
    files = {kind: len(registry_files(root, kind)) for kind in KINDS}
    total = sum(p.stat().st_size for p in (root / "registry").glob("**/*.yaml"))
    return RegistrySize(files, total)


# --- the commands -----------------------------------------------------------------------------


def coopctl_env(cache: Path) -> dict[str, str]:
    """The environment for coopctl: its cache in a folder of this run, and nothing that would
    make it look for another registry or print for GitHub Actions."""
    env = {k: v for k, v in os.environ.items() if k not in ("COOPCTL_ROOT", "GITHUB_ACTIONS")}
    env["COOPCTL_CACHE_DIR"] = str(cache)
    return env


def check_jsonschema(root: Path) -> Invocations:
    """One invocation per kind: its schema and its files, listed explicitly."""
    return tuple(
        (
            CHECK_JSONSCHEMA,
            "--schemafile",
            f"schemas/{kind}.schema.json",
            *registry_files(root, kind),
        )
        for kind in KINDS
    )


def workers_flag(workers: int | None) -> tuple[str, ...]:
    return () if workers is None else ("--workers", str(workers))


def national_commands(
    root: Path, env: Mapping[str, str], scripts: Path, workers: int | None
) -> list[Command]:
    jobs = workers_flag(workers)
    shown = f" {shlex.join(jobs)}" if jobs else ""
    python = sys.executable
    table: list[tuple[str, str, Invocations]] = [
        (
            "validate_cold",
            f"coopctl validate --no-cache{shown} (national)",
            ((COOPCTL, "validate", "--no-cache", *jobs),),
        ),
        (
            "validate_warm",
            f"coopctl validate{shown}, cache warm (national)",
            ((COOPCTL, "validate", *jobs),),
        ),
        (
            "validate_one",
            "coopctl validate --no-cache --workers 1 (national)",
            ((COOPCTL, "validate", "--no-cache", "--workers", "1"),),
        ),
        ("cjs_national", "check-jsonschema, 3 kinds summed (national)", check_jsonschema(root)),
        (
            "read_floor",
            "floor: read all bytes (national)",
            ((python, str(scripts / "read_all.py")),),
        ),
        (
            "parse_floor",
            "floor: PyYAML CSafeLoader parse all (national)",
            ((python, str(scripts / "parse_all.py")),),
        ),
        ("diff_national", "coopctl diff HEAD~1 HEAD (national)", (DIFF,)),
        ("check_national", "coopctl check --base HEAD~1 (national)", (CHECK,)),
    ]
    return [Command(key, label, invocations, root, env) for key, label, invocations in table]


def bundled_commands(root: Path, env: Mapping[str, str], workers: int | None) -> list[Command]:
    jobs = workers_flag(workers)
    shown = f" {shlex.join(jobs)}" if jobs else ""
    table: list[tuple[str, str, Invocations]] = [
        (
            "validate_bundled",
            f"coopctl validate{shown}, cache warm (bundled)",
            ((COOPCTL, "validate", *jobs),),
        ),
        ("cjs_bundled", "check-jsonschema, 3 kinds summed (bundled)", check_jsonschema(root)),
        ("diff_bundled", "coopctl diff HEAD~1 HEAD (bundled)", (DIFF,)),
        ("check_bundled", "coopctl check --base HEAD~1 (bundled)", (CHECK,)),
    ]
    return [Command(key, label, invocations, root, env) for key, label, invocations in table]


def general_commands(cwd: Path) -> list[Command]:
    env = dict(os.environ)
    return [
        Command("help", "coopctl --help", ((COOPCTL, "--help"),), cwd, env),
        Command("python", "python -c pass", ((sys.executable, "-c", "pass"),), cwd, env),
    ]


def prime(root: Path, env: Mapping[str, str], workers: int | None, scratch: Path) -> None:
    """One `coopctl validate` before the rounds, so that the cache is warm; it also shows that
    the registry is valid."""
    run_once((COOPCTL, "validate", *workers_flag(workers)), root, env, scratch)


# --- the targets ------------------------------------------------------------------------------


def targets(figures: Mapping[str, Figure]) -> list[Target]:
    def t(key: str) -> float:
        return figures[key].median

    def ratio(label: str, top: str, bottom: str, limit: float, at_most: bool = True) -> Target:
        return Target(label, t(top) / t(bottom), limit, at_most, "x")

    def memory(label: str, key: str) -> Target:
        return Target(label, figures[key].peak_mb, 150, True, "MB")

    return [
        ratio("1a cold validate / CSafeLoader parse floor", "validate_cold", "parse_floor", 0.9),
        ratio("1b check-jsonschema / cold validate", "cjs_national", "validate_cold", 6, False),
        ratio(
            "1c check-jsonschema / validate --workers 1", "cjs_national", "validate_one", 4, False
        ),
        ratio("2 warm validate / read-all-bytes floor", "validate_warm", "read_floor", 3),
        ratio("3a diff national / diff bundled", "diff_national", "diff_bundled", 1.5),
        ratio("3b check national / check bundled", "check_national", "check_bundled", 1.5),
        ratio("4a coopctl --help / python -c pass", "help", "python", 8),
        ratio(
            "4b validate bundled / check-jsonschema bundled",
            "validate_bundled",
            "cjs_bundled",
            0.25,
        ),
        memory("5a peak memory, cold validate (national)", "validate_cold"),
        memory("5b peak memory, warm validate (national)", "validate_warm"),
        memory("5c peak memory, validate --workers 1 (national)", "validate_one"),
    ]


# --- reporting --------------------------------------------------------------------------------

FIGURE_HEADER = ("command", "median s", "min s", "max s", "peak MB")
TARGET_HEADER = ("target", "measured", "limit", "result")


def figure_rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            f.command.label,
            f"{f.median:.3f}",
            f"{f.fastest:.3f}",
            f"{f.slowest:.3f}",
            f"{f.peak_mb:.1f}",
        )
        for f in figures
    ]


def target_rows(checked: Sequence[Target]) -> list[tuple[str, ...]]:
    return [(t.label, t.measured(), t.bound(), "PASS" if t.met else "FAIL") for t in checked]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"

    rule = "| --- |" + " ---: |" * (len(header) - 1)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def rounds(count: int) -> str:
    return f"{count} round{'s' if count != 1 else ''}"


def summary(checked: Sequence[Target]) -> str:
    missed = sum(not t.met for t in checked)
    if not missed:
        return "all targets met"
    return f"{missed} target{'s' if missed != 1 else ''} missed"


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith(("model name", "Model", "cpu model")):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    match = re.search(r"^MemTotal:\s+(\d+) kB", text, re.MULTILINE)
    return f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "unknown"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def coopctl_version() -> str:
    result = subprocess.run([COOPCTL, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or result.stderr.strip()


def repo_commit() -> str:
    """The commit of this repository, and whether the working tree differs from it. Read-only:
    GIT_OPTIONAL_LOCKS=0 keeps `git status` from rewriting the index."""
    head = read_git("rev-parse", "HEAD")
    if head is None:
        return "unknown (not a git checkout)"
    # The results file itself does not count: it is rewritten by every run.
    status = read_git("status", "--porcelain", "--", ".", ":(exclude)benchmarks/RESULTS.md")
    changed = " (with uncommitted changes)" if status else ""
    return head + changed


def read_git(*args: str) -> str | None:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    result = subprocess.run(
        ["git", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 else None


def size_line(name: str, size: RegistrySize, changed: str) -> str:
    counts = ", ".join(f"{size.files[k]:,} {k}s" for k in KINDS)
    total = sum(size.files.values())
    return (
        f"- {name}: {total:,} files ({counts}), {size.total_bytes:,} bytes; HEAD changes {changed}"
    )


def results_markdown(report: Report, seconds: float) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = [
        f"- CPU: {cpu_model()}",
        f"- logical cores: {os.cpu_count()}",
        f"- memory: {memory_total()}",
        f"- OS: {platform.platform()}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
    ]
    versions = [
        f"- {coopctl_version()}",
        f"- check-jsonschema {package_version('check-jsonschema')}",
        f"- PyYAML {package_version('PyYAML')}",
        f"- ruamel.yaml {package_version('ruamel.yaml')}",
        f"- jsonschema {package_version('jsonschema')}",
        f"- repository commit {repo_commit()}",
    ]
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"Date: {now}",
            "",
            "Produced by:",
            "",
            "```",
            shlex.join(sys.orig_argv),
            "```",
            "",
            f"{rounds(report.rounds)}; each command ran once per round, in turn, as a fresh "
            f"process; the whole run took {seconds:.0f} s. "
            "Times are wall-clock seconds; peak MB is the largest resident set of the command "
            "or of any child it waited for (ru_maxrss), in MiB. See README.md for what each "
            "figure means.",
            "",
            "## Machine",
            "",
            *machine,
            "",
            "## Versions",
            "",
            *versions,
            "",
            "## Registries",
            "",
            *(size_line(name, size, report.changed[name]) for name, size in report.sizes.items()),
            "",
            "## Figures",
            "",
            markdown_table(FIGURE_HEADER, figure_rows(report.figures)),
            "",
            "## Targets",
            "",
            markdown_table(TARGET_HEADER, target_rows(report.targets)),
            "",
            f"Summary: {summary(report.targets)}.",
            "",
        ]
    )


# --- the run ----------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--registry", type=Path, help="a registry in git with 2+ commits (default: generate one)"
    )
    parser.add_argument(
        "--runs", type=int, help=f"rounds (default {MIN_RUNS}, at least {MIN_RUNS}; 2 with --small)"
    )
    parser.add_argument(
        "--small", action="store_true", help="a small generated registry; fewer rounds allowed"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the results (default benchmarks/RESULTS.md; none with --small)",
    )
    parser.add_argument(
        "--workers", type=int, help="pass --workers N to the validate runs that use the default"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 2 if args.small else MIN_RUNS
    if args.runs < 1 or (args.runs < MIN_RUNS and not args.small):
        parser.error(f"--runs must be at least {MIN_RUNS} (any number from 1 with --small)")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.output is None and not args.small:
        args.output = BENCHMARKS / "RESULTS.md"
    return args


def benchmark(args: argparse.Namespace, work: Path) -> Report:
    """Prepare both registries and run the rounds."""
    national = args.registry.resolve() if args.registry else work / "national"
    if args.registry is None:
        generate_national(national, args.small)
    check_registry(national)
    bundled = work / "bundled"
    edited = make_bundled(bundled)
    scripts, scratch = work / "scripts", work / "scratch"
    scripts.mkdir()
    scratch.mkdir()
    (scratch / "probe.py").write_text(PROBE, encoding="utf-8")
    (scripts / "read_all.py").write_text(READ_ALL, encoding="utf-8")
    (scripts / "parse_all.py").write_text(PARSE_ALL, encoding="utf-8")
    national_env = coopctl_env(work / "cache-national")
    bundled_env = coopctl_env(work / "cache-bundled")
    try:
        prime(bundled, bundled_env, args.workers, scratch)
    except BenchmarkError as error:
        raise BenchmarkError(
            f"the bundled registry does not validate after the edit of {edited}:\n{error}"
        ) from error
    prime(national, national_env, args.workers, scratch)
    commands = [
        *national_commands(national, national_env, scripts, args.workers),
        *bundled_commands(bundled, bundled_env, args.workers),
        *general_commands(work),
    ]
    progress(f"{len(commands)} commands, {rounds(args.runs)}")
    figures = run_rounds(commands, args.runs, scratch)
    return Report(
        figures=figures,
        targets=targets({f.command.key: f for f in figures}),
        sizes={"national": registry_size(national), "bundled": registry_size(bundled)},
        changed={"national": changed_file(national), "bundled": changed_file(bundled)},
        rounds=args.runs,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coopctl-bench-") as temporary:
        try:
            report = benchmark(args, Path(temporary))
        except BenchmarkError as error:
            print(f"benchmark aborted: {error}", file=sys.stderr)
            return 2
    seconds = time.perf_counter() - started
    print(text_table(FIGURE_HEADER, figure_rows(report.figures)))
    print()
    print(text_table(TARGET_HEADER, target_rows(report.targets)))
    print()
    if args.small:
        print("(--small: the targets are meant for the national registry)")
    print(f"{summary(report.targets)}; the run took {seconds:.0f} s")
    if args.output is not None:
        args.output.write_text(results_markdown(report, seconds), encoding="utf-8")
        print(f"wrote {args.output}")
    missed = any(not t.met for t in report.targets)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
