"""Measure coopctl against itself at three sizes, against peers and floors, and write RESULTS.md.

Every command runs as a fresh process. The targets are ratios of two commands (A/B pairs):
in every round the two run one right after the other, and a target is the median (and range)
of the per-round ratios, so a slow spell of the machine touches both sides alike. Each figure
also has its peak resident memory (ru_maxrss from os.wait4).

    python benchmarks/run.py --scale 60k --runs 5 --keep /tmp/coopctl-bench   # every target
    python benchmarks/run.py                         # 1.5k and 15k registries, 5 rounds
    python benchmarks/run.py --registry /tmp/national --runs 7
    python benchmarks/run.py --small --runs 1        # a quick look; writes no RESULTS.md
    python benchmarks/run.py --scale 60k --keep /tmp/coopctl-bench --prepare   # make them now

The registries are generated with benchmarks/generate.py (with --keep DIR, once: a later run
uses them again); the long history with benchmarks/history_repo.py and the long diff range
with benchmarks/diff_repo.py, both from the 15k registry. A git copy of the registry bundled
with this repository is the smallest registry. benchmarks/README.md says what each figure is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import setups
from bundle import write_bundles
from commands import COOPCTL, NATIONAL, Scaled, Setup, all_groups
from measure import BenchmarkError, Command, clean_env, progress, run_once, run_rounds, write_probe
from results import (
    FIGURE_HEADER,
    TARGET_HEADER,
    Report,
    coopctl_package,
    figure_rows,
    pyc_count,
    pyc_state,
    results_markdown,
    rounds,
    summary,
    target_rows,
    targets,
    text_table,
)

BENCHMARKS = Path(__file__).resolve().parent
MIN_RUNS = 5


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        choices=("15k", "60k"),
        default="15k",
        help="the largest registry: 15k (default; registries of 1.5k and 15k files) or 60k "
        "(1.5k, 15k and 60k files; needed for the 60k / 15k targets)",
    )
    parser.add_argument(
        "--registry",
        type=Path,
        help="use this registry (a git repository with 2+ commits, the last changing one "
        "file) in place of the generated 15k one; run.py works on a clone of it",
    )
    parser.add_argument(
        "--keep", type=Path, help="keep the generated repositories in DIR and use them again"
    )
    parser.add_argument(
        "--runs",
        type=int,
        help=f"rounds (default {MIN_RUNS}, at least {MIN_RUNS} unless --small or --output; "
        "default 2 with --small)",
    )
    parser.add_argument(
        "--small", action="store_true", help="small generated registries; fewer rounds allowed"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the results (default benchmarks/RESULTS.md; none with --small)",
    )
    parser.add_argument(
        "--workers", type=int, help="pass --workers N to the validate runs that use the default"
    )
    parser.add_argument(
        "--compile",
        action="store_true",
        help="compile coopctl's modules to .pyc first (python -m compileall), as a wheel "
        "install does; RESULTS.md says whether .pyc files were there",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only make (or find again) the repositories in --keep DIR, and measure nothing",
    )
    args = parser.parse_args(argv)
    if args.prepare and args.keep is None:
        parser.error("--prepare needs --keep DIR (else the repositories would be removed)")
    if args.runs is None:
        args.runs = 2 if args.small else MIN_RUNS
    if args.runs < 1 or (args.runs < MIN_RUNS and not (args.small or args.output)):
        parser.error(
            f"--runs must be at least {MIN_RUNS} for benchmarks/RESULTS.md (any number from 1 "
            "with --small or --output)"
        )
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.output is None and not args.small:
        args.output = BENCHMARKS / "RESULTS.md"
    return args


def prepare(args: argparse.Namespace, work: Path) -> Setup:
    """Generate (or find again) the registries and the long repositories."""
    base = args.keep.resolve() if args.keep else work / "generated"
    base.mkdir(parents=True, exist_ok=True)
    sizes = setups.SMALL_SCALES if args.small else setups.SCALES
    names = ["1.5k", "15k", "60k"] if args.scale == "60k" else ["1.5k", "15k"]
    exports = work / "exports"
    exports.mkdir()
    registries = []
    for name in names:
        if name == NATIONAL and args.registry is not None:
            root = setups.cloned(args.registry.resolve(), work / "national")
        else:
            root = setups.generated(name, sizes[name], base)
        setups.check_registry(root)
        agreement = Path(setups.changed_file(root)).stem
        env = clean_env(work / f"cache-{name}")
        registries.append(Scaled(name, root, env, agreement, exports / f"{name}.sqlite"))
    national = next(r for r in registries if r.name == NATIONAL).root
    entity = setups.history_entity(national)
    bundled = work / "bundled"
    setups.make_bundled(bundled)
    return Setup(
        registries=registries,
        bundled=bundled,
        history=setups.history_repo(national, entity, args.small, base),
        entity=entity,
        diffrange=setups.diff_range_repo(national, args.small, base),
        bundles=write_bundles(national / "schemas", work / "bundles"),
        work=work,
    )


def benchmark(args: argparse.Namespace, work: Path) -> Report:
    """Prepare, edit one file in each working tree, prime the caches and run the rounds."""
    bytecode = pyc_count()
    if args.compile:
        setups.compile_bytecode(coopctl_package())
    setup = prepare(args, work)
    scratch = work / "scratch"
    scratch.mkdir()
    write_probe(scratch)
    changed = {r.name: setups.changed_file(r.root) for r in setup.registries}
    changed["bundled"] = setups.changed_file(setup.bundled)
    edited: dict[str, str] = {}
    try:
        for reg in setup.registries:
            edited[reg.name] = setups.edit_working_tree(reg.root)
        groups, notes = all_groups(setup, args.workers)
        prime(groups, scratch, args.small)
        progress(f"{sum(len(g) for g in groups)} commands, {rounds(args.runs)}")
        figures = run_rounds(groups, args.runs, scratch)
    finally:
        for reg in setup.registries:
            if reg.name in edited:
                setups.restore_working_tree(reg.root, edited[reg.name])
    names = [r.name for r in setup.registries]
    first = setups.git(setup.diffrange, "rev-list", "--max-parents=0", "HEAD")
    stat = setups.git(setup.diffrange, "diff", "--shortstat", first, "HEAD")
    notes = [
        *(f"- {n}: the working tree also changes {edited[n]} (for `check` with it)" for n in names),
        f"- history: {setups.commit_count(setup.history):,} commits from the {NATIONAL} registry, "
        f"{setups.commit_count(setup.history, setup.entity)} of them change {setup.entity}",
        f"- diff range: FIRST..HEAD of benchmarks/diff_repo.py from the {NATIONAL} registry: "
        + stat,
        *notes,
    ]
    sizes = {r.name: setups.registry_size(r.root) for r in setup.registries}
    sizes["bundled"] = setups.registry_size(setup.bundled)
    return Report(
        figures=list(figures.values()),
        targets=targets(figures, names),
        sizes=sizes,
        changed=changed,
        rounds=args.runs,
        notes=notes,
        pyc=pyc_state(bytecode, args.compile),
    )


def prime(groups: Sequence[Sequence[Command]], scratch: Path, small: bool) -> None:
    """One run of every warm coopctl command before the rounds, the validate runs first, so
    that the caches are warm; it also shows that each registry is valid. With --small, only
    the validate runs: they fill each registry's cache, which is warm enough for a quick look
    (every other command still runs, and must succeed, in the rounds)."""
    warm = [
        c
        for group in groups
        for c in group
        if c.coopctl and not c.fresh_cache and "--no-cache" not in c.invocations[0]
        if not small or c.key.startswith("validate")
    ]
    warm.sort(key=lambda c: not c.key.startswith("validate"))
    for command in warm:
        try:
            run_once(command.invocations[0], command.cwd, command.env, scratch)
        except BenchmarkError as error:
            if command.registry == "bundled":
                raise BenchmarkError(
                    f"the bundled registry does not validate after the benchmark edit:\n{error}"
                ) from error
            raise


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coopctl-bench-") as temporary:
        try:
            if args.prepare:
                setup = prepare(args, Path(temporary))
                for path in (*(r.root for r in setup.registries), setup.history, setup.diffrange):
                    print(path)
                return 0
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
        print("(--small: the registries are small; the targets are meant for full size)")
    print(f"{summary(report.targets)}; the run took {seconds:.0f} s")
    if args.output is not None:
        args.output.write_text(results_markdown(report, seconds, COOPCTL), encoding="utf-8")
        print(f"wrote {args.output}")
    missed = any(t.met is False for t in report.targets)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
