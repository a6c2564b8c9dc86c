"""The common YAML mistakes in plain words, with a hint built from the user's own line.

`YamlReader` turns the parser's error into a Problem at one place (`_parse_problem`). Before it
falls back to the parser's text (Y001), it asks `explain` whether the error is one of the
mistakes editors make most: a key indented to a column no block has (Y016), no space after a
key's colon (Y017), a quote that is never closed (Y018), a colon inside an unquoted value
(Y019). The tab (Y009) and the duplicate key (Y002) keep their codes and get their hints here.
Everything is decided from the parser's problem text, its marks and the source lines; what
does not match stays Y001.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coopctl.i18n import _

# indentation, an optional list dash, a plain key, its colon and the rest of the line
_KEY_LINE = re.compile(
    r"^(?P<indent>[ ]*)(?P<dash>(?:-[ ]+)*)"
    r"(?P<key>'[^']*'|\"[^\"]*\"|[^\s:#'\"\-][^:]*?):(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Explained:
    """A mistake found in a parser error: its code, words, hint and 1-based position."""

    code: str
    message: str
    hint: str
    line: int
    column: int


@dataclass(frozen=True)
class ParserError:
    """What the parser said (0-based marks, as ruamel.yaml gives them)."""

    problem: str
    context: str
    line: int
    column: int
    context_line: int | None = None
    context_column: int | None = None


def _key_column(text: str) -> tuple[str, int] | None:
    """The key a line starts and its 0-based column, if it is a `key: value` line."""
    found = _KEY_LINE.match(text)
    if not found or (found.group("rest") and not found.group("rest").startswith((" ", "\t"))):
        return None
    return found.group("key").strip(), len(found.group("indent")) + len(found.group("dash"))


def _is_content(text: str) -> bool:
    return bool(text.strip()) and not text.lstrip().startswith("#")


def _enclosing_keys(lines: list[str], before: int) -> list[tuple[str, int, int]]:
    """The keys a line after `before` (0-based) could stand beside: the key of the closest
    line above and the keys of the blocks around it, as (key, 0-based column, 1-based line)."""
    found: list[tuple[str, int, int]] = []
    limit: int | None = None
    for index in range(before, -1, -1):
        text = lines[index]
        if not _is_content(text):
            continue
        indent = len(text) - len(text.lstrip(" "))
        key = _key_column(text)
        if key is not None and (limit is None or key[1] < limit):
            found.append((key[0], key[1], index + 1))
            limit = key[1]
        elif limit is None or indent < limit:
            limit = indent
        if limit == 0:
            break
    return found


def _nearest(candidates: list[tuple[str, int, int]], indent: int) -> tuple[str, int, int] | None:
    """The enclosing key whose column is closest to `indent`; on a tie the deeper one."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs(c[1] - indent), -c[1]))


SHOWN = 120  # characters of the user's text a message or hint shows at most


def _shown(text: str) -> str:
    """The user's text for a message or hint, shortened: a line can hold a MiB of text."""
    text = text.strip()
    if len(text) <= SHOWN:
        return text
    half = (SHOWN - 5) // 2  # both ends: the end holds what a hint adds (a closing quote)
    return f"{text[:half]} ... {text[-half:]}"


def _quote(value: str) -> str:
    """A value in single quotes, as YAML writes it ('' for a quote inside)."""
    return "'" + value.replace("'", "''") + "'"


def explain(error: ParserError, lines: list[str]) -> Explained | None:
    """The mistake behind a parser error, or None (then the parser's own text is shown)."""
    problem, context = error.problem, error.context
    if "unexpected end of stream" in problem and "quoted scalar" in context:
        return _unclosed_quote(error, lines)
    if "could not find expected ':'" in problem and "simple key" in context:
        return _missing_space(error, lines)
    if "mapping values are not allowed" in problem:
        return _stray_colon(error, lines)
    if problem.startswith("expected <block end>, but found"):
        if "<scalar>" in problem:  # a quoted value that ran on and ended on a later line
            return _open_quote(error.line, lines)
        return _bad_indentation(error.line, lines)
    return None


def _closes(value: str, quote: str) -> bool:
    """Whether a value that starts with `quote` ends it on the same line."""
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2
                continue
            return True
        index += 1
    return False


def _open_quote(line: int, lines: list[str]) -> Explained | None:
    """Y018 for the last value above line `line` (0-based) that opens a quote and does not
    close it on its line: the quote then runs on to the next quote of the file."""
    for index in range(min(line, len(lines) - 1), -1, -1):
        found = _KEY_LINE.match(lines[index])
        value = found.group("rest").strip() if found else ""
        if value[:1] in {"'", '"'} and not _closes(value, value[0]):
            column = lines[index].index(value, found.end("key") + 1) if found else 0
            return _unclosed_quote(ParserError("", "", line, 0, index, column), lines)
    return None


def _source(lines: list[str], line: int | None) -> str | None:
    return lines[line] if line is not None and 0 <= line < len(lines) else None


