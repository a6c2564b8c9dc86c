"""Running measured commands: the probe, one sample, the rounds, and ratios per round."""

from __future__ import annotations

import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

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

CACHE_ENV = "COOPCTL_CACHE_DIR"

Invocations = tuple[tuple[str, ...], ...]


class BenchmarkError(Exception):
    """A step failed; the run stops without reporting figures."""


@dataclass(frozen=True)
class Command:
    """One measured command: one or more invocations whose times add up to a round's figure
    (check-jsonschema needs one per kind) and whose peak memory is the greatest of them.

    `fresh_cache`: every run gets a new, empty cache folder (a cold run of a command that has
    no --no-cache). `fresh_file`: removed before every run (a file the command writes)."""

    key: str
    label: str
    invocations: Invocations
    cwd: Path
    env: Mapping[str, str]
    registry: str = ""  # the registry it runs on, for the memory targets
    coopctl: bool = True  # a coopctl command (the memory targets are about these)
    fresh_cache: bool = False
    fresh_file: Path | None = None


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kib: int


@dataclass(frozen=True)
class Figure:
    """The samples of one command over all rounds, in the order of the rounds."""

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


def round_ratios(top: Figure, bottom: Figure) -> tuple[float, ...]:
    """top / bottom in each round: both ran in the same round, one right after the other."""
    return tuple(a.seconds / b.seconds for a, b in zip(top.samples, bottom.samples, strict=True))


def run_once(argv: Sequence[str], cwd: Path, env: Mapping[str, str], scratch: Path) -> Sample:
    """Run argv to the end, through the probe, its output into files; its wall time and peak
    RSS. Raises BenchmarkError, with the tail of its output, when it exits non-zero."""
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


def write_probe(scratch: Path) -> None:
    (scratch / "probe.py").write_text(PROBE, encoding="utf-8")


def measure(command: Command, scratch: Path) -> Sample:
    env = dict(command.env)
    fresh = scratch / "fresh-cache"
    if command.fresh_cache:
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(mode=0o700)
        env[CACHE_ENV] = str(fresh)
    if command.fresh_file is not None:
        command.fresh_file.unlink(missing_ok=True)
    samples = [run_once(argv, command.cwd, env, scratch) for argv in command.invocations]
    return Sample(sum(s.seconds for s in samples), max(s.peak_kib for s in samples))


def run_rounds(
    groups: Sequence[Sequence[Command]], rounds: int, scratch: Path
) -> dict[str, Figure]:
    """Each round runs every group once, and the commands of a group one after the other, so
    that the two commands of a pair alternate: A, B, A, B, ..."""
    commands = [c for group in groups for c in group]
    keys = [c.key for c in commands]
    if len(set(keys)) != len(keys):
        raise BenchmarkError(f"a command key is used twice: {sorted(keys)}")
    samples: dict[str, list[Sample]] = {c.key: [] for c in commands}
    for number in range(1, rounds + 1):
        started = time.perf_counter()
        for group in groups:
            for command in group:
                samples[command.key].append(measure(command, scratch))
        progress(f"round {number}/{rounds} took {time.perf_counter() - started:.1f} s")
    return {c.key: Figure(c, tuple(samples[c.key])) for c in commands}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clean_env(cache: Path) -> dict[str, str]:
    """The environment for coopctl: its cache in a folder of this run, and nothing that would
    make it look for another registry or write for GitHub Actions."""
    dropped = ("COOPCTL_ROOT", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "XDG_CACHE_HOME")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env[CACHE_ENV] = str(cache)
    return env
