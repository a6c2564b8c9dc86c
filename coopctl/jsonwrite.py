"""JSON text written in chunks, with the characters `json.dumps(..., indent=N)` would give.

`json.dumps` with an indent runs the pure-Python encoder, one generator step per value; the C
encoder (`json.encoder.c_make_encoder`) runs only without an indent. But the C encoder writes
its item separator as it is given, and inside a container whose items are all scalars the
pretty form differs from the compact one only in that separator (`",\\n" + indent`) and in the
line breaks after the opening and before the closing bracket. So the writer walks the outer
levels itself and hands every such flat container (a record of scalars, a list of ids) to a C
encoder made for its depth. Line breaks in strings are always escaped, so the separator can
hold one. Containers that hold containers, subclasses of the JSON types and iterators (written
as arrays) take the walk, which follows the rules of `json.encoder._make_iterencode`.

Chunks are cut only between tokens, so `escaping.json_safe` (lone surrogates, `##[`) can be
applied to each chunk with the result it has on the whole text.
"""

from __future__ import annotations

import json.encoder
import math
from collections.abc import Callable, Iterator
from typing import Any, Protocol

_SCALARS = frozenset({str, int, float, bool, type(None)})
_CHUNK = 1 << 16  # characters gathered before a write
_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_make_c_encoder: Any = getattr(json.encoder, "c_make_encoder", None)


class TextSink(Protocol):
    """Where the text goes: a text stream, or anything with its `write`."""

    def write(self, text: str, /) -> object: ...


def _not_json(value: object) -> object:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def _key(key: object) -> str:
    """A dict key as JSON writes it (str, float, bool, None and int keys become strings)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


class JsonWriter:
    """Writes one document to `stream`, each chunk passed through `finish` first."""

    def __init__(self, stream: TextSink, indent: int | None, finish: Callable[[str], str]) -> None:
        self.stream = stream
        self.indent = indent
        self.finish = finish
        self.parts: list[str] = []
        self.size = 0
        self.path: set[int] = set()  # containers being written, to refuse a cycle
        # Without an indent json separates items by ", " on one line, with one by "," and a
        # line break.
        self.comma = ", " if indent is None else ","
        self.fast = _make_c_encoder is not None
        self.keys: dict[str, str] = {}
        self.breaks: list[str] = []  # the line break and indent before a value at each depth
        self.flat: list[Any] = []  # the C encoder for flat containers at each depth

    def write(self, document: object) -> None:
        self._reach(1)
        self._value(document, 0)
        self.parts.append("\n")
        self._flush()

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.parts:
            self.stream.write(self.finish("".join(self.parts)))
            self.parts.clear()
            self.size = 0

    def _reach(self, depth: int) -> None:
        """Make the line breaks up to `depth` + 1 and the flat encoders up to `depth` (each
        container makes sure of its children's, so the hot paths only index)."""
        while len(self.breaks) <= depth + 1:
            level = len(self.breaks)
            self.breaks.append("" if self.indent is None else "\n" + " " * (self.indent * level))
        while len(self.flat) <= depth:
            # The C encoder whose item separator starts the next item of a container at that
            # depth.
            separator = self.comma + self.breaks[len(self.flat) + 1]
            self.flat.append(
                _make_c_encoder(
                    None, _not_json, _encode_string, None, ": ", separator, False, False, False
                )
            )

    def _text(self, value: Any, depth: int) -> str | None:
        """The text of a scalar or a flat container (exactly of the JSON types) at `depth`;
        None for anything else, which takes the walk."""
        kind = type(value)
        if kind is str:
            return _encode_string(value)
        if kind is dict or kind is list or kind is tuple:
            if not value:
                return "{}" if kind is dict else "[]"
            children = value.values() if kind is dict else value
            if self.fast and _SCALARS.issuperset(map(type, children)):
                text = "".join(self.flat[depth](value, 0))
                breaks = self.breaks
                return text[0] + breaks[depth + 1] + text[1:-1] + breaks[depth] + text[-1]
            return None
        if kind is int:
            return int.__repr__(value)
        if value is None:
            return "null"
        if kind is bool:
            return "true" if value else "false"
        if kind is float:
            return _float(value)
        return None

    def _value(self, value: object, depth: int) -> None:
        text = self._text(value, depth)
        if text is not None:
            self._add(text)
        elif isinstance(value, str):  # subclasses of the JSON types, as json treats them
            self._add(_encode_string(value))
        elif value is True or value is False:
            self._add("true" if value else "false")
        elif isinstance(value, int):
            self._add(int.__repr__(value))
        elif isinstance(value, float):
            self._add(_float(value))
        elif isinstance(value, (list, tuple, dict)):
            self._walk(value, depth)
        elif isinstance(value, Iterator):
            self._items(value, depth)
        else:
            _not_json(value)

    def _walk(self, value: list[Any] | tuple[Any, ...] | dict[Any, Any], depth: int) -> None:
        if not value:
            self._add("{}" if isinstance(value, dict) else "[]")
            return
        marker = id(value)
        if marker in self.path:
            raise ValueError("Circular reference detected")
        self.path.add(marker)
        if isinstance(value, dict):
            self._members(value, depth)
        else:
            self._items(iter(value), depth)
        self.path.discard(marker)

    def _key(self, key: object) -> str:
        """`"key": ` as JSON writes it; the keys of records repeat, so they are kept."""
        known = self.keys.get(key) if type(key) is str else None
        if known is None:
            known = _encode_string(_key(key)) + ": "
            if type(key) is str:
                self.keys[key] = known
        return known

    def _members(self, value: dict[Any, Any], depth: int) -> None:
        self._reach(depth + 1)
        inner = self.breaks[depth + 1]
        pieces = []
        opening = "{" + inner
        for key, item in value.items():
            text = self._text(item, depth + 1)
            if text is None:
                pieces.append(opening + self._key(key))
                self._add("".join(pieces))
                pieces.clear()
                self._value(item, depth + 1)
            else:
                pieces.append(opening + self._key(key) + text)
            opening = self.comma + inner
        pieces.append(self.breaks[depth] + "}")
        self._add("".join(pieces))

    def _items(self, items: Iterator[Any], depth: int) -> None:
        self._reach(depth + 1)
        inner = self.breaks[depth + 1]
        opening = "[" + inner
        for item in items:
            text = self._text(item, depth + 1)
            if text is None:
                self._add(opening)
                self._value(item, depth + 1)
            else:
                self._add(opening + text)
            opening = self.comma + inner
        self._add("[]" if opening[0] == "[" else self.breaks[depth] + "]")
