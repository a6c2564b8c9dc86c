"""`validate`: load → schema → registry-wide checks → locate → filter. No printing here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from coopctl.checks import CheckContext, run_checks
from coopctl.codes import info_for
from coopctl.errors import UsageError
from coopctl.model import KINDS, Problem, Severity
from coopctl.registry import Registry, load_working_tree
from coopctl.schemas import SchemaSet, load_schemas, schema_problems
from coopctl.yamlio import KEY_CODES, Locator


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[str, ...] = ()  # registry-relative POSIX paths; empty: everything
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    warnings_as_errors: bool = False
    today: date = dataclasses.field(default_factory=date.today)


@dataclass(frozen=True)
class ValidateResult:
    root: Path
    problems: tuple[Problem, ...]
    files_checked: int
    entities: int
    sources: Mapping[str, bytes] = dataclasses.field(default_factory=dict)  # files with problems
    counts: Mapping[str, int] = dataclasses.field(default_factory=dict)  # entities by kind

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
                    f"unknown problem code '{item}'",
                    hint="'coopctl explain --list' lists the codes",
                )
    return tuple(result)


def check_registry(registry: Registry, schemas: SchemaSet, today: date) -> list[Problem]:
    """Every problem of a registry, located (line and column filled in)."""
    from coopctl.gv import load as load_gemeindeverzeichnis

    problems = list(registry.load_problems)
    for entity in registry.entities:
        problems.extend(schema_problems(schemas, entity, entity.kind))
    context = CheckContext(registry, schemas, today, load_gemeindeverzeichnis)
    problems.extend(run_checks(context))
    return locate(problems, registry)


def locate(problems: Iterable[Problem], registry: Registry) -> list[Problem]:
    """Fill in line:column from JSON pointers; a file is re-parsed only if it has a problem."""
    locators: dict[str, Locator] = {}
    located = []
    for found in problems:
        if found.line != 0:
            located.append(found)
            continue
        line, column = 1, 1
        raw = registry.raw.get(found.path)
        if raw is not None and found.pointer is not None:
            locator = locators.setdefault(found.path, Locator(raw))
            line, column = locator.locate(found.pointer, key=found.code in KEY_CODES)
        located.append(dataclasses.replace(found, line=line, column=column))
    return located


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
    schemas = load_schemas(root / "schemas")
    registry = load_working_tree(root)
    problems = [p for p in check_registry(registry, schemas, options.today) if _wanted(p, options)]
    if options.warnings_as_errors:
        problems = [dataclasses.replace(p, severity=Severity.ERROR) for p in problems]
    problems.sort(key=lambda p: p.sort_key)
    sources = {p.path: registry.raw[p.path] for p in problems if p.path in registry.raw}
    counts = {kind: len(registry.by_kind[kind]) for kind in KINDS}
    return ValidateResult(
        root, tuple(problems), registry.file_count, len(registry.entities), sources, counts
    )
