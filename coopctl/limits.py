"""At most so many problems per file: a file with 20,000 bad sources costs what one with a
hundred does, in locating (one round-trip walk per problem shown), in memory and in output.

The problems beyond the limit are folded into one L001 entry per file, "and N more problems in
this file", whose severity is the highest among those it stands for, so the exit code does not
change with the limit.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from coopctl.codes import new_problem
from coopctl.i18n import _, ngettext
from coopctl.model import Problem, Severity

DEFAULT_MAX_PROBLEMS = 100
SUMMARY = "L001"
_SINGULAR = "and {count} more problem in this file"
_PLURAL = "and {count} more problems in this file"


def facts_digest(schemas_digest: str, max_problems: int) -> str:
    """The key of cached facts: the schemas, and the limit, since facts hold at most that many
    problems of their file."""
    return f"{schemas_digest}:{max_problems}"


def summary(path: str, hidden: int, severity: Severity) -> Problem:
    found = new_problem(
        SUMMARY,
        ngettext(
            "and {count} more problem in this file",
            "and {count} more problems in this file",
            hidden,
        ).format(count=hidden),
        path,
        line=1,
        column=1,
        hint=_("fix the problems shown, or pass --max-problems-per-file 0 to see all"),
    )
    return dataclasses.replace(found, severity=severity)


def _count_patterns() -> list[re.Pattern[str]]:
    """The summary's message in the language of the run (in which the facts were gathered:
    the cache of facts is kept per language), with its number as a group; every plural form."""
    forms = {ngettext(_SINGULAR, _PLURAL, n) for n in (1, 2, 5, 21)}
    return [re.compile("^" + re.escape(form).replace(r"\{count\}", "([0-9]+)")) for form in forms]


def _hidden(found: Problem) -> int:
    for pattern in _count_patterns():
        match = pattern.match(found.message)
        if match:
            return int(match.group(1))
    return 0


def cap(problems: Sequence[Problem], limit: int) -> tuple[list[Problem], Problem | None]:
    """The first `limit` problems of one file (all when `limit` is 0 or not reached) and the
    summary of the rest, or None."""
    if limit <= 0 or len(problems) <= limit:
        return list(problems), None
    rest = problems[limit:]
    worst = Severity.ERROR if any(p.severity is Severity.ERROR for p in rest) else Severity.WARNING
    return list(problems[:limit]), summary(problems[0].path, len(rest), worst)


def limit_per_file(problems: Iterable[Problem], limit: int) -> list[Problem]:
    """Every file's problems cut to `limit` (the first by position), with one summary each
    for what was cut here or before (when the facts of a file were gathered)."""
    if limit <= 0:
        return list(problems)
    by_path: dict[str, list[Problem]] = {}
    for found in problems:
        by_path.setdefault(found.path, []).append(found)
    result: list[Problem] = []
    for path, group in by_path.items():
        earlier = [p for p in group if p.code == SUMMARY and _hidden(p)]
        shown = sorted((p for p in group if p not in earlier), key=lambda p: p.sort_key)
        kept, cut = cap(shown, limit)
        hidden = sum(_hidden(p) for p in earlier) + (_hidden(cut) if cut else 0)
        result.extend(kept)
        if hidden:
            worst = [p.severity for p in earlier] + ([cut.severity] if cut else [])
            severity = Severity.ERROR if Severity.ERROR in worst else Severity.WARNING
            result.append(summary(path, hidden, severity))
    return result
