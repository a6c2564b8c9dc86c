"""The commands run.py measures, in groups: every command of a group runs right after the
one before it in each round, so that the two commands of a pair alternate."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import setups
from bundle import KINDS, format_names
from measure import Command, Invocations, clean_env

BENCHMARKS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
COOPCTL = str(BIN / "coopctl")
CHECK_JSONSCHEMA = str(BIN / "check-jsonschema")
NATIONAL = "15k"  # the registry of the peers, floors and the long history and diff range

READ_ALL = """\
import pathlib

size = 0
for path in sorted(pathlib.Path("registry").glob("**/*.yaml")):
    size += len(path.read_bytes())
"""

PARSE_ALL = """\
import pathlib

import yaml

for path in sorted(pathlib.Path("registry").glob("**/*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""

# The commands measured on every generated registry: key, label, arguments ({id}: an
# agreement, {file}: the SQLite file to write).
SCALED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("validate", "validate", ("validate",)),
    ("list_partners", "list partners --format json", ("list", "partners", "--format", "json")),
    ("list_solutions", "list solutions --format json", ("list", "solutions", "--format", "json")),
    (
        "list_agreements",
        "list agreements --format json",
        ("list", "agreements", "--format", "json"),
    ),
    ("show", "show AGREEMENT --format json", ("show", "{id}", "--format", "json")),
    ("report", "report --format json", ("report", "--format", "json")),
    ("export", "export sqlite FILE", ("export", "sqlite", "{file}")),
    ("check_worktree", "check --base HEAD~1 (working tree)", ("check", "--base", "HEAD~1")),
    (
        "check_head",
        "check --base HEAD~1 --head HEAD",
        ("check", "--base", "HEAD~1", "--head", "HEAD"),
    ),
    ("diff", "diff HEAD~1 HEAD", ("diff", "HEAD~1", "HEAD")),
)
READS = (
    "validate",
    "list_partners",
    "list_solutions",
    "list_agreements",
    "show",
    "report",
    "export",
)
CHANGES = ("show", "check_worktree", "check_head", "diff")  # warm, largest / 1.5k <= 1.5
MODES = ("warm", "cold")
MEMORY_LIMITS = {"15k": 150.0, "60k": 400.0}


@dataclass(frozen=True)
class Setup:
    """Everything prepared before the rounds."""

    registries: list[Scaled]
    bundled: Path  # the git copy of the repository's own registry
    history: Path  # the 3,000-commit repository
    entity: str  # the file whose history is long
    diffrange: Path  # the 1,000-commit range
    bundles: dict[str, Path]  # the bundled schemas, by kind
    work: Path  # scratch space of this run

    @property
    def national(self) -> Scaled:
        return next(r for r in self.registries if r.name == NATIONAL)


@dataclass(frozen=True)
class Scaled:
    """A generated registry the SCALED commands run on."""

    name: str
    root: Path
    env: Mapping[str, str]
    agreement: str  # the id `show` shows
    export: Path  # where `export sqlite` writes


def workers_flag(workers: int | None) -> tuple[str, ...]:
    return () if workers is None else ("--workers", str(workers))


def subcommand(words: tuple[str, ...]) -> tuple[str, ...]:
    """The command words of an invocation: `export sqlite`, else the first word."""
    return words[:2] if words[0] == "export" else words[:1]


def accepts_no_cache(words: tuple[str, ...], cwd: Path, env: Mapping[str, str]) -> bool:
    """Whether `coopctl WORDS --help` (WORDS: a subcommand) offers --no-cache (asked at run
    time: the commands that have it may change)."""
    help_env = {**env, "COLUMNS": "200", "NO_COLOR": "1", "COOPCTL_NO_MEMO": "1"}
    result = subprocess.run(
        [COOPCTL, *words, "--help"],
        cwd=cwd,
        env=help_env,
        capture_output=True,
        text=True,
        check=False,
    )
    return "--no-cache" in result.stdout


def scaled_groups(
    registries: Sequence[Scaled], workers: int | None, no_cache: Mapping[str, bool]
) -> list[list[Command]]:
    """One group per command and mode: the command on each registry, the largest in the
    middle, so that it runs right after (or before) each registry it is compared with."""
    order = (
        [r for r in registries if r.name == "1.5k"]
        + [r for r in registries if r.name == "60k"]
        + [r for r in registries if r.name == "15k"]
    )
    groups = []
    for key, label, words in SCALED:
        for mode in MODES:
            group = []
            for reg in order:
                argv = [COOPCTL, *(w.format(id=reg.agreement, file=reg.export) for w in words)]
                if key == "validate":
                    argv += workers_flag(workers)
                cold = mode == "cold"
                how = ""
                if cold:
                    how = ", --no-cache" if no_cache[key] else ", empty cache"
                    if no_cache[key]:
                        argv.append("--no-cache")
                group.append(
                    Command(
                        f"{key}_{mode}@{reg.name}",
                        f"coopctl {label}, {mode}{how} ({reg.name})",
                        (tuple(argv),),
                        reg.root,
                        reg.env,
                        registry=reg.name,
                        fresh_cache=cold and not no_cache[key],
                        fresh_file=reg.export if key == "export" else None,
                    )
                )
            groups.append(group)
    return groups


def all_groups(setup: Setup, workers: int | None) -> tuple[list[list[Command]], list[str]]:
    """Every group of the run, and lines that say how the peers were set up."""
    national = setup.national
    asked = {
        sub: accepts_no_cache(sub, national.root, national.env)
        for sub in dict.fromkeys(subcommand(w) for _, _, w in SCALED)
    }  # once per command: list and check are measured with several arguments
    no_cache = {key: asked[subcommand(w)] for key, _, w in SCALED}
    groups = scaled_groups(setup.registries, workers, no_cache)
    read_floor, parse_floor = floor_commands(national, setup.work)
    for group in groups:
        if group[-1].key == f"validate_cold@{NATIONAL}":
            group.append(parse_floor)
        if group[-1].key == f"validate_warm@{NATIONAL}":
            group.append(read_floor)
    peers = Peers.of(national.root / "schemas")
    groups += peer_groups(national, setup.bundles, peers, workers)
    long_env = clean_env(setup.work / "cache-long")
    groups += long_groups(setup.history, setup.entity, setup.diffrange, long_env)
    groups += bundled_groups(setup, peers)
    return groups, [peers.note()]


@dataclass(frozen=True)
class Peers:
    """How the peers are set up: check-jsonschema leaves out the formats coopctl does not
    check, and the stack checks formats only when coopctl checks one the schemas use."""

    used: frozenset[str]
    checked: frozenset[str]

    @classmethod
    def of(cls, schemas: Path) -> Peers:
        used = frozenset(format_names(schemas))
        return cls(used, frozenset(coopctl_formats(used)))

    @property
    def disable(self) -> tuple[str, ...]:
        unchecked = sorted(self.used - self.checked)
        if not unchecked:
            return ()
        return ("--disable-formats", "*" if not self.checked else ",".join(unchecked))

    @property
    def stack_formats(self) -> tuple[str, ...]:
        return ("--validate-formats",) if self.checked else ()

    def note(self) -> str:
        used = ", ".join(sorted(self.used)) or "none"
        checked = ", ".join(sorted(self.checked)) or "none"
        return (
            "- peers: check-jsonschema with each kind's schema bundled with defs.schema.json "
            f"(benchmarks/bundle.py), options `{shlex.join(self.disable) or '(none)'}`, all "
            "files of a kind in one invocation; the stack (benchmarks/stack_validate.py) "
            f"{'with' if self.checked else 'without'} format checks. Formats the schemas use: "
            f"{used}; of these coopctl checks: {checked}"
        )

    def check_jsonschema(self, root: Path, bundles: Mapping[str, Path]) -> Invocations:
        """One invocation per kind: its bundled schema and all its files."""
        return tuple(
            (
                CHECK_JSONSCHEMA,
                "--schemafile",
                str(bundles[kind]),
                *self.disable,
                *setups.registry_files(root, kind),
            )
            for kind in KINDS
        )


def coopctl_formats(used: frozenset[str]) -> set[str]:
    """The formats among `used` that coopctl checks: those jsonschema has a checker for here
    (coopctl treats a format without a checker as an annotation)."""
    try:
        from coopctl.ecma import format_checker
    except ImportError:
        return set(used)
    return set(used & set(format_checker().checkers))


def peer_groups(
    national: Scaled, bundles: Mapping[str, Path], peers: Peers, workers: int | None
) -> list[list[Command]]:
    """check-jsonschema and the library stack beside coopctl's cold validate, on the national
    registry."""
    root = national.root
    n = workers or os.cpu_count() or 1
    stack = (sys.executable, str(BENCHMARKS / "stack_validate.py"), str(root))

    def command(key: str, label: str, argv: Invocations, ours: bool = True) -> Command:
        return Command(key, f"{label} ({NATIONAL})", argv, root, national.env, NATIONAL, ours)

    cold = (COOPCTL, "validate", "--no-cache", *workers_flag(workers))
    return [
        [
            command(
                "cjs",
                "check-jsonschema, bundled schemas, 3 kinds summed",
                peers.check_jsonschema(root, bundles),
                ours=False,
            ),
            command("peer_validate_cold", "coopctl validate --no-cache, beside the peers", (cold,)),
            command(
                "stack_n",
                f"stack: CSafeLoader + jsonschema-rs, {n} workers",
                ((*stack, "--workers", str(n), *peers.stack_formats),),
                ours=False,
            ),
        ],
        [
            command(
                "validate_one",
                "coopctl validate --no-cache --workers 1",
                ((COOPCTL, "validate", "--no-cache", "--workers", "1"),),
            ),
            command(
                "stack_1",
                "stack: CSafeLoader + jsonschema-rs, 1 worker",
                ((*stack, "--workers", "1", *peers.stack_formats),),
                ours=False,
            ),
        ],
    ]


def write_floor_scripts(scripts: Path) -> None:
    (scripts / "read_all.py").write_text(READ_ALL, encoding="utf-8")
    (scripts / "parse_all.py").write_text(PARSE_ALL, encoding="utf-8")


def floor_commands(national: Scaled, work: Path) -> tuple[Command, Command]:
    scripts = work / "scripts"
    scripts.mkdir(exist_ok=True)
    write_floor_scripts(scripts)
    root, env, python = national.root, national.env, sys.executable
    read = ((python, str(scripts / "read_all.py")),)
    parse = ((python, str(scripts / "parse_all.py")),)
    return (
        Command(
            "read_floor", f"floor: read all bytes ({NATIONAL})", read, root, env, NATIONAL, False
        ),
        Command(
            "parse_floor",
            f"floor: PyYAML CSafeLoader parse all ({NATIONAL})",
            parse,
            root,
            env,
            NATIONAL,
            False,
        ),
    )


def long_groups(
    history: Path, entity: str, diffrange: Path, env: Mapping[str, str]
) -> list[list[Command]]:
    """coopctl history and diff over long stretches of commits, beside git itself."""
    base = setups.git(diffrange, "rev-list", "--max-parents=0", "HEAD")
    count = setups.git(diffrange, "rev-list", "--count", f"{base}..HEAD")
    entity_id = Path(entity).stem
    commits = setups.commit_count(history)
    git_log = ("git", "log", "--follow", "-p", "--", entity)
    git_stat = ("git", "diff", "--stat", base, "HEAD")
    return [
        [
            Command(
                "history",
                f"coopctl history {entity_id} ({commits:,} commits)",
                ((COOPCTL, "history", entity_id),),
                history,
                env,
                NATIONAL,
            ),
            Command("git_log", shlex.join(git_log), (git_log,), history, env, NATIONAL, False),
        ],
        [
            Command(
                "diff_range",
                f"coopctl diff FIRST HEAD ({count} commits)",
                ((COOPCTL, "diff", base, "HEAD"),),
                diffrange,
                env,
                NATIONAL,
            ),
            Command(
                "git_diff_stat",
                f"git diff --stat FIRST HEAD ({count} commits)",
                (git_stat,),
                diffrange,
                env,
                NATIONAL,
                False,
            ),
        ],
    ]


def bundled_groups(setup: Setup, peers: Peers) -> list[list[Command]]:
    """The repository's own registry beside check-jsonschema, and the cost of starting."""
    root, env = setup.bundled, clean_env(setup.work / "cache-bundled")
    plain, cwd = dict(os.environ), setup.work
    cjs = peers.check_jsonschema(root, setup.bundles)
    return [
        [
            Command(
                "validate_bundled",
                "coopctl validate, warm (bundled)",
                ((COOPCTL, "validate"),),
                root,
                env,
                "bundled",
            ),
            Command(
                "cjs_bundled",
                "check-jsonschema, bundled schemas (bundled)",
                cjs,
                root,
                env,
                "bundled",
                False,
            ),
        ],
        [
            Command("help", "coopctl --help", ((COOPCTL, "--help"),), cwd, plain),
            Command(
                "python", "python -c pass", ((sys.executable, "-c", "pass"),), cwd, plain, "", False
            ),
        ],
    ]
