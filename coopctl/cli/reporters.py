"""Reporters chosen by name with --format: problems (validate), semantic diffs (diff) and
the pull-request gate (check)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from coopctl import __version__
from coopctl.cli import scanning
from coopctl.codes import CODES
from coopctl.escaping import markdown, plain, to_json, workflow_data, workflow_property
from coopctl.fsio import write_atomic
from coopctl.model import Change, Problem, Severity
from coopctl.schemas import pointer_path

if TYPE_CHECKING:
    from coopctl.diff import DiffResult
    from coopctl.gate import GateResult
    from coopctl.validation import ValidateResult

JSON_FORMAT_VERSION = 1
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def problem_line(problem: Problem, prefix: str = "") -> str:
    """The plain one-line form: path:line:col: severity[CODE] message, escaped as a whole."""
    return plain(
        f"{prefix}{problem.path}:{problem.line}:{problem.column}: "
        f"{problem.severity.value}[{problem.code}] {problem.message}"
    )


def _styled_line(problem: Problem, prefix: str) -> Text:
    """`problem_line` with colour: the same characters, styled in three parts."""
    where = plain(f"{prefix}{problem.path}:{problem.line}:{problem.column}: ")
    text = Text(where, style="bold")
    text.append(f"{problem.severity.value}", style=_STYLE[problem.severity])
    text.append(f"[{problem.code}] ", style=_STYLE[problem.severity])
    text.append(plain(problem.message))
    return text


def _summary(result: ValidateResult) -> Text:
    kinds = ", ".join(f"{n} {kind}{'s' * (n != 1)}" for kind, n in result.counts.items())
    if not result.problems:
        return Text(f"No problems: {kinds} in {result.files_checked} files checked.", style="green")
    files = len({p.path for p in result.problems})
    parts = []
    if result.errors:
        parts.append(f"{result.errors} error{'s' * (result.errors != 1)}")
    if result.warnings:
        parts.append(f"{result.warnings} warning{'s' * (result.warnings != 1)}")
    style = "bold red" if result.errors else "yellow"
    return Text(
        f"Found {' and '.join(parts)} in {files} file{'s' * (files != 1)} "
        f"({result.files_checked} files checked).",
        style=style,
    )


def _code_frame(console: Console, problem: Problem, raw: bytes | None) -> None:
    if raw is None:
        return
    from coopctl.locator import Locator

    source = Locator(raw).source_line(problem.line)
    if source is None:
        return
    gutter = f"{problem.line:>5} | "
    console.print(Text(gutter, style="dim") + Text(plain(source)))
    before = len(plain(source[: problem.column - 1]))  # escapes widen the line before the caret
    console.print(Text(" " * (len(gutter) + before) + "^", style="bold red"))


def report_text(
    console: Console, result: ValidateResult, show_source: bool = False, prefix: str = ""
) -> None:
    for index, (_, group) in enumerate(groupby(result.problems, key=lambda p: p.path)):
        if index:
            console.print()
        for problem in group:
            console.print(_styled_line(problem, prefix))
            if show_source:
                _code_frame(console, problem, result.sources.get(problem.path))
                if problem.hint:
                    console.print(Text(f"        hint: {plain(problem.hint)}", style="dim"))
    if result.problems:
        console.print()
    console.print(_summary(result))


def problem_json(problem: Problem) -> dict[str, object]:
    return {
        "code": problem.code,
        "name": CODES[problem.code].name,
        "severity": problem.severity.value,
        "message": problem.message,
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "pointer": problem.pointer,
        "entity": problem.entity,
        "hint": problem.hint,
    }


def report_json(console: Console, result: ValidateResult, **_: object) -> None:
    document = {
        "format_version": JSON_FORMAT_VERSION,
        "coopctl_version": __version__,
        "root": str(result.root),
        "summary": {
            "by_kind": dict(result.counts),
            "files": result.files_checked,
            "entities": result.entities,
            "errors": result.errors,
            "warnings": result.warnings,
        },
        "problems": [problem_json(p) for p in result.problems],
    }
    console.file.write(to_json(document) + "\n")


def _workspace_prefix(root: Path) -> str:
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        relative = root.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def workflow_command(command: str, problem: Problem, prefix: str) -> str:
    """One GitHub workflow command line for a problem: `::error file=...::message`."""
    properties = ",".join(
        [
            f"file={workflow_property(prefix + problem.path)}",
            f"line={problem.line}",
            f"col={problem.column}",
            f"title={workflow_property(problem.code)}",
        ]
    )
    return f"::{command} {properties}::{workflow_data(problem.message)}\n"


def report_github(console: Console, result: ValidateResult, **options: object) -> None:
    prefix = _workspace_prefix(result.root)
    for problem in result.problems:
        command = "error" if problem.severity is Severity.ERROR else "warning"
        console.file.write(workflow_command(command, problem, prefix))
    report_text(console, result, prefix=prefix, **options)  # type: ignore[arg-type]


Reporter = Callable[..., None]
REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "gitlab": scanning.report_gitlab,
    "sarif": scanning.report_sarif,
}


# --- semantic diffs ------------------------------------------------------------------------------

_SYMBOL = {"added": "+", "removed": "-", "renamed": ">", "modified": "~", "changed": "~"}


def short_value(value: object, limit: int = 80) -> str:
    """A value on one line: text quoted, everything else as JSON; long values shortened."""
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_name(pointer: str) -> str:
    return pointer_path(pointer)


def _field_words(change: Change) -> str:
    where = field_name(change.pointer or "")
    if change.action == "added":
        return f"{where}: added {short_value(change.new)}"
    if change.action == "removed":
        return f"{where}: removed {short_value(change.old)}"
    return f"{where}: {short_value(change.old)} -> {short_value(change.new)}"


def _entity_words(change: Change) -> str:
    if change.action == "renamed":
        moved = f"{change.old_path} -> {change.path}"
        if change.old_id != change.id:
            return f"{change.kind} {change.old_id} renamed to {change.id} ({moved})"
        return f"{change.kind} {change.id} moved ({moved})"
    return f"{change.kind} {change.id} {change.action} ({change.path})"


def describe_change(change: Change) -> str:
    """One change in words, with its symbol: '+ partner x added (path)', '~ status: ...'."""
    words = _field_words(change) if change.pointer else _entity_words(change)
    return f"{_SYMBOL[change.action]} {words}"


def _diff_counts(diff: DiffResult) -> str:
    counts = diff.counts()
    total = sum(counts.values())
    if not total:
        return f"No semantic changes between {diff.base} and {diff.head}."
    parts = ", ".join(f"{n} {action}" for action, n in counts.items() if n)
    return f"{total} entit{'ies' if total != 1 else 'y'} changed: {parts}."


def diff_text(console: Console, diff: DiffResult) -> None:
    style = {"added": "green", "removed": "red", "renamed": "cyan", "modified": "yellow"}
    for change in diff.entity_changes():
        line = Text(f"{_SYMBOL[change.action]} ", style=style[change.action])
        line.append(plain(_entity_words(change)), style="bold")
        console.print(line)
        for field in diff.fields_of(change):
            console.print(
                Text(f"    {_SYMBOL[field.action]} {plain(_field_words(field))}"),
            )
    for problem in diff.problems:
        console.print(_styled_line(problem, ""))
    console.print(Text(plain(_diff_counts(diff)), style="bold"))


def change_json(change: Change) -> dict[str, object]:
    """The keys that name an entity change, the same in every JSON output."""
    return {
        "action": change.action,
        "kind": change.kind,
        "id": change.id,
        "path": change.path,
        "old_id": change.old_id,
        "old_path": change.old_path,
    }


def diff_json(diff: DiffResult) -> dict[str, object]:
    return {
        "base": diff.base,
        "head": diff.head,
        "summary": {**diff.counts(), "files_changed": diff.files_changed},
        "changes": [
            {
                **change_json(change),
                "fields": [
                    {
                        "action": field.action,
                        "pointer": field.pointer,
                        "field": field_name(field.pointer or ""),
                        "old": field.old,
                        "new": field.new,
                    }
                    for field in diff.fields_of(change)
                ],
            }
            for change in diff.entity_changes()
        ],
        "problems": [problem_json(p) for p in diff.problems],
    }


def report_diff_json(console: Console, diff: DiffResult) -> None:
    document = {"format_version": JSON_FORMAT_VERSION, "coopctl_version": __version__}
    document.update(diff_json(diff))
    console.file.write(to_json(document) + "\n")


def diff_markdown(diff: DiffResult) -> str:
    lines = [f"{markdown(_diff_counts(diff))}", ""]
    for change in diff.entity_changes():
        words = (
            _entity_words(change)
            if change.action == "renamed"
            else f"{change.kind} {change.id} ({change.path})"
        )
        lines.append(f"- **{change.action}** {markdown(words)}")
        lines.extend(f"  - {markdown(_field_words(field))}" for field in diff.fields_of(change))
    return "\n".join(lines).rstrip() + "\n"


def report_diff_markdown(console: Console, diff: DiffResult) -> None:
    header = f"### Changes from {markdown(diff.base)} to {markdown(diff.head)}\n\n"
    console.file.write(header + diff_markdown(diff))


DIFF_REPORTERS: dict[str, Callable[[Console, DiffResult], None]] = {
    "text": diff_text,
    "json": report_diff_json,
    "markdown": report_diff_markdown,
}


# --- the pull-request gate -----------------------------------------------------------------------


def _gate_line(result: GateResult) -> str:
    verdict = "failed" if result.failed else "passed"
    new_warnings = len(result.new_problems) - result.new_errors
    old = len(result.existing_problems)
    return (
        f"coopctl check {verdict}: {result.new_errors} new error"
        f"{'s' * (result.new_errors != 1)}, {new_warnings} new warning"
        f"{'s' * (new_warnings != 1)}, {old} problem{'s' * (old != 1)} already on the base"
        + (" (only new problems fail the check)" if result.new_only else "")
        + "."
    )


def check_text(console: Console, result: GateResult, show_source: bool = False) -> None:
    diff_text(console, result.diff)
    for title, problems in (
        ("New problems", result.new_problems),
        ("Problems already on the base", result.existing_problems),
    ):
        if not problems:
            continue
        console.print()
        console.print(Text(f"{title}:", style="bold"))
        for problem in problems:
            console.print(_styled_line(problem, ""))
            if show_source:
                _code_frame(console, problem, result.sources.get(problem.path))
    console.print()
    console.print(Text(_gate_line(result), style="bold red" if result.failed else "green"))


def check_json(result: GateResult) -> dict[str, object]:
    return {
        "format_version": JSON_FORMAT_VERSION,
        "coopctl_version": __version__,
        "root": str(result.root),
        "passed": not result.failed,
        "new_only": result.new_only,
        "summary": {
            "files": result.files_checked,
            "entities": result.entities,
            "errors": result.errors,
            "warnings": result.warnings,
            "new_errors": result.new_errors,
            "new_warnings": len(result.new_problems) - result.new_errors,
            "existing": len(result.existing_problems),
        },
        "problems": [{**problem_json(p), "new": result.is_new(p)} for p in result.problems],
        "diff": diff_json(result.diff),
    }


def report_check_json(console: Console, result: GateResult, **_: object) -> None:
    console.file.write(to_json(check_json(result)) + "\n")


def _problem_rows(problems: tuple[Problem, ...]) -> list[str]:
    rows = ["| | file | line | code | message |", "| --- | --- | --- | --- | --- |"]
    for problem in problems:
        mark = "❌" if problem.severity is Severity.ERROR else "⚠️"
        rows.append(
            f"| {mark} | {markdown(problem.path)} | {problem.line} | {problem.code} | "
            f"{markdown(problem.message)} |"
        )
    return rows


def check_markdown(result: GateResult) -> str:
    verdict = "❌ failed" if result.failed else "✅ passed"
    diff = result.diff
    new_warnings = len(result.new_problems) - result.new_errors
    lines = [
        f"## coopctl check {verdict}",
        "",
        f"Base {markdown(diff.base)} → head {markdown(diff.head)}.",
        "",
        "| | errors | warnings |",
        "| --- | --- | --- |",
        f"| new | {result.new_errors} | {new_warnings} |",
        f"| already on the base | "
        f"{sum(p.severity is Severity.ERROR for p in result.existing_problems)} | "
        f"{sum(p.severity is Severity.WARNING for p in result.existing_problems)} |",
        "",
        "### Changes",
        "",
        diff_markdown(diff).rstrip(),
        "",
    ]
    if result.new_problems:
        lines += ["### New problems", "", *_problem_rows(result.new_problems), ""]
    if result.existing_problems:
        lines += [
            "<details><summary>Problems already on the base "
            f"({len(result.existing_problems)})</summary>",
            "",
            *_problem_rows(result.existing_problems),
            "",
            "</details>",
            "",
        ]
    touched = sorted({f"{c.kind}:{c.id}" for c in diff.entity_changes()})
    if touched:
        lines += ["### Entities touched", "", ", ".join(markdown(t) for t in touched), ""]
    return "\n".join(lines)


def report_check_markdown(console: Console, result: GateResult, **_: object) -> None:
    console.file.write(check_markdown(result))


def write_step_summary(result: GateResult) -> None:
    """Append the Markdown summary to $GITHUB_STEP_SUMMARY, when GitHub Actions sets it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    path = Path(target)
    try:
        before = path.read_bytes() if path.exists() else b""
    except OSError:
        before = b""
    write_atomic(path, before + check_markdown(result).encode("utf-8"))


def report_check_github(console: Console, result: GateResult, **options: object) -> None:
    for problem in result.problems:
        command = "error" if problem.severity is Severity.ERROR else "warning"
        if not result.is_new(problem):
            command = "notice"
        console.file.write(workflow_command(command, problem, result.repo_prefix))
    check_text(console, result, **options)  # type: ignore[arg-type]


CHECK_REPORTERS: dict[str, Reporter] = {
    "text": check_text,
    "json": report_check_json,
    "github": report_check_github,
    "gitlab": scanning.report_check_gitlab,
    "sarif": scanning.report_check_sarif,
    "markdown": report_check_markdown,
}
