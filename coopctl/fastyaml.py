"""A fast reader for the block-style YAML that registry files are written in.

`parse(text)` reads a subset of YAML in one pass over the lines. For a text it accepts, it
returns exactly the mapping the reference reader (`YamlReader.load` on ruamel.yaml) returns
for the same file: the same keys in the same order, the same values of the same types. It
returns None for everything else: for any text the reference reader reports a problem in,
and for any text that uses something outside the subset. The caller then runs the reference
reader, which reports problems with their positions. `parse` never raises.

The subset, which covers what `coopctl fmt` writes:

* blank lines, comment lines and ` #` comments after a value;
* block mappings whose keys are names, ``[A-Za-z_][A-Za-z0-9_-]*`` of at most
  `MAX_KEY_LENGTH` characters and none of true, false, null in any of their YAML 1.2
  spellings: ``key: value``, and ``key:`` followed by a more indented block or by a sequence
  at the key's own indentation;
* block sequences: ``- value``, ``- key: value`` with the item's further keys under the first
  key, ``- - value``, and ``-`` followed by a more indented block;
* plain scalars on one line that start with no indicator (a dash only before a letter, digit,
  underscore or dot, as in ``-1``) and hold no ``: `` (a `` #`` starts a comment); single-quoted
  scalars on one line; double-quoted scalars on one line without backslashes; ``[]``, ``{}``
  and one-line flow sequences of simple plain or quoted scalars, such as ``[a, 'b c', 1]``;
* literal and folded block scalars (``|``, ``|-``, ``>``, ``>-``) whose content lines all
  start at one indentation, with no empty line before the first and no line of more spaces
  than that indentation.

Plain scalars resolve as ruamel.yaml resolves them under YAML 1.2: null (empty, ``~``,
``null``, ``Null``, ``NULL``), booleans (``true``, ``True``, ``TRUE``, the same for false),
decimal integers (``017`` is 17, ``1_000`` is 1000), and text for everything else (``yes``,
``on``, ``no``); dates and timestamps stay the text written, as the reference reader keeps
them. A plain scalar that YAML 1.2 reads as a float, a hexadecimal, octal or binary integer,
a merge key (``<<``) or a value key (``=``) makes the whole text unsupported.

None is returned at least for: tabs, anchors, aliases, tags, directives, document markers,
complex keys, continuation lines of multi-line scalars, duplicate keys, collections
`MAX_DEPTH` levels down, characters YAML does not allow or reads as line breaks, byte order
marks, a top level that is not a non-empty mapping, texts with more than `MAX_BRACKETS`
brackets and texts that may come from files over the size limit.
"""

from __future__ import annotations

import re
from typing import Any

MAX_DEPTH = 64  # a collection this many levels down is refused by the reference reader
MAX_FILE_BYTES = 1024 * 1024  # the reference reader refuses larger files
MAX_KEY_LENGTH = 128  # well below the 1024 characters YAML allows for an implicit key
# The reference reader refuses a text with more brackets than this when they seem to nest
# that deep, counting brackets in plain scalars and block scalars too.
MAX_BRACKETS = 1000

# Characters refused anywhere: what YAML does not allow in a stream (control characters,
# surrogates, U+FFFE, U+FFFF), what it reads as line breaks (CR, U+0085, U+2028, U+2029),
# tabs and byte order marks. ASCII text is checked by deleting the allowed bytes.
_REFUSED_CHARACTER = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ALLOWED_ASCII = b"\n" + bytes(range(0x20, 0x7F))

