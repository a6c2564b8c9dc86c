"""Reporters for problems, chosen by name with --format."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

from rich.console import Console
from rich.text import Text

from coopctl import __version__
from coopctl.cli.output import safe
from coopctl.codes import CODES
from coopctl.model import Problem, Severity
from coopctl.validation import ValidateResult
from coopctl.yamlio import Locator

JSON_FORMAT_VERSION = 1
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


def problem_line(problem: Problem, prefix: str = "") -> str:
    """The plain one-line form: path:line:col: severity[CODE] message."""
    return (
        f"{prefix}{problem.path}:{problem.line}:{problem.column}: "
        f"{problem.severity.value}[{problem.code}] {safe(problem.message)}"
    )


def _styled_line(problem: Problem, prefix: str) -> Text:
    text = Text(f"{prefix}{problem.path}:{problem.line}:{problem.column}: ", style="bold")
    text.append(f"{problem.severity.value}", style=_STYLE[problem.severity])
    text.append(f"[{problem.code}] ", style=_STYLE[problem.severity])
    text.append(safe(problem.message))
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
    source = Locator(raw).source_line(problem.line)
    if source is None:
        return
    gutter = f"{problem.line:>5} | "
    console.print(Text(gutter, style="dim") + Text(safe(source)))
    console.print(Text(" " * (len(gutter) + problem.column - 1) + "^", style="bold red"))


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
                    console.print(Text(f"        hint: {safe(problem.hint)}", style="dim"))
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
    console.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def escape_data(value: str) -> str:
    """GitHub workflow command data: %, CR and LF must be escaped."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """GitHub workflow command properties: additionally ':' and ','."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _workspace_prefix(root: Path) -> str:
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return ""
    try:
        relative = root.resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return ""
    return "" if relative == "." else relative + "/"


def report_github(console: Console, result: ValidateResult, **options: object) -> None:
    prefix = _workspace_prefix(result.root)
    for problem in result.problems:
        command = "error" if problem.severity is Severity.ERROR else "warning"
        properties = ",".join(
            [
                f"file={escape_property(prefix + problem.path)}",
                f"line={problem.line}",
                f"col={problem.column}",
                f"title={escape_property(problem.code)}",
            ]
        )
        console.file.write(f"::{command} {properties}::{escape_data(problem.message)}\n")
    report_text(console, result, prefix=prefix, **options)  # type: ignore[arg-type]


Reporter = Callable[..., None]
REPORTERS: dict[str, Reporter] = {"text": report_text, "json": report_json, "github": report_github}
