"""What run.py reports: the targets, the tables, the machine and versions, RESULTS.md."""

from __future__ import annotations

import importlib.util
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bundle import KINDS
from commands import CHANGES, MEMORY_LIMITS, MODES, NATIONAL, READS, SCALED
from measure import Figure, round_ratios
from setups import REPO, RegistrySize


@dataclass(frozen=True)
class Target:
    """A limit on a figure of the run: a ratio (median of the per-round ratios of a pair,
    with their range) or a peak memory. value None: not measured in this run (note says why)."""

    label: str
    value: float | None
    limit: float
    at_most: bool  # the value must be <= limit; else >= limit
    unit: str  # "x" for ratios, "MB" for memory
    low: float | None = None
    high: float | None = None
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.value is None:
            return None
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def measured(self) -> str:
        if self.value is None:
            return "-"
        return f"{self.value:.2f} MB" if self.unit == "MB" else f"{self.value:.2f}x"

    def spread(self) -> str:
        if self.low is None or self.high is None:
            return "-"
        return f"{self.low:.2f}-{self.high:.2f}x"

    def bound(self) -> str:
        sign = "<=" if self.at_most else ">="
        return f"{sign} {self.limit:g} MB" if self.unit == "MB" else f"{sign} {self.limit:g}x"

    def result(self) -> str:
        if self.met is None:
            return f"not measured ({self.note})" if self.note else "not measured"
        return "PASS" if self.met else "FAIL"


@dataclass(frozen=True)
class Report:
    figures: list[Figure]
    targets: list[Target]
    sizes: dict[str, RegistrySize]
    changed: dict[str, str]  # the file the second commit changes, by registry
    rounds: int
    notes: list[str] = field(default_factory=list)  # lines for the setup section
    pyc: str = ""


FIGURE_HEADER = ("command", "median s", "min s", "max s", "peak MB")
TARGET_HEADER = ("target", "median", "range", "limit", "result")


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
    return [(t.label, t.measured(), t.spread(), t.bound(), t.result()) for t in checked]


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
    missed = sum(t.met is False for t in checked)
    unmeasured = sum(t.met is None for t in checked)
    text = (
        "all targets met" if not missed else f"{missed} target{'s' if missed != 1 else ''} missed"
    )
    return f"{text} ({unmeasured} not measured in this run)" if unmeasured else text


def coopctl_package() -> Path | None:
    spec = importlib.util.find_spec("coopctl")
    return None if spec is None or spec.origin is None else Path(spec.origin).parent


def pyc_count() -> tuple[int, int]:
    """How many of coopctl's modules have a compiled .pyc in __pycache__ beside them, of all."""
    package = coopctl_package()
    if package is None:
        return 0, 0
    sources = sorted(package.rglob("*.py"))
    compiled = sum(Path(importlib.util.cache_from_source(str(p))).exists() for p in sources)
    return compiled, len(sources)


def pyc_state(before: tuple[int, int], compiled: bool) -> str:
    """A sentence on the bytecode coopctl ran from."""
    after = pyc_count()
    text = f"at the start, {before[0]} of {before[1]} modules of coopctl had a .pyc"
    if compiled:
        text += f"; compiled before the rounds (--compile): {after[0]} of {after[1]}"
    else:
        text += f"; not compiled by run.py (no --compile); at the end {after[0]} of {after[1]}"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        text += "; PYTHONDONTWRITEBYTECODE is set, so Python itself writes none"
    return text


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


def coopctl_version(coopctl: str) -> str:
    result = subprocess.run([coopctl, "--version"], capture_output=True, text=True, check=False)
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


def results_markdown(report: Report, seconds: float, coopctl: str) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = [
        f"- CPU: {cpu_model()}",
        f"- logical cores: {os.cpu_count()}",
        f"- memory: {memory_total()}",
        f"- OS: {platform.platform()}",
        f"- Python: {platform.python_implementation()} {platform.python_version()}",
        f"- compiled bytecode: {report.pyc}",
    ]
    versions = [
        f"- {coopctl_version(coopctl)}",
        *(
            f"- {name} {package_version(name)}"
            for name in ("check-jsonschema", "jsonschema-rs", "PyYAML", "ruamel.yaml")
        ),
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
            f"{rounds(report.rounds)}; each command ran once per round as a fresh process, "
            "the two commands of each pair one right after the other; the whole run took "
            f"{seconds:.0f} s. Times are wall-clock seconds; peak MB is the largest resident "
            "set of the command or of any child it waited for (ru_maxrss), in MiB. A target's "
            "median and range are those of the ratios of its pair within each round. See "
            "README.md for what each figure means.",
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
            *report.notes,
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
            *stack_remark(report.targets),
            "",
        ]
    )


