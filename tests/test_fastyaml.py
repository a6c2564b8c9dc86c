"""The fast reader against the reference reader: whatever `fastyaml.parse` returns that is not
None is exactly (types, key order, nesting) what `YamlReader.load` returns, and it returns None
wherever the reference reports a problem. Checked on every YAML file the tests ship, on a
generated registry, on documents drawn from the subset's grammar and on mutated files.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml import resolver as ruamel_resolver

from coopctl import fastyaml, yamlio
from coopctl.yamlio import YamlReader, decode

HERE = Path(__file__).parent
REPO = HERE.parent
BUNDLED = sorted((REPO / "registry").rglob("*.yaml"))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
READER = YamlReader()


def assert_same(fast: Any, reference: Any, where: str = "") -> None:
    """Equal, and of the same type all the way down (True is not 1, 1 is not 1.0), with the
    keys of every mapping in the same order."""
    assert type(fast) is type(reference), f"{where or '/'}: {fast!r} != {reference!r}"
    if isinstance(fast, dict):
        assert list(fast) == list(reference), f"{where or '/'}: key order or keys differ"
        for key in fast:
            assert_same(fast[key], reference[key], f"{where}/{key}")
    elif isinstance(fast, list):
        assert len(fast) == len(reference), f"{where or '/'}: lengths differ"
        for index, (mine, theirs) in enumerate(zip(fast, reference, strict=True)):
            assert_same(mine, theirs, f"{where}/{index}")
    else:
        assert fast == reference, f"{where or '/'}: {fast!r} != {reference!r}"


def _declined(text: str) -> None:
    return None


@contextlib.contextmanager
def _without_fast_reader() -> Iterator[None]:
    """The reader as it was before it had a fast path: wherever `yamlio` holds the fast
    parser, under any name, it holds one that declines every text for the time being."""
    fast = fastyaml.parse
    names = [name for name, value in vars(yamlio).items() if value is fast]
    for name in names:
        setattr(yamlio, name, _declined)
    fastyaml.parse = _declined
    try:
        yield
    finally:
        fastyaml.parse = fast
        for name in names:
            setattr(yamlio, name, fast)


def reference(raw: bytes) -> tuple[Any, bool]:
    """The reference reader's data (ruamel.yaml's, never the fast reader's), and whether it
    loaded without problems. The reference raises on some texts (ValueError on the plain
    scalar `+_`, TypeError on some complex keys such as `?\\n- ?`); that counts as a problem."""
    with _without_fast_reader():
        try:
            result = READER.load(raw, "x.yaml")
        except (ValueError, TypeError):
            return None, False
    return result.data, not result.problems


def test_the_reference_is_ruamel() -> None:
    with mock.patch.object(YAML, "load", autospec=True, side_effect=YAML.load) as load:
        data, loaded = reference(b"k: v\n")
    assert loaded
    assert data == {"k": "v"}
    assert load.call_count == 1
    assert fastyaml.parse("k: v\n") == {"k": "v"}


def check(text: str, *, claimed: bool = False) -> Any:
    """The fast result of `text`: None or the reference's data, None if the reference has
    problems, and not None if the text is `claimed` to be in the subset."""
    fast = fastyaml.parse(text)
    data, loaded = reference(text.encode("utf-8"))
    if claimed:
        assert fast is not None, f"declined a text of the subset:\n{text}"
    if fast is not None:
        assert loaded, f"accepted a text the reference refuses:\n{text}"
        assert_same(fast, data)
    return fast


def check_file(raw: bytes) -> Any:
    text, refusal = decode(raw, "x.yaml")
    if text is None:
        assert refusal is not None
        return None
    fast = fastyaml.parse(text)
    data, loaded = reference(raw)
    if fast is not None:
        assert loaded, "accepted a file the reference refuses"
        assert_same(fast, data)
    return fast


# --- files ------------------------------------------------------------------------------------


def _shipped_files() -> list[Path]:
    found: list[Path] = []
    for folder in (REPO / "registry", HERE / "examples", HERE / "hostile"):
        found.extend(path for path in sorted(folder.rglob("*.yaml")) if path.is_file())
    return found


@pytest.mark.parametrize(
    "path", _shipped_files(), ids=lambda path: str(path.relative_to(REPO)).replace("/", ":")
)
def test_shipped_files_read_as_the_reference_reads_them(path: Path) -> None:
    try:
        raw = path.read_bytes()
    except OSError:
        pytest.skip("unreadable here")
    check_file(raw)


def test_every_bundled_file_is_in_the_subset() -> None:
    assert len(BUNDLED) >= 20
    for path in BUNDLED:
        text, _ = decode(path.read_bytes(), str(path))
        assert text is not None
        assert check(text, claimed=True) is not None, path


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "coopctl_benchmark_generate", REPO / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_generated_registry_is_in_the_subset() -> None:
    generate = _generator()
    files: dict[str, str] = generate.build(
        argparse.Namespace(seed=11, gv=None, partners=150, agreements=120, solutions=60)
    )
    assert len(files) >= 300
    kinds = {path.split("/")[1] for path in files}
    assert kinds == {"partners", "agreements", "solutions"}
    for path, text in files.items():
        assert check(text, claimed=True) is not None, path


# --- cases ------------------------------------------------------------------------------------

ACCEPTED = {
    "k: yes\nl: no\nm: on\nn: off\no: y\np: N\n": {
        "k": "yes",
        "l": "no",
        "m": "on",
        "n": "off",
        "o": "y",
        "p": "N",
    },
    "a: 017\nb: 1_000\nc: -0\nd: +1\ne: 0_\nf: 1__2\ng: -1\n": {
        "a": 17,
        "b": 1000,
        "c": 0,
        "d": 1,
        "e": 0,
        "f": 12,
        "g": -1,
    },
    "a: true\nb: False\nc: TRUE\nd: tRUE\ne: ~\nf: Null\ng: NULL\nh: nULL\ni:\n": {
        "a": True,
        "b": False,
        "c": True,
        "d": "tRUE",
        "e": None,
        "f": None,
        "g": None,
        "h": "nULL",
        "i": None,
    },
    "a: 2020-09-23\nb: 2020-9-1\nc: 2020-09-23T10:00:00Z\nd: 2020-09\ne: 12:30\n": {
        "a": "2020-09-23",
        "b": "2020-9-1",
        "c": "2020-09-23T10:00:00Z",
        "d": "2020-09",
        "e": "12:30",
    },
    "a: x#y  # comment\nb: a:b\nc: it's\nd: 'it''s # no comment'\ne: \"a: b\"\nf: ''\n": {
        "a": "x#y",
        "b": "a:b",
        "c": "it's",
        "d": "it's # no comment",
        "e": "a: b",
        "f": "",
    },
    "k:\n- a\n-\n- - b\n  - c\n- d: 1\n  e: [x, 'y z', 2, 'it''s']\nl: {}\nm: []\n": {
        "k": ["a", None, ["b", "c"], {"d": 1, "e": ["x", "y z", 2, "it's"]}],
        "l": {},
        "m": [],
    },
    "k: >-\n  a\n  b\n\n  c\n\n\n  d\n\nl: |\n  a\n\n  # b\nm: >\n  x  \n  y\n": {
        "k": "a b\nc\n\nd",
        "l": "a\n\n# b\n",
        "m": "x   y\n",
    },
    "k:\n  - >-\n     a\n  - |-\n     b\n  - x\n": {"k": ["a", "b", "x"]},
    "k: |\n  a\n\n\nl: >\n  b\n  c\n  \n": {"k": "a\n", "l": "b c\n"},
    "k: |\n  at the end without a line break": {"k": "at the end without a line break"},
    "k: >\n  at the end\n  without a line break": {"k": "at the end without a line break"},
    "l:\n-   k: v\n    j: w\n-    - b\n     - c\n": {"l": [{"k": "v", "j": "w"}, ["b", "c"]]},
    "k: a\n    # a deeper comment\n     \nl:\n# c\n- a\n  # c\n- b\n": {"k": "a", "l": ["a", "b"]},
    "on: 1\nyes: 2\ny: 3\n_: 4\nkey-with-dash: 5\n": {
        "on": 1,
        "yes": 2,
        "y": 3,
        "_": 4,
        "key-with-dash": 5,
    },
}


@pytest.mark.parametrize("text", list(ACCEPTED))
def test_accepted_texts(text: str) -> None:
    assert_same(check(text, claimed=True), ACCEPTED[text])


DECLINED = [
    "",
    "# only a comment\n",
    "- a\n",
    "just text\n",
    "---\nk: v\n",
    "k: v\n...\n",
    "%YAML 1.2\n---\nk: v\n",
    "k:\tv\n",
    "k: &a v\nl: *a\n",
    "k: !!str v\n",
    "? k\n: v\n",
    "k: v\nk: w\n",
    "true: v\n",
    "Null: v\n",
    "1: v\n",
    "'k': v\n",
    "k: 0o17\n",
    "k: 0x1F\n",
    "k: 0b11\n",
    "k: 1e3\n",
    "k: 1.5\n",
    "k: .inf\n",
    "k: -.5\n",
    "k: +_\n",
    "k: <<\n",
    "k: =\n",
    "k: a\n  b\n",
    "k: 'a\n  b'\n",
    'k: "\\u00e4"\n',
    "k: a: b\n",
    "k: a:\n",
    "k: @a\n",
    "k: `a\n",
    "k: %a\n",
    "k: ?a\n",
    "k: >+\n  a\n",
    "k: >2\n  a\n",
    "k: >-\n\n  a\n",
    "k: >-\n  a\n    b\n",
    "k: >-\n",
    "k: a\u2028b\n",
    "k: a\x85b\n",
    "\ufeffk: v\n",
    "k: v\r\n",
    "<<<<<<< HEAD\nk: v\n=======\nk: w\n>>>>>>> other\n",
    "k: x" + "[" * 1001 + "\n",
    "k: |\n  " + "{" * 1001 + "\n",
    "k: >-\nl: v\n",
    "k:\n  - |\n  - a\n",
    "k: |\n  a\n     \n  b\n",
    "k:\n- --x\n",
    "k:\n  - a\n  j: 1\n",
    "k: 'a'#b\n",
    "k: >-#c\n  a\n",
    "k: >-\n  a\n   \n",
    "k:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 70)),
]


@pytest.mark.parametrize("text", DECLINED)
def test_declined_texts(text: str) -> None:
    assert fastyaml.parse(text) is None
    check(text)


def test_the_reference_refuses_deep_nesting_and_many_brackets() -> None:
    deep = "k:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 70))
    assert not reference(deep.encode())[1]
    assert not reference(("k: x" + "[" * 1001 + "\n").encode())[1]


def test_texts_of_files_over_the_size_limit_are_declined() -> None:
    big = "k: " + "a" * fastyaml.MAX_FILE_BYTES + "\n"
    assert fastyaml.parse(big) is None
    assert not reference(big.encode())[1]
    crlf = b"k: a\r\n" * 200_000  # 1.2 MB as written, 1 MB once decoded
    assert len(decode(crlf, "x.yaml")[0] or "") < fastyaml.MAX_FILE_BYTES
    assert not reference(crlf)[1]
    assert check_file(crlf) is None


def test_long_keys() -> None:
    longest = "k" * fastyaml.MAX_KEY_LENGTH
    assert check(f"{longest}: v\n", claimed=True) == {longest: "v"}
    assert check(f"{longest}k: v\n") is None
    assert not reference(("k" * 1100 + ": v\n").encode())[1]


def test_nesting_up_to_the_limit_is_read() -> None:
    lines = ["k0:"] + [" " * depth + f"k{depth}:" for depth in range(1, fastyaml.MAX_DEPTH - 1)]
    text = "\n".join([*lines, " " * (fastyaml.MAX_DEPTH - 1) + "leaf: 1"]) + "\n"
    assert check(text, claimed=True) is not None
    for one_more in ("leaf:\n" + " " * fastyaml.MAX_DEPTH + "x: 1", "leaf: []", "leaf: {}"):
        assert check(text.replace("leaf: 1", one_more)) is None


# --- the resolver -----------------------------------------------------------------------------


def _ruamel_12_table() -> dict[str, list[tuple[str, Any]]]:
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, pattern, first in ruamel_resolver.implicit_resolvers:
        if (1, 2) in versions:
            for char in first:
                table.setdefault(char, []).append((tag, pattern))
    return table


def _squeezed(pattern: str) -> str:
    return re.sub(r"\s+", "", pattern)


def test_the_copied_patterns_are_ruamels() -> None:
    table = _ruamel_12_table()
    patterns = {tag: pattern for entries in table.values() for tag, pattern in entries}
    for tag, mine in (
        ("tag:yaml.org,2002:float", fastyaml._FLOAT_12),
        ("tag:yaml.org,2002:int", fastyaml._INT_12),
    ):
        theirs = patterns[tag]
        assert _squeezed(mine.pattern) == _squeezed(theirs.pattern)
        assert mine.flags & re.X and theirs.flags & re.X
    assert set(table) - {""} == set(fastyaml._RESOLVED_START)
    words = {
        tag: set(re.findall(r"[A-Za-z~]+", _squeezed(patterns[f"tag:yaml.org,2002:{tag}"].pattern)))
        for tag in ("bool", "null")
    }
    assert words["bool"] | words["null"] == set(fastyaml._WORDS)
    for word, value in fastyaml._WORDS.items():
        expected = None if word in words["null"] else word.lower() == "true"
        assert value is expected
    assert patterns["tag:yaml.org,2002:null"].match("")


def _ruamel_resolves_to_text(value: str) -> bool:
    for tag, pattern in _ruamel_12_table().get(value[0], []):
        if pattern.match(value):
            return tag == "tag:yaml.org,2002:timestamp"
    return True


NUMBERISH = "0123456789+-._eEoxXbBinfINF:TtZ"


@SETTINGS
@given(value=st.text(alphabet=NUMBERISH + "aAnNuUlLrR~<=", min_size=1, max_size=10))
@example(value="1_")
@example(value="+_")
@example(value="0b_")
def test_plain_scalars_resolve_as_ruamel_resolves_them(value: str) -> None:
    try:
        mine = fastyaml.resolve_plain(value)
    except fastyaml._Unsupported:
        return
    if isinstance(mine, str):
        assert mine == value
        assert _ruamel_resolves_to_text(value)
    check(f"k: {value}\n")


# --- documents of the subset ------------------------------------------------------------------

KEYS = ["a", "b", "kind", "id", "name", "on", "yes", "y", "n", "No", "_x", "a-b", "x_1", "Kb"]
ODD_KEYS = ["true", "null", "NULL", "False", "1", "'q'", '"d"', "~", "2020-01-01", "a b", "-"]
PLAIN = [
    "a",
    "kooperation-bb-00020",
    "no",
    "on",
    "yes",
    "off",
    "y",
    "n",
    "Yes",
    "NO",
    "017",
    "1_000",
    "0",
    "-1",
    "+1",
    "-0",
    "42",
    "true",
    "True",
    "FALSE",
    "tRUE",
    "null",
    "Null",
    "NULL",
    "~",
    "nULL",
    "2020-09-23",
    "2020-9-1",
    "2020-09-23T10:00:00Z",
    "2020-09",
    "2020",
    "12:30",
    "a:b",
    "a#b",
    "a  b",
    "a - b",
    "Stadt München",
    "Straße",
    "http://example.org/a#x",
    "https://a.de/b?c=d&e=f",
    "...",
    "a,b",
    "a]",
    "x{y}",
    "it's",
    'say "hi"',
    "a\\b",
    "<a",
    "=a",
    "_",
    "-a",
    "1_",
    "a\xa0",
    "\xa0a",
    "€ 5",
    "😀",
]
ODD_PLAIN = [
    "0o17",
    "0x1F",
    "0b11",
    "1e3",
    "1.5",
    ".inf",
    "-.5",
    ".nan",
    "1.",
    "+_",
    "<<",
    "=",
    "?a",
    ":a",
    "-",
    "--",
    "@a",
    "`a",
    "%a",
    "!a",
    "&a",
    "*a",
    "a: b",
    "a:",
    "- a",
    "[a",
    "{a",
    "|",
    ">",
    '"a',
    "'a",
]
TEXT = st.text(alphabet=st.sampled_from(list("ab Z9 :#'\"-[]{},&*!|>%@`\\äß€\xa0😀")), max_size=12)
FLOW_ITEMS = ["a", "b c", "1", "yes", "x-y", "2020-01-01", "a.b", "'q r'", '"s"', "''", "'it''s'"]
SUFFIXES = ["", " ", "  ", " # comment", "   # c: x #"]


@dataclass(frozen=True)
class Layout:
    step: int  # how much deeper a nested mapping is
    list_offset: int  # how much deeper a list is than its key (0: at the key's indentation)
    block_step: int  # how much deeper block scalar content is than its key or dash
    compact: bool  # `- key: value` and `- - item` rather than a dash on a line of its own


@dataclass
class Doc:
    lines: list[str]
    claimed: bool = True
    block_content: set[int] = field(default_factory=set)  # lines that hold block scalar content


Node = tuple[Any, ...]


@st.composite
def scalars(draw: st.DrawFn, odd: bool) -> Node:
    """("scalar", token, claimed): a one-line scalar as written. Only with `odd`, scalars
    outside the subset."""
    styles = ["plain"] * 4 + ["single"] * 2 + ["double", "flow"] + ["odd"] * odd
    style = draw(st.sampled_from(styles))
    if style == "plain":
        return ("scalar", draw(st.sampled_from(PLAIN)), True)
    if style == "odd":
        return ("scalar", draw(st.sampled_from(ODD_PLAIN)), False)
    text = draw(TEXT)
    if style == "single":
        return ("scalar", "'" + text.replace("'", "''") + "'", True)
    if style == "double":
        if not odd:
            text = text.replace('"', "").replace("\\", "")
        plain_text = '"' not in text and "\\" not in text
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return ("scalar", f'"{escaped}"', plain_text)
    items = draw(st.lists(st.sampled_from(FLOW_ITEMS), max_size=4))
    comma = draw(st.sampled_from([", ", ",", " , "]))
    extra = draw(st.sampled_from(["", "", "", "1.5", "a: b", "[x]", "x,"])) if odd else ""
    return ("scalar", "[" + comma.join(items + ([extra] if extra else [])) + "]", not extra)


LINE_START = st.sampled_from(list("aZ#-'\":ä"))
WORDS = st.text(alphabet=st.sampled_from(list("ab Z: #'-\"ä")), max_size=10)


@st.composite
def blocks(draw: st.DrawFn, odd: bool) -> Node:
    """("block", header, lines, claimed): a block scalar and its content lines."""
    header = draw(st.sampled_from([">-", ">", "|-", "|"] + [">+", "|2"] * odd))
    choices = [st.just(""), st.builds(str.__add__, LINE_START, WORDS)]
    if odd:
        choices.append(st.sampled_from([" indented", "  ", " "]))
    lines = draw(st.lists(st.one_of(choices), min_size=1, max_size=6))
    if not odd and not lines[0]:
        lines[0] = "first"
    claimed = (
        header in (">-", ">", "|-", "|")
        and bool(lines[0])
        and not any(text.startswith(" ") or text.isspace() for text in lines)
    )
    return ("block", header, lines, claimed)


@functools.cache
def nodes(depth: int, odd: bool) -> st.SearchStrategy[Node]:
    leaves = st.one_of(scalars(odd), blocks(odd), st.just(("scalar", "", True)))
    if depth >= 5:
        return leaves
    return st.one_of(leaves, mappings(depth + 1, odd), sequences(depth + 1, odd))


@functools.cache
def mappings(depth: int, odd: bool) -> st.SearchStrategy[Node]:
    keys = [(k, True) for k in KEYS] + [(k, False) for k in ODD_KEYS] * odd
    entries = st.lists(
        st.tuples(st.sampled_from(keys), st.deferred(lambda: nodes(depth, odd))), max_size=5
    )
    return entries.map(lambda items: ("map", _unique(items)))


@functools.cache
def sequences(depth: int, odd: bool) -> st.SearchStrategy[Node]:
    items = st.lists(st.deferred(lambda: nodes(depth, odd)), max_size=5)
    return items.map(lambda n: ("seq", n))


def _unique(items: list[tuple[tuple[str, bool], Node]]) -> list[tuple[str, bool, Node]]:
    seen: set[str] = set()
    unique = []
    for (key, claimed), node in items:
        if key not in seen:
            seen.add(key)
            unique.append((key, claimed, node))
    return unique


class Renderer:
    def __init__(self, layout: Layout, suffix: Callable[[], str]) -> None:
        self.layout = layout
        self.suffix = suffix
        self.doc = Doc([])

    def mapping(self, entries: list[tuple[str, bool, Node]], indent: int) -> None:
        for key, claimed, node in entries:
            self.doc.claimed &= claimed
            self.value(" " * indent + key + ":", node, indent, owner_is_map=True)

    def sequence(self, items: list[Node], indent: int) -> None:
        for node in items:
            empty = node[0] in ("map", "seq") and not node[1]
            if self.layout.compact and node[0] in ("map", "seq") and not empty:
                start = len(self.doc.lines)
                if node[0] == "map":
                    self.mapping(node[1], indent + 2)
                else:
                    self.sequence(node[1], indent + 2)
                first = self.doc.lines[start]
                self.doc.lines[start] = " " * indent + "- " + first[indent + 2 :]
            else:
                self.value(" " * indent + "-", node, indent, owner_is_map=False)

    def value(self, prefix: str, node: Node, owner: int, *, owner_is_map: bool) -> None:
        kind = node[0]
        if kind == "scalar":
            self.doc.claimed &= node[2]
            token = node[1]
            self.doc.lines.append(prefix + (" " + token if token else "") + self.suffix())
        elif kind == "block":
            _, header, lines, claimed = node
            self.doc.claimed &= claimed
            self.doc.lines.append(f"{prefix} {header}")
            content = " " * (owner + self.layout.block_step)
            self.doc.block_content.add(len(self.doc.lines))
            self.doc.lines.append("\n".join(content + line if line else "" for line in lines))
        elif not node[1]:
            self.doc.lines.append(prefix + (" {}" if kind == "map" else " []") + self.suffix())
        elif kind == "map":
            self.doc.lines.append(prefix + self.suffix())
            self.mapping(node[1], owner + self.layout.step)
        else:
            self.doc.lines.append(prefix + self.suffix())
            offset = self.layout.list_offset if owner_is_map else self.layout.step
            self.sequence(node[1], owner + offset)


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    layout = Layout(
        step=draw(st.sampled_from([2, 4, 1])),
        list_offset=draw(st.sampled_from([2, 0, 4])),
        block_step=draw(st.sampled_from([2, 1, 4])),
        compact=draw(st.booleans()),
    )
    decorate = draw(st.booleans())

    def suffix() -> str:
        return draw(st.sampled_from(SUFFIXES)) if decorate else ""

    renderer = Renderer(layout, suffix)
    odd = draw(st.booleans())
    top = draw(mappings(1, odd).filter(lambda node: bool(node[1])))
    renderer.mapping(top[1], 0)
    doc = renderer.doc
    lines = doc.lines
    if decorate:
        # blank lines and comment lines between lines, at the next line's indentation (so
        # never inside a block scalar)
        for index in sorted(draw(st.lists(st.integers(0, len(lines)), max_size=4)), reverse=True):
            if index in doc.block_content:
                continue
            after = lines[index] if index < len(lines) else ""
            indent = " " * (len(after) - len(after.lstrip(" ")))
            comments = ["", indent + "# note: x", "#"]
            if index - 1 not in doc.block_content:
                comments.append(indent + "   # deeper")
            lines.insert(index, draw(st.sampled_from(comments)))
    if draw(st.booleans()):
        lines.insert(0, "# yaml-language-server: $schema=../../schemas/partner.schema.json")
    framing = draw(st.sampled_from([""] * 7 + ["---", "...", "tab"])) if odd else ""
    if framing == "---":
        lines.insert(0, "---")
    elif framing == "...":
        lines.append("...")
    elif framing == "tab":
        lines.append("#\tcomment with a tab")
    doc.claimed &= not framing
    return doc


@SETTINGS
@given(doc=documents(), final_break=st.booleans())
def test_documents_of_the_subset_read_as_the_reference_reads_them(
    doc: Doc, final_break: bool
) -> None:
    text = "\n".join(doc.lines) + ("\n" if final_break else "")
    check(text, claimed=doc.claimed)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from(list(": -#'\"\n\t[]{}>|&*!~?,%@`ab1.é")), max_size=60))
@example(text="?\n- ?")
def test_any_text_is_read_as_the_reference_reads_it_or_declined(text: str) -> None:
    check(text)


# --- mutations --------------------------------------------------------------------------------

MUTATION_CHARACTERS = ": -#'\"\n\t[]{}>|&*!" + "abcxyz"


def _mutations(text: str, rng: random.Random, count: int) -> list[str]:
    mutated = []
    for _ in range(count):
        position = rng.randrange(len(text) + 1)
        operation = rng.choice(("insert", "delete", "replace"))
        char = rng.choice(MUTATION_CHARACTERS)
        if operation == "insert":
            mutated.append(text[:position] + char + text[position:])
        elif operation == "delete":
            mutated.append(text[:position] + text[position + 1 :])
        else:
            mutated.append(text[:position] + char + text[position + 1 :])
    return mutated


def test_mutated_bundled_files_read_as_the_reference_reads_them_or_are_declined() -> None:
    rng = random.Random(20240611)
    accepted = declined = 0
    for path in BUNDLED:
        text, _ = decode(path.read_bytes(), str(path))
        assert text is not None
        for mutant in _mutations(text, rng, 25):
            if check(mutant) is None:
                declined += 1
            else:
                accepted += 1
    assert accepted + declined == 25 * len(BUNDLED)
    assert accepted > declined  # most single-character edits stay inside the subset


def test_remembered_lines_change_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader remembers the parts of lines it has read: every text reads the same with
    that memory empty and filled by the texts before it (also when it starts again, full),
    and it never holds more or longer lines than its limits."""
    generate = _generator()
    files: dict[str, str] = generate.build(
        argparse.Namespace(seed=5, gv=None, partners=60, agreements=60, solutions=30)
    )
    rng = random.Random(17)
    texts = list(files.values())
    texts += [mutant for text in texts[:40] for mutant in _mutations(text, rng, 5)]
    texts += ["k: '" + "x" * 500 + "'\n", "k: '" + "x" * 500 + "'\nj: 1\n"]
    for limit in (fastyaml._SEEN_LINES, 7):
        monkeypatch.setattr(fastyaml, "_SEEN_LINES", limit)
        fastyaml._SEEN.clear()
        remembering = [fastyaml.parse(text) for text in texts]
        assert 0 < len(fastyaml._SEEN) <= limit
        assert max(map(len, fastyaml._SEEN)) <= fastyaml._SEEN_WIDTH
        assert sum(result is not None for result in remembering) > len(files)
        for text, result in zip(texts, remembering, strict=True):
            fastyaml._SEEN.clear()
            assert_same(fastyaml.parse(text), result)
