"""`validate`: read → facts per file (cached, in parallel) → checks between files → locate →
filter. No printing here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from coopctl.codes import info_for
from coopctl.errors import UsageError
from coopctl.escaping import plain
from coopctl.i18n import _
from coopctl.limits import DEFAULT_MAX_PROBLEMS, facts_digest, limit_per_file
from coopctl.model import KINDS, Problem, Severity
from coopctl.registry import Registry
from coopctl.schemas import SchemaSet, load_schemas


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[str, ...] = ()  # registry-relative POSIX paths; empty: everything
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    warnings_as_errors: bool = False
    cache: bool = True  # read and write the result cache
    workers: int | None = None  # processes; None: one per core when it pays
    today: date = dataclasses.field(default_factory=date.today)
    max_problems: int = DEFAULT_MAX_PROBLEMS  # per file; 0: all


@dataclass(frozen=True)
class ValidateResult:
    root: Path
    problems: tuple[Problem, ...]
    files_checked: int
    entities: int
    sources: Mapping[str, bytes] = dataclasses.field(default_factory=dict)  # files with problems
    counts: Mapping[str, int] = dataclasses.field(default_factory=dict)  # entities by kind
    stats: str = ""  # how the answer was come by (`--stats`)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)


def normalise_codes(values: Iterable[str]) -> tuple[str, ...]:
    """Codes or names from --select/--ignore, as codes or code prefixes ('K' selects K001...)."""
    result = []
    for value in values:
        for raw_item in value.split(","):
            item = raw_item.strip()
            if not item:
                continue
            info = info_for(item)
            if info:
                result.append(info.code)
            elif item.isalpha() and len(item) == 1:
                result.append(item.upper())
            else:
                raise UsageError(
                    _("unknown problem code '{code}'").format(code=plain(item)),
                    hint=_("'coopctl explain' without a code lists them all"),
                )
    return tuple(result)


def check_registry(registry: Registry, schemas: SchemaSet, today: date) -> list[Problem]:
    """Every problem of a registry already loaded in memory, located."""
    from coopctl.facts import Examiner, FileFacts
    from coopctl.pipeline import collect_problems
    from coopctl.registry import kind_of_path

    examiner = Examiner(schemas, today)
    facts = [examiner.facts_of(e, registry.raw.get(e.path)) for e in registry.entities]
    loaded = {e.path for e in registry.entities}
    facts.extend(
        FileFacts(path, kind, False)
        for path in registry.raw
        if path not in loaded and (kind := kind_of_path(path)) is not None
    )
    return collect_problems(facts, registry.load_problems, registry.raw.get)


def locate(problems: Iterable[Problem], registry: Registry) -> list[Problem]:
    """Fill in line:column from JSON pointers; a file is re-parsed only if it has a problem."""
    from coopctl.facts import locate_in

    by_path: dict[str, list[Problem]] = {}
    for found in problems:
        by_path.setdefault(found.path, []).append(found)
    return [p for path, found in by_path.items() for p in locate_in(found, registry.raw.get(path))]


def _wanted(problem: Problem, options: ValidateOptions) -> bool:
    if (
        options.paths
        and "." not in options.paths
        and not any(
            problem.path == p or PurePosixPath(problem.path).is_relative_to(p)
            for p in options.paths
        )
    ):
        return False
    if options.select and not any(problem.code.startswith(c) for c in options.select):
        return False
    return not any(problem.code.startswith(c) for c in options.ignore)


def validate(root: Path, options: ValidateOptions) -> ValidateResult:
    from coopctl.cache import FactCache
    from coopctl.facts import Examiner
    from coopctl.pipeline import outcome, working_tree_files
    from coopctl.versions import VersionProblem

    try:
        schemas = load_schemas(root / "schemas")
    except VersionProblem as exc:  # one problem instead of one per field of an old version
        return _version_result(root, exc.problem)
    # Without the cache no blob sha is needed, so each file is read by the process that
    # examines it.
    files = working_tree_files(root, read=options.cache)
    # The facts of a file hold at most that many problems, so the limit is part of the cache
    # key. With --select/--ignore the limit applies to what is chosen: the facts keep all.
    per_file = 0 if options.select or options.ignore else options.max_problems
    cache = FactCache(
        root, facts_digest(schemas.digest, per_file), options.today, enabled=options.cache
    )
    examiner = Examiner(schemas, options.today, max_problems=per_file)
    result = outcome(files, examiner, cache, options.workers)
    found, counts = result.problems, result.counts
    problems = limit_per_file((p for p in found if _wanted(p, options)), options.max_problems)
    if options.warnings_as_errors:
        problems = [dataclasses.replace(p, severity=Severity.ERROR) for p in problems]
    problems.sort(key=lambda p: p.sort_key)
    sources = {p.path: files.raw_of(p.path) for p in problems}
    return ValidateResult(
        root,
        tuple(problems),
        result.files,
        sum(counts.values()),
        {path: raw for path, raw in sources.items() if raw is not None},
        {kind: counts.get(kind, 0) for kind in KINDS},
        result.stats.summary(),
    )


def _version_result(root: Path, problem: Problem) -> ValidateResult:
    """validate's answer for a registry whose schema version coopctl does not read."""
    try:
        sources = {problem.path: (root / problem.path).read_bytes()}
    except OSError:
        sources = {}
    return ValidateResult(root, (problem,), 0, 0, sources, dict.fromkeys(KINDS, 0))