# A plain scalar of the subset on one line: it does not start with an indicator (a dash only
# before a letter, digit, underscore or dot), holds no ": " and no " #", does not end with ":"
# and is taken without the spaces after it.
_PLAIN = (
    r"(?:[^ \-?:,\[\]{}#&*!|>'\"%@`]|-(?=[0-9A-Za-z_.]))"
    r"[^ :]*(?:(?::(?=[^ ])| +(?=[^ #]))[^ :]*)*"
)
# A key of the subset: a name that YAML 1.2 reads as text.
_NOT_TEXT_KEYS = "true|True|TRUE|false|False|FALSE|null|Null|NULL"
_KEY = rf"(?!(?:{_NOT_TEXT_KEYS}):)[A-Za-z_][A-Za-z0-9_-]{{0,{MAX_KEY_LENGTH - 1}}}"
# The parts of lines read lately: many lines recur in file after file (`kind: partner`,
# `  sources:`, `    type: signed`), and a lookup costs a fraction of the match. At most
# `_SEEN_LINES` lines of at most `_SEEN_WIDTH` characters are kept (then it starts again), so
# that no file can make it large.
_SEEN: dict[str, tuple[Any, ...]] = {}
_SEEN_LINES = 4096
_SEEN_WIDTH = 160

_COMMENT_TAIL = r"(?: +(?:#.*)?)?$"
_QUOTED = r"'([^']*(?:''[^']*)*)'"  # a single-quoted scalar on one line, its text inside
_SINGLE_QUOTED = re.compile(_QUOTED + _COMMENT_TAIL)
# Every line matches: its indentation, a dash with the spaces after it, a key (without the
# colon and spaces after it), then either a plain scalar (without spaces and comment after
# it), or the text of a single-quoted scalar that ends the line (most values in registry
# files are quoted), or the rest of the line.
_LINE = re.compile(
    rf"( *)(-(?: +|$))?(?:({_KEY}):(?: +|$))?"
    rf"(?:({_PLAIN})(?: +#.*| *)$|{_QUOTED}{_COMMENT_TAIL}|(.*))"
)
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"' + _COMMENT_TAIL)
_BLOCK_HEADER = re.compile(r"[>|]-?" + _COMMENT_TAIL)
_EMPTY_MAPPING = re.compile(r"\{ *\}" + _COMMENT_TAIL)
_FLOW_PLAIN = r"[A-Za-z0-9_][A-Za-z0-9_./@+-]*(?: +[A-Za-z0-9_./@+-]+)*"
_FLOW_ITEM = rf"(?:{_FLOW_PLAIN}|'[^']*(?:''[^']*)*'|\"[^\"\\]*\")"
_FLOW_SEQUENCE = re.compile(rf"\[( *(?:{_FLOW_ITEM}(?: *, *{_FLOW_ITEM})*)? *)\]" + _COMMENT_TAIL)
_FLOW_ITEMS = re.compile(rf"({_FLOW_PLAIN})|'([^']*(?:''[^']*)*)'|\"([^\"\\]*)\"")
_LINE_BREAKS = re.compile("\n+")

