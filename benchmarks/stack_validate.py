"""A registry validator made of fast libraries: the peer coopctl's cold validate is held to.

    python benchmarks/stack_validate.py ROOT [--workers N] [--validate-formats]

Each file under ROOT/registry/{partners,agreements,solutions}/ is parsed with PyYAML's C loader
(timestamps kept as strings, as the schemas expect) and validated with jsonschema-rs against its
kind's schema, bundled with the shared definitions (benchmarks/bundle.py). Then the cheap checks
across files: the id equals the file name, no id twice in a kind, and every reference field
(`x-ref` in the schema) names an existing entity. One line per problem on stdout
(`path: CODE message`), a count on stderr; exit 1 when there is a problem, else 0.

With --workers N (default: one per core) the files are parsed and validated in N processes
(fork), in chunks; --workers 1 does all in this process. --validate-formats checks `format`
keywords; coopctl checks only the formats it has a checker for, and run.py passes the option
when coopctl checks one of the formats the schemas use.

This is what a team would write in an afternoon: it knows no line numbers, no partial dates,
no membership rules, no Gemeindeverzeichnis, no duplicate YAML keys (PyYAML keeps the last).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from bundle import KINDS, RefPath, bundled_schema, reference_paths, values_at

CHUNK = 200


class Loader(yaml.CSafeLoader):
    """PyYAML's C loader without the timestamp resolver: dates stay strings."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}

# Set in the parent before the workers fork, so that they inherit the compiled validators.
VALIDATORS: dict[str, Any] = {}
REFERENCES: dict[str, list[tuple[RefPath, str]]] = {}

# One file's outcome: path, kind, id (or None), references [(kind, id, pointer)], problems.
Outcome = tuple[str, str, Any, list[tuple[str, Any, str]], list[tuple[str, str]]]


def prepare(root: Path, validate_formats: bool) -> None:
    for kind in KINDS:
        schema = bundled_schema(root / "schemas", kind)
        VALIDATORS[kind] = jsonschema_rs.validator_for(schema, validate_formats=validate_formats)
        REFERENCES[kind] = reference_paths(schema)


def examine(item: tuple[str, str]) -> Outcome:
    path, kind = item
    try:
        data = yaml.load(Path(path).read_bytes(), Loader=Loader)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return path, kind, None, [], [("Y001", str(error).splitlines()[0])]
    problems = [
        ("S001", f"{e.instance_path}: {e.message}") for e in VALIDATORS[kind].iter_errors(data)
    ]
    if not isinstance(data, dict):
        return path, kind, None, [], problems
    refs = [
        (target, value, pointer)
        for ref_path, target in REFERENCES[kind]
        for pointer, value in values_at(data, ref_path)
    ]
    return path, kind, data.get("id"), refs, problems


def examine_chunk(chunk: list[tuple[str, str]]) -> list[Outcome]:
    return [examine(item) for item in chunk]


def registry_files(root: Path) -> list[tuple[str, str]]:
    return [
        (str(path), kind)
        for kind in KINDS
        for path in sorted((root / "registry" / f"{kind}s").glob("*.yaml"))
    ]


def across(outcomes: list[Outcome], root: Path) -> list[tuple[str, str, str]]:
    """The problems of every file, then the checks across files."""
    problems = [(path, code, text) for path, _, _, _, found in outcomes for code, text in found]
    ids: dict[str, dict[Any, str]] = defaultdict(dict)
    for path, kind, entity_id, _, _ in outcomes:
        stem = Path(path).stem
        if entity_id is None:
            ids[kind].setdefault(stem, path)  # an unreadable file still names its id
            continue
        if entity_id != stem:
            problems.append((path, "I001", f"id {entity_id!r} is not the file name {stem!r}"))
        if entity_id in ids[kind] and ids[kind][entity_id] != path:
            problems.append((path, "I002", f"id {entity_id!r} also in {ids[kind][entity_id]}"))
        ids[kind].setdefault(entity_id, path)
    for path, _, _, refs, _ in outcomes:
        for target, value, pointer in refs:
            if value not in ids[target]:
                problems.append((path, "R001", f"{pointer}: no {target} with id {value!r}"))
    return [(os.path.relpath(path, root), code, text) for path, code, text in problems]


def run(root: Path, workers: int, validate_formats: bool) -> list[tuple[str, str, str]]:
    prepare(root, validate_formats)
    files = registry_files(root)
    if workers == 1:
        outcomes = examine_chunk(files)
    else:
        chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = [o for part in pool.imap(examine_chunk, chunks) for o in part]
    return across(outcomes, root)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="a folder with registry/ and schemas/")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--validate-formats", action="store_true")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    problems = run(args.root.resolve(), args.workers, args.validate_formats)
    out = sys.stdout
    for path, code, text in sorted(problems):
        out.write(f"{path}: {code} {text}\n")
    print(f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
