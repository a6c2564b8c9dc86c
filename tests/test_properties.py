"""Property tests of reading and validating: whatever bytes or YAML-shaped documents a registry
file holds, `coopctl validate` answers with problems (exit 0 or 1, 2 for usage errors), never
with a traceback, and `YamlReader.load` returns problems instead of raising.

Each example builds its own registry in a temporary folder made inside the test (hypothesis
runs many examples per test call, so function-scoped fixtures like tmp_path would be shared).
"""

from __future__ import annotations

import datetime
import io
import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor

from coopctl.codes import CODES
from coopctl.model import Problem
from coopctl.yamlio import BOM, LoadResult, YamlReader
from tests.helpers import REGISTRY, SCHEMAS, make_registry, run_cli

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FOLDERS = ("partners", "agreements", "solutions")
# A few real partners, so that references, events and keys in generated documents can resolve
# and the registry-wide checks get past their first guard.
REAL_FILES = {
    f"registry/partners/{name}.yaml": (REGISTRY / "partners" / f"{name}.yaml").read_bytes()
    for name in ("braunschweig", "salzgitter", "wolfsburg", "landkreis-gifhorn")
}


def _schema_facts() -> tuple[list[str], list[str]]:
    """Field names and the string values of enums/consts, read from the schemas so that the
    generated documents follow the schemas as they change."""
    fields: set[str] = set()
    values: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    fields.update(value)
                if key == "enum" and isinstance(value, list):
                    values.update(v for v in value if isinstance(v, str))
                if key == "const" and isinstance(value, str):
                    values.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for schema in sorted(SCHEMAS.glob("*.schema.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return sorted(fields), sorted(values)


FIELD_NAMES, ENUM_VALUES = _schema_facts()
REAL_IDS = sorted(p.stem for p in REGISTRY.glob("*/*.yaml"))
INTERESTING_STRINGS = [
    *ENUM_VALUES,
    *REAL_IDS,
    "x",
    "",
    "2020",
    "2020-09",
    "2020-09-23",
    "2021-02-30",
    "2092-09-23",
    "23.09.2020",
    "031010000000",
    "03101000",
    "031510000000",
    "091620000000",
    "DE-NI",
    "DE-BY",
    "https://example.org/a",
    "no",
    "on",
    "~",
    "null",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(INTERESTING_STRINGS),
    st.dates(),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=10))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=15,
)
events = st.lists(
    st.fixed_dictionaries(
        {
            "date": st.sampled_from(INTERESTING_STRINGS) | scalars,
            "type": st.sampled_from(ENUM_VALUES),
        },
        optional={
            "partners": st.lists(st.sampled_from(REAL_IDS) | scalars, max_size=4),
            "signatories": values,
            "sources": values,
            "note": values,
        },
    ),
    max_size=4,
)
# Documents shaped like registry entities (kind, id, events and a few more schema fields), and
# wholly arbitrary ones.
registry_documents = st.builds(
    lambda base, extra: {**base, **{k: v for k, v in extra.items() if k not in base}},
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["partner", "agreement", "solution"]) | scalars,
            "id": st.just("x") | st.sampled_from(REAL_IDS) | scalars,
        },
        optional={"events": events | values},
    ),
    st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=6),
)
documents = st.one_of(registry_documents, values)

# Bytes that reach the interesting corners of the reader: raw bytes, text, text built from
# YAML's special characters, and real-looking prefixes followed by noise.
YAML_CHARACTERS = " \n\r\t-:?,[]{}#&*!|>'\"%@`.~=<abcxyz019\ufeff\x00\x85\u2028é😀"
PREFIXES = [
    b"",
    BOM,
    b"kind: partner\nid: x\n",
    b"kind: agreement\nid: x\nevents:\n  - date: 2020-09\n    type: ",
    b"a: &x [1, 2]\nb: *x\n",
    b"<<<<<<< HEAD\n",
    b"---\n",
    b"x: !!python/object/apply:os.system ['id']\n",
    b"x: !!binary aGVsbG8=\n",
    b"? [a]\n: b\n",
    b"\t- x\n",
    b"[" * 70,
]
REAL_FILE_BYTES = [path.read_bytes() for path in sorted(REGISTRY.glob("*/*.yaml"))]


@st.composite
def mutated_real_files(draw: st.DrawFn) -> bytes:
    """A real registry file with a few bytes replaced, inserted or removed."""
    content = bytearray(draw(st.sampled_from(REAL_FILE_BYTES)))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(content)))
        end = draw(st.integers(start, min(start + 8, len(content))))
        content[start:end] = draw(
            st.binary(max_size=4) | st.text(alphabet=YAML_CHARACTERS, max_size=4).map(str.encode)
        )
    return bytes(content)


