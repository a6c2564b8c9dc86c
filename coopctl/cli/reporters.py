"""Reporters chosen by name with --format: problems (validate) here, semantic diffs (diff) in
coopctl.cli.changes, the pull-request gate's (check) in coopctl.cli.gate_reporters."""

from __future__ import annotations

import os
from collections.abc import Callable
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from coopctl import __version__
from coopctl.cli import scanning, words
from coopctl.cli.changes import JSON_FORMAT_VERSION
from coopctl.codes import CODES
from coopctl.escaping import plain, to_json, workflow_data, workflow_property
from coopctl.i18n import _, ngettext
from coopctl.localformat import format_number
from coopctl.model import Problem, Severity

if TYPE_CHECKING:
    from coopctl.validation import ValidateResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def severity_word(severity: Severity) -> str:
    return words.severity_word(severity.value)


def problem_line(problem: Problem, prefix: str = "") -> str:
    """The plain one-line form: path:line:col: severity[CODE] message, escaped as a whole."""
    return plain(
        f"{prefix}{problem.path}:{problem.line}:{problem.column}: "
        f"{severity_word(problem.severity)}[{problem.code}] {problem.message}"
    )


def styled_line(problem: Problem, prefix: str) -> Text:
    """`problem_line` with colour: the same characters, styled in three parts."""
    where = plain(f"{prefix}{problem.path}:{problem.line}:{problem.column}: ")
    text = Text(where, style="bold")
    text.append(severity_word(problem.severity), style=_STYLE[problem.severity])
    text.append(f"[{problem.code}] ", style=_STYLE[problem.severity])
    text.append(plain(problem.message))
    return text


def count_text(number: int) -> str:
    """A count for people, with the separators of the language."""
    return format_number(number)


def _summary(result: ValidateResult) -> Text:
    kinds = ", ".join(_kindcount_text(kind, n) for kind, n in result.counts.items())
    checked = result.files_checked
    if not result.problems:
        message = ngettext(
            "No problems: {kinds} in {files} file checked.",
            "No problems: {kinds} in {files} files checked.",
            checked,
        )
        return Text(message.format(kinds=kinds, files=count_text(checked)), style="green")
    files = len({p.path for p in result.problems})
    errors = ngettext("{count} error", "{count} errors", result.errors)
    warnings = ngettext("{count} warning", "{count} warnings", result.warnings)
    if result.errors and result.warnings:
        found = _("{errors} and {warnings}").format(
            errors=errors.format(count=count_text(result.errors)),
            warnings=warnings.format(count=count_text(result.warnings)),
        )
    elif result.errors:
        found = errors.format(count=count_text(result.errors))
    else:
        found = warnings.format(count=count_text(result.warnings))
    in_files = ngettext("in {count} file", "in {count} files", files).format(
        count=count_text(files)
    )
    checked_files = ngettext("{count} file checked", "{count} files checked", checked).format(
        count=count_text(checked)
    )
    style = "bold red" if result.errors else "yellow"
    return Text(
        _("Found {found} {in_files} ({checked}).").format(
            found=found, in_files=in_files, checked=checked_files
        ),
        style=style,
    )


def _kindcount_text(kind: str, number: int) -> str:
    if kind == "partner":
        text = ngettext("{count} partner", "{count} partners", number)
    elif kind == "agreement":
        text = ngettext("{count} agreement", "{count} agreements", number)
    elif kind == "solution":
        text = ngettext("{count} solution", "{count} solutions", number)
    else:
        text = "{count} " + kind
    return text.format(count=count_text(number))


def code_frame(console: Console, problem: Problem, raw: bytes | None) -> None:
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
    for index, (_path, group) in enumerate(groupby(result.problems, key=lambda p: p.path)):
        if index:
            console.print()
        for problem in group:
            console.print(styled_line(problem, prefix))
            if show_source:
                code_frame(console, problem, result.sources.get(problem.path))
                if problem.hint:
                    hint = _("hint: {hint}").format(hint=plain(problem.hint))
                    console.print(Text(f"        {hint}", style="dim"))
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
