"""Reporters chosen by name with --format: problems (validate) and semantic diffs (diff); the
pull-request gate's (check) are in coopctl.cli.gate_reporters."""

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
from coopctl.cli import scanning, words
from coopctl.cli.output import print_lines
from coopctl.cli.words import kind_word
from coopctl.codes import CODES
from coopctl.escaping import markdown, plain, to_json, workflow_data, workflow_property
from coopctl.i18n import N_, _, ngettext
from coopctl.localformat import format_number
from coopctl.model import Change, Problem, Severity
from coopctl.schemas import pointer_path

if TYPE_CHECKING:
    from coopctl.diff import DiffResult
    from coopctl.validation import ValidateResult

JSON_FORMAT_VERSION = 1
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
        return _("{field}: added {value}").format(field=where, value=short_value(change.new))
    if change.action == "removed":
        return _("{field}: removed {value}").format(field=where, value=short_value(change.old))
    return f"{where}: {short_value(change.old)} -> {short_value(change.new)}"


_ENTITY_ACTIONS = {
    "added": N_("{kind} {id} added ({path})"),
    "removed": N_("{kind} {id} removed ({path})"),
    "modified": N_("{kind} {id} modified ({path})"),
    "changed": N_("{kind} {id} changed ({path})"),
}


def _entity_words(change: Change) -> str:
    kind = kind_word(change.kind)
    if change.action == "renamed":
        moved = f"{change.old_path} -> {change.path}"
        if change.old_id != change.id:
            return _("{kind} {old_id} renamed to {id} ({moved})").format(
                kind=kind, old_id=change.old_id, id=change.id, moved=moved
            )
        return _("{kind} {id} moved ({moved})").format(kind=kind, id=change.id, moved=moved)
    template = _ENTITY_ACTIONS.get(change.action, "{kind} {id} {action} ({path})")
    return _(template).format(kind=kind, id=change.id, path=change.path, action=change.action)


def describe_change(change: Change) -> str:
    """One change in words, with its symbol: '+ partner x added (path)', '~ status: ...'."""
    words = _field_words(change) if change.pointer else _entity_words(change)
    return f"{_SYMBOL[change.action]} {words}"


_ACTION_COUNTS = {
    "added": N_("{count} added"),
    "removed": N_("{count} removed"),
    "renamed": N_("{count} renamed"),
    "modified": N_("{count} modified"),
}


def revision_label(label: str) -> str:
    """A revision as the diff names it; the working tree in the language of the run."""
    from coopctl.diff import WORKING_TREE

    return _("working tree") if label == WORKING_TREE else label


def _diff_counts(diff: DiffResult) -> str:
    counts = diff.counts()
    total = sum(counts.values())
    if not total:
        return _("No semantic changes between {base} and {head}.").format(
            base=revision_label(diff.base), head=revision_label(diff.head)
        )
    parts = ", ".join(
        _(_ACTION_COUNTS.get(action, "{count} " + action)).format(count=count_text(n))
        for action, n in counts.items()
        if n
    )
    return ngettext(
        "{count} entity changed: {parts}.", "{count} entities changed: {parts}.", total
    ).format(count=count_text(total), parts=parts)


def diff_text(console: Console, diff: DiffResult) -> None:
    """The changes, a line each, printed at once (`print_lines`)."""
    style = {"added": "green", "removed": "red", "renamed": "cyan", "modified": "yellow"}
    lines = []
    for change in diff.entity_changes():
        line = Text(f"{_SYMBOL[change.action]} ", style=style[change.action])
        line.append(plain(_entity_words(change)), style="bold")
        lines.append(line)
        lines.extend(
            Text(f"    {_SYMBOL[field.action]} {plain(_field_words(field))}")
            for field in diff.fields_of(change)
        )
    lines.extend(styled_line(problem, "") for problem in diff.problems)
    lines.append(Text(plain(_diff_counts(diff)), style="bold"))
    print_lines(console, lines)


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


_ACTION_WORDS = {
    "added": N_("added"),
    "removed": N_("removed"),
    "renamed": N_("renamed"),
    "modified": N_("modified"),
}


def diff_markdown(diff: DiffResult) -> str:
    lines = [f"{markdown(_diff_counts(diff))}", ""]
    for change in diff.entity_changes():
        words = (
            _entity_words(change)
            if change.action == "renamed"
            else f"{kind_word(change.kind)} {change.id} ({change.path})"
        )
        action = _(_ACTION_WORDS.get(change.action, change.action))
        lines.append(f"- **{action}** {markdown(words)}")
        lines.extend(f"  - {markdown(_field_words(field))}" for field in diff.fields_of(change))
    return "\n".join(lines).rstrip() + "\n"


def report_diff_markdown(console: Console, diff: DiffResult) -> None:
    header = _("### Changes from {base} to {head}").format(
        base=markdown(revision_label(diff.base)), head=markdown(revision_label(diff.head))
    )
    header += "\n\n"
    console.file.write(header + diff_markdown(diff))


DIFF_REPORTERS: dict[str, Callable[[Console, DiffResult], None]] = {
    "text": diff_text,
    "json": report_diff_json,
    "markdown": report_diff_markdown,
}