file_bytes = st.one_of(
    mutated_real_files(),
    st.binary(max_size=300),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=YAML_CHARACTERS, max_size=200).map(lambda t: t.encode("utf-8")),
    st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(PREFIXES),
        st.binary(max_size=60) | st.text(alphabet=YAML_CHARACTERS, max_size=60).map(str.encode),
    ),
)


# --- helpers -----------------------------------------------------------------------------


def _json_default(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(repr(value))


def dump_yaml(document: Any) -> bytes:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, stream)
    return stream.getvalue().encode("utf-8")


def expected_after_load(value: Any) -> Any:
    """What the reader gives back for `value`: dates come back as the strings they were
    written as; everything else unchanged."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: expected_after_load(item) for key, item in value.items()}
    if isinstance(value, list):
        return [expected_after_load(item) for item in value]
    return value


def typed(value: Any) -> Any:
    """`value` with the type of every scalar made explicit, so that True != 1 and 1.0 != 1."""
    if isinstance(value, dict):
        return ("dict", {key: typed(item) for key, item in value.items()})
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, value)


def assert_valid_text(value: Any) -> None:
    """Every string of loaded data is valid Unicode: it can be written out as UTF-8 (a lone
    surrogate from an escape such as "\\ud83d" cannot, and crashes whatever prints it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert_valid_text(key)
            assert_valid_text(item)
    elif isinstance(value, list):
        for item in value:
            assert_valid_text(item)
    elif isinstance(value, str):
        value.encode("utf-8")


def check_problems(problems: Iterable[Problem]) -> None:
    """Problems have a known code and a position: line and column >= 1."""
    for found in problems:
        assert found.code in CODES, found
        assert found.line >= 1, found
        assert found.column >= 1, found


def validate_file(relative: str, content: bytes) -> None:
    """Write `content` at `relative` in a fresh registry and check validate's JSON answer."""
    with tempfile.TemporaryDirectory() as tmp:
        root = make_registry(Path(tmp) / "reg", {**REAL_FILES, relative: content})
        result = run_cli("validate", "--root", str(root), "--format", "json")
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        document = json.loads(result.stdout)
        problems = document["problems"]
        for found in problems:
            assert found["code"] in CODES, found
            assert isinstance(found["path"], str), found
            assert found["path"], found
            assert isinstance(found["line"], int), found
            assert isinstance(found["column"], int), found
            assert found["line"] >= 1, found
            assert found["column"] >= 1, found
        errors = sum(found["severity"] == "error" for found in problems)
        assert document["summary"]["errors"] == errors
        assert result.exit_code == (1 if errors else 0), result.output


# --- validate never crashes ---------------------------------------------------------------


@PROPERTY_SETTINGS
@given(content=file_bytes, folder=st.sampled_from(FOLDERS))
@example(content=b"\x00", folder="partners")
@example(content=b"kind: partner\nid: x\nname: [", folder="partners")
@example(content=b"kind: agreement\nid: x\nevents: 3\n", folder="agreements")
@example(content=b"?", folder="partners")  # key null: refused by pointer, located later
@example(content=b"kind: partner\nid: x\n1: x\n", folder="partners")
@example(content=b"kind: partner\nsources: !!set {a}\n", folder="partners")
@example(content=b"\xff\xfek\x00", folder="solutions")
@example(content=b'kind: partner\nid: "\\ud83d\\ude00"\n', folder="partners")
@example(content=b'{"kind": "agreement", "id": "x", "title": "\\udfff"}', folder="agreements")
def test_validate_answers_arbitrary_bytes_with_problems(content: bytes, folder: str) -> None:
    validate_file(f"registry/{folder}/x.yaml", content)


@PROPERTY_SETTINGS
@given(document=documents, folder=st.sampled_from(FOLDERS))
@example(
    document={"kind": "agreement", "id": "x", "events": [{"date": 2020, "type": "signed"}]},
    folder="agreements",
)
@example(
    document={"kind": "partner", "id": "x", "ars": 31010000000, "ags": 3101000}, folder="partners"
)
def test_validate_answers_yaml_documents_with_problems(document: Any, folder: str) -> None:
    validate_file(f"registry/{folder}/x.yaml", dump_yaml(document))


@PROPERTY_SETTINGS
@given(document=documents, folder=st.sampled_from(FOLDERS), ascii_only=st.booleans())
@example(document={"kind": "partner", "id": "\U0001f600"}, folder="partners", ascii_only=True)
def test_validate_answers_json_documents_with_problems(
    document: Any, folder: str, ascii_only: bool
) -> None:
    text = json.dumps(document, default=_json_default, ensure_ascii=ascii_only, indent=1)
    validate_file(f"registry/{folder}/x.yaml", text.encode("utf-8"))


# --- the reader ---------------------------------------------------------------------------


class _ReferenceConstructor(SafeConstructor):
    """ruamel.yaml's safe constructor with timestamps kept as text, like coopctl's."""


_ReferenceConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str
)