# ruamel.yaml's implicit resolvers for YAML 1.2 are chosen by the first character of a plain
# scalar; a scalar starting with any other character is text. Of the patterns, these decide
# here (copied from ruamel.yaml.resolver, which the tests compare them with): bool and null
# are fixed words, and timestamps need no pattern because the reference reader keeps them as
# the text written.
_RESOLVED_START = frozenset("tTfF~nN-+.0123456789<=!&*")
_FLOAT_12 = re.compile(
    r"""^(?:
     [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
_INT_12 = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_DECIMAL = re.compile(r"[-+]?[0-9][0-9_]{0,999}")  # int() refuses more than 4300 digits
_WORDS: dict[str, Any] = {
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMBER_START = frozenset("-+.0123456789")


class _Unsupported(Exception):
    """The text is outside the subset, or the reference reader would refuse it."""


def parse(text: str) -> dict[str, Any] | None:
    """The mapping the reference reader returns for `text` (decoded as by
    `coopctl.yamlio.decode`), or None if the text is outside the subset or has a problem."""
    if (
        _has_refused_character(text)
        or _may_be_too_large(text)
        or text.count("[") + text.count("{") > MAX_BRACKETS
    ):
        return None
    try:
        return _parse(text.split("\n"))
    except _Unsupported:
        return None


def _has_refused_character(text: str) -> bool:
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ALLOWED_ASCII))
    return _REFUSED_CHARACTER.search(text) is not None


def _may_be_too_large(text: str) -> bool:
    """Whether the file the text was decoded from may have had more than MAX_FILE_BYTES,
    counting a byte order mark and CRLF line ends it may have had."""
    if len(text) * 5 + 3 <= MAX_FILE_BYTES:
        return False
    size = len(text.encode("utf-8", "surrogatepass")) + text.count("\n") + 3
    return size > MAX_FILE_BYTES


def resolve_plain(value: str) -> Any:
    """The value of a plain scalar (without the spaces and comment after it) as the reference
    reader builds it: ruamel.yaml's YAML 1.2 resolver, timestamps kept as text. Raises
    _Unsupported for floats, non-decimal integers, merge and value keys, which the subset
    leaves to the reference reader."""
    if value[0] not in _RESOLVED_START:
        return value
    if value in _WORDS:
        return _WORDS[value]
    if value[0] in _NUMBER_START:
        if _FLOAT_12.match(value):
            raise _Unsupported
        if _INT_12.match(value):
            if not _DECIMAL.fullmatch(value):
                raise _Unsupported
            return int(value.replace("_", ""))
    elif value in ("<<", "=") or value[0] in "!&*":
        raise _Unsupported
    return value


def _parse(lines: list[str]) -> dict[str, Any]:  # noqa: PLR0915 (one loop: fewer calls a line)
    """One pass over the lines with a stack of the open block collections.

    The innermost collection is `here`, a mapping or a list whose keys or dashes are at
    column `column`; `stack` holds the collections around it, so `here` is `len(stack)`
    levels down. A slot of `here` that waits for its value (after `key:` or a lone `-`) is
    pending: `slot` is its key or index, `owner` the column of its key or dash."""
    match_line = _LINE.match
    seen = _SEEN
    resolved_start = _RESOLVED_START
    root: dict[str, Any] = {}
    here: Any = root
    column = 0
    in_list = False
    stack: list[tuple[int, Any, bool]] = []
    pending = False
    slot: str | int = 0
    owner = 0
    owner_is_map = False
    resume = 0
    for number, line in enumerate(lines):
        if number < resume:
            continue  # the content of a block scalar
        parts = seen.get(line)
        if parts is None:
            parts = match_line(line).groups()  # type: ignore[union-attr]
            if len(line) <= _SEEN_WIDTH:
                if len(seen) >= _SEEN_LINES:
                    seen.clear()
                seen[line] = parts
        spaces, dash, key, plain, quoted, rest = parts
        if dash is None and key is None:
            if plain is None and quoted is None and (not rest or rest[0] == "#"):
                continue
            raise _Unsupported  # a scalar on a line of its own
        indent = len(spaces)
        if pending:
            pending = False
            if indent > owner or (indent == owner and owner_is_map and dash is not None):
                if len(stack) + 1 >= MAX_DEPTH:
                    raise _Unsupported
                new: Any = [] if dash is not None else {}
                here[slot] = new
                stack.append((column, here, in_list))
                here, column, in_list = new, indent, dash is not None
        while column > indent:
            column, here, in_list = stack.pop()
        if column != indent:
            raise _Unsupported
        if in_list:
            if dash is None:
                column, here, in_list = stack.pop()  # a list at its key's indentation ends
                if column != indent or in_list:
                    raise _Unsupported
        elif dash is not None:
            raise _Unsupported
        if dash is not None:
            start = indent + len(dash)
            while key is None and rest is not None and rest[:1] == "-" and rest[1:2] in ("", " "):
                if len(stack) + 1 >= MAX_DEPTH:
                    raise _Unsupported
                new = []  # `- - item`: a list in a list
                here.append(new)
                stack.append((column, here, in_list))
                here, column, indent = new, start, start
                _, dash, key, plain, quoted, rest = match_line(line, start).groups()  # type: ignore[union-attr]
                start += len(dash)
            if key is None:
                if plain is not None:
                    here.append(resolve_plain(plain) if plain[0] in resolved_start else plain)
                elif quoted is not None:
                    here.append(quoted.replace("''", "'"))
                elif not rest or rest[0] == "#":
                    here.append(None)
                    pending, slot, owner, owner_is_map = True, len(here) - 1, indent, False
                else:
                    value, resume = _value(rest, indent, len(stack), lines, number + 1)
                    here.append(value)
                continue
            if len(stack) + 1 >= MAX_DEPTH:
                raise _Unsupported
            new = {}  # `- key: ...`: a mapping in a list
            here.append(new)
            stack.append((column, here, in_list))
            here, column, in_list, indent = new, start, False, start
        if key in here:
            raise _Unsupported  # a duplicate key
        if plain is not None:
            here[key] = resolve_plain(plain) if plain[0] in resolved_start else plain
        elif quoted is not None:
            here[key] = quoted.replace("''", "'")
        elif not rest or rest[0] == "#":
            here[key] = None
            pending, slot, owner, owner_is_map = True, key, indent, True
        else:
            here[key], resume = _value(rest, indent, len(stack), lines, number + 1)
    if not root:
        raise _Unsupported
    return root


def _value(rest: str, owner: int, depth: int, lines: list[str], after: int) -> tuple[Any, int]:
    """The value that starts with `rest` (not a plain scalar of the subset), owned by the key
    or dash at column `owner` in a collection `depth` levels down; and the index of the line
    after it (`after`, unless it is a block scalar)."""
    first = rest[0]
    if first == "'":
        match = _SINGLE_QUOTED.match(rest)
        if match is None:
            raise _Unsupported
        return match.group(1).replace("''", "'"), after
    if first == '"':
        match = _DOUBLE_QUOTED.match(rest)
        if match is None:
            raise _Unsupported
        return match.group(1), after
    if first in "[{":
        if depth + 1 >= MAX_DEPTH:
            raise _Unsupported
        if first == "{":
            if _EMPTY_MAPPING.match(rest) is None:
                raise _Unsupported
            return {}, after
        return _flow_sequence(rest), after
    if first in ">|" and _BLOCK_HEADER.match(rest):
        return _block_scalar(lines, after, owner, folded=first == ">", strip=rest[1:2] == "-")
    raise _Unsupported


def _flow_sequence(rest: str) -> list[Any]:
    match = _FLOW_SEQUENCE.match(rest)
    if match is None:
        raise _Unsupported
    items: list[Any] = []
    for plain, single, double in _FLOW_ITEMS.findall(match.group(1)):
        if plain:
            items.append(resolve_plain(plain))
        else:
            items.append(single.replace("''", "'") if single else double)
    return items


def _block_scalar(
    lines: list[str], start: int, owner: int, *, folded: bool, strip: bool
) -> tuple[str, int]:
    """The text of a block scalar whose content starts at line `start` and must be indented
    more than column `owner`, and the index of the first line after it."""
    count = len(lines)
    if start >= count:
        raise _Unsupported
    first = lines[start]
    body = first.lstrip(" ")
    indent = len(first) - len(body)
    if not body or indent <= owner:
        raise _Unsupported  # leading empty lines, or no content at all
    content: list[str] = []
    last = start  # the index of the last content line
    end = start
    while end < count:
        line = lines[end]
        body = line.lstrip(" ")
        if not body:
            if len(line) > indent:
                raise _Unsupported  # spaces beyond the indentation would be content
            content.append("")
        else:
            column = len(line) - len(body)
            if column < indent:
                break
            if column > indent:
                raise _Unsupported  # more-indented lines are not folded
            content.append(body)
            last = end
        end += 1
    del content[last - start + 1 :]
    if not folded:
        text = "\n".join(content)
    elif "" in content:
        text = _LINE_BREAKS.sub(_fold, "\n".join(content))
    else:
        text = " ".join(content)
    if not strip and last + 1 < count:
        text += "\n"  # clip: the final line break, where there is one
    return text, end


def _fold(match: re.Match[str]) -> str:
    """n line breaks between two lines of a folded block scalar: one space for one break,
    n - 1 breaks for more."""
    breaks = match.end() - match.start()
    return " " if breaks == 1 else "\n" * (breaks - 1)