def stack_remark(checked: Sequence[Target]) -> list[str]:
    """A sentence when coopctl's cold validate did not beat the library stack."""
    lost = [t.label for t in checked if "/ stack" in t.label and t.met is False]
    if not lost:
        return []
    return [
        "",
        "coopctl's cold validate is slower than the library stack in this run "
        f'({"; ".join(lost)}); docs/performance.md, "Against a library stack", says why.',
    ]


# --- the targets ------------------------------------------------------------------------------


def targets(figures: Mapping[str, Figure], names: Sequence[str]) -> list[Target]:
    """One target per limit of the issue this run can measure (the others: not measured)."""

    def pair(label: str, top: str, bottom: str, limit: float, at_most: bool = True) -> Target:
        if top not in figures or bottom not in figures:
            return Target(label, None, limit, at_most, "x", note="needs --scale 60k")
        ratios = round_ratios(figures[top], figures[bottom])
        median = statistics.median(ratios)
        return Target(label, median, limit, at_most, "x", min(ratios), max(ratios))

    largest = "60k" if "60k" in names else NATIONAL
    labels = {key: label for key, label, _ in SCALED}
    checked = [
        pair(f"{labels[key]}, {mode}: 60k / 15k", f"{key}_{mode}@60k", f"{key}_{mode}@15k", 4.5)
        for key in READS
        for mode in MODES
    ]
    checked += [
        pair(
            f"{labels[key]}, warm: {largest} / 1.5k",
            f"{key}_warm@{largest}",
            f"{key}_warm@1.5k",
            1.5,
        )
        for key in CHANGES
    ]
    checked += [
        pair("history / git log --follow -p", "history", "git_log", 3),
        pair("diff of the long range / git diff --stat", "diff_range", "git_diff_stat", 5),
        pair(
            "check-jsonschema (bundled) / coopctl cold validate",
            "cjs",
            "peer_validate_cold",
            8,
            False,
        ),
        pair(
            "coopctl cold validate / stack, default workers", "peer_validate_cold", "stack_n", 1.0
        ),
        pair("coopctl cold validate --workers 1 / stack, 1 worker", "validate_one", "stack_1", 1.0),
        pair(
            "1a cold validate / CSafeLoader parse floor",
            f"validate_cold@{NATIONAL}",
            "parse_floor",
            0.9,
        ),
        pair(
            "2 warm validate / read-all-bytes floor", f"validate_warm@{NATIONAL}", "read_floor", 3
        ),
        pair("4a coopctl --help / python -c pass", "help", "python", 8),
        pair(
            "4b validate bundled / check-jsonschema bundled",
            "validate_bundled",
            "cjs_bundled",
            0.25,
        ),
    ]
    return checked + memory_targets(figures)


def memory_targets(figures: Mapping[str, Figure]) -> list[Target]:
    """Peak memory of every coopctl command at 15k and 60k: one target per command and
    registry, its warm and cold runs together."""
    scaled = {key: label for key, label, _ in SCALED}
    peaks: dict[tuple[str, str], tuple[str, float]] = {}
    for key, figure in figures.items():
        command = figure.command
        if not command.coopctl or command.registry not in MEMORY_LIMITS:
            continue
        group, label = key, f"peak memory: {command.label}"
        if "@" in key:  # KEY_MODE@REGISTRY
            group = key.partition("@")[0].rpartition("_")[0]
            label = f"peak memory, warm and cold: coopctl {scaled[group]} ({command.registry})"
        seen = peaks.get((command.registry, group), (label, 0.0))[1]
        peaks[command.registry, group] = (label, max(seen, figure.peak_mb))
    return [
        Target(label, peak, MEMORY_LIMITS[registry], True, "MB")
        for (registry, _), (label, peak) in peaks.items()
    ]
