"""Schema versions: which version a registry's schemas are written for, and which this coopctl
reads.

Each schema file says its version in `x-version` (the line after `$schema`); a file without it
is version 1, the version before versions were written down. The four files of one registry
agree. coopctl reads registries of CURRENT_VERSION; an older registry is read only by
`coopctl migrate` (`coopctl.migrate`), which brings it to the current version.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from coopctl.codes import new_problem
from coopctl.errors import CoopctlError, UsageError
from coopctl.i18n import _
from coopctl.model import Problem

CURRENT_VERSION = 2  # the version this coopctl reads and writes
MIGRATES_FROM = frozenset({1})  # older versions `coopctl migrate` brings to CURRENT_VERSION
FIRST_VERSION = 1  # a schema file without `x-version`
VERSION_KEY = "x-version"
SCHEMAS_DIR = "schemas"


class VersionProblem(CoopctlError):
    """The registry's schemas are of a version coopctl does not read (exit 1): `problem` is
    the one Problem validate reports instead of checking the files."""

    def __init__(self, problem: Problem, hint: str) -> None:
        where = f"{problem.path}:{problem.line}:{problem.column}"
        message = f"{where}: [{problem.code}] {problem.message}"
        super().__init__(message, hint=hint, code=problem.code)
        self.problem = dataclasses.replace(problem, hint=hint)


def declared_version(document: Mapping[str, Any]) -> int | None:
    """The `x-version` of one schema document: FIRST_VERSION when absent, None when it is not
    a whole number of at least 1."""
    if not isinstance(document, Mapping):
        return None
    value = document.get(VERSION_KEY, FIRST_VERSION)
    if isinstance(value, bool) or not isinstance(value, int) or value < FIRST_VERSION:
        return None
    return value


@dataclass(frozen=True)
class SchemaVersions:
    """The version each schema file of a registry declares (None: not a valid version)."""

    by_file: Mapping[str, int | None]
    lines: Mapping[str, tuple[int, int]]  # where each file's `x-version` is (1:1 if absent)

    @classmethod
    def of(
        cls, documents: Mapping[str, Mapping[str, Any]], raw: Mapping[str, bytes]
    ) -> SchemaVersions:
        return cls(
            {name: declared_version(document) for name, document in documents.items()},
            {name: _position(raw.get(name, b"")) for name in documents},
        )

    @property
    def version(self) -> int | None:
        """The one version all files agree on, else None."""
        found = set(self.by_file.values())
        if len(found) != 1:
            return None
        return next(iter(found))

    def problem_at(self, name: str, code: str, message: str) -> Problem:
        line, column = self.lines[name]
        return new_problem(code, message, f"{SCHEMAS_DIR}/{name}", line=line, column=column)


def _position(raw: bytes) -> tuple[int, int]:
    match = re.search(rb'"x-version"\s*:', raw)
    if match is None:
        return 1, 1
    before = raw[: match.start()]
    line = before.count(b"\n") + 1
    return line, match.start() - (before.rfind(b"\n") + 1) + 1


def require_current(versions: SchemaVersions) -> None:
    """Nothing if the registry is of CURRENT_VERSION. An older registry is a VersionProblem
    (V001) naming `coopctl migrate`; files that disagree or give no valid version are V002; a
    registry newer than coopctl is a UsageError (exit 2) asking to upgrade coopctl."""
    version = versions.version
    if version == CURRENT_VERSION:
        return
    names = sorted(versions.by_file)
    newest = max((v for v in versions.by_file.values() if v is not None), default=None)
    if newest is not None and newest > CURRENT_VERSION:
        raise newer_registry(newest)
    if version is None:
        written = ", ".join(f"{name} {_version_text(versions.by_file[name])}" for name in names)
        raise VersionProblem(
            versions.problem_at(
                _first_unlike(versions),
                "V002",
                _("the schema files are not of one schema version ({versions})").format(
                    versions=written
                ),
            ),
            _(
                "restore the schemas from git, or replace them with coopctl's own by running "
                "'coopctl migrate' (it also upgrades the data)"
            ),
        )
    name = names[0]
    raise VersionProblem(
        versions.problem_at(
            name,
            "V001",
            _(
                "the registry is written for schema version {version}; this coopctl reads "
                "version {current}: run 'coopctl migrate' to upgrade it"
            ).format(version=version, current=CURRENT_VERSION),
        ),
        _("'coopctl migrate --check' lists what would change; nothing else is checked until then"),
    )


def _first_unlike(versions: SchemaVersions) -> str:
    """The schema file to point at: the first whose version is not valid, else the first of
    those behind the newest (a partial copy of older schemas)."""
    names = sorted(versions.by_file)
    for name in names:
        if versions.by_file[name] is None:
            return name
    newest = max(v for v in versions.by_file.values() if v is not None)
    return next(name for name in names if versions.by_file[name] != newest)


def _version_text(version: int | None) -> str:
    return str(version) if version is not None else "?"


def newer_registry(version: int) -> UsageError:
    """The error for a registry written for a newer schema version than this coopctl's."""
    return UsageError(
        _(
            "the registry is written for schema version {version}; this coopctl reads "
            "version {current}"
        ).format(version=version, current=CURRENT_VERSION),
        hint=_("upgrade coopctl (pip install --upgrade coopctl) to read this registry"),
    )


def oldest_version(versions: SchemaVersions) -> int:
    """The version to migrate from: the oldest any schema file declares (the steps leave
    what is migrated already as it is). A file without a valid version is a VersionProblem
    (V002); a registry newer than coopctl a UsageError."""
    declared = list(versions.by_file.values())
    valid = [v for v in declared if v is not None]
    if len(valid) < len(declared) or not valid:
        require_current(versions)  # V002: not of one valid version
    if max(valid) > CURRENT_VERSION:
        raise newer_registry(max(valid))
    return min(valid)
