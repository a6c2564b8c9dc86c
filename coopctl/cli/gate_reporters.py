"""Reporters of the pull-request gate (`coopctl check`), chosen by name with --format, and the
Markdown job summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from coopctl import __version__
from coopctl.cli import scanning
from coopctl.cli.changes import (
    JSON_FORMAT_VERSION,
    diff_json,
    diff_markdown,
    diff_text,
    revision_label,
)
from coopctl.cli.reporters import (
    Reporter,
    code_frame,
    count_text,
    problem_json,
    styled_line,
    workflow_command,
)
from coopctl.escaping import markdown, to_json
from coopctl.fsio import write_atomic
from coopctl.i18n import _, ngettext
from coopctl.model import Problem, Severity

if TYPE_CHECKING:
    from coopctl.gate import GateResult


def _gate_line(result: GateResult) -> str:
    new_warnings = len(result.new_problems) - result.new_errors
    old = len(result.existing_problems)
    counts = {
        "errors": ngettext("{count} new error", "{count} new errors", result.new_errors).format(
            count=count_text(result.new_errors)
        ),
        "warnings": ngettext("{count} new warning", "{count} new warnings", new_warnings).format(
            count=count_text(new_warnings)
        ),
        "existing": ngettext(
            "{count} problem already on the base", "{count} problems already on the base", old
        ).format(count=count_text(old)),
    }
    if result.failed:
        line = _("coopctl check failed: {errors}, {warnings}, {existing}")
    else:
        line = _("coopctl check passed: {errors}, {warnings}, {existing}")
    line = line.format(**counts)
    if result.new_only:
        line += " " + _("(only new problems fail the check)")
    return line + "."


def check_text(console: Console, result: GateResult, show_source: bool = False) -> None:
    diff_text(console, result.diff)
    for title, problems in (
        (_("New problems"), result.new_problems),
        (_("Problems already on the base"), result.existing_problems),
    ):
        if not problems:
            continue
        console.print()
        console.print(Text(f"{title}:", style="bold"))
        for problem in problems:
            console.print(styled_line(problem, ""))
            if show_source:
                code_frame(console, problem, result.sources.get(problem.path))
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
    head = _("| | file | line | code | message |")
    rows = [head, "| --- | --- | --- | --- | --- |"]
    for problem in problems:
        mark = "❌" if problem.severity is Severity.ERROR else "⚠️"
        rows.append(
            f"| {mark} | {markdown(problem.path)} | {problem.line} | {problem.code} | "
            f"{markdown(problem.message)} |"
        )
    return rows


def check_markdown(result: GateResult) -> str:
    verdict = _("❌ failed") if result.failed else _("✅ passed")
    diff = result.diff
    new_warnings = len(result.new_problems) - result.new_errors
    existing = result.existing_problems
    lines = [
        _("## coopctl check {verdict}").format(verdict=verdict),
        "",
        _("Base {base} → head {head}.").format(
            base=markdown(revision_label(diff.base)), head=markdown(revision_label(diff.head))
        ),
        "",
        _("| | errors | warnings |"),
        "| --- | --- | --- |",
        _("| new | {errors} | {warnings} |").format(
            errors=count_text(result.new_errors), warnings=count_text(new_warnings)
        ),
        _("| already on the base | {errors} | {warnings} |").format(
            errors=count_text(sum(p.severity is Severity.ERROR for p in existing)),
            warnings=count_text(sum(p.severity is Severity.WARNING for p in existing)),
        ),
        "",
        _("### Changes"),
        "",
        diff_markdown(diff).rstrip(),
        "",
    ]
    if result.new_problems:
        lines += [_("### New problems"), "", *_problem_rows(result.new_problems), ""]
    if existing:
        summary = _("Problems already on the base ({count})").format(
            count=count_text(len(existing))
        )
        lines += [
            f"<details><summary>{summary}</summary>",
            "",
            *_problem_rows(existing),
            "",
            "</details>",
            "",
        ]
    touched = sorted({f"{c.kind}:{c.id}" for c in diff.entity_changes()})
    if touched:
        lines += [_("### Entities touched"), "", ", ".join(markdown(t) for t in touched), ""]
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
