"""One escaper per output channel. Every string that comes from a registry (values, keys, ids,
file and folder names, git refs, commit subjects) passes through the escaper of the channel it
is written to, so that it shows as text there and is never read as a control sequence,
a workflow command, markup or a formula.

* `plain`: terminal and log text. Line breaks, tabs, C0/C1 controls, DEL, bidirectional
  controls, zero-width and other invisible characters become visible escapes (`\\n`, `\\x1b`,
  `\\u202e`); `::` and `##[`, which GitHub Actions reads as workflow commands in a log, become
  `:\\x3a` and `\\x23#[`. The result is one line that no wrapping can turn into a command.
* `one_line`: `plain` after folding runs of white space (line breaks too) into one space, for
  table cells, Markdown and HTML, where a line break means a space anyway.
* `workflow_data`, `workflow_property`: GitHub workflow command parts, on top of `plain`.
* `markdown`: inline Markdown on one line; markup, HTML, mentions and issue references inert.
* `html`: HTML and SVG text and attribute values.
* `csv_cell`: a CSV cell that neither a spreadsheet nor a CI log runs.
* `to_json`: JSON text that no CI log runs; NaN and Infinity, which JSON cannot hold, are
  refused. `write_json` writes the same text to a stream, in chunks (coopctl.jsonwrite).
"""

from __future__ import annotations

import json
import re
from html import escape as _html_escape
from typing import TYPE_CHECKING

from coopctl.errors import CoopctlError
from coopctl.i18n import _

if TYPE_CHECKING:
    from coopctl.jsonwrite import TextSink

# Characters with no visible form of their own, which can hide text, reorder it on screen or
# drive a terminal: the Unicode categories Cc (controls), Cf (format: bidirectional controls,
# zero-width characters, the BOM, tags), Cs (lone surrogates, as undecodable file names carry),
# Zl and Zp (line and paragraph separators), plus the other default-ignorable code points
# (Hangul fillers, the combining grapheme joiner, variation selectors).
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164"
    "\ud800-\udfff\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# GitHub Actions runs `::command::` at the start of a log line (after white space) and the
# legacy `##[command]` anywhere in one. A colon after a colon and the `#` before `#[` are
# escaped, so no part of the text, wherever a line is cut, starts or holds a command.
_LOG_COMMAND = re.compile(r"(?<=:):|#(?=#\[)")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def neutralise_log_commands(text: str) -> str:
    """`::` and `##[` written so that GitHub Actions does not read them as commands."""
    return _LOG_COMMAND.sub(_visible, text)


def plain(text: object) -> str:
    """Text for a terminal or a log, on one line, every character visible."""
    return neutralise_log_commands(_INVISIBLE.sub(_visible, str(text)))


def one_line(text: object) -> str:
    """`plain`, after folding white space runs (line breaks too) into single spaces."""
    return plain(" ".join(str(text).split()))


def workflow_data(text: object) -> str:
    """The message of a GitHub workflow command (`::error ...::message`)."""
    return plain(text).replace("%", "%25")


def workflow_property(text: object) -> str:
    """A property value of a GitHub workflow command (`file=`, `title=`)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


# Markdown punctuation that can open markup anywhere in a line (links and images need `[`,
# headings `#`); the rest only at its start.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]#|~])")
# A list item (`-`, `+`, `1.`, `1)`) or a setext underline (`=`, `-`) at the start of a line.
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*(?=[+\-=])|\s*[0-9]+(?=[.)]))(.)")
# GitHub links `@name`, `#1` and `GH-1`; a zero-width space (written as an entity, so none
# reaches the output raw) after `@`, `#` and `GH` keeps them text.
_MARKDOWN_REFERENCE = re.compile(r"(@|#|\bGH(?=-[0-9]))", re.IGNORECASE)


def markdown(text: object) -> str:
    """Registry text as inline Markdown on one line: shown exactly, interpreted as nothing
    (no markup, no HTML, no table cell border, no mention, no issue link)."""
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(text))
    escaped = _MARKDOWN_BLOCK_START.sub(r"\1\\\2", escaped, count=1)
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace('"', "&quot;")
    return _MARKDOWN_REFERENCE.sub(r"\1&#8203;", escaped)


def html(text: object) -> str:
    """Registry text for HTML or SVG, as element text or a quoted attribute value."""
    return _html_escape(one_line(text), quote=True)


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_IN_CELL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def csv_cell(text: str) -> str:
    """A CSV cell: a leading apostrophe where a spreadsheet would run a formula (spreadsheets
    show it as text), control characters other than line breaks and tabs as visible escapes
    (they would reach a terminal from `list --format csv`), `::`/`##[` neutralised for CI logs.
    Line breaks stay, as RFC 4180 allows them in a quoted cell; other text stays as it is."""
    cell = "'" + text if text.startswith(_FORMULA_START) else text
    return neutralise_log_commands(_CONTROL_IN_CELL.sub(_visible, cell))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _nan_error() -> CoopctlError:
    return CoopctlError(
        _("the output holds a number JSON cannot write (NaN or Infinity)"),
        hint=_("run 'coopctl validate' to find the value"),
    )


def json_safe(text: str) -> str:
    """JSON text as `to_json` writes it: lone surrogates and `##[` escaped. Applied to whole
    tokens (never to a part of a string) it gives the same result as on the whole text."""
    text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.replace("##[", "#\\u0023[")


def to_json(document: object, *, indent: int | None = 2) -> str:
    """JSON text, characters as they are except `##[` (which a CI log runs wherever it is in a
    line), written `#\\u0023[`, and lone surrogates (a file name that is not UTF-8), written
    `\\udcff`: both read back the same, and the text stays valid UTF-8. NaN and Infinity (not
    JSON) are an error. JSON itself escapes control characters and line breaks, so no line of
    it starts with `::`."""
    try:
        text = json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise _nan_error() from None
    return json_safe(text)


def write_json(document: object, stream: TextSink, *, indent: int | None = 2) -> None:
    """Write `to_json(document, indent=indent) + "\\n"` to `stream`, the same characters, in
    chunks, without building the whole text. Arrays may also be given as iterators, which
    are read once, as they are written (a long list need not be held at once). NaN or
    Infinity is an error, as in `to_json`; what was written before it stays written, so
    write a file through `coopctl.fsio.write_atomic_with`."""
    from coopctl.jsonwrite import JsonWriter

    try:
        JsonWriter(stream, indent, json_safe).write(document)
    except ValueError:
        raise _nan_error() from None