def reference_load(raw: bytes) -> Any:
    """The same bytes read by ruamel.yaml's pure-Python parser: the reference for what a file
    says, independent of the C parser coopctl uses."""
    reader = YAML(typ="safe", pure=True)
    reader.Constructor = _ReferenceConstructor
    return reader.load(raw.decode("utf-8"))


@PROPERTY_SETTINGS
@given(document=documents)
@example(document={"note": "a\u2028b\u2029c", "place": "x\ty", "title": " a  b\n\nc "})
@example(document={"date": datetime.date(2020, 9, 23), "published": "2020-09"})
@example(document={"ags": "03101000", "binding": "no", "n": 1, "f": 1.0, "b": True, "e": ""})
@example(document={"i": 10**30, "f": 1e300, "g": float("inf"), "h": -0.0, "k": "1_000"})
def test_reader_round_trips_dumped_documents(document: Any) -> None:
    raw = dump_yaml(document)
    result = YamlReader().load(raw, "registry/partners/x.yaml")
    check_problems(result.problems)
    if result.data is None:
        assert result.problems
        return
    assert result.problems == ()
    assert_valid_text(result.data)
    expected = expected_after_load(document)
    reference = reference_load(raw)
    if typed(reference) == typed(expected):
        assert typed(result.data) == typed(expected), raw
    else:
        # ruamel.yaml's emitter wrote something that its own parser reads differently (for
        # example a line fold right after an escape): not coopctl's doing, but coopctl must
        # still read what the file says.
        event("the dumper does not round-trip this document")
        assert typed(result.data) == typed(reference), raw