def _unclosed_quote(error: ParserError, lines: list[str]) -> Explained | None:
    text = _source(lines, error.context_line)
    if text is None or error.context_column is None:
        return None
    quote = text[error.context_column : error.context_column + 1]
    if quote not in {"'", '"'}:
        return None
    fixed = text.rstrip() + quote
    return Explained(
        "Y018",
        _(
            "the quote {quote} that starts this value is never closed, so what follows it is "
            "read as part of the value"
        ).format(quote=quote),
        _("end the value with {quote} on the same line: {fixed}").format(
            quote=quote, fixed=_shown(fixed)
        ),
        error.context_line + 1 if error.context_line is not None else error.line + 1,
        error.context_column + 1,
    )


def _missing_space(error: ParserError, lines: list[str]) -> Explained | None:
    text = _source(lines, error.context_line)
    if text is None:
        return None
    found = re.match(r"^([ ]*(?:-[ ]+)*)([^\s:#'\"][^\s:]*):(\S.*)$", text)
    if not found:
        return None
    start, key, value = found.groups()
    line = (error.context_line or 0) + 1
    return Explained(
        "Y017",
        _(
            "there is no space after the colon of '{key}', so {text} is read as one piece of "
            "text, not as a field and its value"
        ).format(key=_shown(key), text=_shown(key + ":" + value)),
        _("put a space after the colon: {fixed}").format(fixed=_shown(start + key + ": " + value)),
        line,
        len(start) + len(key) + 2,
    )


def _stray_colon(error: ParserError, lines: list[str]) -> Explained | None:
    text = _source(lines, error.line)
    if text is None:
        return None
    key = _key_column(text)
    colon_of_key = key is not None and text.find(":", key[1]) == error.column
    if key is not None and colon_of_key:
        return _bad_indentation(error.line, lines)
    found = _KEY_LINE.match(text)
    if not found or not found.group("rest").startswith(" "):
        return None
    value = found.group("rest").strip()
    head = found.group("indent") + found.group("dash") + found.group("key")
    return Explained(
        "Y019",
        _("the value of '{key}' holds ': ', which YAML reads as the start of another field").format(
            key=_shown(found.group("key"))
        ),
        _("quote the value: {fixed}").format(fixed=_shown(head + ": " + _quote(value))),
        error.line + 1,
        error.column + 1,
    )


def _bad_indentation(line: int, lines: list[str]) -> Explained | None:
    text = _source(lines, line)
    if text is None:
        return None
    indent = len(text) - len(text.lstrip(" "))
    own = _key_column(text)
    name = own[0] if own else text.strip()
    candidates = [c for c in _enclosing_keys(lines, line - 1) if c[1] != indent]
    target = _nearest(candidates, indent)
    if target is None:
        return None
    sibling, column, sibling_line = target
    fixed = " " * column + text[indent:]
    return Explained(
        "Y016",
        _(
            "'{key}' starts at column {column}, but no block of the file starts there: "
            "the closest is '{sibling}' on line {sibling_line}, at column {sibling_column}"
        ).format(
            key=_shown(name),
            column=indent + 1,
            sibling=_shown(sibling),
            sibling_line=sibling_line,
            sibling_column=column + 1,
        ),
        _("start it at column {column}, as '{sibling}' on line {sibling_line}: {fixed}").format(
            column=column + 1,
            sibling=_shown(sibling),
            sibling_line=sibling_line,
            fixed=_shown(fixed),
        ),
        line + 1,
        indent + 1,
    )


def tab_hint(line: int, lines: list[str]) -> str:
    """Y009's hint: the line indented with spaces to the column of the key above it."""
    text = _source(lines, line - 1)
    if text is None:
        return _("indent with spaces")
    body = text.lstrip(" \t")
    candidates = _enclosing_keys(lines, line - 2)
    if not candidates:
        return _("indent with spaces: {fixed}").format(fixed=_shown(body))
    sibling, column, sibling_line = candidates[0]
    found = _KEY_LINE.match(lines[sibling_line - 1])
    if found is not None and not found.group("rest").strip():  # it opens a block
        hint = _(
            "indent with spaces only, to column {column}, under '{sibling}' on line "
            "{sibling_line}: {fixed}"
        )
        column += 2
    else:
        hint = _(
            "indent with spaces only, to column {column}, as '{sibling}' on line "
            "{sibling_line}: {fixed}"
        )
    return hint.format(
        column=column + 1, sibling=_shown(sibling), sibling_line=sibling_line, fixed=_shown(body)
    )


def first_occurrence(key: str, line: int, column: int, start: int, lines: list[str]) -> int | None:
    """The 1-based line where a duplicate `key` (at 1-based `line`:`column`) was first written,
    looking from the 0-based line `start` where its mapping begins."""
    for index in range(max(start, 0), min(line - 1, len(lines))):
        text = lines[index]
        found = _key_column(text)
        if found is None or found[1] != column - 1:
            continue
        if found[0].strip("'\"") == key:
            return index + 1
    return None
