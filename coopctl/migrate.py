"""`coopctl migrate`: bring a registry to the schema version this coopctl reads.

The migration is planned in memory first (`plan_migration`): every entity file is read as a
round-trip document (comments and layout kept), the declared step of its kind is run for each
version on the way (`STEPS`, through `migrate_document`), and the registry's copy of the
schemas is set to coopctl's own. The whole result is then checked as validate checks a
registry: a migration that would add an error the registry does not have now, or a file that
cannot be read, is refused with those problems and nothing is written. Only a plan without
problems is written (`write_plan`): all entity files first, each to a temporary file and then
renamed, and the schema files last, so the registry's version advances only once its data is
in place. Pure: nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coopctl.errors import UsageError
from coopctl.i18n import _
from coopctl.migrations import Change, Step, to_v2_agreement, to_v2_partner, to_v2_solution
from coopctl.model import KINDS, Problem, Severity, SourceFile
from coopctl.versions import CURRENT_VERSION, FIRST_VERSION, SCHEMAS_DIR

# The declared migrations: from each version, the step of each kind to the next version.
STEPS: Mapping[int, Mapping[str, Step]] = {
    1: {
        "partner": to_v2_partner.migrate,
        "agreement": to_v2_agreement.migrate,
        "solution": to_v2_solution.migrate,
    },
}


@dataclass(frozen=True)
class FileChange:
    """One file the migration rewrites: its bytes before and after, and what changed."""

    path: str  # relative to the registry root
    before: bytes
    after: bytes
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class MigrationPlan:
    """What migrating a registry from one version to another does, or why it cannot."""

    root: Path
    from_version: int
    to_version: int
    files: tuple[FileChange, ...] = ()  # entity files, then the schema files
    problems: tuple[Problem, ...] = ()  # refusals: nothing is written when there are any
    # True when the problems are errors the migrated files would have (their lines are those
    # of the migrated text); False when files cannot be read or rewritten as they are
    in_result: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.files)


def migrate_document(
    document: MutableMapping[str, Any],
    kind: str,
    from_version: int,
    to_version: int,
    steps: Mapping[int, Mapping[str, Step]] = STEPS,
) -> list[Change]:
    """Run the step of `kind` for each version from `from_version` up to `to_version` on one
    round-trip document, in place; every change the steps report, in order."""
    changes: list[Change] = []
    for version in range(from_version, to_version):
        step = steps.get(version, {}).get(kind)
        if step is not None:
            changes.extend(step(document))
    return changes


def target_version(current: int, wanted: int | None) -> int:
    """The version to migrate to: `wanted` (--to) or CURRENT_VERSION. Lower than the
    registry's version, or one this coopctl does not know, is a UsageError."""
    if wanted is None:
        return CURRENT_VERSION
    if wanted < FIRST_VERSION or wanted > CURRENT_VERSION:
        raise UsageError(
            _(
                "--to {version}: unknown schema version (this coopctl knows {first} to {last})"
            ).format(version=wanted, first=FIRST_VERSION, last=CURRENT_VERSION)
        )
    if wanted < current:
        raise UsageError(
            _(
                "--to {version}: the registry is of version {current} already; migrate does "
                "not go back to an older version"
            ).format(version=wanted, current=current),
            hint=_("restore the older files from git instead"),
        )
    if current < wanted < CURRENT_VERSION:
        raise UsageError(
            _("--to {version}: this coopctl has the schemas of version {last} only").format(
                version=wanted, last=CURRENT_VERSION
            )
        )
    return wanted


def plan_migration(
    root: Path,
    wanted: int | None = None,
    today: date | None = None,
    steps: Mapping[int, Mapping[str, Step]] = STEPS,
) -> MigrationPlan:
    """What migrating the registry at `root` to `wanted` (default: CURRENT_VERSION) changes,
    checked in memory; nothing is written. The plan's problems say why it cannot be written:
    files that cannot be read or rewritten, or errors the migrated registry would have that
    the registry has not now."""
    from coopctl.registry import build_registry, read_working_tree
    from coopctl.schemas import bundled_schema_dir, load_schemas
    from coopctl.versions import oldest_version

    today = today or date.today()
    old_schemas = load_schemas(root / SCHEMAS_DIR, any_version=True)
    assert old_schemas.versions is not None
    current = oldest_version(old_schemas.versions)
    target = target_version(current, wanted)
    if target == current:
        return MigrationPlan(root, current, target)
    sources, read_problems = read_working_tree(root)
    before = build_registry(root, sources, read_problems)
    if before.load_problems:
        return MigrationPlan(root, current, target, problems=_errors(before.load_problems))
    data_of = {entity.path: entity.data for entity in before.entities}
    rewritten, problems = _migrated_files(root, sources, data_of, (current, target), steps)
    if problems:
        return MigrationPlan(root, current, target, problems=tuple(problems))
    new_schemas = load_schemas(bundled_schema_dir())
    after_raw = {change.path: change.after for change in rewritten}
    after = build_registry(
        root, [SourceFile(s.path, after_raw.get(s.path, s.raw)) for s in sources]
    )
    added = _new_errors(
        _all_problems(before, old_schemas, today), _all_problems(after, new_schemas, today)
    )
    if added:
        return MigrationPlan(root, current, target, problems=tuple(added), in_result=True)
    schema_changes = _schema_changes(root, old_schemas.directory, new_schemas.directory, target)
    links = [_link_problem(c.path) for c in schema_changes if (root / c.path).is_symlink()]
    if links:
        return MigrationPlan(root, current, target, problems=tuple(links))
    return MigrationPlan(root, current, target, (*rewritten, *schema_changes))


