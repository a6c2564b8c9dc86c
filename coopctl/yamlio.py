"""The one place where YAML is read. Every ruamel.yaml call of coopctl lives here.

Two readers with different jobs:

* `YamlReader.load` is the fast path for whole-registry passes: ruamel.yaml's safe loader on
  its C parser, dates kept as the strings they were written as. It refuses what a registry file
  must not contain and returns those refusals as Problems, never as exceptions.
* `coopctl.locator.Locator` is the slow path, run only for files that have a problem: it
  composes the file into located nodes and turns a JSON pointer into the line and column of
  the offending key or value.

Callers see only `LoadResult`, `YamlReader` and `Locator`, so the fast parser can be replaced
without touching them.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import os
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coopctl.codes import new_problem
from coopctl.i18n import _, ngettext
from coopctl.localformat import format_number
from coopctl.model import Problem
from coopctl.yamlmistakes import ParserError, explain, first_occurrence, tab_hint

if TYPE_CHECKING:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
KEY_CODES = frozenset({"S003", "Y011"})  # problems about a key, located at the key
MAX_FLOW_GUARD = 1000  # the C parser handles thousands of levels, not tens of thousands
BOM = b"\xef\xbb\xbf"
_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_SEPARATOR_NAMES = {
    "\x85": "NEXT LINE",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)


REFERENCE_ENV = "COOPCTL_REFERENCE_ONLY"


def reference_only() -> bool:
    """With COOPCTL_REFERENCE_ONLY=1, every file goes through the reference implementations
    (ruamel.yaml, jsonschema) instead of the fast paths; the outcome must not change, which
    the tests check on every example and generated registry."""
    return os.environ.get(REFERENCE_ENV) == "1"


@functools.cache
def _reader_yaml(*, pure: bool) -> YAML:
    """ruamel.yaml's safe loader, except that timestamps stay strings ('2020-09' and
    '2020-09-23' alike), so partial dates and full dates are handled the same way downstream.
    ruamel.yaml is imported only when a file needs it (the fast path does not)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class StringDateConstructor(SafeConstructor):
        pass

    StringDateConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str
    )
    yaml = YAML(typ="safe", pure=pure)
    yaml.Constructor = StringDateConstructor
    yaml.allow_duplicate_keys = False
    return yaml


@dataclass(frozen=True)
class LoadResult:
    """The mapping a file holds, or None with the problems that kept it from loading."""

    data: dict[str, Any] | None
    problems: tuple[Problem, ...] = ()


def problem(
    code: str, message: str, path: str, line: int = 1, column: int = 1, *, hint: str | None = None
) -> Problem:
    return new_problem(code, message, path, line=line, column=column, hint=hint)


