"""`escaping.write_json` writes exactly the characters of `to_json(document) + "\\n"`, in chunks:
on hostile strings (`##[` workflow commands, lone surrogates, control characters, brackets and
quotes inside strings), on every kind of key and scalar JSON knows (subclasses too), on large
nested data, with iterators as arrays, and on the bundled registry's report through the CLI."""

from __future__ import annotations

import io
import json
import random
from collections import OrderedDict
from collections.abc import Iterator
from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import Any

import pytest

from coopctl.errors import CoopctlError
from coopctl.escaping import to_json, write_json
from coopctl.report.data import ReportOptions, build_report
from coopctl.report.records import as_json
from coopctl.snapshot import load_snapshot
from tests.helpers import make_registry, run_cli

HOSTILE = [
    "##[error]run",
    "###[",
    "##",
    "#[",
    "::set-output name=x::y",
    "\ud800",
    "a\udcffb",
    "\udbff\udfff",
    "\n\r\t\x00\x1b\x7f\x9f",
    "\u2028\u2029\u202e\ufeff",
    'quote " and \\ backslash',
    "],\n  [",
    '{"a": [1]}',
    "",
    "é😀ß",
]


class Level(IntEnum):
    HIGH = 3


class Text(str):
    pass


def _random(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(
            [
                rng.choice(HOSTILE),
                rng.randint(-(10**20), 10**20),
                0.1,
                -0.0,
                1e300,
                True,
                False,
                None,
                Level.HIGH,
                Text("sub ##[ class"),
            ]
        )
    if roll < 0.6:
        return [_random(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.7:
        return tuple(_random(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    if roll < 0.75:
        return OrderedDict(
            (rng.choice(HOSTILE), _random(rng, depth + 1)) for _ in range(rng.randint(0, 3))
        )
    keys: list[Any] = [rng.choice(HOSTILE), 7, 2.5, True, None, Level.HIGH, Text("k")]
    return {rng.choice(keys): _random(rng, depth + 1) for _ in range(rng.randint(0, 5))}


class Chunks:
    """A sink that keeps every chunk it is given."""

    def __init__(self) -> None:
        self.chunks: list[str] = []

    def write(self, text: str) -> int:
        self.chunks.append(text)
        return len(text)

    @property
    def text(self) -> str:
        return "".join(self.chunks)


def written(document: object, indent: int | None = 2) -> str:
    sink = Chunks()
    write_json(document, sink, indent=indent)
    return sink.text


@pytest.mark.parametrize("indent", [2, 0, 4, None])
def test_random_hostile_documents_give_the_same_characters(indent: int | None) -> None:
    rng = random.Random(17)
    for _ in range(1500):
        document = _random(rng, 0)
        assert written(document, indent) == to_json(document, indent=indent) + "\n", document


def test_workflow_commands_and_surrogates_are_escaped_as_to_json_does() -> None:
    document = {"##[x": ["##[group]", "a\udcff"], "plain": {"k": "###[", "n": 1}}
    text = written(document)
    assert "##[" not in text and "\udcff" not in text
    assert "#\\u0023[" in text and "\\udcff" in text
    assert json.loads(text) == {"##[x": ["##[group]", "a\udcff"], "plain": {"k": "###[", "n": 1}}


def test_large_nested_data_is_written_in_several_chunks_with_the_same_characters() -> None:
    rng = random.Random(3)
    document = {
        "rows": [
            {
                "id": f"row-{i}",
                "name": rng.choice(HOSTILE) * 3,
                "members": [f"p{j}" for j in range(i % 7)],
                "nested": {"level": [{"x": i, "y": [i, None, True]}], "empty": {}},
                "count": i,
            }
            for i in range(20_000)
        ],
        "names": {f"p{i}": rng.choice(HOSTILE) for i in range(5000)},
    }
    sink = Chunks()
    write_json(document, sink)
    assert len(sink.chunks) > 10
    assert sink.text == to_json(document) + "\n"


def test_iterators_are_written_as_the_arrays_they_yield() -> None:
    def rows() -> Iterator[dict[str, Any]]:
        yield from ({"id": i, "tags": ["a", "##[b"]} for i in range(100))

    expected = to_json({"rows": list(rows()), "none": [], "deep": [[1, 2]]}) + "\n"
    document = {"rows": rows(), "none": iter(()), "deep": iter([iter([1, 2])])}
    assert written(document) == expected


@pytest.mark.parametrize(
    "document",
    [
        [1.0, float("nan")],
        {"deep": [{"x": float("inf")}]},
        {float("-inf"): 1},
        {"rows": iter([{"x": [float("nan")]}])},
    ],
)
def test_nan_and_infinity_are_refused(document: object) -> None:
    with pytest.raises(CoopctlError, match="NaN or Infinity"):
        write_json(document, io.StringIO())


def test_what_json_cannot_hold_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_json({"when": date(2020, 1, 1)}, io.StringIO())
    with pytest.raises(TypeError, match="keys must be"):
        write_json({("a", "b"): 1}, io.StringIO())
    cycle: list[Any] = []
    cycle.append([cycle])
    with pytest.raises(CoopctlError):
        write_json(cycle, io.StringIO())


def test_the_bundled_report_through_the_cli_is_to_json_of_the_report(tmp_path: Path) -> None:
    root = make_registry(tmp_path / "reg", with_real_registry=True)
    args = ("report", "--root", str(root), "--format", "json", "--at", "2026-11-21")
    printed = run_cli(*args)
    assert printed.exit_code == 0, printed.output
    registry = load_snapshot(root)
    report = build_report(registry, ReportOptions(as_of=date(2026, 11, 21)))
    assert printed.stdout == to_json(as_json(report)) + "\n"
    out = tmp_path / "report.json"
    saved = run_cli(*args, "--output", str(out))
    assert saved.exit_code == 0, saved.output
    assert out.read_text(encoding="utf-8") == printed.stdout
