"""Semantic changes in words and as JSON, for `diff`, `history` and the summary of `check`.

Neither typer nor rich is imported here: `diff` and `history` write plain lines straight to
standard output where rich would write nothing but the characters (`plain_stdout`), and import
rich only for colour on a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, TextIO, TypeAlias

from coopctl import __version__
from coopctl.cli.words import kind_word
from coopctl.escaping import markdown, plain, to_json
from coopctl.i18n import N_, _, ngettext
from coopctl.localformat import format_number
from coopctl.model import Change
from coopctl.schemas import pointer_path

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from coopctl.diff import DiffResult

JSON_FORMAT_VERSION = 1

# A line of text output: its pieces, each with the style it has on a terminal (or a rich
# Text made elsewhere).
Line: TypeAlias = "list[tuple[str, str | None]] | Text"


def plain_stdout() -> TextIO | None:
    """Standard output, when the console of `coopctl.cli.output.make_console` would write
    only the characters to it, no colour and no style: it is not a terminal and neither
    FORCE_COLOR nor TTY_COMPATIBLE asks for one (the tests rich itself makes). None
    otherwise: then the console writes it."""
    import builtins

    stream = sys.stdout
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if hasattr(builtins, "get_ipython") or compatible == "1":
        return None
    if compatible == "0":
        return stream
    if "FORCE_COLOR" in os.environ:
        return None
    try:
        terminal = stream.isatty()
    except (ValueError, AttributeError):
        return None
    return None if terminal else stream


def write_lines(lines: Sequence[Line], console: Console | None = None) -> None:
    """Lines at once: their characters straight to standard output where that is all the
    console would write there (`plain_stdout`), else through `console` (a new one on standard
    output if None) with their styles, as `coopctl.cli.output.print_lines`."""
    plain_to = plain_stdout() if console is None or console.file is sys.stdout else None
    if plain_to is not None:
        plain_to.write("".join(_characters(line) + "\n" for line in lines))
        return
    from coopctl.cli.output import make_console, print_lines

    print_lines(console or make_console(), [_styled(line) for line in lines])


def _characters(line: Line) -> str:
    return "".join(text for text, _style in line) if isinstance(line, list) else line.plain


def _styled(line: Line) -> Text:
    if not isinstance(line, list):
        return line
    from rich.text import Text

    if not line:
        return Text()
    (first, base), *rest = line  # the first piece's style is the whole line's, as before
    text = Text(first, style=base or "")
    for piece, style in rest:
        text.append(piece, style=style)
    return text


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
        _(_ACTION_COUNTS.get(action, "{count} " + action)).format(count=format_number(n))
        for action, n in counts.items()
        if n
    )
    return ngettext(
        "{count} entity changed: {parts}.", "{count} entities changed: {parts}.", total
    ).format(count=format_number(total), parts=parts)


_STYLE = {"added": "green", "removed": "red", "renamed": "cyan", "modified": "yellow"}


def _diff_lines(diff: DiffResult) -> Iterator[Line]:
    """The changes, a line each; the load problems and the counts after them."""
    fields_of = diff.fields_of
    for change in diff.entity_changes():
        yield [
            (f"{_SYMBOL[change.action]} ", _STYLE[change.action]),
            (plain(_entity_words(change)), "bold"),
        ]
        for field in fields_of(change):
            yield [(f"    {_SYMBOL[field.action]} {plain(_field_words(field))}", None)]
    if diff.problems:
        from coopctl.cli.reporters import styled_line

        yield from (styled_line(problem, "") for problem in diff.problems)
    yield [(plain(_diff_counts(diff)), "bold")]


def diff_text(console: Console | None, diff: DiffResult) -> None:
    """The changes, a line each, printed at once (`write_lines`)."""
    write_lines(list(_diff_lines(diff)), console)


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
        "problems": _problems_json(diff),
    }


def _out(console: Console | None) -> IO[str]:
    return sys.stdout if console is None else console.file


def report_diff_json(console: Console | None, diff: DiffResult) -> None:
    document = {"format_version": JSON_FORMAT_VERSION, "coopctl_version": __version__}
    document.update(diff_json(diff))
    _out(console).write(to_json(document) + "\n")


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


def report_diff_markdown(console: Console | None, diff: DiffResult) -> None:
    header = _("### Changes from {base} to {head}").format(
        base=markdown(revision_label(diff.base)), head=markdown(revision_label(diff.head))
    )
    header += "\n\n"
    _out(console).write(header + diff_markdown(diff))


def _problems_json(diff: DiffResult) -> list[dict[str, object]]:
    if not diff.problems:
        return []
    from coopctl.cli.reporters import problem_json

    return [problem_json(p) for p in diff.problems]


# Each writes on the console, or (None) on standard output with rich only where it colours.
DIFF_REPORTERS: dict[str, Callable[[Console | None, DiffResult], None]] = {
    "text": diff_text,
    "json": report_diff_json,
    "markdown": report_diff_markdown,
}