def _position_of_byte(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column of a byte, counting LF, CRLF and a lone CR as line ends."""
    before = raw[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", "replace")) + 1
    return before.count(b"\n") + 1, column


def too_large(size: int) -> str:
    """F001's message for a file of `size` bytes."""
    return _("the file has {size} bytes; at most {limit} are read").format(
        size=format_number(size), limit=format_number(MAX_FILE_BYTES)
    )


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text of a file (BOM dropped, CRLF and lone CR normalised), or the reason not."""
    if raw.startswith(BOM):
        raw = raw[len(BOM) :]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, problem(
            "F002", _("the file is UTF-16 encoded"), path, hint=_("save the file as UTF-8")
        )
    nul = raw.find(b"\0")
    if nul >= 0:
        line, column = _position_of_byte(raw, nul)
        return None, problem(
            "F003", _("the file contains a NUL byte; is it binary?"), path, line, column
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position_of_byte(raw, exc.start)
        return None, problem(
            "F002",
            _("invalid UTF-8 byte 0x{byte:02x}").format(byte=raw[exc.start]),
            path,
            line,
            column,
            hint=_("save the file as UTF-8"),
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def _mark_position(exc: MarkedYAMLError) -> tuple[int, int]:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1


def _flow_depth(text: str) -> int:
    """How deep brackets nest, outside quotes and comments. Only a guard for the C parser,
    which crashes on tens of thousands of levels; the exact limit is checked after loading."""
    depth = deepest = 0
    quote = ""
    previous = "\n"
    in_comment = False
    for char in text:
        if in_comment:
            in_comment = char != "\n"
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and previous in " \t\n":
            in_comment = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
        previous = char
    return deepest


def _has_only_comments(text: str) -> bool:
    return all(
        not line.strip() or line.lstrip().startswith("#") or line.strip() in {"---", "..."}
        for line in text.splitlines()
    )


_VERSION_DIRECTIVE = re.compile(r"^%YAML[ \t]+1\.([0-9]+)(?=[ \t]|$)", re.MULTILINE)


def known_version(text: str, path: str) -> tuple[str, Problem | None]:
    """The text with a `%YAML 1.x` directive for a minor version ruamel.yaml does not know
    (it asserts on anything but 1.1 and 1.2) read as `%YAML 1.2`, as the YAML specification
    asks (yaml-test-suite BEC7), with a Y013 warning; positions stay as they were."""
    if "%YAML" not in text:
        return text, None
    found = _VERSION_DIRECTIVE.search(text)
    if found is None or found.group(1) in {"1", "2"}:
        return text, None
    start, end = found.span(1)
    line = text.count("\n", 0, found.start()) + 1
    warning = problem(
        "Y013",
        _("YAML version 1.{minor} is not known; the file is read as YAML 1.2").format(
            minor=found.group(1)
        ),
        path,
        line,
        1,
        hint=_("remove the %YAML line or write %YAML 1.2"),
    )
    return text[:start] + "2".ljust(end - start) + text[end:], warning


def parser_failure(exc: BaseException, path: str, doing: str = "read") -> Problem:
    """Y014: a YAML library raised something of its own instead of reading the file."""
    # Only the kind of failure: the library's own text may show its internal objects.
    message = (
        _("the YAML parser cannot rewrite this file (it failed with {error})")
        if doing == "rewrite"
        else _("the YAML parser cannot read this file (it failed with {error})")
    )
    return problem(
        "Y014",
        message.format(error=type(exc).__name__),
        path,
        hint=_("if a comment sits between a key and its value, move it above the key"),
    )


def _fast(text: str) -> dict[str, Any] | None:
    """The fast reader's mapping, or None: then the reference reader decides. The fast reader
    is written never to raise; should it, the reference reader still gives the answer."""
    from coopctl.fastyaml import parse  # imported once a file is parsed (a diff may not)

    try:
        return parse(text)
    except Exception:
        return None


class YamlReader:
    """Reads registry documents. One instance is reused for many files."""

    # libyaml (the C parser) refuses some valid YAML 1.2, such as `{url: https://a.de}`;
    # files it refuses are parsed again by ruamel's pure-Python parser, the reference.

    def __init__(self) -> None:
        self.reference_only = reference_only()

    def prepare(self) -> None:
        """Import the fast reader now (it is imported when a first file is parsed): before
        worker processes are forked, so that they share it."""
        import coopctl.fastyaml  # noqa: F401

    @property
    def _yaml(self) -> YAML:
        return _reader_yaml(pure=False)

    @property
    def _pure(self) -> YAML:
        return _reader_yaml(pure=True)

    @property
    def parser_name(self) -> str:
        """The class that parses: proof that the C extension is in use."""
        parser = self._yaml.Parser
        return f"{parser.__module__}.{parser.__name__}"

    def load(self, raw: bytes, path: str) -> LoadResult:
        if len(raw) > MAX_FILE_BYTES:
            return LoadResult(
                None,
                (
                    problem(
                        "F001",
                        too_large(len(raw)),
                        path,
                    ),
                ),
            )
        text, refusal = decode(raw, path)
        if text is None:
            assert refusal is not None
            return LoadResult(None, (refusal,))
        fast = None if self.reference_only else _fast(text)
        if fast is not None:
            return LoadResult(fast)
        text, version = known_version(text, path)
        try:
            result = self._load_text(text, raw, path)
        except Exception as exc:  # the boundary around the YAML library
            return LoadResult(None, (parser_failure(exc, path),))
        if version is not None:
            return dataclasses.replace(result, problems=(version, *result.problems))
        return result

    def _load_text(self, text: str, raw: bytes, path: str) -> LoadResult:
        from ruamel.yaml.error import YAMLError

        found = self._refuse_before_parse(text, path)
        if found:
            return LoadResult(None, (found,))
        try:
            data = self._parse(text)
        except RecursionError:
            return LoadResult(
                None, (problem("Y008", _("the file nests too deeply to be read"), path),)
            )
        except YAMLError as exc:
            return LoadResult(None, (self._parse_problem(exc, text, path),))
        except (ValueError, TypeError) as exc:  # ruamel.yaml fails on a few values (`+_`)
            return LoadResult(None, (self._unreadable_value(exc, text, path),))
        if data is None and _has_only_comments(text):
            return LoadResult(None, (problem("Y010", _("the file holds no content"), path),))
        if not isinstance(data, dict):
            return LoadResult(
                None,
                (
                    problem(
                        "Y005",
                        _("the top level is {found}, not a mapping of fields").format(
                            found=_describe(data)
                        ),
                        path,
                    ),
                ),
            )
        content_problem = _check_content(data, path)
        if content_problem is None and ("\\u" in text or "\\U" in text):
            content_problem = _join_surrogates(data, path)
        if content_problem:
            from coopctl.locator import Locator

            line, column = Locator(raw).locate(
                content_problem.pointer or "", key=content_problem.code in KEY_CODES
            )
            return LoadResult(
                None, (dataclasses.replace(content_problem, line=line, column=column),)
            )
        return LoadResult(data)

    def _parse(self, text: str) -> Any:
        from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError
        from ruamel.yaml.error import YAMLError

        try:
            return self._yaml.load(text)
        except (ConstructorError, DuplicateKeyError):
            raise
        except YAMLError:
            return self._pure.load(text)

    def _refuse_before_parse(self, text: str, path: str) -> Problem | None:
        conflict = _CONFLICT_MARKER.search(text)
        if conflict:
            line = text.count("\n", 0, conflict.start()) + 1
            return problem(
                "Y006",
                _("git merge-conflict marker"),
                path,
                line,
                1,
                hint=_("resolve the conflict, remove the markers and 'git add' the file"),
            )
        if text.count("[") + text.count("{") > MAX_FLOW_GUARD and (
            _flow_depth(text) > MAX_FLOW_GUARD
        ):
            return problem(
                "Y008",
                _("more than {limit} levels of nested brackets").format(limit=MAX_FLOW_GUARD),
                path,
            )
        separator = _SEPARATORS.search(text)
        if separator:
            line = text.count("\n", 0, separator.start()) + 1
            column = separator.start() - text.rfind("\n", 0, separator.start())
            return problem(
                "Y012",
                _(
                    "the character U+{code:04X} ({name}) is read as a line break "
                    "by some YAML parsers and as text by others"
                ).format(code=ord(separator.group()), name=_SEPARATOR_NAMES[separator.group()]),
                path,
                line,
                column,
                hint=_("remove it or replace it with a space"),
            )
        if "&" in text or "*" in text:
            return self._find_anchor(text, path)
        return None

    def _unreadable_value(self, exc: Exception, text: str, path: str) -> Problem:
        """A value the parser accepts but cannot build (`k: +_` looks like a number to
        ruamel.yaml, `? [a]` nested as a key), at the first plain scalar that fails alone."""
        from ruamel.yaml.error import YAMLError
        from ruamel.yaml.events import ScalarEvent

        if isinstance(exc, TypeError):
            return problem("Y011", _("a mapping key is a list or mapping"), path)
        try:
            for event in self._yaml.parse(text):
                if isinstance(event, ScalarEvent) and not event.style and event.value:
                    try:
                        self._pure.load(event.value)
                    except (ValueError, TypeError, YAMLError):
                        mark = event.start_mark
                        return problem(
                            "Y001",
                            _(
                                "the value {value} cannot be read: it looks like "
                                "a number but is none"
                            ).format(value=quoted(event.value)),
                            path,
                            mark.line + 1,
                            mark.column + 1,
                            hint=_("quote it to keep it as text"),
                        )
        except YAMLError:
            pass
        return problem(
            "Y001", _("a value cannot be read: {detail}").format(detail=_one_line(str(exc))), path
        )

    def _find_anchor(self, text: str, path: str) -> Problem | None:
        from ruamel.yaml.error import YAMLError
        from ruamel.yaml.events import AliasEvent

        try:
            for event in self._yaml.parse(text):
                if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
                    mark = event.start_mark
                    message = (
                        _("YAML alias '{name}' is not allowed")
                        if isinstance(event, AliasEvent)
                        else _("YAML anchor '{name}' is not allowed")
                    )
                    return problem(
                        "Y004",
                        message.format(name=event.anchor),
                        path,
                        mark.line + 1,
                        mark.column + 1,
                        hint=_("write the value out where it is used"),
                    )
        except YAMLError:
            return None  # the full load reports the syntax error with its position
        return None

    @staticmethod
    def _parse_problem(exc: YAMLError, text: str, path: str) -> Problem:
        from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError
        from ruamel.yaml.error import MarkedYAMLError

        if not isinstance(exc, MarkedYAMLError):
            return problem("Y001", _parser_says(str(exc)), path)
        line, column = _mark_position(exc)
        what = exc.problem or exc.context or _("invalid YAML")
        context_mark = exc.context_mark
        if exc.context and exc.problem and context_mark is not None:
            if "end of stream" in str(exc.problem):
                line, column = context_mark.line + 1, context_mark.column + 1
                what = _("{problem} {context} (started here, never closed)").format(
                    problem=exc.problem, context=exc.context
                )
            else:
                what = _("{problem} {context} (started at line {line}, column {column})").format(
                    problem=exc.problem,
                    context=exc.context,
                    line=context_mark.line + 1,
                    column=context_mark.column + 1,
                )
        lines = text.split("\n")
        if isinstance(exc, DuplicateKeyError):
            return _duplicate_key(exc, lines, path, line, column)
        if "expected a single document" in str(exc.context) or "single document" in str(what):
            return problem(
                "Y003",
                _("a second YAML document starts here"),
                path,
                line,
                column,
                hint=_("put each entity into its own file"),
            )
        if isinstance(exc, ConstructorError):
            if "unhashable" in str(what):
                return problem("Y011", _("a mapping key is a list or mapping"), path, line, column)
            if "constructor for the tag" in str(what) or "tag" in str(what):
                return problem(
                    "Y007",
                    _("tag not allowed: {detail}").format(detail=_one_line(str(what))),
                    path,
                    line,
                    column,
                    hint=_("remove the tag and write the plain value"),
                )
        indent = (
            lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]
            if 0 < line <= len(lines)
            else ""
        )
        if "\t" in indent or "'\\t'" in str(what):
            return problem(
                "Y009",
                _("tab character used for indentation"),
                path,
                line,
                column,
                hint=tab_hint(line, lines),
            )
        try:
            mistake = explain(_parser_error(exc), lines)
        except Exception:  # the explanation is an aid: without one, the parser's words stand
            mistake = None
        if mistake is not None:
            return problem(
                mistake.code, mistake.message, path, mistake.line, mistake.column, hint=mistake.hint
            )
        return problem("Y001", _parser_says(str(what)), path, line, column)


def _parser_error(exc: MarkedYAMLError) -> ParserError:
    problem_mark, context_mark = exc.problem_mark, exc.context_mark
    mark = problem_mark or context_mark
    return ParserError(
        _one_line(str(exc.problem or "")),
        _one_line(str(exc.context or "")),
        mark.line if mark is not None else 0,
        mark.column if mark is not None else 0,
        context_mark.line if context_mark is not None else None,
        context_mark.column if context_mark is not None else None,
    )


def _duplicate_key(
    exc: MarkedYAMLError, lines: list[str], path: str, line: int, column: int
) -> Problem:
    """Y002, with the line where the key was first written."""
    key = re.search(r'found duplicate key "(.*?)"', str(exc))
    if key is None:
        return problem("Y002", _("duplicate key"), path, line, column, hint=_("keep one entry"))
    name = key.group(1)
    start = exc.context_mark.line if exc.context_mark is not None else 0
    first = first_occurrence(name, line, column, start, lines)
    if first is None:
        return problem(
            "Y002",
            _("duplicate key '{key}'").format(key=name),
            path,
            line,
            column,
            hint=_("keep one of the entries"),
        )
    return problem(
        "Y002",
        _("duplicate key '{key}': it is written on line {first} already").format(
            key=name, first=first
        ),
        path,
        line,
        column,
        hint=_(
            "keep one of the two '{key}' entries (line {first} or line {line}) and delete the other"
        ).format(key=name, first=first, line=line),
    )


def _parser_says(text: str) -> str:
    """Y001's message: the parser's own words (which are English), introduced in the language
    of the run."""
    return _("the YAML parser stops here: {detail}").format(detail=_one_line(text))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(value: Any) -> str:
    if value is None:
        return _("empty (null)")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, set | frozenset):
        members = _one_line(yaml_text(value))[:80]
        return ngettext(
            "a set of {count} value ({members})", "a set of {count} values ({members})", len(value)
        ).format(count=len(value), members=members)
    shown = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", yaml_text(value))
    return _("a single value ({value})").format(value=_one_line(shown)[:80])


def yaml_text(value: Any) -> str:
    """How a scalar or key is written in YAML: null, true, 2020-01-01, [a, b], {a: 1}; a set
    as its members in sorted order, so the text never depends on the hash seed."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return "[" + ", ".join(yaml_text(item) for item in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(yaml_text(item) for item in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_text(k)}: {yaml_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes of binary data>"
    if isinstance(value, float):
        return _FLOAT_WORDS.get(str(value), str(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value) if isinstance(value, int) else f"<{type(value).__name__}>"


_FLOAT_WORDS = {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def quoted(text: str) -> str:
    """Text in single quotes for a message, with line breaks and other invisible characters
    written as escapes (\\n, \\x1b, \\u200e): readable, and the same on every run."""
    import unicodedata

    def visible(char: str) -> str:
        if char in _ESCAPES:
            return _ESCAPES[char]
        if unicodedata.category(char)[0] in "CZ" and char != " ":
            code = ord(char)
            return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
        return char

    return "'" + "".join(visible(c) for c in text) + "'"


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _check_content(data: dict[str, Any], path: str) -> Problem | None:
    """Refuse what the safe loader builds but a registry must not hold: non-string keys,
    values other than plain text, numbers, booleans, lists and mappings (sets, bytes, ordered
    maps, pairs), shared containers, excessive depth. Problems carry the JSON pointer of the
    place; the caller locates it."""
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]

    def refuse(
        code: str, message: str, where: tuple[str | int, ...], hint: str | None = None
    ) -> Problem:
        return new_problem(code, message, path, pointer=join_pointer(where), hint=hint)

    while stack:
        value, where = stack.pop()
        kind = type(value)
        if kind is float and not math.isfinite(value):
            return refuse(
                "Y015",
                _("the value {value} cannot be written as JSON").format(value=yaml_text(value)),
                where,
                hint=_("write the number itself, or quote it to keep it as text"),
            )
        if kind in _PLAIN_TYPES:
            continue
        if len(where) >= MAX_DEPTH:
            return refuse(
                "Y008", _("more than {limit} levels of nesting").format(limit=MAX_DEPTH), where
            )
        if kind is dict or kind is list:
            if id(value) in seen:
                return refuse("Y004", _("the same content is referenced twice (alias)"), where)
            seen.add(id(value))
        if kind is dict:
            for key, item in value.items():
                if type(key) is not str:
                    return refuse(
                        "Y011",
                        _("the key '{key}' is not text; field names are text").format(
                            key=yaml_text(key)
                        ),
                        (*where, yaml_text(key)),
                        hint=_("quote the key or use a field name from the schema"),
                    )
                stack.append((item, (*where, key)))
        elif kind is list:
            stack.extend((item, (*where, index)) for index, item in enumerate(value))
        else:
            return refuse(
                "Y007",
                _(
                    "a value of type {type} is not allowed "
                    "(only text, numbers, booleans, lists and mappings)"
                ).format(type=kind.__name__),
                where,
                hint=_("remove the tag and write a plain value"),
            )
    return None


def _join_surrogates(data: dict[str, Any], path: str) -> Problem | None:
    """JSON writes characters outside the BMP as two \\u escapes (a surrogate pair), which the
    YAML parser leaves as two halves: join them into the character, in place. A half without
    its partner is no character at all and is refused."""

    def fixed(text: str, where: tuple[str | int, ...]) -> str | Problem:
        if not _SURROGATE.search(text):
            return text
        try:
            return text.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            return new_problem(
                "Y012",
                _("a \\u escape names half of a surrogate pair, which is no character"),
                path,
                pointer=join_pointer(where),
                hint=_("write the character itself, or an 8-digit escape such as \\U0001F600"),
            )

    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            items = list(node.items())
            node.clear()
            for key, value in items:
                new_key = fixed(key, (*where, key))
                if isinstance(new_key, Problem):
                    return new_key
                if new_key in node:
                    return new_problem(
                        "Y002",
                        _("duplicate key '{key}' (written once with \\u escapes)").format(
                            key=new_key
                        ),
                        path,
                        pointer=join_pointer(where),
                        hint=_("keep one of the two entries"),
                    )
                node[new_key] = value
                stack.append((value, (*where, new_key)))
            for key, value in node.items():
                if isinstance(value, str):
                    new_value = fixed(value, (*where, key))
                    if isinstance(new_value, Problem):
                        return new_value
                    node[key] = new_value
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, str):
                    new_value = fixed(value, (*where, index))
                    if isinstance(new_value, Problem):
                        return new_value
                    node[index] = new_value
                else:
                    stack.append((value, (*where, index)))
    return None


def compose(text: str) -> Any:
    """The node tree of a text (for `coopctl.locator`), on the C parser, else on the pure one
    (libyaml refuses some valid YAML 1.2, as in `YamlReader._parse`); None if neither reads
    it."""
    from ruamel.yaml import YAML

    for pure in (False, True):
        try:
            return YAML(typ="safe", pure=pure).compose(text)
        except Exception:
            continue
    return None


def split_pointer(pointer: str) -> list[str]:
    """The reference tokens of a JSON pointer ('' is the whole document)."""
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.lstrip("/").split("/")]


def join_pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


# --- writing ----------------------------------------------------------------------------------
#
# Files are written from a round-trip parse, so comments, blank lines and block scalar styles
# survive. The layout is one canonical form: two-space mappings, list dashes indented two spaces
# under their key, quotes only where a value would otherwise read as something else, dates
# always single-quoted, and the schema modeline on line 1. Existing text is never re-wrapped
# (a wrapped URL is worse than a long line); new text longer than FOLD_WIDTH is written as a
# folded block (`>-`) with lines of at most FOLD_WIDTH characters.

FOLD_WIDTH = 80
_NO_WRAP = 1 << 16
MODELINE_PREFIX = "# yaml-language-server: $schema="


def _editor(*, preserve_quotes: bool = False) -> YAML:
    """ruamel.yaml's round-trip parser and emitter, with dates kept as strings (as the reader
    keeps them) and coopctl's layout."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.representer import RoundTripRepresenter

    class EditConstructor(RoundTripConstructor):
        pass

    EditConstructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    editor = YAML(typ="rt")
    editor.Constructor = EditConstructor
    editor.Representer = _escaping(RoundTripRepresenter)
    editor.preserve_quotes = preserve_quotes
    editor.indent(mapping=2, sequence=4, offset=2)
    editor.width = _NO_WRAP
    editor.allow_unicode = True
    return editor


def _escaping(representer: Any) -> Any:
    """A representer that writes text holding NEL or a Unicode line or paragraph separator
    double-quoted, where the emitter escapes them (\\N, \\L, \\P): raw, they are refused
    (Y012) and read as line breaks by some parsers."""

    class Escaping(representer):  # type: ignore[misc]
        def represent_scalar(
            self, tag: Any, value: Any, style: Any = None, anchor: Any = None
        ) -> Any:
            if isinstance(value, str) and _SEPARATORS.search(value):
                style = '"'
            return super().represent_scalar(tag, value, style, anchor)

    return Escaping


def modeline(target: str) -> str:
    return f"{MODELINE_PREFIX}{target}"


def _without_modeline(text: str) -> str:
    first, _newline, rest = text.partition("\n")
    return rest if first.startswith(MODELINE_PREFIX) else text


def load_editable(
    raw: bytes, path: str, *, keep_quotes: bool = False
) -> tuple[Any, tuple[Problem, ...]]:
    """A file parsed for editing (comments kept), or None and the reasons it cannot be edited.
    The file must first pass every refusal of `YamlReader.load`; the modeline is left out and
    written anew by `dump_editable`."""
    from ruamel.yaml.error import YAMLError

    checked = YamlReader().load(raw, path)
    if checked.data is None:
        return None, checked.problems
    text, _refusal = decode(raw, path)
    assert text is not None  # the reader decoded it already
    text, _warning = known_version(text, path)
    try:
        return _editor(preserve_quotes=keep_quotes).load(_without_modeline(text)), ()
    except (YAMLError, RecursionError) as exc:  # the round-trip parser is stricter in places
        found = (
            YamlReader._parse_problem(exc, text, path)
            if isinstance(exc, YAMLError)
            else problem("Y008", _("the file nests too deeply to be read"), path)
        )
        message = _("cannot be rewritten: {reason}").format(reason=found.message)
        return None, (dataclasses.replace(found, message=message),)
    except Exception as exc:  # the round-trip parser's own failures
        return None, (parser_failure(exc, path, "rewrite"),)


def dump_editable(document: Any, schema_target: str) -> str:
    """The text of a document: modeline first, then the canonical layout."""
    stream = io.StringIO()
    _editor().dump(document, stream)
    return f"{modeline(schema_target)}\n{stream.getvalue()}"


def editable(value: Any) -> Any:
    """Plain data (from prompts, --set, JSON) as round-trip nodes, so it is laid out like the
    rest of a file; text with line breaks becomes a literal block."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = editable(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(editable(item) for item in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, str) and len(value) > FOLD_WIDTH and " " in value.strip():
        return _folded(value)
    return value


def _folded(text: str) -> Any:
    """A folded block scalar of `text`, its lines broken at spaces within FOLD_WIDTH. Text
    that folding cannot reproduce exactly (double or edge spaces) stays a plain string."""
    from ruamel.yaml.scalarstring import FoldedScalarString

    lines = textwrap.wrap(text, FOLD_WIDTH, break_long_words=False, break_on_hyphens=False)
    if " ".join(lines) != text or len(lines) < 2:
        return text
    folded = FoldedScalarString(text)
    positions, offset = [], 0
    for line in lines[:-1]:
        offset += len(line)
        positions.append(offset)  # the space where the line is folded
        offset += 1
    folded.fold_pos = positions
    return folded


def order_keys(node: Any, order_of: Callable[[tuple[str, ...]], Sequence[str] | None]) -> None:
    """Put the keys of every mapping in the order `order_of(pattern)` gives (a pattern is the
    path with list positions as "*"); keys it does not name keep their order after the rest.
    Comments belong to the key they follow and move with it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def visit(value: Any, pattern: tuple[str, ...]) -> None:
        if isinstance(value, CommentedMap):
            wanted = order_of(pattern) or ()
            rank = {key: index for index, key in enumerate(wanted)}
            keys = list(value)
            ordered = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
            if ordered != keys:
                for key in ordered:
                    value.move_to_end(key)
            for key in value:
                visit(value[key], (*pattern, str(key)))
        elif isinstance(value, CommentedSeq):
            for item in value:
                visit(item, (*pattern, "*"))

    visit(node, ())


def quote_values(node: Any, paths: Iterable[tuple[str | int, ...]]) -> None:
    """Single-quote the string values at `paths` (dates: '2020' would otherwise be a number)."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    for path in paths:
        parent = node
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        value = parent[last]
        if isinstance(value, str) and not isinstance(value, SingleQuotedScalarString):
            parent[last] = SingleQuotedScalarString(value)


def dump_plain(data: Any) -> str:
    """JSON-compatible data as block-style YAML: safe dumper, Unicode as is, keys in order."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.representer import SafeRepresenter

    yaml = YAML(typ="safe", pure=True)
    yaml.Representer = _escaping(SafeRepresenter)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    stream = StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