@pytest.mark.parametrize("character", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
@pytest.mark.parametrize(
    ("template", "meant"),
    [
        ("name: 'N{}rnberg'\n", "N{}rnberg"),
        ('name: "N{}rnberg"\n', "N{}rnberg"),
        ("name: |-\n  N{}rnberg\n", "N{}rnberg"),
        ("name: N{}rnberg\n", "N{}rnberg"),
        ("# N{}rnberg\nname: x\n", "x"),
    ],
    ids=["single-quoted", "double-quoted", "literal", "plain", "comment"],
)
def test_reader_never_silently_changes_line_separators(
    character: str, template: str, meant: str
) -> None:
    """NEL, LS and PS are line breaks in YAML 1.1 and ordinary characters in YAML 1.2 (which
    coopctl claims to read); ruamel.yaml's dumper writes them unescaped and both of its parsers
    read them as line breaks. The reader keeps them or refuses the file, but never silently
    turns them into a space or a line end."""
    text = template.format(character)
    result = YamlReader().load(text.encode("utf-8"), "registry/partners/x.yaml")
    check_problems(result.problems)
    if result.data is None:
        assert result.problems
    else:
        assert result.data == {"name": meant.format(character)}


def test_reader_refuses_keys_that_become_equal_when_surrogates_are_joined() -> None:
    """ "\\ud83d\\ude00" and "\U0001f600" name the same key once the escape pair is joined: the
    file has a duplicate key, which is refused (Y002) like any other, never silently merged."""
    for text in (
        '{"\\ud83d\\ude00": 1, "\U0001f600": 2}',
        '{"\\ud83d\\ude00": 1, "\\U0001F600": 2}',
        'kind: partner\n"\\ud83d\\ude00": x\n"\U0001f600": y\n',
    ):
        result = YamlReader().load(text.encode("utf-8"), "registry/partners/x.yaml")
        assert result.data is None, (text, result.data)
        assert [p.code for p in result.problems] == ["Y002"], text
        check_problems(result.problems)


def _variants(text: str) -> list[tuple[str, bytes]]:
    utf8 = text.encode("utf-8")
    return [
        ("utf-8", utf8),
        ("utf-8 with BOM", BOM + utf8),
        ("utf-8 CRLF", text.replace("\n", "\r\n").encode("utf-8")),
        ("utf-8 CR", text.replace("\n", "\r").encode("utf-8")),
        ("utf-8 BOM and CRLF", BOM + text.replace("\n", "\r\n").encode("utf-8")),
        ("utf-16", text.encode("utf-16")),
        ("utf-16-le", text.encode("utf-16-le")),
        ("utf-16-be", text.encode("utf-16-be")),
    ]


def _outcome(result: LoadResult) -> tuple[Any, list[tuple[str, int, int]]]:
    return typed(result.data), [(p.code, p.line, p.column) for p in result.problems]


@PROPERTY_SETTINGS
@given(text=st.text(max_size=200) | st.text(alphabet=YAML_CHARACTERS, max_size=200))
@example(text="")
@example(text="kind: partner\nid: x\n")
@example(text="a: 1\r\nb: [\n")
@example(text="\ufeffkind: partner\n")
@example(text="\n\x00")
def test_reader_never_raises_on_text(text: str) -> None:
    reader = YamlReader()
    results = {}
    for name, raw in _variants(text):
        result = reader.load(raw, "registry/partners/x.yaml")
        assert isinstance(result, LoadResult), name
        assert (result.data is None) == bool(result.problems), (name, result)
        assert_valid_text(result.data)
        check_problems(result.problems)
        results[name] = result
    # A BOM at the start of a UTF-8 file is dropped, and line ends do not matter: the reader
    # gives the same answer for all of these.
    if "\r" not in text and not text.startswith("\ufeff"):
        plain = _outcome(results["utf-8"])
        for name in ("utf-8 with BOM", "utf-8 CRLF", "utf-8 CR", "utf-8 BOM and CRLF"):
            assert _outcome(results[name]) == plain, name


@pytest.mark.parametrize(
    ("escaped", "meant"),
    [
        ("\\ud83d\\ude00", "\U0001f600"),  # a surrogate pair, as JSON writes U+1F600
        ("\\ud800", None),  # lone surrogates: no character at all
        ("\\udfffx", None),
        ("\\U0001F600", "\U0001f600"),
    ],
)
def test_reader_never_returns_lone_surrogates(escaped: str, meant: str | None) -> None:
    """A double-quoted "\\uD83D\\uDE00" (how JSON writers escape characters beyond U+FFFF) is
    that one character; a lone surrogate escape is refused. Either way no string with a
    surrogate code point may come out: it cannot be encoded, and printing it crashes."""
    for raw in (
        f'kind: partner\nname: "{escaped}"\n',
        f'{{"kind": "partner", "name": "{escaped}"}}',
    ):
        result = YamlReader().load(raw.encode(), "registry/partners/x.yaml")
        check_problems(result.problems)
        if meant is None:
            assert result.data is None, result.data
            assert result.problems
        else:
            assert result.data == {"kind": "partner", "name": meant}, raw


@pytest.mark.parametrize("bad", [b"\x00", b"\xff", b"\xc3("])
def test_positions_in_files_with_lone_cr_line_ends(bad: bytes) -> None:
    """decode() treats a lone CR as a line end; a NUL byte or invalid UTF-8 in such a file is
    reported at the same line and column as in the same file with LF line ends."""
    reader = YamlReader()
    lf = reader.load(b"kind: partner\nid: x\nname: " + bad + b"\n", "registry/partners/x.yaml")
    cr = reader.load(b"kind: partner\rid: x\rname: " + bad + b"\r", "registry/partners/x.yaml")
    crlf = reader.load(
        b"kind: partner\r\nid: x\r\nname: " + bad + b"\r\n", "registry/partners/x.yaml"
    )
    assert [(p.code, p.line, p.column) for p in lf.problems] == [(lf.problems[0].code, 3, 7)]
    assert [(p.code, p.line, p.column) for p in crlf.problems] == [
        (p.code, p.line, p.column) for p in lf.problems
    ]
    assert [(p.code, p.line, p.column) for p in cr.problems] == [
        (p.code, p.line, p.column) for p in lf.problems
    ]


# --- scalar resolution (YAML 1.2 core schema, dates kept as text) --------------------------


def _value(text: str) -> Any:
    result = YamlReader().load(f"value: {text}\n".encode(), "registry/partners/x.yaml")
    assert result.problems == (), result.problems
    assert result.data is not None
    return result.data["value"]


@pytest.mark.parametrize("word", ["no", "on", "yes", "off", "No", "OFF", "y", "n"])
def test_yaml_11_booleans_are_strings(word: str) -> None:
    assert _value(word) == word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("0o17", 15),
        ("0x1F", 31),
        ("1_000", 1000),  # ruamel.yaml keeps YAML 1.1's digit separators in its 1.2 resolver
        ("03101000", 3101000),  # YAML 1.2: leading zeros make no octal number
        ("017", 17),
        ("1e3", 1000.0),
        ("'03101000'", "03101000"),
        ('"03101000"', "03101000"),
        ("2020-09-23", "2020-09-23"),
        ("2020-09", "2020-09"),
        ("2020", 2020),
        ("2020-09-23T10:00:00Z", "2020-09-23T10:00:00Z"),
        ("'2020-09-23'", "2020-09-23"),
    ],
)
def test_scalar_resolution(text: str, expected: Any) -> None:
    assert typed(_value(text)) == typed(expected)


def test_reader_uses_the_c_parser() -> None:
    assert "CParser" in YamlReader().parser_name