def _link_problem(path: str) -> Problem:
    """F008: a file migrate would rewrite is a symbolic link."""
    from coopctl.codes import new_problem
    from coopctl.fsio import LinkNotReplaced

    return new_problem("F008", LinkNotReplaced(path).reason, path, line=1, column=1)


def _step_failure(path: str, kind: str, exc: Exception) -> Problem:
    """V003: the step of `kind` raised on the file at `path`."""
    from coopctl.codes import new_problem

    message = _("the migration step for {kind} files failed on this file ({error})").format(
        kind=kind, error=f"{type(exc).__name__}: {exc}"
    )
    return new_problem("V003", message, path, line=1, column=1)


def _errors(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: p.sort_key))


def _migrated_files(
    root: Path,
    sources: list[SourceFile],
    data_of: Mapping[str, Any],
    versions: tuple[int, int],
    steps: Mapping[int, Mapping[str, Step]],
) -> tuple[list[FileChange], list[Problem]]:
    """Every entity file the steps change, with its new text; the files that cannot be
    rewritten (the round-trip reader refuses them, they are links: F008, or a step fails on
    them: V003). The steps first run on a copy of each file's data as read (`data_of`):
    only a file they change is parsed again for rewriting, the slow parse that keeps
    comments."""
    from coopctl.formatting import schema_target
    from coopctl.registry import kind_of_path
    from coopctl.yamlio import dump_editable, editable, load_editable

    rewritten: list[FileChange] = []
    problems: list[Problem] = []
    for source in sorted(sources, key=lambda s: s.path):
        kind = kind_of_path(source.path)
        if kind is None:
            continue
        try:
            data = data_of.get(source.path)
            if data is not None and not migrate_document(editable(data), kind, *versions, steps):
                continue
            document, refusals = load_editable(source.raw, source.path, keep_quotes=True)
            if document is None:
                problems.extend(refusals)
                continue
            changes = migrate_document(document, kind, *versions, steps)
        except Exception as exc:  # the boundary around the steps: data of any shape
            problems.append(_step_failure(source.path, kind, exc))
            continue
        if not changes:
            continue
        if (root / source.path).is_symlink():
            problems.append(_link_problem(source.path))
            continue
        text = dump_editable(document, schema_target(kind)).encode("utf-8")
        rewritten.append(FileChange(source.path, source.raw, text, tuple(changes)))
    return rewritten, problems


def _all_problems(registry: Any, schemas: Any, today: date) -> list[Problem]:
    from coopctl.validation import check_registry

    return [*registry.load_problems, *check_registry(registry, schemas, today)]


def _new_errors(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """The errors of `after` that `before` has not, counted by code and file (lines move and
    messages name fields differently after a migration), in the files that had no error
    before: a value a step cannot map (an invalid choice) may leave a file that had errors
    with other ones, as validate will show. A file that no longer reads (an F or Y error)
    counts wherever it is."""
    errors = [p for p in before if p.severity is Severity.ERROR]
    known = Counter((p.code, p.path) for p in errors)
    invalid_before = {p.path for p in errors}
    added = []
    for problem in sorted(after, key=lambda p: p.sort_key):
        if problem.severity is not Severity.ERROR:
            continue
        key = (problem.code, problem.path)
        if known[key]:
            known[key] -= 1
        elif problem.path not in invalid_before or problem.code[0] in "FY":
            added.append(problem)
    return added


def _schema_changes(root: Path, own: Path, bundled: Path, target: int) -> list[FileChange]:
    """The registry's schema files that differ from coopctl's own of `target`."""
    from coopctl.schemas import DEFS_FILE, schema_file

    message = _("replaced by coopctl's schemas of version {version}").format(version=target)
    changes = []
    for name in (DEFS_FILE, *(schema_file(kind) for kind in KINDS)):
        before = (own / name).read_bytes()
        after = (bundled / name).read_bytes()
        if before != after:
            relative = f"{SCHEMAS_DIR}/{name}"
            changes.append(FileChange(relative, before, after, (Change("", message),)))
    return changes


def write_plan(plan: MigrationPlan) -> None:
    """Write a plan without problems: the entity files as one set, then the schema files as
    one set (each file to a temporary file first, then all renamed). A file changed since
    the plan was made stops the writing before anything is renamed (WriteError)."""
    from coopctl.fsio import WriteError
    from coopctl.fsswap import replace_files

    assert not plan.problems
    schema_prefix = f"{SCHEMAS_DIR}/"
    data = [c for c in plan.files if not c.path.startswith(schema_prefix)]
    schemas = [c for c in plan.files if c.path.startswith(schema_prefix)]
    if data:
        replace_files({plan.root / c.path: (c.before, c.after) for c in data})
    try:
        replace_files({plan.root / c.path: (c.before, c.after) for c in schemas})
    except WriteError as exc:
        if not data:
            raise
        raise WriteError(
            _(
                "the entity files are migrated, but the schema files could not be replaced: "
                "{reason}"
            ).format(reason=exc.message),
            hint=_("run 'coopctl migrate' again to finish the migration"),
        ) from exc
